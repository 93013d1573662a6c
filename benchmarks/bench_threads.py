"""Fit and query times by torch thread count, on an idle machine and with one core busy.

Every torch computation of the package runs with ``n_jobs`` torch threads
(default ``None`` = 1). Before that setting existed it ran with torch's
default, one thread per core. This script times, for ``n_jobs`` = 1 and for
torch's default count (and any ``--n-jobs`` given):

- a default ``ActiveGANAugmenter().fit_resample`` on ``make_classification``
  (2,000 x 20, 9:1), the case reported in the issue, with ``max_iter=1500``
  (the default when ``docs/threads.md`` was measured; ``"auto"`` gives 5,000);
- a default ``AALUQuery().query`` on digits (300 labeled rows, a pool of the
  other 1,497, ``LogisticRegression`` task model, batch of 100);

each on an idle machine and while another process keeps one core busy (a
Python busy loop, started by this script and stopped after each timing).
Times are the median of ``--repeats`` runs. ``busy / idle`` is the slow-down
caused by the other process.

Run from a checkout older than ``n_jobs`` (``PYTHONPATH=<old checkout>``), the
script sets torch's global thread count instead, so the same command times
the package as it was.

Referenced from docs/threads.md.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from _common import benchmark_parser, print_table, recorded, repeat_times
from _evaluation import gan_iterations
from _results import record
from sklearn.datasets import load_digits, make_classification
from sklearn.linear_model import LogisticRegression

from skactive import AALUQuery, ActiveGANAugmenter

TORCH_DEFAULT_THREADS = torch.get_num_threads()


@contextlib.contextmanager
def load(busy: bool):
    """Keep one core busy with another process while the block runs."""
    if not busy:
        yield
        return
    process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    time.sleep(0.5)
    try:
        yield
    finally:
        process.kill()
        process.wait()


def threads_param(estimator_class, n_jobs):
    """Return ``{"n_jobs": n_jobs}``, or ``{}`` when the estimator predates ``n_jobs``.

    In the second case torch's global thread count is set to ``n_jobs`` instead.
    """
    if "n_jobs" in estimator_class().get_params():
        return {"n_jobs": n_jobs}
    torch.set_num_threads(n_jobs)
    return {}


def fit_task(quick):
    X, y = make_classification(n_samples=2000, n_features=20, weights=[0.9], random_state=0)
    # 1,500 iterations: the default when docs/threads.md was measured (now "auto",
    # which gives this 9:1 table 5,000)
    params = gan_iterations(150) if quick else {"max_iter": 1500}

    def run(n_jobs):
        threads = threads_param(ActiveGANAugmenter, n_jobs)
        ActiveGANAugmenter(random_state=0, **threads, **params).fit_resample(X, y)

    return run


def aalu_task(quick):
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    labeled = np.random.RandomState(0).permutation(len(y))
    labeled, pool = labeled[:300], labeled[300:]
    model = LogisticRegression(max_iter=500).fit(X[labeled], y[labeled])
    params = dict(max_iter=20) if quick else {}

    def run(n_jobs):
        threads = threads_param(AALUQuery, n_jobs)
        AALUQuery(random_state=0, **threads, **params).query(
            X[pool], estimator=model, X_labeled=X[labeled], y_labeled=y[labeled], batch_size=100
        )

    return run


def run_times(run, n_jobs, repeats):
    """Return the seconds of ``repeats`` calls of ``run(n_jobs)``."""
    return repeat_times(lambda: run(n_jobs), repeats)


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="short runs (a smoke test)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--n-jobs", type=int, nargs="*", default=[], help="more thread counts to time"
    )
    args = parser.parse_args(argv)
    with recorded(args, "bench_threads", seeds=[0]):
        return measure(args)


def measure(args):
    """Time every task at every thread count, idle and busy; print and record the table."""
    settings = sorted({1, TORCH_DEFAULT_THREADS, *args.n_jobs})
    tasks = {"fit_resample 2000x20": fit_task(args.quick), "AALU query": aalu_task(args.quick)}
    import skactive

    print(f"skactive from {Path(skactive.__file__).parent}")
    print(
        f"torch {torch.__version__}, torch's default threads here: {TORCH_DEFAULT_THREADS}, "
        f"repeats: {args.repeats}{', quick' if args.quick else ''}"
    )
    results, table = {}, {}
    for name, run in tasks.items():
        run(1)  # warm-up: imports, first-call allocations
        for n_jobs in settings:
            idle_times = run_times(run, n_jobs, args.repeats)
            with load(busy=True):
                busy_times = run_times(run, n_jobs, args.repeats)
            record(
                "times",
                [
                    {"task": name, "n_jobs": n_jobs, "load": load_name, "repeat": i, "seconds": t}
                    for load_name, times in (("idle", idle_times), ("busy", busy_times))
                    for i, t in enumerate(times)
                ],
            )
            idle, busy = float(np.median(idle_times)), float(np.median(busy_times))
            results[name, n_jobs] = (idle, busy)
            label = f"{n_jobs}{'*' if n_jobs == TORCH_DEFAULT_THREADS else ''}"
            table[name, label] = {"idle s": idle, "busy s": busy, "busy/idle": busy / idle}
            print(f"  {name}, n_jobs={n_jobs}: done", flush=True)
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index.names = ["task", "n_jobs"]
    title = (
        f"Median seconds of {args.repeats} run(s) by torch threads (n_jobs), on an idle "
        "machine and with one core busy"
    )
    print_table(frame, title=title, key="threads")
    print("* torch's default (the package's behaviour before n_jobs); n_jobs=None means 1")
    torch.set_num_threads(TORCH_DEFAULT_THREADS)
    return results


if __name__ == "__main__":
    main()
