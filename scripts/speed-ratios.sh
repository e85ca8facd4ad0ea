#!/usr/bin/env bash
# Prints the CPU time of the M/M/c bound, of the least event-driven simulation of the same
# queue, of the engine alone, of the whole simulate use case in one process and of the
# `ccsim simulate` command as a process, all on the same case (1M
# calls, 100 agents, 90 Erlangs, hourly intervals over 24 days, one replication, one thread),
# measured side by side in one run of the engine bench, with their ratios to the bound; then
# the scale case (2,000 agents, 40 call types, 7 days of 15 minutes): replications per second
# on one core and the peak memory of `ccsim simulate` on it. See docs/engine-bound.md.
#
# Usage: scripts/speed-ratios.sh   (builds the bench profile; takes a few minutes)
set -euo pipefail
cd "$(dirname "$0")/.."

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "load before: $(uptime | sed 's/.*load average: //')"
cargo bench --bench engine -- 'bound/|scale/' >/dev/null 2>&1
echo "load after:  $(uptime | sed 's/.*load average: //')"

# Criterion's mean CPU time per iteration, in ms.
mean_ms() {
  python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["mean"]["point_estimate"] / 1e6))' \
    "target/criterion/$1/new/estimates.json"
}
bound=$(mean_ms bound/recursion)
echo
printf '%-34s %9s %8s\n' "bound case (1M calls)" "CPU ms" "ratio"
for name in recursion events engine whole process recursion_inversion recursion_one_stream; do
  ms=$(mean_ms "bound/$name")
  printf '%-34s %9s %8s\n' "$name" "$ms" "$(python3 -c "print('%.2f' % ($ms / $bound))")"
done

echo
scale=target/tmp/scale-2000-agents.toml
one=$(mean_ms scale/one_replication)
whole=$(mean_ms scale/whole_one_replication)
echo "scale case: engine $one ms, whole use case $whole ms a replication on one core" \
  "($(python3 -c "print('%.2f' % (1000 / $whole))") replications/s per core)"
bin=target/release/ccsim   # built by the bench run above
if [[ -x "$bin" && -x /usr/bin/time ]]; then
  /usr/bin/time -f "ccsim simulate scale -r 4 --threads 1: %U s user, %S s system, peak RSS %M KB" \
    "$bin" simulate "$scale" -r 4 --threads 1 -q >/dev/null
fi
