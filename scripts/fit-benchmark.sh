#!/usr/bin/env bash
# Times `ccsim fit` on a year of calls (about 5 million rows): writes a 365-day, 24-hour
# scenario, simulates it once with --trace (the trace is the call log), then fits it under
# /usr/bin/time -v (elapsed time and peak memory). Usage:
#   scripts/fit-benchmark.sh [target/release/ccsim] [work dir]
set -euo pipefail
ccsim=${1:-target/release/ccsim}
dir=${2:-$(mktemp -d)}
mkdir -p "$dir"
repeat() { local out=$1; for _ in $(seq 2 48); do out="$out, $1"; done; echo "$out"; }
cat > "$dir/year.toml" <<TOML
start = "00:00"
interval = "30m"
days = 365

[service_level]
target = "20s"
goal = 0.8

[[call_types]]
name = "accounts"
volumes = [$(repeat 190)]
handle_time = { distribution = "lognormal", mean = "4m", cv = 0.8 }
patience = { distribution = "lognormal", mean = "2m", cv = 0.5 }
redial = { probability = 0.4, delay = { distribution = "exponential", mean = "5m" } }
repeat = { probability = 0.05, delay = { distribution = "exponential", mean = "24h" } }

[[call_types]]
name = "cards"
volumes = [$(repeat 95)]
handle_time = { distribution = "lognormal", mean = "5m", cv = 0.6 }
patience = { distribution = "exponential", mean = "90s" }
redial = { probability = 0.6, delay = { distribution = "exponential", mean = "3m" } }

[[agent_groups]]
name = "agents"
skills = ["accounts", "cards"]
staffing = [$(repeat 43)]
TOML
echo "simulating a year of calls into $dir/year-log.csv ..." >&2
"$ccsim" simulate "$dir/year.toml" -q -r 1 --trace "$dir/year-log.csv" > /dev/null
echo "rows: $(($(wc -l < "$dir/year-log.csv") - 1)), $(du -h "$dir/year-log.csv" | cut -f1)" >&2
uptime
/usr/bin/time -v "$ccsim" fit "$dir/year-log.csv" --column arrival=timestamp --column handle_s=handle_time_s \
    --out "$dir/year-fitted.toml" 2> "$dir/time.txt" > "$dir/report.txt"
grep -E "Elapsed|Maximum resident" "$dir/time.txt"
