"""Speed of ActiveGANAugmenter on digits (CPU by default, ``--device cuda``).

Two tables:

1. Training-step time of ActiveGAN (``lam > 0``, uncertainty term active from
   the first iteration) against AC-GAN (``lam = 0``): same nets, same batch,
   same number of iterations; time from skorch's per-epoch ``dur`` records,
   so the classifier fit and the generation are excluded. The ratio is the
   extra cost of the reward (one batched ``predict_proba`` per iteration), the
   GMM likelihood and its refits.
2. Wall time of a default ``fit_resample`` on 1,000 x 64 digits (balanced
   set, 50 % more rows per class), the budget for use inside a grid search.

Referenced from docs/activegan.md.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from _common import Stopwatch, benchmark_parser, iterations, print_table, recorded
from _results import record
from sklearn.datasets import load_digits

from skactive import ActiveGANAugmenter


def step_times(X, y, lam, args, seed):
    aug = ActiveGANAugmenter(
        lam=lam,
        n_warmup_iter=0,
        max_iter=args.iters,
        batch_size=args.batch_size,
        sampling_strategy={c: n + 1 for c, n in Counter(y).items()},
        device=args.device,
        random_state=seed,
    )
    aug.fit_resample(X, y)
    total = sum(aug.history_[:, "dur"])
    return 1000 * total / aug.net_.n_iter_


def main(argv=None):
    parser = benchmark_parser(__doc__)
    parser.add_argument("--iters", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument(
        "--fit-max-iter",
        type=iterations,
        default=ActiveGANAugmenter().max_iter,
        help="max_iter of the timed fit_resample (an int or 'auto'; default: the package's)",
    )
    args = parser.parse_args(argv)
    with recorded(args, "bench_activegan_speed", seeds=range(args.repeats)):
        measure(args)


def measure(args):
    """Time the training steps and default fits; print and record the tables."""
    X, y = load_digits(return_X_y=True)
    X, y = X[:1000], y[:1000]
    table = {}
    for seed in range(args.repeats):
        base = step_times(X, y, 0.0, args, seed)
        active = step_times(X, y, 1.0, args, seed)
        table[seed] = {"AC-GAN ms/iter": base, "ActiveGAN ms/iter": active, "ratio": active / base}
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.loc["mean", "ratio"] = frame["ratio"].mean()
    frame.index.name = "repeat"
    title = f"Training step on 1000 x 64 digits, batch {args.batch_size}, {args.iters} iters"
    print_table(frame, title=title, key="step_time")
    strategy = {c: n + n // 2 for c, n in Counter(y).items()}
    fits = {}
    for lam in (0.0, 1.0):
        times = []
        for seed in range(args.repeats):
            with Stopwatch() as clock:
                ActiveGANAugmenter(
                    lam=lam,
                    max_iter=args.fit_max_iter,
                    sampling_strategy=strategy,
                    device=args.device,
                    random_state=seed,
                ).fit_resample(X, y)
            times.append(clock.seconds)
        record("fit_seconds", [{"lam": lam, "seed": k, "seconds": t} for k, t in enumerate(times)])
        fits["ActiveGAN" if lam else "AC-GAN (lam=0)"] = {
            "fit s (mean)": np.mean(times),
            "std": np.std(times),
            "repeats": args.repeats,
        }
    frame = pd.DataFrame.from_dict(fits, orient="index")
    frame.index.name = "augmenter"
    title = (
        f"Default fit_resample on 1000 x 64 digits (+50 % rows per class), "
        f"max_iter={args.fit_max_iter}: seconds"
    )
    print_table(frame, decimals=1, title=title, key="fit_time")


if __name__ == "__main__":
    main()
