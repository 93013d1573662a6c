"""Pool-based active learning on sklearn's digits with an SVC task model.

The AALU protocol (Zhu & Wang, Sec. 3): start with 10 % of the training pool
labeled at random, query 5 % of it per cycle, stop at 40 %; retrain the task
model from scratch each cycle and report test accuracy after every cycle.
Every strategy of :mod:`skactive.query` that returns indices is compared on
the same splits and initial sets, over several seeds, with the area under
the learning curve (AULC: trapezoid over the labeled fraction 10 %..40 %,
divided by the range, so it reads as a mean accuracy) and the mean query
time per cycle.

The task model is ``SVC()`` (RBF, default C and gamma); strategies that need
probabilities get a softmax of its one-vs-rest ``decision_function``
(:func:`skactive.query.predict_proba_of`); feature-based strategies work on
the raw 64 pixels (no deep features here).

GAAL synthesises new digits that nobody can label in a simulation, so it is
not in this table (it needs a human oracle; see ActiveLearningClassifier).

Run ``python benchmarks/active_learning.py --help``; the default (3 seeds,
all strategies) takes about 5-10 minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from skactive.query import (
    AALUQuery,
    CommitteeQuery,
    CoreSetQuery,
    DensityWeightedQuery,
    LearningLossQuery,
    RandomQuery,
    TAVAALQuery,
    UncertaintyQuery,
    VAALQuery,
)


def strategies(seed):
    """Name -> strategy, all with the package defaults."""
    return {
        "Random": RandomQuery(random_state=seed),
        "Margin": UncertaintyQuery("margin", random_state=seed),
        "Entropy": UncertaintyQuery("entropy", random_state=seed),
        "LeastConfidence": UncertaintyQuery("least_confidence", random_state=seed),
        "QBC (vote entropy)": CommitteeQuery(random_state=seed),
        "QBC (KL, LR+SVC)": CommitteeQuery(
            committee=[SVC(C=1.0), SVC(C=10.0), LogisticRegression(max_iter=2000)],
            measure="kl_divergence",
            random_state=seed,
        ),
        "Core-set": CoreSetQuery(random_state=seed),
        "DensityWeighted": DensityWeightedQuery(random_state=seed),
        "VAAL": VAALQuery(random_state=seed),
        "LearningLoss": LearningLossQuery(random_state=seed),
        "AALU": AALUQuery(random_state=seed),
        "TA-VAAL": TAVAALQuery(random_state=seed),
    }


def run_one(strategy, X_train, y_train, X_test, y_test, fractions, seed, estimator):
    """Simulate the loop: returns (accuracy per cycle, query seconds per cycle)."""
    n = len(y_train)
    rng = np.random.RandomState(seed)
    labeled = rng.choice(n, int(round(fractions[0] * n)), replace=False)
    accuracies, seconds = [], []
    for cycle in range(len(fractions)):
        model = estimator().fit(X_train[labeled], y_train[labeled])
        accuracies.append(model.score(X_test, y_test))
        if cycle + 1 == len(fractions):
            break
        pool = np.setdiff1d(np.arange(n), labeled)
        batch = int(round(fractions[cycle + 1] * n)) - len(labeled)
        start = time.perf_counter()
        picked = strategy.query(
            X_train[pool],
            estimator=model,
            X_labeled=X_train[labeled],
            y_labeled=y_train[labeled],
            batch_size=batch,
        )
        seconds.append(time.perf_counter() - start)
        labeled = np.concatenate([labeled, pool[picked]])  # the oracle reveals y_train
    return np.array(accuracies), np.array(seconds)


def aulc(fractions, accuracies):
    """Area under the learning curve over the labeled fraction, divided by its range."""
    x = np.asarray(fractions)
    y = np.asarray(accuracies)
    return float(np.sum((y[1:] + y[:-1]) / 2 * np.diff(x)) / (x[-1] - x[0]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--start", type=float, default=0.10)
    parser.add_argument("--step", type=float, default=0.05)
    parser.add_argument("--stop", type=float, default=0.40)
    parser.add_argument("--test-size", type=float, default=0.25)
    parser.add_argument("--only", nargs="*", help="strategy names to run (default: all)")
    args = parser.parse_args(argv)

    X, y = load_digits(return_X_y=True)
    fractions = np.round(np.arange(args.start, args.stop + 1e-9, args.step), 4)
    names = list(strategies(0))
    if args.only:
        names = [name for name in names if name in args.only]
    results = {name: [] for name in names}
    times = {name: [] for name in names}
    for seed in range(args.seeds):
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=args.test_size, stratify=y, random_state=seed
        )
        for name in names:
            accuracies, seconds = run_one(
                strategies(seed)[name], X_train, y_train, X_test, y_test, fractions, seed, SVC
            )
            results[name].append(accuracies)
            times[name].append(seconds.mean())
            print(f"seed {seed} {name:<20} AULC {aulc(fractions, accuracies):.4f}", flush=True)

    n_train = int(round(len(y) * (1 - args.test_size)))
    print(
        f"\nDigits, SVC task model, {n_train} pool rows, start {args.start:.0%} "
        f"+{args.step:.0%} per cycle to {args.stop:.0%}, {args.seeds} seeds: "
        "test accuracy (%) mean over seeds"
    )
    header = " ".join(f"{f:>6.0%}" for f in fractions)
    print(f"{'strategy':<20} {header}   AULC (%) +- std   query s/cycle")
    print("-" * (20 + 7 * len(fractions) + 36))
    for name in names:
        curves = np.array(results[name]) * 100
        areas = np.array([aulc(fractions, c) for c in curves])
        cells = " ".join(f"{v:6.2f}" for v in curves.mean(axis=0))
        print(
            f"{name:<20} {cells}   {areas.mean():6.2f} +- {areas.std():4.2f}"
            f"   {np.mean(times[name]):8.2f}"
        )


if __name__ == "__main__":
    main()
