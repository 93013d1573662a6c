"""Tables whose numeric columns are codes: over-samplers against ActiveGANAugmenter.

The imbalanced-learn benchmark sets (Zenodo record 61452) that hold
categorical variables store them as numbers: one-hot groups of 0/1 columns,
0/1 flags, and (abalone) measurements beside them. Users meet such tables
as they are, as floats. Each sampler sees them as numbers, in two settings:

- ``scaled``: ``Pipeline([StandardScaler(), sampler, SVC()])``, the codes
  standardised before the sampler (as in any Pipeline);
- ``unscaled``: ``Pipeline([sampler, StandardScaler(), SVC()])``, the codes
  as 0/1 when the sampler sees them.

Samplers: ``none``, RandomOverSampler, SMOTE, BorderlineSMOTE,
``ActiveGAN`` (the package's defaults: ``categorical_features="auto"`` finds
the codes) and ``ActiveGAN codes off`` (``categorical_features="none"``: every
column a number, the behaviour before the codes were found). Stratified
``--folds``-fold CV (shuffled, seed 0), samplers seeded ``--sampler-seeds``.

Besides macro-F1 and balanced accuracy (%), for the rows each sampler adds
to the minority class (label 1), on each training fold:

- ``valid``: share of added rows in which every one-hot group (found on the
  stored 0/1 table) has exactly one column at 1 and every column of at most
  10 values holds one of its training values (in the stored units, to a
  tolerance of about 1e-8: the ``scaled`` rows pass through the scaler's
  inverse);
- ``DCR ratio``: median distance of the added rows to their closest training
  row over that of the held-out minority rows (the test fold's), in
  standardised units: below 1, the added rows sit closer to the training rows
  than new real rows do (0: copies). Undefined, and left out of the means,
  on a fold where the held-out rows' median is 0 (below 1e-6: most of them copy a
  training row, as in a table of codes only);
- ``P(min)``: mean minority probability that a calibrated SVC fitted on the
  training fold gives the added rows, next to what it gives the held-out
  minority rows (``real``): above the real value, the added rows lie deeper
  inside the minority class than real ones.

Run ``python benchmarks/coded_tables.py --help``; ``--quick`` is a smoke run
whose numbers mean nothing.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from _common import (
    Stopwatch,
    add_data_home,
    benchmark_parser,
    print_score_tables,
    print_table,
    recorded,
)
from _evaluation import load_zenodo, percent_scores
from _results import record
from imblearn.over_sampling import SMOTE, BorderlineSMOTE, RandomOverSampler
from joblib import Parallel, delayed
from mixed_data import SETS, one_hot_groups
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skactive import ActiveGANAugmenter
from skactive.augment._reward import default_classifier
from skactive.metrics import distance_to_closest_record

QUICK_SETS = ["abalone_19", "car_eval_4"]
SETTINGS = ("scaled", "unscaled")
# columns with at most this many values must come back on one of them
MAX_LEVELS = 10
# a distance below this, in standard deviations, is a copy (rounding, not a gap)
COPY_DISTANCE = 1e-6


def samplers(seed, max_iter):
    gan = dict(random_state=seed, **({} if max_iter is None else {"max_iter": max_iter}))
    return {
        "none": None,
        "RandomOverSampler": RandomOverSampler(random_state=seed),
        "SMOTE": SMOTE(random_state=seed),
        "BorderlineSMOTE": BorderlineSMOTE(random_state=seed),
        "ActiveGAN": ActiveGANAugmenter(**gan),
        "ActiveGAN codes off": ActiveGANAugmenter(categorical_features="none", **gan),
    }


def validity(added, train, groups):
    """Share of ``added`` rows whose groups have one column on and whose levels were seen.

    Both in the stored table's units (a group's columns hold 0 and 1), compared
    to a tolerance: the rows of the ``scaled`` setting come back through the
    scaler's inverse.
    """
    ok = np.ones(len(added), dtype=bool)
    for start, stop in groups:
        ok &= np.isclose(added[:, start:stop], 1.0).sum(axis=1) == 1
    for j in range(train.shape[1]):
        seen = np.unique(train[:, j])
        if seen.size <= MAX_LEVELS:
            ok &= np.isclose(added[:, j, None], seen[None, :]).any(axis=1)
    return float(ok.mean()) if len(ok) else float("nan")


def resample_and_fit(X_tr, y_tr, setting, sampler):
    """Fit ``[scale,] sampler[, scale], SVC`` step by step, as imblearn's Pipeline does.

    Returns the fitted ``predict`` (of caller rows), the sampler's input and output.
    """
    scale_first = StandardScaler().fit(X_tr) if setting == "scaled" else None
    X_in = X_tr if scale_first is None else scale_first.transform(X_tr)
    X_res, y_res = (X_in, y_tr) if sampler is None else sampler.fit_resample(X_in, y_tr)
    X_res = np.asarray(X_res, dtype=float)
    scale_last = StandardScaler().fit(X_res) if setting == "unscaled" else None
    svc = SVC().fit(X_res if scale_last is None else scale_last.transform(X_res), y_res)

    def predict(X):
        X = X if scale_first is None else scale_first.transform(X)
        return svc.predict(X if scale_last is None else scale_last.transform(X))

    return predict, scale_first, X_in, X_res, y_res


def fit_fold(name, X, y, groups, train, test, setting, sampler_name, sampler, seed):
    """Scores and added-row measures of one sampler on one fold in one setting."""
    X_tr, X_te, y_tr, y_te = X[train], X[test], y[train], y[test]
    sampler = None if sampler is None else clone(sampler)
    with Stopwatch() as clock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        predict, scale_first, X_in, X_res, y_res = resample_and_fit(X_tr, y_tr, setting, sampler)
    f1, ba = percent_scores(y_te, predict(X_te))
    row = dict(set=name, setting=setting, sampler=sampler_name, seed=seed, f1=f1, ba=ba)
    row["seconds"] = clock.seconds
    if sampler is None:
        return row
    added = X_res[len(X_in) :][y_res[len(X_in) :] == 1]
    if scale_first is not None:  # back to the stored table's units
        added = scale_first.inverse_transform(added)
    row["valid"] = 100 * validity(added, X_tr, groups)
    # the other measures in the training fold's standardised units
    front = StandardScaler().fit(X_tr)
    added_z, train_z = front.transform(added), front.transform(X_tr)
    held_out = front.transform(X_te[y_te == 1])
    real = np.median(distance_to_closest_record(train_z, held_out))
    added_dcr = np.median(distance_to_closest_record(train_z, added_z))
    # undefined where most held-out rows copy a training row (a table of codes
    # only): their median is then 0 up to the neighbour search's rounding
    row["dcr_ratio"] = float(added_dcr / real) if real > COPY_DISTANCE else float("nan")
    reference = default_classifier(y_tr).fit(train_z, y_tr)
    row["p_min"] = float(reference.predict_proba(added_z)[:, 1].mean())
    row["p_min_real"] = float(reference.predict_proba(held_out)[:, 1].mean())
    return row


def tasks(data, args):
    for name in args.sets:
        X, y = data[name].data.astype(float), np.where(data[name].target == 1, 1, 0)
        groups = one_hot_groups(X)
        cv = StratifiedKFold(args.folds, shuffle=True, random_state=0)
        for train, test in cv.split(X, y):
            for setting in SETTINGS:
                for seed in args.sampler_seeds:
                    for sampler_name, sampler in samplers(seed, args.max_iter).items():
                        if sampler is None and seed != args.sampler_seeds[0]:
                            continue  # no sampler: the same scores at every seed
                        yield name, X, y, groups, train, test, setting, sampler_name, sampler, seed


def summary(rows):
    """Per setting and sampler: valid %, DCR ratio and P(min) of the added rows (means).

    The DCR ratio's mean skips the folds where it is undefined.
    """
    frame = pd.DataFrame([r for r in rows if "valid" in r])
    table = frame.groupby(["setting", "sampler"], sort=False).agg(
        valid=("valid", "mean"),
        dcr_ratio=("dcr_ratio", "mean"),
        p_min=("p_min", "mean"),
        p_min_real=("p_min_real", "mean"),
    )
    table.columns = ["valid %", "DCR ratio", "P(min) added", "P(min) real"]
    return table.reset_index()


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="smoke run")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--sampler-seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--sets", nargs="+", choices=SETS, help="default: all")
    parser.add_argument("--max-iter", type=int, help="GAN iterations (default: the package's)")
    parser.add_argument("--n-jobs", type=int, default=1, help="folds run in parallel")
    add_data_home(parser)
    args = parser.parse_args(argv)
    if args.quick:
        args.folds, args.max_iter, args.sampler_seeds = 2, 60, [0]
    args.sets = args.sets or (QUICK_SETS if args.quick else SETS)
    data = load_zenodo(args.sets, args.data_home)
    with recorded(args, "coded_tables", seeds=args.sampler_seeds):
        rows = Parallel(n_jobs=args.n_jobs)(delayed(fit_fold)(*task) for task in tasks(data, args))
        record("folds", rows)
        for setting in SETTINGS:
            scores = {}
            for r in rows:
                if r["setting"] == setting:
                    by_set = scores.setdefault(r["set"], {})
                    by_set.setdefault(r["sampler"], []).append((r["f1"], r["ba"]))
            print_score_tables(f"coded tables, {setting}", scores)
        print_table(
            summary(rows),
            title="rows added to the minority class: valid %, DCR ratio and P(minority) "
            "(means over sets, folds and seeds; the DCR ratio over the folds where the "
            "held-out minority rows' median distance to the training rows is not 0)",
            key="added_rows",
        )
    return rows


if __name__ == "__main__":
    main()
