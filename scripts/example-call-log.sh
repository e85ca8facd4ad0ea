#!/usr/bin/env bash
# Regenerates scenarios/data/retail-bank-calls.csv, the example call log for `ccsim fit`:
# three days of scenarios/retail-bank.toml simulated once with --trace, its columns renamed
# to the call-log names `ccsim fit` reads by default.
# Usage: scripts/example-call-log.sh [path/to/ccsim]   (default: target/release/ccsim)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/ccsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed 's/^interval = "30m".*/&\ndays = 3/' scenarios/retail-bank.toml > "$work/retail-bank-3-days.toml"
"$bin" simulate "$work/retail-bank-3-days.toml" -q -r 1 --trace "$work/trace.csv" > /dev/null
# trace: arrival_s,day,arrival_time,call_type,origin,wait_s,outcome,group,handle_time_s,caller_id,timestamp
awk -F, 'BEGIN { OFS = "," }
    NR == 1 { print "arrival,call_type,outcome,wait_s,handle_s,group,caller_id"; next }
    { print substr($11, 1, 19), $4, $7, $6, $9, $8, substr($10, 1, 12) }' "$work/trace.csv" \
    > scenarios/data/retail-bank-calls.csv
