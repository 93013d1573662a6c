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

import argparse
import time

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import make_classification
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from skactive import ActiveGANAugmenter
from skactive.uncertainty import margin

THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=30_000)
    args = parser.parse_args(argv)
    X, y = make_classification(
        n_samples=args.rows, n_features=20, weights=[0.9, 0.1], random_state=0
    )
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=1 / 3, stratify=y, random_state=0)
    full = CalibratedClassifierCV(SVC(), ensemble=False, cv=5)
    rows = {}
    for name, classifier in (("subsample (default)", None), ("every row", full)):
        aug = ActiveGANAugmenter(classifier=classifier, random_state=0)
        start = time.perf_counter()
        X_res, y_res = aug.fit_resample(X_tr, y_tr)
        seconds = time.perf_counter() - start
        pred = SVC().fit(X_res, y_res).predict(X_te)
        rows[name] = dict(
            aug=aug,
            seconds=seconds,
            f1=100 * f1_score(y_te, pred, average="macro"),
            ba=100 * balanced_accuracy_score(y_te, pred),
        )
    judge = rows["every row"]["aug"].classifier_
    labels = np.arange(2000) % 2
    print(f"make_classification({args.rows:,} x 20, 9:1): {len(X_tr):,} training rows")
    print(
        f"{'reward classifier':<22}{'fit s':>7}  informative ratio (%) at t = "
        + " / ".join(map(str, THRESHOLDS))
        + "   F1 / BA of an SVC"
    )
    for name, row in rows.items():
        X_gen = row["aug"].generate(labels, random_state=0)
        m = margin(judge.predict_proba(X_gen))
        ratio = " / ".join(f"{100 * (m <= t).mean():.2f}" for t in THRESHOLDS)
        print(f"{name:<22}{row['seconds']:>7.1f}  {ratio:<42}  {row['f1']:.1f} / {row['ba']:.1f}")
    return rows


if __name__ == "__main__":
    main()
