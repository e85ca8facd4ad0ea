"""Independent reference optimum for the shift optimiser's benchmark.

Solves an LP file written by `ccsim schedule --write-lp FILE` (or by the schedule bench with
SCHEDULE_LP=FILE) with HiGHS, a different solver from ccsim's own (microlp), and prints the
optimum or the best bound it proves. Not part of CI: `pip install highspy`, then

    SCHEDULE_LP=/tmp/week.lp cargo bench --bench schedule
    python3 benches/reference_highs.py /tmp/week.lp 1200 [threads]

The argument after the file is HiGHS's time limit in seconds.
"""

import sys
import time

import highspy


def main() -> None:
    path = sys.argv[1]
    limit = float(sys.argv[2]) if len(sys.argv) > 2 else 600.0
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    h = highspy.Highs()
    h.setOptionValue("output_flag", True)
    h.setOptionValue("time_limit", limit)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", threads)
    started = time.time()
    h.readModel(path)
    h.run()
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    print(
        f"{path}: status {status}, objective {info.objective_function_value:.2f}, "
        f"bound {info.mip_dual_bound:.2f}, gap {100 * info.mip_gap:.3f}%, "
        f"{time.time() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
