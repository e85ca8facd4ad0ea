#!/usr/bin/env python3
"""Times several commands by CPU time (user + system, from getrusage), run in alternation so
that a shared machine's load falls on all of them alike, and prints each one's minimum, first
quartile and median, and their ratios to the first command.

Usage: scripts/alternate-cpu.py [-n RUNS] NAME=COMMAND NAME=COMMAND ...
Example (the bound case of docs/engine-bound.md; the bench writes target/tmp/mmc-bound.toml):
  scripts/alternate-cpu.py -n 40 \\
    'bound=target/release/examples/engine_run bound-recursion' \\
    'engine=target/release/examples/engine_run one 576' \\
    'ccsim=target/release/ccsim simulate target/tmp/mmc-bound.toml -r 1 --threads 1 -q'
"""
import argparse
import os
import resource
import shlex
import statistics
import subprocess


def cpu_ms(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return 1000 * (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=40, help="runs of each command")
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args()
    commands = [(c.split("=", 1)[0], shlex.split(c.split("=", 1)[1])) for c in args.commands]
    print("load before: %.2f %.2f %.2f" % os.getloadavg())
    times = {name: [] for name, _ in commands}
    for _ in range(args.n):
        for name, command in commands:
            times[name].append(cpu_ms(command))
    print("load after:  %.2f %.2f %.2f" % os.getloadavg())
    first = commands[0][0]
    stats = {n: (min(t), sorted(t)[len(t) // 4], statistics.median(t)) for n, t in times.items()}
    print("%-12s %9s %9s %9s   ratio to %s (min, p25, median)" % ("", "min ms", "p25 ms", "median", first))
    for name, s in stats.items():
        ratios = ", ".join("%.2f" % (a / b) for a, b in zip(s, stats[first]))
        print("%-12s %9.1f %9.1f %9.1f   %s" % (name, *s, ratios))


if __name__ == "__main__":
    main()
