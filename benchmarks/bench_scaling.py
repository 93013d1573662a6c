"""Time and peak memory of ``fit_resample`` against the number of rows.

``make_classification(n_rows, 20 features, weights 9:1, random_state=0)``,
every sampler with ``sampling_strategy="auto"`` (the minority up to the
majority: 0.8 x n_rows new rows). Each (sampler, rows) cell runs in a fresh
Python process, so its peak resident memory (``ru_maxrss``, the whole
process: Python, torch and the data) is its own; the data set is made
before the clock starts. One torch thread (the package default).

Samplers: ``ActiveGAN`` (``ActiveGANAugmenter(random_state=0)``, the
defaults), ``AC-GAN`` (the same with ``lam=0``), imbalanced-learn's ``SMOTE``
and ``RandomOverSampler``. ``--samplers`` and ``--rows`` choose the cells;
``--quick`` runs two small sizes. The growth column is the time at the
largest size over the time at the size ten times smaller.

Run ``python benchmarks/bench_scaling.py --help``.
"""

from __future__ import annotations

import pandas as pd
from _common import benchmark_parser, print_table, recorded, run_child
from _results import record

ROWS = [1_000, 10_000, 100_000, 1_000_000]
SAMPLERS = ["ActiveGAN", "AC-GAN", "SMOTE", "RandomOverSampler"]

_CHILD = """
import json, resource, sys, time
import numpy as np
from sklearn.datasets import make_classification
name, n_rows = sys.argv[1], int(sys.argv[2])
X, y = make_classification(n_samples=n_rows, n_features=20, weights=[0.9, 0.1],
                           random_state=0)
if name in ("ActiveGAN", "AC-GAN"):
    from skactive import ActiveGANAugmenter
    sampler = ActiveGANAugmenter(lam=1.0 if name == "ActiveGAN" else 0.0, random_state=0)
elif name == "SMOTE":
    from imblearn.over_sampling import SMOTE
    sampler = SMOTE(random_state=0)
else:
    from imblearn.over_sampling import RandomOverSampler
    sampler = RandomOverSampler(random_state=0)
start = time.perf_counter()
X_res, y_res = sampler.fit_resample(X, y)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MiB (Linux)
print(json.dumps({"seconds": seconds, "peak_mib": peak, "rows_out": len(X_res)}))
"""


def cell_text(cell):
    """Format one (sampler, rows) result as ``"seconds s peak MiB"``, or ``"error"``."""
    return f"{cell['seconds']:.2f} s {cell['peak_mib']:.0f} MiB" if "seconds" in cell else "error"


def growth(results, name, rows):
    """Return the time at the largest size over that at a tenth of it, as text ('' if unknown)."""
    top = rows[-1]
    if top // 10 in rows and "seconds" in results[name, top]:
        base = results[name, top // 10]
        if "seconds" in base:
            return f"{results[name, top]['seconds'] / base['seconds']:.1f}x"
    return ""


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="1,000 and 2,000 rows only")
    parser.add_argument("--rows", nargs="+", type=int, default=ROWS)
    parser.add_argument("--samplers", nargs="+", choices=SAMPLERS, default=SAMPLERS)
    args = parser.parse_args(argv)
    rows = [1_000, 2_000] if args.quick else sorted(args.rows)
    with recorded(args, "bench_scaling", seeds=[0]):
        return measure(args, rows)


def measure(args, rows):
    """Run every (sampler, rows) cell in its own process; print and record the table."""
    results = {}
    for name in args.samplers:
        for n_rows in rows:
            results[name, n_rows] = cell = run_child(_CHILD, name, n_rows)
            print(f"  {name} {n_rows}: {cell}", flush=True)
    record(
        "cells",
        [{"sampler": name, "rows": n, **cell} for (name, n), cell in results.items()],
    )
    table = {}
    for name in args.samplers:
        cells = {f"{n:,}": cell_text(results[name, n]) for n in rows}
        table[name] = {**cells, "growth": growth(results, name, rows)}
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index.name = "sampler"
    title = "fit_resample on make_classification(n, 20 features, 9:1): seconds / peak MiB"
    print_table(frame, title=title, key="time_memory")
    for (name, n_rows), cell in results.items():
        if "error" in cell:
            print(f"  {name} at {n_rows} rows failed: {cell['error']}")
    return results


if __name__ == "__main__":
    main()
