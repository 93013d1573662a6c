"""Mixed tables: ActiveGANAugmenter's categorical columns against SMOTE-NC and one-hot numbers.

The imbalanced-learn benchmark sets (Zenodo record 61452) that hold
categorical variables store them one-hot encoded: runs of 0/1 columns whose
every row sums to 1. This script turns each such run back into one pandas
``category`` column and every other 0/1 column into a ``bool`` column, giving
the mixed tables imbalanced-learn users have (abalone: sex + 7 numbers;
car_eval: 6 categories, no number; solar_flare_m0: 10 categories;
thyroid_sick / sick_euthyroid: clinical flags, categories and lab values).

Stratified ``--folds``-fold CV (shuffled, seed 0). Every method sees the same
table and ends in the same SVC on the same features (standardised numbers,
one-hot categories and flags); what differs is where the sampler sits:

- ``none`` / ``RandomOverSampler`` / ``SMOTE-NC`` / ``ActiveGAN cat`` /
  ``AC-GAN cat``: ``[standardise numbers] -> sampler on the table ->
  [one-hot] -> SVC``. SMOTE-NC is given the category and bool columns (on a
  table without numbers, where SMOTE-NC refuses, imbalanced-learn's SMOTE-N
  runs instead). The GANs use ``categorical_features="auto"`` (the default):
  one Gumbel-softmax block per category column and per flag.
- ``ActiveGAN one-hot``: ``[standardise numbers, one-hot] -> sampler -> SVC``
  with ``categorical_features=[]``: the only way before categorical columns
  were modelled; each one-hot entry is generated as a number in [0, 1].

Besides macro-F1 and balanced accuracy (%), two properties of the generated
minority rows are printed, computed on each training fold:

- ``valid``: share of generated rows in which every categorical variable is
  a single category (each one-hot group, each entry rounded to 0/1, holds
  exactly one 1). The table samplers return categories, so they score 100 by
  construction; the row shows what ``one-hot`` numbers give.
- ``TV``: total variation distance between the category frequencies of the
  generated minority rows and of the real minority rows of that fold,
  averaged over the categorical variables (0 = the same frequencies; a copy
  sampler such as RandomOverSampler is near 0 by construction).

``--sampler-seed`` sets the samplers' ``random_state`` (the folds stay seeded
0). ``--max-iter`` (default: the package's, ``"auto"``) and
``--adversarial-loss`` set the three GAN rows' training length and real/fake
loss (``"wasserstein"``: WGAN-GP, the loss CTGAN trains its Gumbel-softmax
columns with).

Run ``python benchmarks/mixed_data.py --help``; ``--quick`` is a smoke run
whose numbers mean nothing.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from _common import (
    Stopwatch,
    add_adversarial_loss_argument,
    add_data_home,
    benchmark_parser,
    iterations,
    print_score_tables,
    print_table,
    recorded,
)
from _evaluation import gan_iterations, load_zenodo, percent_scores
from imblearn.over_sampling import SMOTEN, SMOTENC, RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.svm import SVC

from skactive import ActiveGANAugmenter
from skactive.augment._gan_params import GAN_PARAMS_DEFAULTS

SETS = [
    "abalone",
    "abalone_19",
    "car_eval_34",
    "car_eval_4",
    "solar_flare_m0",
    "sick_euthyroid",
    "thyroid_sick",
]
QUICK_SETS = ["abalone_19", "car_eval_4"]
METHODS = [
    "none",
    "RandomOverSampler",
    "SMOTE-NC",
    "ActiveGAN one-hot",
    "ActiveGAN cat",
    "AC-GAN cat",
]


def one_hot_groups(X):
    """Find the runs ``(start, stop)`` of 0/1 columns (at least 2) whose rows sum to 1."""
    binary = [set(np.unique(X[:, j])) <= {0.0, 1.0} for j in range(X.shape[1])]
    groups, j = [], 0
    while j < X.shape[1]:
        stop = next(
            (
                k
                for k in range(X.shape[1], j + 1, -1)
                if all(binary[j:k]) and np.all(X[:, j:k].sum(axis=1) == 1)
            ),
            None,
        )
        if binary[j] and stop is not None:
            groups.append((j, stop))
            j = stop
        else:
            j += 1
    return groups


def to_table(X):
    """Return the mixed DataFrame of ``X``.

    A category column per one-hot group, bool for other 0/1 columns, float for the rest.
    """
    groups = one_hot_groups(X)
    starts = {a: b for a, b in groups}
    columns, j = {}, 0
    while j < X.shape[1]:
        if j in starts:
            code = X[:, j : starts[j]].argmax(axis=1)
            columns[f"c{j}"] = pd.Categorical(
                [f"v{c}" for c in code], categories=[f"v{c}" for c in range(starts[j] - j)]
            )
            j = starts[j]
            continue
        if set(np.unique(X[:, j])) <= {0.0, 1.0}:
            columns[f"b{j}"] = X[:, j] == 1
        else:
            columns[f"x{j}"] = X[:, j]
        j += 1
    return pd.DataFrame(columns)


def kinds(table):
    numeric = [c for c in table if c.startswith("x")]
    return numeric, [c for c in table if not c.startswith("x")]


def standardise(numeric):
    return ColumnTransformer(
        [("num", StandardScaler(), numeric)],
        remainder="passthrough",
        verbose_feature_names_out=False,
    ).set_output(transform="pandas")


def encode(numeric, categorical, scale):
    steps = [("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical)]
    rest = StandardScaler() if scale else "passthrough"
    return ColumnTransformer(steps + [("num", rest, numeric)], sparse_threshold=0)


def samplers(table, seed, max_iter, adversarial_loss="bce"):
    numeric, categorical = kinds(table)
    iterations = dict(max_iter="auto") if max_iter == "auto" else gan_iterations(max_iter)
    gan = dict(**iterations, gan_params={"adversarial_loss": adversarial_loss}, random_state=seed)
    nc = SMOTENC(categorical, random_state=seed) if numeric else SMOTEN(random_state=seed)
    return {
        "none": None,
        "RandomOverSampler": RandomOverSampler(random_state=seed),
        "SMOTE-NC": nc,
        "ActiveGAN one-hot": ActiveGANAugmenter(categorical_features=[], **gan),
        "ActiveGAN cat": ActiveGANAugmenter(**gan),
        "AC-GAN cat": ActiveGANAugmenter(lam=0, **gan),
    }


def fit_predict(method, sampler, table, X_tr, y_tr, X_te):
    """Fit the method's pipeline and predict: ``(pred, X_res, y_res, front)``.

    The steps are fitted one by one (as imblearn's Pipeline does) to keep the
    sampler's output.
    """
    numeric, categorical = kinds(table)
    if method == "ActiveGAN one-hot":
        front, back = encode(numeric, categorical, scale=True), None
    else:
        front = standardise(numeric) if numeric else None
        back = encode(numeric, categorical, scale=False)
    X_in = front.fit_transform(X_tr) if front is not None else X_tr
    X_res, y_res = sampler.fit_resample(X_in, y_tr) if sampler is not None else (X_in, y_tr)
    tail = Pipeline(([("encode", back)] if back is not None else []) + [("svc", SVC())])
    tail.fit(X_res, y_res)
    X_te_in = front.transform(X_te) if front is not None else X_te
    return tail.predict(X_te_in), X_res, y_res, front


def minority_quality(method, table, X_res, y_res, front, X_tr, y_tr, minority=1):
    """Return (valid %, TV) of the generated minority rows."""
    _, categorical = kinds(table)
    real = X_tr[y_tr == minority]
    new = slice(len(X_tr), None)
    if method == "ActiveGAN one-hot":
        categories = front.named_transformers_["cat"].categories_
        width = sum(len(c) for c in categories)
        rows = np.asarray(X_res)[new][y_res[new] == minority][:, :width]
        blocks = np.split(rows, np.cumsum([len(c) for c in categories])[:-1], axis=1)
        valid = np.all([np.rint(b).sum(axis=1) == 1 for b in blocks], axis=0)
        generated = pd.DataFrame(
            {
                c: cats[np.argmax(b, axis=1)]
                for c, cats, b in zip(categorical, categories, blocks, strict=True)
            }
        )
    else:
        generated = X_res.iloc[new][y_res[new] == minority]
        valid = np.ones(len(generated), bool)

    def freq(column):
        return column.astype(str).value_counts(normalize=True)

    tv = [
        0.5 * freq(real[c]).sub(freq(generated[c]), fill_value=0).abs().sum() for c in categorical
    ]
    return 100 * valid.mean(), float(np.mean(tv))


def run_set(name, X, y, args, times):
    table = to_table(X)
    y = np.where(y == 1, 1, 0)
    cv = StratifiedKFold(args.folds, shuffle=True, random_state=0)
    scores, quality = {}, {}
    for train, test in cv.split(table, y):
        X_tr, X_te, y_tr, y_te = table.iloc[train], table.iloc[test], y[train], y[test]
        for method, sampler in samplers(
            table, args.sampler_seed, args.max_iter, args.adversarial_loss
        ).items():
            with Stopwatch() as clock, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sampler = clone(sampler) if sampler is not None else None
                pred, X_res, y_res, front = fit_predict(method, sampler, table, X_tr, y_tr, X_te)
            times.setdefault(method, []).append(clock.seconds)
            scores.setdefault(method, []).append(percent_scores(y_te, pred))
            if sampler is not None:
                quality.setdefault(method, []).append(
                    minority_quality(method, table, X_res, y_res, front, X_tr, y_tr)
                )
    return table, scores, quality


def quality_cell(quality):
    """Format a method's ``(valid %, TV)`` per fold as ``"valid / TV"``, means over folds."""
    q = np.array(quality)
    return f"{q[:, 0].mean():.1f} / {q[:, 1].mean():.3f}"


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="smoke run")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument(
        "--max-iter",
        type=iterations,
        default=ActiveGANAugmenter().max_iter,
        help="the GANs' iterations: an int, or 'auto' (the package's default)",
    )
    add_adversarial_loss_argument(parser, GAN_PARAMS_DEFAULTS["adversarial_loss"])
    parser.add_argument(
        "--sampler-seed",
        type=int,
        default=0,
        help="random_state of the samplers (the folds stay seeded 0)",
    )
    parser.add_argument("--sets", nargs="+", choices=SETS, help="default: all")
    add_data_home(parser)
    args = parser.parse_args(argv)
    if args.quick:
        args.folds, args.max_iter = 2, 60
    names = args.sets or (QUICK_SETS if args.quick else SETS)
    data = load_zenodo(names, args.data_home)
    with recorded(args, "mixed_data", seeds=[args.sampler_seed]):
        rows, qualities, times = {}, {}, {}
        for name in names:
            table, scores, quality = run_set(name, data[name].data, data[name].target, args, times)
            numeric, categorical = kinds(table)
            label = f"{name} ({len(numeric)}n+{len(categorical)}c)"
            rows[label], qualities[label] = scores, quality
            print(
                f"  done {name}: {len(table)} rows, {len(numeric)} numeric, "
                f"{len(categorical)} categorical/bool columns",
                flush=True,
            )
        print_score_tables("mixed tables", rows)
        frame = pd.DataFrame.from_dict(
            {
                label: {m: quality_cell(quality[m]) for m in METHODS[1:]}
                for label, quality in qualities.items()
            },
            orient="index",
        )
        frame.index.name = "data set"
        print_table(
            frame,
            title="generated minority rows: valid % / TV of category frequencies (mean over folds)",
            key="validity",
        )
        print(
            "\nmean seconds per fit (sampler + SVC): "
            + ", ".join(f"{m} {np.mean(t):.1f}" for m, t in times.items())
        )
    return rows, qualities


if __name__ == "__main__":
    main()
