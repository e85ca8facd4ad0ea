#!/usr/bin/env bash
# Regenerates scenarios/data/retail-bank-calls.csv, the example call log for `ccsim fit`:
# three days of scenarios/retail-bank.toml simulated once with --trace, its columns renamed
# to the call-log names `ccsim fit` reads by default; and scenarios/data/retail-bank-acd-export.csv,
# its first day written as phone systems often export it (a date and a 12-hour time in two
# columns, durations as HH:MM:SS, their own column names and outcome words).
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
# The first day, as an ACD export: Date M/D/YYYY, Time h:mm:ss AM/PM, whole-second durations.
awk -F, 'BEGIN { OFS = "," }
    function clock(s) { s = int(s + 0.5); return sprintf("%02d:%02d:%02d", int(s / 3600), int(s % 3600 / 60), s % 60) }
    NR == 1 { print "Date,Time,Queue,Disposition,Wait Time,Talk Time,Agent Group,ANI"; next }
    substr($1, 1, 10) != "2024-01-01" { next }
    {
        h = substr($1, 12, 2) + 0
        time = sprintf("%d:%s %s", (h % 12 == 0) ? 12 : h % 12, substr($1, 15, 5), (h < 12) ? "AM" : "PM")
        date = sprintf("%d/%d/%s", substr($1, 6, 2) + 0, substr($1, 9, 2) + 0, substr($1, 1, 4))
        outcome = ($3 == "answered") ? "Handled" : ($3 == "abandoned") ? "Abandoned" : $3
        talk = ($3 == "answered") ? clock($5) : ""
        print date, time, $2, outcome, clock($4), talk, $6, $7
    }' scenarios/data/retail-bank-calls.csv > scenarios/data/retail-bank-acd-export.csv
