"""Speed and memory of the query strategies (not part of the tests).

1. Margin query of 100 rows from a 200,000 x 64 pool: ``UncertaintyQuery``
   against the bare ``predict_proba`` + margin + ``argpartition`` it wraps and
   against modAL's ``margin_sampling`` (modAL is a benchmark-only dependency:
   ``pip install --no-deps modAL-python``; skipped when absent). Best of
   ``--repeats`` runs each, measured side by side in one process.
2. Query time per 100 rows of the feature/adversarial strategies on the same
   pool (the AALU paper's Table 2 analogue), package defaults, one run each.
3. Peak memory (tracemalloc) of ``CoreSetQuery`` on a 1,000,000-row pool: the
   chunked distances keep it to a few pool-sized vectors, far below the
   ``n_pool x n_labeled`` matrix an unchunked implementation would allocate.

The pool is sklearn's digits repeated with Gaussian noise; the task model is
a ``LogisticRegression`` fitted on the original digits (a cheap model, so the
strategy's own overhead is what the ratio shows).

Run ``python benchmarks/bench_query_speed.py --help``.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pandas as pd
from _common import Stopwatch, benchmark_parser, print_table, recorded, repeat_times
from _results import record
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression

from skactive.query import (
    AALUQuery,
    CoreSetQuery,
    LearningLossQuery,
    TAVAALQuery,
    UncertaintyQuery,
    VAALQuery,
)
from skactive.uncertainty import margin


def make_pool(n_rows, rng, dtype=np.float64):
    X, _ = load_digits(return_X_y=True)
    rows = X[rng.randint(len(X), size=n_rows)]
    return (rows + rng.normal(0.0, 0.5, rows.shape)).astype(dtype)


def bare_margin_query(model, pool, k):
    proba = model.predict_proba(pool)
    top2 = np.partition(proba, -2, axis=1)[:, -2:]
    return np.argpartition(top2[:, 1] - top2[:, 0], k - 1)[:k]


def margin_table(model, pool, repeats, k=100):
    rows = [("bare predict_proba + argpartition", lambda: bare_margin_query(model, pool, k))]
    strategy = UncertaintyQuery("margin", random_state=0)
    rows.append(
        ("skactive UncertaintyQuery", lambda: strategy.query(pool, estimator=model, batch_size=k))
    )
    try:
        from modAL.uncertainty import margin_sampling
    except ImportError:
        print("(modAL not installed: pip install --no-deps modAL-python)")
    else:
        rows.append(("modAL margin_sampling", lambda: margin_sampling(model, pool, n_instances=k)))
    # Same rows chosen (up to ties): the three are the same query.
    ours = set(strategy.query(pool, estimator=model, batch_size=k))
    assert ours == set(bare_margin_query(model, pool, k)) or np.allclose(
        np.sort(margin(model.predict_proba(pool[list(ours)]))),
        np.sort(margin(model.predict_proba(pool[bare_margin_query(model, pool, k)]))),
    )
    all_times = {name: repeat_times(f, repeats) for name, f in rows}
    record(
        "margin_query",
        [
            {"method": name, "repeat": i, "seconds": t}
            for name, times in all_times.items()
            for i, t in enumerate(times)
        ],
    )
    results = [(name, min(times)) for name, times in all_times.items()]
    bare = results[0][1]
    frame = pd.DataFrame(
        {
            "best (ms)": [seconds * 1e3 for _, seconds in results],
            "vs bare": [f"{seconds / bare:.2f}x" for _, seconds in results],
        },
        index=pd.Index([name for name, _ in results], name="method"),
    )
    title = f"Margin query of {k} rows from a {pool.shape[0]:,} x {pool.shape[1]} pool"
    print_table(frame, decimals=1, title=title, key="margin_query")
    if len(results) == 3:
        frame = pd.DataFrame(
            {"best time ratio": [f"{results[2][1] / results[1][1]:.2f}x"]},
            index=pd.Index(["modAL / skactive"], name="methods"),
        )
        print_table(frame, title="modAL margin_sampling against skactive", key="modal_ratio")


def strategy_table(model, pool, labeled, y_labeled, k=100):
    strategies = {
        "Margin": UncertaintyQuery("margin", random_state=0),
        "Core-set": CoreSetQuery(random_state=0),
        "LearningLoss": LearningLossQuery(random_state=0),
        "VAAL": VAALQuery(random_state=0),
        "AALU": AALUQuery(random_state=0),
        "TA-VAAL": TAVAALQuery(random_state=0),
    }
    title = (
        f"Query time per {k} rows: pool {pool.shape[0]:,} x {pool.shape[1]}, "
        f"{len(labeled):,} labeled, package defaults (max_iter=500 for the nets)"
    )
    times = {}
    for name, strategy in strategies.items():
        with Stopwatch() as clock:
            strategy.query(
                pool, estimator=model, X_labeled=labeled, y_labeled=y_labeled, batch_size=k
            )
        times[name] = clock.seconds
    record("strategy_query", [{"strategy": n, "seconds": t} for n, t in times.items()])
    frame = pd.DataFrame({"seconds": times}).rename_axis("strategy")
    frame["vs VAAL"] = frame["seconds"] / times["VAAL"]
    print_table(frame, title=title, key="strategy_query")


def coreset_memory(n_pool, n_labeled, rng, k=100):
    pool = make_pool(n_pool, rng, np.float32)
    labeled = make_pool(n_labeled, rng, np.float32)
    mib = 2.0**20
    table = {
        "pool itself": {"MiB": pool.nbytes / mib},
        "an unchunked float64 distance matrix": {"MiB": n_pool * n_labeled * 8 / mib},
    }
    for working_memory in (None, 256, 64):
        tracemalloc.start()
        with Stopwatch() as clock:
            CoreSetQuery(working_memory=working_memory, random_state=0).query(
                pool, X_labeled=labeled, y_labeled=np.zeros(n_labeled), batch_size=k
            )
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        label = "sklearn default 1024" if working_memory is None else str(working_memory)
        table[f"peak allocated, working_memory={label}"] = {
            "MiB": peak / mib,
            "seconds": clock.seconds,
        }
    record("coreset_memory", [{"what": what, **row} for what, row in table.items()])
    frame = pd.DataFrame.from_dict(table, orient="index", columns=["MiB", "seconds"])
    frame.index.name = "memory"
    title = f"CoreSetQuery, {k} rows from a {n_pool:,} x 64 float32 pool, {n_labeled:,} labeled"
    print_table(frame, decimals=1, title=title, key="coreset_memory")


def main(argv=None):
    parser = benchmark_parser(__doc__)
    parser.add_argument("--pool", type=int, default=200_000)
    parser.add_argument("--labeled", type=int, default=2_000)
    parser.add_argument("--coreset-pool", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--skip-nets", action="store_true", help="skip table 2")
    args = parser.parse_args(argv)
    name = "bench_query_speed"
    for option in ("pool", "labeled", "coreset_pool"):  # sizes other than the defaults
        if getattr(args, option) != parser.get_default(option):
            name += f"_{option}{getattr(args, option)}"
    with recorded(args, name, seeds=[0]):
        measure(args)


def measure(args):
    """Run the three parts, one after the other; print and record their tables."""
    rng = np.random.RandomState(0)
    X, y = load_digits(return_X_y=True)
    model = LogisticRegression(max_iter=2000).fit(X, y)
    pool = make_pool(args.pool, rng)
    margin_table(model, pool, args.repeats)
    if not args.skip_nets:
        index = rng.randint(len(X), size=args.labeled)
        labeled = X[index] + rng.normal(0.0, 0.5, (args.labeled, X.shape[1]))
        strategy_table(model, pool, labeled, y[index])
    coreset_memory(args.coreset_pool, 1_000, rng)


if __name__ == "__main__":
    main()
