#!/usr/bin/env bash
# Prints one SHA-256 per shipped scenario and command (simulate, staff, schedule, compare, in
# JSON and CSV), so a change that must not alter results can be checked: run it before and
# after and diff the two listings. Wall-clock figures (the optimiser's `seconds`) are
# removed before hashing; everything else must match byte for byte.
#
# Usage: scripts/output-hashes.sh [path/to/ccsim]   (default: target/release/ccsim)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/ccsim}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

hash() { sha256sum | cut -c1-16; }
strip_seconds() { sed -E 's/"seconds": ?[0-9.e+-]+/"seconds": 0/'; }

r=20
for file in scenarios/*.toml; do
  name=$(basename "$file" .toml)
  echo "$name simulate-json $("$bin" simulate "$file" -q -r "$r" --format json | hash)"
  if csv=$("$bin" simulate "$file" -q -r "$r" --format csv 2>/dev/null); then
    echo "$name simulate-csv $(printf '%s' "$csv" | hash)"
  fi
  "$bin" simulate "$file" -q -r "$r" --out "$work/$name" >/dev/null
  for out in "$work/$name"/*; do
    echo "$name simulate-out/$(basename "$out") $(hash <"$out")"
  done
  echo "$name staff-json $("$bin" staff "$file" -q -r 10 --format json | hash)"
  echo "$name staff-csv $("$bin" staff "$file" -q -r 10 --format csv | hash)"
  if grep -q '^\[\[shift_templates\]\]' "$file"; then
    echo "$name schedule-json $("$bin" schedule "$file" -q -r "$r" --format json --method erlang-c | strip_seconds | hash)"
  fi
done
plans=(scenarios/plans/*)
args=()
for p in "${plans[@]}"; do args+=(--plan "$p"); done
echo "retail-bank compare-json $("$bin" compare scenarios/retail-bank.toml "${args[@]}" -q -r "$r" --format json | hash)"
echo "retail-bank compare-shrinkage-json $("$bin" compare scenarios/retail-bank.toml "${args[@]}" -q -r "$r" --format json --apply-shrinkage | hash)"
