"""Querying a pool of millions of rows: in memory, as a NumPy memmap, as a Dask array.

The pool is ``--rows`` x 20 float64 rows of a fixed linear task (row ``i``
depends only on ``i`` and the seed, so every mode sees the same pool); the
task model is a ``LogisticRegression`` fitted on 1,000 labeled rows;
``UncertaintyQuery("margin").query(pool, batch_size=100)``. Each mode runs in
a fresh Python process that reports the query's seconds and the process's
peak resident memory (``ru_maxrss``):

- ``in-memory``: the pool is a NumPy array (built in the process: its
  memory counts);
- ``memmap``: the pool is a ``.npy`` file opened with ``mmap_mode="r"``
  (written once before the clock; the query reads it block by block);
- ``dask``: the pool is a lazy ``dask.array`` that is never materialised:
  each 1,000,000-row block is generated and scored where it is computed
  (Dask's threaded scheduler here; a cluster's workers under a
  ``distributed.Client``).

``learner-in-memory`` / ``learner-memmap`` (with ``--modes``): a whole
``ActiveLearningClassifier(LogisticRegression(), UncertaintyQuery("margin"),
n_initial=1000, batch_size=1000, budget=2000)`` simulation over the pool,
loaded into memory or kept on disk (the learner then hands the strategy rows
read on demand).

``skactiveml`` / ``skactiveml-subsample`` (with ``--modes``; needs
``pip install --no-deps scikit-activeml makefun``, which ``make bench`` does):
scikit-activeml's ``UncertaintySampling("margin_sampling")`` on the same pool
in memory (its API takes one array of labeled and unlabeled rows), plain and
wrapped in its ``SubSamplingWrapper`` (default ``max_candidates=0.1``: only a
random tenth of the pool is scored). ``picks' margin`` is the mean
``|p_1 - p_0|`` of the picked rows under the task model (smaller = more
uncertain).

All query modes but the sub-sampled one must return the same indices (as sets),
and both learner modes the same labeled rows; the script checks it. ``--quick``
uses 200,000 rows. Run ``python benchmarks/bench_big_pool.py --help``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
from _common import benchmark_parser, print_table, recorded, run_child
from _results import record, slug

MODES = ["in-memory", "memmap", "dask"]
LEARNER_MODES = ["learner-in-memory", "learner-memmap"]
PEER_MODES = ["skactiveml", "skactiveml-subsample"]
BLOCK = 1_000_000

_CHILD = r"""
import json, resource, sys, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from skactive.query import UncertaintyQuery

mode, n_rows, block, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
W = np.random.RandomState(0).normal(size=20)

def rows(start, stop):
    rng = np.random.default_rng([0, start])
    return rng.normal(size=(stop - start, 20))

def labels(X):
    return (X @ W > 0).astype(int)

if mode.startswith("learner"):
    from skactive import ActiveLearningClassifier
    pool = np.load(path, mmap_mode="r" if mode == "learner-memmap" else None)
    y = np.concatenate([labels(pool[s:s + block]) for s in range(0, n_rows, block)])
    start = time.perf_counter()
    learner = ActiveLearningClassifier(
        LogisticRegression(), UncertaintyQuery("margin", random_state=0), n_initial=1000,
        batch_size=1000, budget=2000, random_state=0,
    ).fit(pool, y)
    seconds = time.perf_counter() - start
    picked = np.flatnonzero(learner.labeled_iter_ > 0)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "picked": picked.tolist()}))
    sys.exit(0)
X_lab = rows(10**12, 10**12 + 1000)
model = LogisticRegression().fit(X_lab, labels(X_lab))

def mean_margin(picked_rows):
    proba = model.predict_proba(picked_rows)
    return float(np.mean(proba.max(axis=1) - proba.min(axis=1)))

if mode.startswith("skactiveml"):
    # scikit-activeml's API: one array holding labeled and unlabeled rows, NaN labels
    from skactiveml.classifier import SklearnClassifier
    from skactiveml.pool import SubSamplingWrapper, UncertaintySampling
    X = np.empty((1000 + n_rows, 20))
    X[:1000] = X_lab
    for s in range(0, n_rows, block):
        X[1000 + s:1000 + min(s + block, n_rows)] = rows(s, min(s + block, n_rows))
    y = np.full(1000 + n_rows, np.nan)
    y[:1000] = labels(X_lab)
    clf = SklearnClassifier(LogisticRegression(), classes=[0, 1]).fit(X_lab, labels(X_lab))
    strategy = UncertaintySampling(method="margin_sampling", random_state=0)
    if mode == "skactiveml-subsample":  # its default: utilities of 10 % of the candidates
        strategy = SubSamplingWrapper(strategy, max_candidates=0.1, random_state=0)
    start = time.perf_counter()
    picked = strategy.query(X, y, clf=clf, fit_clf=False, batch_size=100) - 1000
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "picked": sorted(picked.tolist()),
                      "mean_margin": mean_margin(X[1000 + picked])}))
    sys.exit(0)
if mode == "in-memory":
    pool = np.concatenate([rows(s, min(s + block, n_rows)) for s in range(0, n_rows, block)])
elif mode == "memmap":
    pool = np.load(path, mmap_mode="r")
else:
    import dask
    import dask.array as da
    blocks = [da.from_delayed(dask.delayed(rows)(s, min(s + block, n_rows)),
                              shape=(min(s + block, n_rows) - s, 20), dtype=float)
              for s in range(0, n_rows, block)]
    pool = da.concatenate(blocks)
start = time.perf_counter()
picked = UncertaintyQuery("margin", random_state=0).query(pool, estimator=model, batch_size=100)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mib": peak, "picked": sorted(picked.tolist()),
                  "mean_margin": mean_margin(np.asarray(pool[np.sort(picked)]))}))
"""


def write_memmap(path, n_rows, block):
    """Write the pool as a .npy file, block by block (bounded memory)."""
    code = (
        "import numpy as np, sys\n"
        "path, n, block = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])\n"
        "out = np.lib.format.open_memmap(path, mode='w+', dtype=float, shape=(n, 20))\n"
        "for s in range(0, n, block):\n"
        "    e = min(s + block, n)\n"
        "    out[s:e] = np.random.default_rng([0, s]).normal(size=(e - s, 20))\n"
        "out.flush()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path), str(n_rows), str(block)], check=True)


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="200,000 rows")
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument(
        "--modes", nargs="+", choices=MODES + LEARNER_MODES + PEER_MODES, default=MODES
    )
    args = parser.parse_args(argv)
    n_rows = 200_000 if args.quick else args.rows
    name = "bench_big_pool"
    if args.modes != MODES:
        name += "_" + "_".join(slug(mode) for mode in args.modes)
    if n_rows != parser.get_default("rows"):
        name += f"_rows{n_rows}"
    with recorded(args, name, seeds=[0]):
        return measure(args, n_rows)


def measure(args, n_rows):
    """Run every mode in its own process; print and record the tables."""
    block = min(BLOCK, n_rows)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pool.npy"
        if {"memmap", *LEARNER_MODES} & set(args.modes):
            write_memmap(path, n_rows, block)
        for mode in args.modes:
            results[mode] = run_child(_CHILD, mode, n_rows, block, path)
            print(
                f"  {mode}: "
                + ", ".join(f"{k} {v}" for k, v in results[mode].items() if k != "picked"),
                flush=True,
            )
    record(
        "modes",
        [
            {"pool": mode, **{k: v for k, v in cell.items() if k != "picked"}}
            for mode, cell in results.items()
        ],
    )
    size_mib = n_rows * 20 * 8 / 2**20
    frame = pd.DataFrame.from_dict(
        results, orient="index", columns=["seconds", "peak_mib", "mean_margin"]
    )
    frame["mean_margin"] = frame["mean_margin"].map(lambda v: "" if pd.isna(v) else f"{v:.2e}")
    frame = frame.rename(columns={"peak_mib": "peak MiB", "mean_margin": "picks' margin"})
    print_table(
        frame.rename_axis("pool"),
        decimals=1,
        column_decimals={"peak MiB": 0},
        title=f"UncertaintyQuery('margin') on a {n_rows:,} x 20 float64 pool ({size_mib:,.0f} MiB)",
        key="big_pool",
    )
    for mode, cell in results.items():
        if "error" in cell:
            print(f"  {mode} failed: {cell['error']}")
    same = True
    for group in (MODES + ["skactiveml"], LEARNER_MODES):
        picks = {tuple(results[m]["picked"]) for m in group if "picked" in results.get(m, {})}
        same = same and len(picks) <= 1
    frame = pd.DataFrame({"same indices": [same]}, index=pd.Index(["every mode"], name="modes"))
    title = (
        "same indices in every mode (as sets; the learner modes among themselves, "
        "skactiveml-subsample apart)"
    )
    print_table(frame, title=title, key="same_indices")
    return results, same


if __name__ == "__main__":
    main()
