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

import argparse
import json
import os
import subprocess
import sys

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


def run_cell(name, n_rows):
    env = {**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, name, str(n_rows)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1][:120]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", nargs="+", type=int, default=ROWS)
    parser.add_argument("--samplers", nargs="+", choices=SAMPLERS, default=SAMPLERS)
    parser.add_argument("--quick", action="store_true", help="1,000 and 2,000 rows only")
    args = parser.parse_args(argv)
    rows = [1_000, 2_000] if args.quick else sorted(args.rows)
    results = {}
    for name in args.samplers:
        for n_rows in rows:
            results[name, n_rows] = cell = run_cell(name, n_rows)
            print(f"  {name} {n_rows}: {cell}", flush=True)
    print("\nfit_resample on make_classification(n, 20 features, 9:1): seconds / peak MiB")
    print(f"{'sampler':<18}" + "".join(f"{n:>20,}" for n in rows) + f"{'growth':>10}")
    for name in args.samplers:
        cells = [results[name, n] for n in rows]
        text = [
            f"{c['seconds']:8.2f} s {c['peak_mib']:6.0f} MiB" if "seconds" in c else "error"
            for c in cells
        ]
        growth = ""
        top = rows[-1]
        if top // 10 in rows and "seconds" in results[name, top]:
            base = results[name, top // 10]
            if "seconds" in base:
                growth = f"{results[name, top]['seconds'] / base['seconds']:.1f}x"
        print(f"{name:<18}" + "".join(f"{t:>20}" for t in text) + f"{growth:>10}")
    for (name, n_rows), cell in results.items():
        if "error" in cell:
            print(f"  {name} at {n_rows} rows failed: {cell['error']}")
    return results


if __name__ == "__main__":
    main()
