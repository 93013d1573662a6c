"""ActiveGANAugmenter against imbalanced-learn's over-samplers on imbalanced data.

Two parts, each printing macro-F1 and balanced accuracy (%), mean +- std, and
on the binary sets of part 1 the ROC AUC of the model's decision values
(threshold-free):

1. **imbalanced-learn benchmark sets** (Zenodo record 61452, the sets of
   ``imblearn.datasets.fetch_datasets`` that lie in
   ``../shared/data/imblearn_zenodo``; binary, labels -1/1, imbalance ratios
   8.6:1 to 130:1). Stratified ``--folds``-fold CV (shuffled, seed 0); per
   fold ``imblearn.pipeline.Pipeline([StandardScaler, sampler, SVC()])``, so
   resampling touches only the training folds. Scores are over the folds.
2. **TA-VAAL-style imbalanced Fashion-MNIST** (Kim et al., Table 1 profiles
   1.65 / 1.89 / 2.11 applied with :func:`skactive.datasets.make_imbalanced`
   to ``--base`` training images per class; e.g. 1.65 at base 1,000 keeps
   600/600/800/1000/10/20/20/20/40/200 images), tested on a balanced
   ``--n-test`` subset of the test split; ``Pipeline([PCA(50), sampler,
   SVC()])`` (the sampler, the GAN included, works in the 50-dimensional PCA
   space), over ``--seeds`` seeds. The ``tiny`` row uses base 300, so the
   smallest class keeps 3 images: fewer than SMOTE's ``k_neighbors + 1 = 6``.

Samplers, all with imbalanced-learn's default ``sampling_strategy="auto"``
(every class up to the majority count) and their default parameters: none,
class weights (the model with ``class_weight="balanced"``, no sampler),
RandomOverSampler, SMOTE, BorderlineSMOTE, ADASYN, and ``ActiveGAN`` (the
package's defaults). ``samplers`` lists the variants that ``--samplers`` can
add: ``AC-GAN`` (``lam=0``), ``ActiveGAN paper`` (the paper's own settings:
1,500 iterations, uniform batches, no weight average, no mode-seeking term,
no twin classifier), ``ActiveGAN SF+bal`` (the score-function reading of
Eq. 9-10 with the uncertainty read under equal priors), ``ActiveGAN
WGAN-GP``, ``ActiveGAN quantile``, ``ActiveGAN band (0.05, 0.9)`` (the defaults
with the "+F" band ``margin=(0.05, 0.9)``) and ``ActiveGAN band (0.05, 0.9)
balanced`` (the same band, with the margins, and the reward, read under equal
class priors); ``ActiveGAN proxy (probe)`` and ``ActiveGAN proxy balanced (probe)``
(``_proxy.ProxyGAN``: the reward of Eq. 8 differentiated through a torch copy of the
reward classifier, read under the fitted and under equal class priors).
``--samplers`` runs a subset.
``--model`` replaces the SVC after the sampler by a logistic regression or
gradient-boosted trees, to see whether a ranking holds beyond the protocol's
classifier; ``svc-balanced``, ``logreg-balanced`` and ``hgb-balanced`` are the
same models with ``class_weight="balanced"``, which with no sampler weighs a
minority row as ``n_maj / n_min`` majority rows, as RandomOverSampler's copies
do on average.
``--tuned-threshold K`` (part 1 only) wraps each pipeline in scikit-learn's
``TunedThresholdClassifierCV``, the operating point chosen for balanced
accuracy on K folds of the training rows.

**Classes too small for k-NN.** SMOTE / BorderlineSMOTE / ADASYN need
``k_neighbors + 1`` rows in every class they over-sample and raise otherwise
(ADASYN also raises when its neighbourhoods give it nothing to generate). We
do not hide that: a failing peer is reported as ``crash`` with the error,
and a second row re-runs it with ``k_neighbors = n_min - 1`` (what a user has
to do by hand; it cannot help a one-row class). ActiveGANAugmenter needs no
neighbours: its generator is conditioned on the label, so a 3-row (or 1-row)
class is augmented like any other; its default reward classifier falls back
to LogisticRegression, with a warning, only for one-row classes.

``--quick`` is a CI-scale smoke run (3 small sets, 2 folds, short GAN
training, one small F-MNIST profile); its numbers mean nothing.
Run ``python benchmarks/imbalanced.py --help``.
"""

from __future__ import annotations

import warnings
from functools import partial

import numpy as np
from _common import (
    Stopwatch,
    add_data_home,
    augmenter,
    benchmark_parser,
    iterations,
    print_score_tables,
    recorded,
    score_cell,
)
from _evaluation import (
    gan_iterations,
    load_zenodo,
    percent_scores,
    roc_auc_percent,
    stratified_subset,
)
from _probes import anchored
from _proxy import ProxyGAN
from _results import slug
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, clone
from sklearn.decomposition import PCA
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skactive import ActiveGANAugmenter
from skactive.datasets import load_fashion_mnist, make_imbalanced

ZENODO = [
    "ecoli",
    "optical_digits",
    "satimage",
    "pen_digits",
    "abalone",
    "sick_euthyroid",
    "spectrometer",
    "car_eval_34",
    "us_crime",
    "yeast_ml8",
    "libras_move",
    "thyroid_sick",
    "arrhythmia",
    "solar_flare_m0",
    "oil",
    "car_eval_4",
    "wine_quality",
    "letter_img",
    "yeast_me2",
    "ozone_level",
    "mammography",
    "abalone_19",
]
QUICK_ZENODO = ["ecoli", "libras_move", "yeast_me2"]
# the row of the model with class_weight="balanced" and no sampler
CLASS_WEIGHTS = "class weights"
# the rows a plain run measures: the package's defaults against the references
DEFAULT_ROWS = [
    "none",
    CLASS_WEIGHTS,
    "RandomOverSampler",
    "SMOTE",
    "BorderlineSMOTE",
    "ADASYN",
    "ActiveGAN",
]
# rows whose scores do not depend on the sampler seed: measured once, repeated per seed
SEEDLESS = ("none", CLASS_WEIGHTS)
KNN = ("SMOTE", "BorderlineSMOTE", "ADASYN")


class AnchoredGAN(BaseEstimator):
    """A probe, not a package option: the default GAN's new rows pulled towards real ones.

    ``ActiveGANAugmenter(random_state=random_state)`` is fitted; each class's
    generated rows are then re-drawn as ``_probes.anchored`` does:
    candidates spread evenly over the class's real rows, each moved to
    ``r + shrink * (x - r)`` from its real row ``r`` (``shrink=0`` would copy
    the real rows). It measures on the 22 sets what tying the rows to real
    ones buys, and the fidelity splits what it costs (DCR).
    """

    def __init__(self, shrink=0.5, random_state=0):
        self.shrink = shrink
        self.random_state = random_state

    def fit_resample(self, X, y):
        aug = ActiveGANAugmenter(random_state=self.random_state)
        X_res, y_res = aug.fit_resample(X, y)
        X_res = np.array(X_res, dtype=float)
        X, y = np.asarray(X, dtype=float), np.asarray(y)
        new = np.arange(len(X), len(X_res))
        for label in np.unique(y_res[new]):
            rows = new[y_res[new] == label]
            class_index = int(np.searchsorted(aug.classes_, label))
            X_res[rows] = anchored(aug, X[y == label], len(rows), class_index, self.shrink)
        return X_res, y_res


def samplers(seed, max_iter, names=None):
    """Return the samplers by name: the peers, the package's defaults and a few variants.

    ``--max-iter`` applies to the ActiveGAN rows other than ``ActiveGAN paper``
    (the paper's 1,500 iterations); its default, ``"auto"``, is the package's.
    """
    length = {} if max_iter == "auto" else gan_iterations(max_iter)
    gan = dict(random_state=seed, **length)
    every = {
        "none": None,
        CLASS_WEIGHTS: None,  # no sampler: the model with class_weight="balanced"
        "RandomOverSampler": RandomOverSampler(random_state=seed),
        "SMOTE": SMOTE(random_state=seed),
        "BorderlineSMOTE": BorderlineSMOTE(random_state=seed),
        "ADASYN": ADASYN(random_state=seed),
        "ActiveGAN": augmenter(**gan),  # the package's defaults
        "AC-GAN": augmenter(lam=0.0, **gan),
        "ActiveGAN paper": augmenter(
            **gan_iterations(1500),
            batch_sampling="uniform",
            ema_decay=None,
            mode_seeking=0,
            twin_auxiliary=False,
            random_state=seed,
        ),
        "ActiveGAN SF+bal": augmenter(
            uncertainty_priors="balanced", uncertainty_gradient="score_function", **gan
        ),
        "ActiveGAN WGAN-GP": augmenter(adversarial_loss="wasserstein", **gan),
        "ActiveGAN quantile": augmenter(scaling="quantile", **gan),
        "ActiveGAN anchored 0.5 (probe)": AnchoredGAN(0.5, random_state=seed),
        "ActiveGAN band (0.05, 0.9)": augmenter(margin=(0.05, 0.9), **gan),
        "ActiveGAN band (0.05, 0.9) balanced": augmenter(
            margin=(0.05, 0.9), uncertainty_priors="balanced", **gan
        ),
        "ActiveGAN proxy (probe)": ProxyGAN(**gan),
        "ActiveGAN proxy balanced (probe)": ProxyGAN(
            gan_params={"uncertainty_priors": "balanced"}, **gan
        ),
    }
    return {k: v for k, v in every.items() if names is None or k in names}


def with_small_k(sampler, n_min):
    """Return the peer with k_neighbors = n_min - 1 (None when that is < 1)."""
    if n_min < 2:
        return None
    key = "n_neighbors" if isinstance(sampler, ADASYN) else "k_neighbors"
    return clone(sampler).set_params(**{key: n_min - 1})


# the classifier after the sampler (--model); the protocol's is the SVC
_BASE_MODELS = {
    "svc": partial(SVC),
    "logreg": partial(LogisticRegression, max_iter=1000),
    "hgb": partial(HistGradientBoostingClassifier, random_state=0),
}
# "-balanced": class weights instead of rows. With no sampler a minority row weighs
# n_maj / n_min majority rows, as with RandomOverSampler's copies, and no row is added
# (after a sampler the classes are balanced and the weights are all 1).
MODELS = _BASE_MODELS | {
    f"{name}-balanced": partial(model, class_weight="balanced")
    for name, model in _BASE_MODELS.items()
}


def fit_score(front, sampler, X_tr, y_tr, X_te, y_te, model="svc", tuned_threshold=0):
    """Return (macro F1 %, balanced accuracy %[, ROC AUC %]) of front -> sampler -> model.

    The ROC AUC (binary sets only) is read from the model's decision values.
    ``tuned_threshold=k >= 2`` wraps the pipeline in scikit-learn's
    ``TunedThresholdClassifierCV`` (the decision threshold that maximises
    balanced accuracy over k stratified folds of the training rows, in their
    order, as scikit-learn builds them from an int; the pipeline is then
    refitted on all of them): the ROC AUC stays, the operating point moves.
    A failure to score (e.g. a fold whose predictions are constant) is
    recorded like a sampler's crash.
    """
    steps = [("front", clone(front))]
    if sampler is not None:
        steps.append(("sampler", clone(sampler)))
    pipeline = Pipeline(steps + [("model", MODELS[model]())])
    if tuned_threshold:
        pipeline = TunedThresholdClassifierCV(
            pipeline, scoring="balanced_accuracy", cv=tuned_threshold
        )
    fitted = pipeline.fit(X_tr, y_tr)
    auc = roc_auc_percent(y_te, fitted.decision_function(X_te))
    return percent_scores(y_te, fitted.predict(X_te)) + (() if auc is None else (auc,))


def run_all(splits, front, seed, args, results, times, errors, skip=()):
    """Every sampler (but ``skip``) on every (X_tr, y_tr, X_te, y_te) split; crashes recorded."""
    for X_tr, y_tr, X_te, y_te in splits:
        n_min = np.bincount(np.unique(y_tr, return_inverse=True)[1]).min()
        score = partial(
            fit_score,
            front,
            X_tr=X_tr,
            y_tr=y_tr,
            X_te=X_te,
            y_te=y_te,
            model=args.model,
            tuned_threshold=args.tuned_threshold,
        )
        for name, sampler in samplers(seed, args.max_iter, args.samplers).items():
            if name in skip:
                continue
            model = args.model if name != CLASS_WEIGHTS else args.model.split("-")[0] + "-balanced"
            try:
                with Stopwatch() as clock, warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    scores = score(sampler, model=model)
            except (ValueError, RuntimeError) as exc:
                errors.setdefault(name, f"{type(exc).__name__}: {str(exc)[:90]}")
                results.setdefault(name, []).append(None)
                if name in KNN and (small := with_small_k(sampler, n_min)) is not None:
                    try:
                        scores = score(small)
                    except (ValueError, RuntimeError) as exc2:
                        errors.setdefault(f"{name} (k=n_min-1)", str(exc2)[:90])
                        scores = None
                    results.setdefault(f"{name} (k=n_min-1)", []).append(scores)
                continue
            results.setdefault(name, []).append(scores)
            times.setdefault(name, []).append(clock.seconds)


def zenodo_set(name, X, y, args):
    """Every sampler and sampler seed on the folds of one set: ``(label, results, times, errors)``.

    The rows in ``SEEDLESS`` run with the first seed only; their fold scores
    stand for every seed.
    """
    cv = StratifiedKFold(args.folds, shuffle=True, random_state=0)
    splits = [(X[tr], y[tr], X[te], y[te]) for tr, te in cv.split(X, y)]
    results, times, errors = {}, {}, {}
    for i, seed in enumerate(args.sampler_seeds):
        skip = SEEDLESS if i else ()
        run_all(splits, StandardScaler(), seed, args, results, times, errors, skip)
    for row in SEEDLESS:
        if row in results:
            results[row] = results[row] * len(args.sampler_seeds)
    counts = np.bincount(np.unique(y, return_inverse=True)[1])
    print(
        f"  done {name}: {X.shape}; macro-F1 "
        + ", ".join(f"{k} {score_cell(v, 0)}" for k, v in results.items()),
        flush=True,
    )
    return f"{name} ({counts.max() / counts.min():.0f}:1)", results, times, errors


def zenodo_part(args):
    names = args.sets or (QUICK_ZENODO if args.quick else ZENODO)
    data = load_zenodo(names, args.data_home)
    # one process per set at a time (--n-jobs), each with one OpenMP / torch thread
    done = Parallel(n_jobs=args.n_jobs)(
        delayed(zenodo_set)(name, data[name].data, data[name].target, args) for name in names
    )
    rows, times, errors = {}, {}, {}
    for label, results, set_times, set_errors in done:
        rows[label] = results
        for sampler, seconds in set_times.items():
            times.setdefault(sampler, []).extend(seconds)
        for sampler, message in set_errors.items():
            errors.setdefault(sampler, message)
    return rows, times, errors


def fmnist_part(args):
    X_all, y_all = load_fashion_mnist(args.data_home, subset="train")
    X_test_all, y_test_all = load_fashion_mnist(args.data_home, subset="test")
    configs = (
        [(1.65, 100)]
        if args.quick
        else [(1.65, args.base), (1.89, args.base), (2.11, args.base), (1.65, 300)]
    )
    rows, times, errors = {}, {}, {}
    for profile, base in configs:
        results = {}
        for seed in range(args.seeds):
            X_b, y_b = stratified_subset(X_all, y_all, 10 * base, seed)
            X_tr, y_tr = make_imbalanced(X_b, y_b, profile, random_state=seed)
            X_te, y_te = stratified_subset(X_test_all, y_test_all, args.n_test, seed)
            front = PCA(50, svd_solver="full")
            run_all([(X_tr, y_tr, X_te, y_te)], front, seed, args, results, times, errors)
        n_min = np.bincount(y_tr).min()
        label = f"{profile} base {base}" + (" tiny" if base == 300 else "")
        rows[f"{label} (n_min {n_min})"] = results
        print(f"  done profile {profile} base {base}: {len(y_tr)} rows", flush=True)
    return rows, times, errors


def report(title, rows, times, errors):
    print_score_tables(title, rows)
    print(
        f"\n{title}: mean seconds per fit (sampler + model): "
        + ", ".join(f"{n} {np.mean(t):.1f}" for n, t in times.items())
    )
    for name, msg in errors.items():
        print(f"  {name} raised (first error): {msg}")


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="CI-scale smoke run")
    parser.add_argument("--part", choices=["zenodo", "fashion-mnist", "both"], default="both")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--base", type=int, default=1000, help="F-MNIST images per class")
    parser.add_argument("--n-test", type=int, default=2000)
    parser.add_argument(
        "--max-iter",
        type=iterations,
        default="auto",
        help="GAN iterations of the ActiveGAN rows but 'ActiveGAN paper': 'auto' "
        "(the package default) or an int",
    )
    parser.add_argument(
        "--sampler-seeds",
        type=int,
        nargs="+",
        default=[0, 1, 2],
        help="random_state of the samplers on the Zenodo sets, one run of every fold per "
        "seed (the folds stay seeded 0)",
    )
    parser.add_argument("--sets", nargs="+", choices=ZENODO, help="Zenodo sets (default: all)")
    parser.add_argument(
        "--model",
        choices=list(MODELS),
        default="svc",
        help="the classifier after the sampler: the protocol's SVC(), "
        "LogisticRegression(max_iter=1000) or HistGradientBoostingClassifier(random_state=0); "
        "'-balanced': the same with class_weight='balanced'",
    )
    parser.add_argument(
        "--tuned-threshold",
        type=int,
        default=0,
        metavar="K",
        help="K >= 2: each pipeline inside TunedThresholdClassifierCV(scoring="
        "'balanced_accuracy', cv=K), the operating point chosen on the training rows "
        "(binary sets only: --part zenodo)",
    )
    parser.add_argument(
        "--samplers",
        nargs="+",
        choices=list(samplers(0, 1)),
        default=DEFAULT_ROWS,
        help="rows to run (default: %(default)s; the others are generator variants)",
    )
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=1,
        help="data sets run side by side in worker processes (part 1); scores do not change",
    )
    add_data_home(parser)
    args = parser.parse_args(argv)
    if args.tuned_threshold < 0 or args.tuned_threshold == 1:
        parser.error("--tuned-threshold takes K >= 2 folds (0: off)")
    if args.tuned_threshold and args.part != "zenodo":
        parser.error("--tuned-threshold needs binary data: add --part zenodo")
    if args.quick:
        args.folds, args.seeds, args.max_iter, args.n_test = 2, 1, 60, 500
        args.sampler_seeds = args.sampler_seeds[:1]
    out = {}
    title_model = "" if args.model == "svc" else f" ({args.model})"
    if args.tuned_threshold:
        title_model += f" (threshold tuned for balanced accuracy, {args.tuned_threshold} folds)"
    name = "imbalanced" + ("" if args.part == "both" else f"_{args.part}")
    name += ("" if args.model == "svc" else f"_{args.model}") + (
        f"_tuned{args.tuned_threshold}" if args.tuned_threshold else ""
    )
    if args.samplers != DEFAULT_ROWS:  # a subset or variants: a file of its own
        name += "_" + "_".join(slug(sampler) for sampler in args.samplers)
    seeds = sorted(set(args.sampler_seeds) | set(range(args.seeds)))
    with recorded(args, name, seeds=seeds):
        if args.part in ("zenodo", "both"):
            out["zenodo"] = zenodo_part(args)
            report(f"imbalanced-learn benchmark sets{title_model}", *out["zenodo"])
        if args.part in ("fashion-mnist", "both"):
            out["fashion-mnist"] = fmnist_part(args)
            report(f"TA-VAAL-style imbalanced Fashion-MNIST{title_model}", *out["fashion-mnist"])
    return out


if __name__ == "__main__":
    main()
