#!/usr/bin/env bash
# Times the risk curve of the retail-bank scenario: 20 headcounts (20..39 agents at the busiest
# interval) x 500 replications, on every core, under /usr/bin/time (elapsed and CPU time, peak
# memory), with the machine's load before and after: a risk curve is a planning question asked
# interactively, so it should answer within seconds. Usage:
#   scripts/risk-curve-timing.sh [target/release/ccsim]
set -euo pipefail
cd "$(dirname "$0")/.."
ccsim=${1:-target/release/ccsim}
echo "machine: $(nproc) cores; load before: $(uptime | sed 's/.*load average: //')"
/usr/bin/time -f "risk curve, 20 headcounts x 500 replications: %e s elapsed, %U s user, %S s system, %P CPU, peak RSS %M KB" \
  "$ccsim" risk scenarios/retail-bank.toml --agents-range 20..39 -r 500 -q --format json >/dev/null
echo "load after: $(uptime | sed 's/.*load average: //')"
