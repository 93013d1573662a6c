"""ActiveGANAugmenter against imbalanced-learn's over-samplers on imbalanced data.

Two parts, each printing macro-F1 and balanced accuracy (%), mean +- std:

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
RandomOverSampler, SMOTE, BorderlineSMOTE, ADASYN, and ActiveGANAugmenter
(lam=1, alpha=0.5, max_iter=1500, no "+F" filter) three times:
``ActiveGAN balanced`` with class-balanced real batches
(``batch_sampling="balanced"``) and min-max scaling (``scaling="minmax"``),
``ActiveGAN uniform`` with a shuffled pass over the rows
(``batch_sampling="uniform"``, the behaviour before that parameter existed)
and min-max scaling, ``ActiveGAN quantile`` with balanced batches and
quantile scaling (``scaling="quantile"``), and ``ActiveGAN quantile+EMA``, the
same sampling from an exponential moving average of the generator's weights
(``ema_decay=0.99``), ``ActiveGAN minmax+EMA`` (min-max scaling with the
weight average: the package defaults since ``ema_decay``) and ``AC-GAN
minmax+EMA`` (the same with ``lam=0``), and ``ActiveGAN EMA+MS`` / ``AC-GAN
EMA+MS``, those two with MSGAN's mode-seeking term (``mode_seeking=0.1``),
and ``ActiveGAN EMA+MS+SF``, the first of them with the score-function reading
of Eq. 9-10 (``uncertainty_gradient="score_function"``).
``--samplers`` runs a subset.

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

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
from imblearn.datasets import fetch_datasets
from imblearn.over_sampling import ADASYN, SMOTE, BorderlineSMOTE, RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.metrics import balanced_accuracy_score, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skactive import ActiveGANAugmenter
from skactive.datasets import default_data_home, load_fashion_mnist, make_imbalanced

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
KNN = ("SMOTE", "BorderlineSMOTE", "ADASYN")


def samplers(seed, max_iter, names=None):
    gan = dict(max_iter=max_iter, n_warmup_iter=min(500, max_iter // 3), random_state=seed)
    every = {
        "none": None,
        "RandomOverSampler": RandomOverSampler(random_state=seed),
        "SMOTE": SMOTE(random_state=seed),
        "BorderlineSMOTE": BorderlineSMOTE(random_state=seed),
        "ADASYN": ADASYN(random_state=seed),
        "ActiveGAN balanced": ActiveGANAugmenter(
            batch_sampling="balanced", scaling="minmax", ema_decay=None, **gan
        ),
        "ActiveGAN uniform": ActiveGANAugmenter(
            batch_sampling="uniform", scaling="minmax", ema_decay=None, **gan
        ),
        "ActiveGAN quantile": ActiveGANAugmenter(
            batch_sampling="balanced", scaling="quantile", ema_decay=None, **gan
        ),
        "ActiveGAN quantile+EMA": ActiveGANAugmenter(
            batch_sampling="balanced", scaling="quantile", ema_decay=0.99, **gan
        ),
        "ActiveGAN minmax+EMA": ActiveGANAugmenter(
            batch_sampling="balanced", scaling="minmax", ema_decay=0.99, **gan
        ),
        "AC-GAN minmax+EMA": ActiveGANAugmenter(
            lam=0, batch_sampling="balanced", scaling="minmax", ema_decay=0.99, **gan
        ),
        "ActiveGAN EMA+MS": ActiveGANAugmenter(
            batch_sampling="balanced", scaling="minmax", ema_decay=0.99, mode_seeking=0.1, **gan
        ),
        "ActiveGAN EMA+MS+SF": ActiveGANAugmenter(
            batch_sampling="balanced",
            scaling="minmax",
            ema_decay=0.99,
            mode_seeking=0.1,
            uncertainty_gradient="score_function",
            **gan,
        ),
        "AC-GAN EMA+MS": ActiveGANAugmenter(
            lam=0,
            batch_sampling="balanced",
            scaling="minmax",
            ema_decay=0.99,
            mode_seeking=0.1,
            **gan,
        ),
    }
    return {k: v for k, v in every.items() if names is None or k in names}


def with_small_k(sampler, n_min):
    """The peer re-run with k_neighbors = n_min - 1 (None when that is < 1)."""
    if n_min < 2:
        return None
    key = "n_neighbors" if isinstance(sampler, ADASYN) else "k_neighbors"
    return clone(sampler).set_params(**{key: n_min - 1})


def fit_score(front, sampler, X_tr, y_tr, X_te, y_te):
    """(macro F1 %, balanced accuracy %) of front -> sampler -> SVC."""
    steps = [("front", clone(front))]
    if sampler is not None:
        steps.append(("sampler", clone(sampler)))
    model = Pipeline(steps + [("svc", SVC())]).fit(X_tr, y_tr)
    pred = model.predict(X_te)
    return 100 * f1_score(y_te, pred, average="macro"), 100 * balanced_accuracy_score(y_te, pred)


def run_all(splits, front, seed, args, results, times, errors):
    """Every sampler on every (X_tr, y_tr, X_te, y_te) split; crashes recorded."""
    for X_tr, y_tr, X_te, y_te in splits:
        n_min = np.bincount(np.unique(y_tr, return_inverse=True)[1]).min()
        for name, sampler in samplers(seed, args.max_iter, args.samplers).items():
            start = time.perf_counter()
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    scores = fit_score(front, sampler, X_tr, y_tr, X_te, y_te)
            except (ValueError, RuntimeError) as exc:
                errors.setdefault(name, f"{type(exc).__name__}: {str(exc)[:90]}")
                results.setdefault(name, []).append(None)
                if name in KNN and (small := with_small_k(sampler, n_min)) is not None:
                    try:
                        scores = fit_score(front, small, X_tr, y_tr, X_te, y_te)
                    except (ValueError, RuntimeError) as exc2:
                        errors.setdefault(f"{name} (k=n_min-1)", str(exc2)[:90])
                        scores = None
                    results.setdefault(f"{name} (k=n_min-1)", []).append(scores)
                continue
            results.setdefault(name, []).append(scores)
            times.setdefault(name, []).append(time.perf_counter() - start)


def cell(values, i):
    if any(v is None for v in values):
        ok = [v for v in values if v is not None]
        return f"crash {len(values) - len(ok)}/{len(values)}".ljust(13)
    v = np.array([s[i] for s in values])
    return f"{v.mean():5.1f}+-{v.std():4.1f}".ljust(13)


def print_block(title, rows):
    """rows: {data set: {sampler: [scores or None]}}."""
    names = list(dict.fromkeys(n for r in rows.values() for n in r))
    for i, metric in enumerate(("macro-F1", "balanced accuracy")):
        print(f"\n{title}: {metric} (%), mean +- std")
        print(f"{'data set':<26}" + "".join(f"{n[:12]:<13}" for n in names))
        for data, r in rows.items():
            print(f"{data:<26}" + "".join(cell(r[n], i) if n in r else " " * 13 for n in names))
        means = {
            n: [
                np.mean([s[i] for s in r[n]])
                for r in rows.values()
                if n in r and all(s is not None for s in r[n])
            ]
            for n in names
        }
        print(
            f"{'mean over sets':<26}"
            + "".join(
                (f"{np.mean(m):5.1f} ({len(m)})" if m else "-").ljust(13) for m in means.values()
            )
        )
        if "none" in names:
            wins = {
                n: sum(
                    np.mean([s[i] for s in r[n]]) > np.mean([s[i] for s in r["none"]])
                    for r in rows.values()
                    if n in r and all(s is not None for s in r[n])
                )
                for n in names
            }
            print(f"{'sets above none':<26}" + "".join(f"{w:<13}" for w in wins.values()))


def zenodo_part(args):
    home = Path(args.data_home or default_data_home()) / "imblearn_zenodo"
    names = args.sets or (QUICK_ZENODO if args.quick else ZENODO)
    data = fetch_datasets(data_home=str(home), filter_data=tuple(names), download_if_missing=False)
    rows, times, errors = {}, {}, {}
    for name in names:
        X, y = data[name].data, data[name].target
        cv = StratifiedKFold(args.folds, shuffle=True, random_state=0)
        splits = [(X[tr], y[tr], X[te], y[te]) for tr, te in cv.split(X, y)]
        results = {}
        run_all(splits, StandardScaler(), 0, args, results, times, errors)
        counts = np.bincount(np.unique(y, return_inverse=True)[1])
        rows[f"{name} ({counts.max() / counts.min():.0f}:1)"] = results
        print(
            f"  done {name}: {X.shape}; macro-F1 "
            + ", ".join(f"{k} {cell(v, 0).strip()}" for k, v in results.items()),
            flush=True,
        )
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
            X_b, _, y_b, _ = train_test_split(
                X_all, y_all, train_size=10 * base, stratify=y_all, random_state=seed
            )
            X_tr, y_tr = make_imbalanced(X_b, y_b, profile, random_state=seed)
            X_te, _, y_te, _ = train_test_split(
                X_test_all,
                y_test_all,
                train_size=args.n_test,
                stratify=y_test_all,
                random_state=seed,
            )
            front = PCA(50, svd_solver="full")
            run_all([(X_tr, y_tr, X_te, y_te)], front, seed, args, results, times, errors)
        n_min = np.bincount(y_tr).min()
        label = f"{profile} base {base}" + (" tiny" if base == 300 else "")
        rows[f"{label} (n_min {n_min})"] = results
        print(f"  done profile {profile} base {base}: {len(y_tr)} rows", flush=True)
    return rows, times, errors


def report(title, rows, times, errors):
    print_block(title, rows)
    print(
        f"\n{title}: mean seconds per fit (sampler + SVC): "
        + ", ".join(f"{n} {np.mean(t):.1f}" for n, t in times.items())
    )
    for name, msg in errors.items():
        print(f"  {name} raised (first error): {msg}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=["zenodo", "fashion-mnist", "both"], default="both")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--base", type=int, default=1000, help="F-MNIST images per class")
    parser.add_argument("--n-test", type=int, default=2000)
    parser.add_argument("--max-iter", type=int, default=1500)
    parser.add_argument("--sets", nargs="+", choices=ZENODO, help="Zenodo sets (default: all)")
    parser.add_argument(
        "--samplers", nargs="+", choices=list(samplers(0, 1)), help="rows to run (default: all)"
    )
    parser.add_argument("--data-home", help="default: skactive.datasets.default_data_home()")
    parser.add_argument("--quick", action="store_true", help="CI-scale smoke run")
    args = parser.parse_args(argv)
    if args.quick:
        args.folds, args.seeds, args.max_iter, args.n_test = 2, 1, 60, 500
    start = time.perf_counter()
    out = {}
    if args.part in ("zenodo", "both"):
        out["zenodo"] = zenodo_part(args)
        report("imbalanced-learn benchmark sets", *out["zenodo"])
    if args.part in ("fashion-mnist", "both"):
        out["fashion-mnist"] = fmnist_part(args)
        report("TA-VAAL-style imbalanced Fashion-MNIST", *out["fashion-mnist"])
    print(f"\ntotal wall time: {time.perf_counter() - start:.0f} s")
    return out


if __name__ == "__main__":
    main()
