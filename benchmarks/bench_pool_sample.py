"""What training on a sample of the pool does to the adversarial strategies' picks.

VAAL, AALU and TA-VAAL train their nets on a uniform sample of the pool
(``max_samples``; ``"auto"`` = ``max_iter * train_batch_size`` rows, as many
as the training draws) and score every pool row in chunks. This script
measures both halves.

**Picks** (``--part picks``; Fashion-MNIST from ``--data-home``): per seed, 500
random training images are labeled, the other 59,500 are the pool, and
``LogisticRegression`` on raw pixels is the task model. Each strategy queries
500 rows with ``max_samples`` in 1,000 / 4,000 / 16,000 / ``"auto"`` / the
whole pool. Printed per row: the training rows, the query time, the share of
the picks that the whole-pool query (same seed) also picks, and the test
accuracy of the task model refitted on the labeled rows plus the picks. The
reference rows are the whole-pool query with another ``random_state`` (how
much the picks move by chance alone) and 500 random rows. TA-VAAL scores only
a random subset of ``10 * batch_size`` rows, so its picks are compared the
same way but mostly reflect that subset.

**Memory** (``--part memory``): VAAL's query on a synthetic pool of
``--n-rows`` rows x 20 features (default 1,000,000), in a fresh process
each: the pool in memory trained whole (``max_samples=1.0``), in memory with
``"auto"``, and as a NumPy memmap with ``"auto"`` (read block by block).
Printed: seconds and the process's peak resident memory (``VmHWM``, Linux).

Commands (docs/scaling.md quotes their tables)::

    python benchmarks/bench_pool_sample.py --part picks --data-home ../shared/data
    python benchmarks/bench_pool_sample.py --part memory
    python benchmarks/bench_pool_sample.py --quick      # a small smoke run on digits
"""

from __future__ import annotations

import tempfile
import warnings
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from _common import Stopwatch, benchmark_parser, print_table, recorded, run_child
from _results import record
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression

from skactive.datasets import default_data_home, load_fashion_mnist
from skactive.query import AALUQuery, TAVAALQuery, VAALQuery

STRATEGIES = {"VAAL": VAALQuery, "AALU": AALUQuery, "TA-VAAL": TAVAALQuery}

_CHILD = r"""
import json, sys, time
import numpy as np
from sklearn.linear_model import LogisticRegression
from skactive.query import VAALQuery

mode, path = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(1)
X_lab = rng.normal(size=(1000, 20))
pool = np.load(path, mmap_mode="r" if mode == "memmap" else None)
max_samples = 1.0 if mode == "in-memory, whole" else "auto"
start = time.perf_counter()
picked = VAALQuery(random_state=0, max_samples=max_samples).query(
    pool, X_labeled=X_lab, batch_size=100
)
seconds = time.perf_counter() - start
# VmHWM: this process's own peak (ru_maxrss would carry the parent's from before exec)
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
peak = int(status) / 1024
print(json.dumps({"seconds": seconds, "peak_mib": peak, "picked": picked.tolist()}))
"""
MEMORY_MODES = ["in-memory, whole", "in-memory, auto", "memmap"]


def load(args, seed):
    """Labeled rows, pool, test rows; Fashion-MNIST, or digits with --quick."""
    if args.quick:
        X, y = load_digits(return_X_y=True)
        X = X / 16.0
        X_train, y_train, X_test, y_test = X[:1400], y[:1400], X[1400:], y[1400:]
        n_labeled = 100
    else:
        X_train, y_train = load_fashion_mnist(args.data_home, subset="train")
        X_test, y_test = load_fashion_mnist(args.data_home, subset="test")
        n_labeled = 500
    labeled = np.random.RandomState(seed).choice(len(y_train), n_labeled, replace=False)
    pool = np.setdiff1d(np.arange(len(y_train)), labeled)
    return X_train, y_train, labeled, pool, X_test, y_test


def refit_accuracy(model, X, y, labeled, X_test, y_test, picked):
    """Test accuracy (%) of ``model`` refitted on the labeled and the picked rows."""
    rows = np.concatenate([labeled, picked])
    return 100 * clone(model).fit(X[rows], y[rows]).score(X_test, y_test)


def sizes(args, n_pool):
    if args.quick:
        return [200, 600, "auto", n_pool]
    return [1000, 4000, 16000, "auto", n_pool]


def picks_part(args):
    rows = {}
    for seed in args.seeds:
        X, y, labeled, pool, X_test, y_test = load(args, seed)
        model = LogisticRegression(max_iter=300).fit(X[labeled], y[labeled])

        accuracy = partial(refit_accuracy, model, X, y, labeled, X_test, y_test)

        random_picks = np.random.RandomState(seed).choice(pool, args.batch_size, replace=False)
        rows.setdefault(("random", "-"), []).append((0, 0.0, np.nan, accuracy(random_picks)))
        for name in args.strategies:
            results = {}
            for size in [*sizes(args, len(pool)), "whole, other seed"]:
                other = size == "whole, other seed"
                strategy = STRATEGIES[name](
                    random_state=seed + (100 if other else 0),
                    max_samples=len(pool) if other else size,
                    **({"max_iter": 50} if args.quick else {}),
                )
                with Stopwatch() as clock:
                    picked = pool[
                        strategy.query(
                            X[pool],
                            estimator=model,
                            X_labeled=X[labeled],
                            y_labeled=y[labeled],
                            batch_size=args.batch_size,
                        )
                    ]
                results[size] = (training_rows(strategy, len(pool)), clock.seconds, picked)
            whole = set(results[len(pool)][2])
            for size, (n_train, seconds, picked) in results.items():
                label = "whole pool" if size == len(pool) else str(size)
                shared = 100 * len(whole & set(picked)) / args.batch_size
                rows.setdefault((name, label), []).append(
                    (n_train, seconds, shared, accuracy(picked))
                )
        print(f"  seed {seed} done", flush=True)
    record(
        "picks",
        [
            {
                "strategy": name,
                "max_samples": label,
                "seed": seed,
                "rows_trained": n_train,
                "query_s": seconds,
                "shared_pct": shared,
                "accuracy_pct": acc,
            }
            for (name, label), values in rows.items()
            for seed, (n_train, seconds, shared, acc) in zip(args.seeds, values, strict=True)
        ],
    )
    title = (
        f"Picks of {args.batch_size} rows ({'digits' if args.quick else 'Fashion-MNIST'}; "
        f"seeds {args.seeds}): mean (std over seeds)"
    )
    table = []
    for (name, label), values in rows.items():
        n_train, seconds, shared, acc = (
            np.array(v, dtype=float) for v in zip(*values, strict=True)
        )
        table.append(
            {
                "strategy": name,
                "max_samples": label,
                "rows trained": f"{n_train.mean():,.0f}",
                "query s": seconds.mean(),
                "% shared w/ whole": shared.mean(),
                "accuracy %": f"{acc.mean():.2f} ({acc.std():.2f})",
            }
        )
    frame = pd.DataFrame(table).set_index(["strategy", "max_samples"])
    print_table(frame, decimals=1, title=title, key="picks")
    return rows


def memory_part(args):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pool.npy"
        out = np.lib.format.open_memmap(path, mode="w+", dtype=float, shape=(args.n_rows, 20))
        for start in range(0, args.n_rows, 1_000_000):
            stop = min(start + 1_000_000, args.n_rows)
            out[start:stop] = np.random.default_rng([0, start]).normal(size=(stop - start, 20))
        out.flush()
        del out
        results = {mode: run_child(_CHILD, mode, path) for mode in MEMORY_MODES}
    record(
        "memory",
        [
            {"pool": mode, **{k: v for k, v in cell.items() if k != "picked"}}
            for mode, cell in results.items()
        ],
    )
    frame = pd.DataFrame(results).T[["seconds", "peak_mib"]]
    print_table(
        frame.rename(columns={"peak_mib": "peak MiB"}).rename_axis("pool"),
        decimals=1,
        title=f"VAAL query of 100 rows from a {args.n_rows:,} x 20 pool (fresh process each)",
        key="memory",
    )
    same = results["in-memory, auto"]["picked"] == results["memmap"]["picked"]
    frame = pd.DataFrame({"same picks": [same]}, index=pd.Index(["memmap"], name="pool"))
    print_table(
        frame, title="memmap picks == in-memory picks (both 'auto')", key="memmap_same_picks"
    )
    return results


def training_rows(strategy, n_pool):
    """Pool rows the strategy trains on: its documented ``max_samples`` rule."""
    params = strategy.get_params()
    max_samples = params["max_samples"]
    if max_samples == "auto":
        return min(n_pool, params["max_iter"] * params["train_batch_size"])
    if isinstance(max_samples, float):
        return max(1, int(max_samples * n_pool))
    return min(n_pool, max_samples)


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="digits, one seed, small pool")
    parser.add_argument("--part", choices=["picks", "memory", "both"], default="both")
    parser.add_argument("--data-home", default=None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES), choices=STRATEGIES)
    parser.add_argument("--n-rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=ConvergenceWarning)  # lbfgs on raw pixels
    if args.quick:
        args.seeds, args.batch_size, args.n_rows = [0], 50, 20_000
    args.data_home = args.data_home or default_data_home()
    picks = memory = None
    name = "bench_pool_sample" + ("" if args.part == "both" else f"_{args.part}")
    if args.part != "picks" and args.n_rows != 1_000_000:
        name += f"_rows{args.n_rows}"
    with recorded(args, name, seeds=args.seeds if args.part != "memory" else [0]):
        if args.part in ("picks", "both"):
            picks = picks_part(args)
        if args.part in ("memory", "both"):
            memory = memory_part(args)
    return picks, memory


if __name__ == "__main__":
    main()
