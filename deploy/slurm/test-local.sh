#!/usr/bin/env bash
# Runs deploy/slurm/sweep.sbatch on a real one-node Slurm cluster on this machine and checks
# that the merged results of a simulate and a compare run are byte-identical to one-process runs.
#
# Installs Slurm and munge from the distribution's packages when missing (needs root and
# apt-get), starts munged (unless one already answers), slurmctld and slurmd with a
# throw-away configuration in a temporary directory, submits the shards and the dependent merge,
# waits for them, compares, and always stops the daemons it started (by their process ids) and
# removes its files. Prints one "skip:" line and exits 0 when the machine does not allow it
# (not root, no apt-get, a Slurm cluster already running here).
#
# Usage: deploy/slurm/test-local.sh [path/to/ccsim]   (default: target/release/ccsim)
set -euo pipefail
cd "$(dirname "$0")/../.."
ccsim=$(realpath "${1:-target/release/ccsim}")
skip() { echo "skip: Slurm test: $*"; exit 0; }

[[ -x "$ccsim" ]] || { echo "error: no ccsim binary at $ccsim (cargo build --release)" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || skip "needs root to start slurmctld and slurmd"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
  || ! command -v munged >/dev/null; then
  command -v apt-get >/dev/null || skip "Slurm is not installed and there is no apt-get to install it"
  echo "installing slurmctld, slurmd, slurm-client and munge (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || skip "apt-get update failed (no package mirror reachable?)"
  apt-get install -y -qq slurmctld slurmd slurm-client munge >/dev/null \
    || skip "apt-get install of Slurm failed"
fi
if pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null; then
  skip "a Slurm daemon is already running on this machine; not touching it"
fi

work=$(mktemp -d /tmp/ccsim-slurm.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local status=$?
  # Only the daemons this script started, newest first, by process id.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
    kill "${pids[$i]}" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ $status -ne 0 ]]; then
    echo "--- slurmctld log"; tail -n 20 "$work/slurmctld.log" 2>/dev/null || true
    echo "--- slurmd log"; tail -n 20 "$work/slurmd.log" 2>/dev/null || true
    echo "--- job logs"; tail -n 20 "$work"/run/*.log "$work"/compare/*.log 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# munge: reuse a running munged that answers, else start one of our own.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  [[ -f /etc/munge/munge.key ]] || { mkdir -p /etc/munge; dd if=/dev/urandom of=/etc/munge/munge.key bs=1k count=1 2>/dev/null; chmod 400 /etc/munge/munge.key; }
  mkdir -p /run/munge "$work/munge"
  munged --force --socket=/run/munge/munge.socket.2 --pid-file="$work/munge/munged.pid" \
    --log-file="$work/munge/munged.log" --seed-file="$work/munge/munged.seed"
  pids+=("$(cat "$work/munge/munged.pid")")
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
fi

host=$(hostname -s)
mem=$(( $(free -m | awk '/^Mem:/ {print $2}') / 2 ))
mkdir -p "$work/state" "$work/spool"
export SLURM_CONF="$work/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=ccsimtest
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerParameters=sched_interval=1
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=ccsim Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -f "$SLURM_CONF" -i
for _ in $(seq 50); do [[ -s "$work/slurmctld.pid" ]] && break; sleep 0.1; done
pids+=("$(cat "$work/slurmctld.pid")")
slurmd -f "$SLURM_CONF"
for _ in $(seq 50); do [[ -s "$work/slurmd.pid" ]] && break; sleep 0.1; done
pids+=("$(cat "$work/slurmd.pid")")
for _ in $(seq 100); do
  sinfo -h -o '%t' 2>/dev/null | grep -q idle && break
  sleep 0.3
done
sinfo -h -o '%t' | grep -q idle || { echo "error: the Slurm node did not become idle" >&2; exit 1; }

# Submits CCSIM_ARGS=$2 as 3 shards and a merge into WORK=$work/$1 and waits for both jobs.
run_sharded() {
  local name=$1 args=$2 out jobs
  mkdir -p "$work/$name"
  out=$(cd "$work/$name" && CCSIM="$ccsim" CCSIM_ARGS="$args" SHARDS=3 WORK="$work/$name" \
    MERGE_ARGS="--format json" "$OLDPWD/deploy/slurm/sweep.sbatch")
  echo "$out"
  jobs=$(echo "$out" | grep -oE 'job( array)? [0-9]+' | grep -oE '[0-9]+' | paste -sd,)
  for _ in $(seq 120); do
    [[ -z "$(squeue -h -j "$jobs" 2>/dev/null)" ]] && break
    sleep 0.5
  done
  [[ -z "$(squeue -h -j "$jobs" 2>/dev/null)" ]] || { echo "error: jobs $jobs still queued after 60 s" >&2; exit 1; }
  [[ -s "$work/$name/merged.out" ]] || { echo "error: the merge job of the $name run wrote no merged.out" >&2; exit 1; }
}

# A simulate run: 3 shards of 7 replications of a shipped scenario, then the merge.
scenario=$PWD/scenarios/retail-bank.toml
run_sharded run "simulate $scenario -r 7"
[[ -s "$work/run/merged/summary.json" ]] || { echo "error: the merge job wrote no summary.json" >&2; exit 1; }

"$ccsim" simulate "$scenario" -r 7 -q --format json --out "$work/local" >"$work/local.json"
for file in summary.json intervals.csv wait_distribution.csv; do
  cmp "$work/local/$file" "$work/run/merged/$file"
done
cmp "$work/local.json" "$work/run/merged.out"

# A compare run, whose merge has no --out files: the comparison is its stdout.
plan=$PWD/scenarios/plans/retail-bank-late.toml
run_sharded compare "compare $scenario --plan $plan -r 5"
"$ccsim" compare "$scenario" --plan "$plan" -r 5 -q --format json >"$work/local-compare.json"
cmp "$work/local-compare.json" "$work/compare/merged.out"
echo "ok: Slurm arrays of 3 shards + dependent merge = one-process runs (simulate, compare), byte for byte"
