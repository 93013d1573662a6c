"""What fitting the default reward classifier on a subsample does to ActiveGAN.

Above 10,000 rows ``ActiveGANAugmenter`` fits its default reward classifier,
``CalibratedClassifierCV(SVC(), ensemble=False)``, on a stratified subsample
of about 10,000 rows. This script fits the default (subsample) and the same
classifier passed explicitly (a classifier you pass is fitted on every row)
on ``make_classification(--rows, 20 features, 9:1, random_state=0)`` and
prints, for each: the fit time, the informative ratio (share of 2,000
generated rows, half per class, whose margin is at most each threshold,
Fig. 3) measured by the full-data classifier for both, so the two sets of
rows are judged by the same model, and the macro-F1 / balanced accuracy of
an SVC trained on the resampled training rows (a held-out third tests it).

Run ``python benchmarks/bench_reward_subsample.py --help``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _common import Stopwatch, benchmark_parser, print_table, recorded
from _evaluation import PAPER_THRESHOLDS, svc_scores
from _results import record
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from skactive import ActiveGANAugmenter
from skactive.uncertainty import margin


def main(argv=None):
    parser = benchmark_parser(__doc__)
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args(argv)
    name = "bench_reward_subsample"
    if args.rows != parser.get_default("rows"):
        name += f"_rows{args.rows}"
    with recorded(args, name, seeds=[0]):
        return measure(args)


def measure(args):
    """Fit both augmenters, judge their rows by one classifier; print and record the table."""
    X, y = make_classification(
        n_samples=args.rows, n_features=20, weights=[0.9, 0.1], random_state=0
    )
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=1 / 3, stratify=y, random_state=0)
    full = CalibratedClassifierCV(SVC(), ensemble=False, cv=5)
    rows = {}
    for name, classifier in (("subsample (default)", None), ("every row", full)):
        aug = ActiveGANAugmenter(classifier=classifier, random_state=0)
        with Stopwatch() as clock:
            X_res, y_res = aug.fit_resample(X_tr, y_tr)
        f1, ba = svc_scores(X_res, y_res, X_te, y_te)
        rows[name] = dict(aug=aug, seconds=clock.seconds, f1=f1, ba=ba)
    judge = rows["every row"]["aug"].classifier_
    labels = np.arange(2000) % 2
    ratio_column = "informative ratio (%) at t = " + " / ".join(map(str, PAPER_THRESHOLDS))
    table, raw = {}, []
    for name, row in rows.items():
        m = margin(judge.predict_proba(row["aug"].generate(labels, random_state=0)))
        raw.append(
            {
                "reward classifier": name,
                "fit_s": row["seconds"],
                "macro_f1": row["f1"],
                "balanced_accuracy": row["ba"],
                **{f"ratio t={t}": 100 * (m <= t).mean() for t in PAPER_THRESHOLDS},
            }
        )
        table[name] = {
            "fit s": row["seconds"],
            ratio_column: " / ".join(f"{100 * (m <= t).mean():.2f}" for t in PAPER_THRESHOLDS),
            "F1 / BA of an SVC": f"{row['f1']:.1f} / {row['ba']:.1f}",
        }
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index.name = "reward classifier"
    record("fits", raw)
    title = (
        f"ActiveGAN's reward classifier on a subsample or on every row: make_classification("
        f"{args.rows:,} x 20, 9:1): {len(X_tr):,} training rows"
    )
    print_table(frame, decimals=1, title=title, key="reward_subsample")
    return rows


if __name__ == "__main__":
    main()
