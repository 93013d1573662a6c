"""Where ActiveGANAugmenter's minority rows land on imbalanced tabular data.

``benchmarks/imbalanced.py`` shows ActiveGANAugmenter behind
RandomOverSampler / SMOTE in balanced accuracy on the imbalanced-learn
benchmark sets. This script measures why, on one stratified 2/3 : 1/3 split
per set (seed 0, features standardised on the training part): for the rows
generated for the minority class (label 1) by the rows ``--modes`` names
(a plain run: ``auto``, the package's defaults; ``matched``; the "+F"
filters ``filter0.5``, ``band0.1-0.5`` and ``band0.05-0.9``; and the peers
``ROS``, ``SMOTE``, ``BorderlineSMOTE``),

- **P(min)**: mean minority probability that the reward classifier
  ``classifier_`` (fitted on the real training rows) gives them; the real
  held-out minority rows' own mean is printed as the reference;
- **boundary**: median decision value that ``SVC()`` fitted on the real
  training rows gives them (its signed distance to the boundary, > 0 on the
  minority side), against the held-out minority rows'; the summary adds the
  share of rows in bands of that value (a histogram);
- **near min**: share whose nearest real training row is a minority row (the
  real minority rows' share, leave-one-out, is the reference);
- **spread**: mean per-feature standard deviation of the generated rows over
  that of the real minority rows (1 = as spread out as the real ones; near 0 =
  collapsed onto a few points);
- **F1 / BA**: macro-F1 and balanced accuracy (%) of ``SVC()`` on the test
  part, trained on the real plus generated rows (``none``: real rows only);
- **real min kept**: share of the real *training* minority rows that this
  SVC classifies as minority. Duplicates (RandomOverSampler) keep all of
  them; generated rows that sit apart from the real ones leave the real rows,
  and the test rows near them, on the majority side;
- **orphans**: share of the real training minority rows that are no generated
  row's nearest real minority row (RandomOverSampler: none);
- from :func:`skactive.metrics.synthetic_quality_report` on the minority
  class, each next to what the real training minority rows get against the
  same held-out (test) minority rows (same size, ``k = 5`` or less):
  **coverage**, **recall**, **C2ST** (classifier two-sample AUC, 0.5 =
  indistinguishable) and **DCR** (median distance to the closest training
  minority row; generated rows closer than held-out real rows = copying).

``--modes`` picks the rows: ActiveGAN with ``uniform`` or ``balanced`` batches
and min-max scaling, no weight average (the earlier defaults); ``quantile``
(balanced batches, ``scaling="quantile"``, no weight average); ``default``
(the package's defaults: balanced, min-max, ``ema_decay=0.99``); ``ms0.03``,
``ms0.1``, ``ms0.3`` (and ``ms0``): the defaults with that ``mode_seeking`` weight; ``sf``:
the defaults with ``uncertainty_gradient="score_function"``; ``F0.3``: the
defaults with the paper's "+F" filter (``margin=0.3``); ``tac``: the
defaults with TAC-GAN's twin classifier (``twin_auxiliary=True``, the package
default since; every other GAN mode pins ``twin_auxiliary=False``) and 1,500
iterations (``--max-iter``; the package default until ``"auto"``); ``auto``: the
package's defaults, ``max_iter="auto"`` (``--max-iter`` does not apply); ``vgm``: the defaults with
CTGAN's mode-specific normalisation (``scaling="mode_specific"``); ``tacsf``:
the defaults with ``uncertainty_gradient="score_function"`` (``sf`` is that before the twin
classifier); ``bal`` and ``sfbal``: the defaults with ``uncertainty_priors="balanced"``, with
the pathwise and the score-function reading; ``bincat``: the ``tac`` rows with every
column that takes two values in the training rows (indicators, after standardising) generated
as a category (one-hot, Gumbel-softmax) instead of a number; ``drs``: the ``tac`` GAN, its
minority rows re-drawn by discriminator rejection sampling (a probe of the fitted nets, not a
package option: 8 candidates per row, kept by Gumbel-top-k on the estimated log density ratio
``log p_real(x | c) / p_gen(x | c)`` = real/fake logit + log class-head posterior - log twin
posterior; after Azadi et al. 2019, "Discriminator Rejection Sampling", made class-conditional
with TAC-GAN's two heads); and the
references ``ROS`` (RandomOverSampler) and ``SMOTE``; ``lr5e-4`` and ``lr1e-3`` are the
package's defaults with that ``learning_rate`` (default 2e-4), ``autoquant`` the package's
defaults with ``scaling="quantile"``, ``wgangp`` with ``adversarial_loss="wasserstein"``
(WGAN-GP); ``knn`` the package's defaults with the minority rows
re-drawn from 8 candidates per row, keeping those inside the k-NN manifold of the real
training minority rows (k = 5; a probe, not a package option); ``cells`` the same candidates
spread evenly over the real minority rows' nearest-row cells (a probe); ``anchor0.25``,
``anchor0.5`` and ``anchor0.75`` the ``cells`` rows pulled towards their cell's real row,
``r + s * (x - r)`` with that ``s`` (a probe of rows tied to real ones: ``s = 0`` would be
RandomOverSampler); ``matched``: the package's defaults, the minority rows re-drawn from 8
candidates per row so that their signed margin under the reward classifier (own-class minus
other-class probability) follows the out-of-fold signed margins of the real minority rows
(a probe of rows as near the boundary as new real rows); ``filter0.5``, ``band0.1-0.5`` and
``band0.05-0.9``: the package's default GAN (fitted once per split), its rows drawn again by
``sample`` with ``margin=0.5``, ``(0.1, 0.5)`` and ``(0.05, 0.9)`` (the "+F" threshold and
bands); ``convex1``, ``convex0.1`` and ``convex0.02``: the package's defaults with GAMO's
convex rows (``_convex.ConvexGAN``, a probe), the softmax over the class's rows at that
temperature; ``proxy`` and ``proxybal``: the package's defaults with the uncertainty term
taken through a differentiable copy of the reward classifier (``_proxy.ProxyGAN``, a probe:
``-mean(r(G(z, y)))`` of Eq. 8 in place of the mixture's Eq. 9-10), the reward read under the
fitted and under equal class priors; ``BorderlineSMOTE`` the third peer.
``--lam 0`` runs the GAN rows with plain AC-GAN (no uncertainty term).

Run ``python benchmarks/gan_fidelity.py --help``; ``--quick`` is a smoke run.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from _common import add_data_home, augmenter, benchmark_parser, print_table, recorded
from _convex import ConvexGAN
from _evaluation import gan_iterations, load_zenodo, percent_scores, smote_k_neighbors
from _probes import NEEDS_FIT_ROWS, REDRAW
from _proxy import ProxyGAN
from _results import record, slug
from imblearn.over_sampling import SMOTE, BorderlineSMOTE, RandomOverSampler
from sklearn.model_selection import train_test_split
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

from skactive.augment._reward import default_classifier
from skactive.metrics import synthetic_quality_report

GAN_MODES = (
    "uniform",
    "balanced",
    "quantile",
    "default",
    "ms0",
    "ms0.03",
    "ms0.1",
    "ms0.3",
    "sf",
    "F0.3",
    "tac",
    "auto",
    "vgm",
    "tacsf",
    "bal",
    "sfbal",
    "bincat",
    "drs",
)
MODES = (
    *GAN_MODES,
    *("lr5e-4", "lr1e-3", "autoquant", "wgangp", "knn", "cells"),
    *("anchor0.25", "anchor0.5", "anchor0.75", "matched"),
    *("filter0.5", "band0.1-0.5", "band0.05-0.9", "convex1", "convex0.1", "convex0.02"),
    *("proxy", "proxybal"),
    *("ROS", "SMOTE", "BorderlineSMOTE"),
)
# rows of the package's default GAN drawn again through a "+F" filter (``sample``):
# filter<t> keeps margins <= t (the paper's +F), band<low>-<high> margins in [low, high]
FILTERS = {"filter0.5": 0.5, "band0.1-0.5": (0.1, 0.5), "band0.05-0.9": (0.05, 0.9)}
# edges of the SVC decision values (signed distance to its boundary, minority > 0)
BOUNDARY_EDGES = (-1.0, -0.5, 0.0, 0.5, 1.0)
BOUNDARY_BINS = ["< -1", "-1 to -0.5", "-0.5 to 0", "0 to 0.5", "0.5 to 1", ">= 1"]
# a plain run: the package's defaults, the boundary selections, the peers
DEFAULT_MODES = [
    "auto",
    "matched",
    "filter0.5",
    "band0.1-0.5",
    "band0.05-0.9",
    "ROS",
    "SMOTE",
    "BorderlineSMOTE",
]

SETS = [
    "ecoli",
    "abalone",
    "sick_euthyroid",
    "thyroid_sick",
    "arrhythmia",
    "ozone_level",
    "yeast_me2",
    "wine_quality",
]


def nearest_is_minority(X_ref, y_ref, X_query, leave_one_out=False):
    k = 2 if leave_one_out else 1
    idx = NearestNeighbors(n_neighbors=k).fit(X_ref).kneighbors(X_query)[1][:, k - 1]
    return float(np.mean(y_ref[idx] == 1))


REPORT_KEYS = (
    "coverage",
    "coverage_real",
    "recall",
    "recall_real",
    "c2st_auc",
    "c2st_auc_real",
    "dcr",
    "dcr_real",
)


def svc_scores_and_kept(X_fit, y_fit, X_te, y_te, real_min):
    """Return ``SVC()``'s (macro-F1 %, balanced accuracy %, real minority kept).

    The SVC is fitted on the fit rows and scored on the test rows; "kept" is
    the share of the real training minority rows it labels minority.
    """
    svc = SVC().fit(X_fit, y_fit)
    f1, ba = percent_scores(y_te, svc.predict(X_te))
    return f1, ba, float(np.mean(svc.predict(real_min) == 1))


def orphaned(real_rows, generated):
    """Share of real rows that are no generated row's nearest real row."""
    if not len(generated):
        return 1.0
    nearest = NearestNeighbors(n_neighbors=1).fit(real_rows).kneighbors(generated)[1][:, 0]
    return float(np.mean(np.bincount(nearest, minlength=len(real_rows)) == 0))


def make_sampler(mode, args, X, y):
    if mode == "ROS":
        return RandomOverSampler(random_state=0)
    if mode == "SMOTE":
        return SMOTE(k_neighbors=smote_k_neighbors(y), random_state=0)
    if mode == "BorderlineSMOTE":
        return BorderlineSMOTE(k_neighbors=smote_k_neighbors(y), random_state=0)
    common = dict(lam=args.lam, **gan_iterations(args.max_iter), random_state=0)
    if mode in ("knn", "cells", "matched") or mode.startswith("anchor"):  # rows re-drawn
        return augmenter(lam=args.lam, random_state=0)
    if mode in ("default", "tac", "drs"):  # the defaults, 1,500 iterations (TAC since a default)
        return augmenter(**common)
    if mode == "tacsf":  # the defaults with the score-function reading of Eq. 9-10
        return augmenter(uncertainty_gradient="score_function", **common)
    if mode == "bal":  # the defaults with the uncertainty read under equal class priors
        return augmenter(uncertainty_priors="balanced", **common)
    if mode == "sfbal":  # ... and the score-function reading
        return augmenter(
            uncertainty_priors="balanced", uncertainty_gradient="score_function", **common
        )
    if mode == "bincat":  # ... and every two-valued column generated as a category
        two_valued = [j for j in range(X.shape[1]) if len(np.unique(X[:, j])) <= 2]
        return augmenter(categorical_features=two_valued, **common)
    if mode == "vgm":  # the defaults with CTGAN's mode-specific normalisation
        return augmenter(scaling="mode_specific", **common)
    if mode == "auto":  # the package's defaults: training length tied to the data
        return augmenter(lam=args.lam, max_iter="auto", random_state=0)
    if mode.startswith("convex"):  # the package's defaults with GAMO's convex rows (a probe)
        return ConvexGAN(lam=args.lam, random_state=0).set_tau(float(mode[6:]))
    if mode == "proxy":  # the package's defaults, the reward differentiated (a probe)
        return ProxyGAN(lam=args.lam, random_state=0)
    if mode == "proxybal":  # ... read under equal class priors
        return ProxyGAN(lam=args.lam, random_state=0, gan_params={"uncertainty_priors": "balanced"})
    if mode == "autoquant":  # the package's defaults with quantile scaling
        return augmenter(lam=args.lam, scaling="quantile", random_state=0)
    if mode == "wgangp":  # the package's defaults with WGAN-GP's real/fake losses
        return augmenter(lam=args.lam, adversarial_loss="wasserstein", random_state=0)
    if mode.startswith("lr"):  # the package's defaults with that learning rate
        return augmenter(lam=args.lam, learning_rate=float(mode[2:]), random_state=0)
    common["twin_auxiliary"] = False  # the other modes were measured before the TAC default
    if mode == "sf":  # the defaults with the score-function reading of Eq. 9-10
        return augmenter(uncertainty_gradient="score_function", **common)
    if mode.startswith("F"):  # the defaults with the paper's "+F" margin filter
        return augmenter(margin=float(mode[1:]), **common)
    if mode.startswith("ms"):  # the defaults with MSGAN's mode-seeking term
        return augmenter(mode_seeking=float(mode[2:]), **common)
    # measured before the mode-seeking default too
    batches = "uniform" if mode == "uniform" else "balanced"
    scaling = "quantile" if mode == "quantile" else "minmax"
    return augmenter(
        batch_sampling=batches, scaling=scaling, ema_decay=None, mode_seeking=0, **common
    )


def boundary_shares(decision):
    """Share of rows in each bin of ``BOUNDARY_EDGES`` (SVC decision values)."""
    counts = np.bincount(np.searchsorted(BOUNDARY_EDGES, decision), minlength=len(BOUNDARY_BINS))
    return (counts / max(len(decision), 1)).tolist()


def resampled(mode, args, X_tr, y_tr, fitted):
    """Return ``(X_res, y_res, aug)`` of one mode; the filters reuse ``fitted``'s default GAN."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if mode not in FILTERS:
            aug = make_sampler(mode, args, X_tr, y_tr)
            return (*aug.fit_resample(X_tr, y_tr), aug)
        if "default" not in fitted:  # one GAN per split for every filter
            fitted["default"] = make_sampler("auto", args, X_tr, y_tr)
            fitted["default"].fit_resample(X_tr, y_tr)
        aug = fitted["default"]
        X_new, y_new = aug.sample(margin=FILTERS[mode], random_state=0)
    return np.r_[X_tr, X_new], np.r_[y_tr, y_new], aug


def diagnose(X, y, args):
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, train_size=2 / 3, stratify=y, random_state=0)
    scaler = StandardScaler().fit(X_tr)
    X_tr, X_te = scaler.transform(X_tr), scaler.transform(X_te)
    real_min = X_tr[y_tr == 1]
    near_min_real = nearest_is_minority(X_tr, y_tr, real_min, leave_one_out=True)
    f1, ba, kept = svc_scores_and_kept(X_tr, y_tr, X_te, y_te, real_min)
    rows = {"none": {"F1": f1, "BA": ba, "real min kept": kept}}
    # P(min): the reward classifier ActiveGANAugmenter fits by default, on the real rows
    reward = default_classifier(np.unique(y_tr, return_inverse=True)[1])
    # the boundary: decision values of SVC() fitted on the real rows (> 0: minority side)
    boundary = SVC().fit(X_tr, y_tr).decision_function
    boundary_real = boundary(X_te[y_te == 1])
    fitted = {}
    for mode in args.modes:
        X_res, y_res, aug = resampled(mode, args, X_tr, y_tr, fitted)
        if mode in REDRAW:  # a probe re-draws the minority rows from the fitted GAN
            new_min = np.flatnonzero(y_res[len(y_tr) :] == 1) + len(X_tr)
            class_index = int(np.searchsorted(aug.classes_, 1))
            fit_rows = {"X_fit": X_tr, "y_fit": y_tr} if mode in NEEDS_FIT_ROWS else {}
            X_res[new_min] = REDRAW[mode](aug, real_min, len(new_min), class_index, **fit_rows)
        gen = X_res[len(X_tr) :][y_res[len(y_tr) :] == 1]
        f1, ba, kept = svc_scores_and_kept(X_res, y_res, X_te, y_te, real_min)
        report = synthetic_quality_report(
            X_tr, y_tr, X_te, y_te, gen, np.ones(len(gen), int), classifier=reward, random_state=0
        )[1]
        boundary_gen = boundary(gen)
        rows[mode] = {
            "P(min)": report["p_class"],
            "P(min) real": report["p_class_real"],
            "boundary": float(np.median(boundary_gen)),
            "boundary real": float(np.median(boundary_real)),
            "boundary bins": boundary_shares(boundary_gen),
            "boundary bins real": boundary_shares(boundary_real),
            "near min": nearest_is_minority(X_tr, y_tr, gen),
            "near min real": near_min_real,
            "spread": gen.std(axis=0).mean() / real_min.std(axis=0).mean(),
            "F1": f1,
            "BA": ba,
            "real min kept": kept,
            "orphans": orphaned(real_min, gen),
            **{key: report[key] for key in REPORT_KEYS},
        }
    return rows


TABLE_COLUMNS = [
    "P(min) gen/real",
    "boundary gen/real",
    "near min gen/real",
    "spread",
    "F1",
    "BA",
    "real min kept",
    "orphans",
    "coverage",
    "recall",
    "C2ST",
    "DCR gen/real",
]


def table_row(row):
    """Return one printed row: gen / real pairs as text, blank cells for the ``none`` row."""
    if "P(min)" not in row:
        return {"F1": row["F1"], "BA": row["BA"], "real min kept": row["real min kept"]}
    return {
        "P(min) gen/real": f"{row['P(min)']:.2f} / {row['P(min) real']:.2f}",
        "boundary gen/real": f"{row['boundary']:.2f} / {row['boundary real']:.2f}",
        "near min gen/real": f"{row['near min']:.2f} / {row['near min real']:.2f}",
        "spread": row["spread"],
        "F1": row["F1"],
        "BA": row["BA"],
        "real min kept": row["real min kept"],
        "orphans": row["orphans"],
        "coverage": f"{row['coverage']:.2f}/{row['coverage_real']:.2f}",
        "recall": f"{row['recall']:.2f}/{row['recall_real']:.2f}",
        "C2ST": f"{row['c2st_auc']:.2f}/{row['c2st_auc_real']:.2f}",
        "DCR gen/real": f"{row['dcr']:.2f}/{row['dcr_real']:.2f}",
    }


def results_name(args):
    """Return ``gan_fidelity`` plus the options that are not the defaults.

    The options: the rows (``--modes``), ``--lam``, ``--sets`` and ``--max-iter``.
    """
    name = "gan_fidelity"
    if args.modes != DEFAULT_MODES:
        name += "_" + "_".join(slug(mode) for mode in args.modes)
    if args.lam != 1.0:
        name += f"_lam{args.lam:g}"
    if args.sets != SETS:
        name += "_" + "_".join(slug(s) for s in args.sets)
    if args.max_iter != 1500:
        name += f"_iter{args.max_iter}"
    return name


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="smoke run (numbers mean nothing)")
    parser.add_argument("--sets", nargs="+", default=SETS)
    parser.add_argument("--modes", nargs="+", default=DEFAULT_MODES, choices=MODES)
    parser.add_argument("--lam", type=float, default=1.0, help="0 = plain AC-GAN")
    parser.add_argument("--max-iter", type=int, default=1500)
    add_data_home(parser)
    args = parser.parse_args(argv)
    if args.quick:
        args.sets, args.max_iter = ["ecoli"], 60
    data = load_zenodo(args.sets, args.data_home)
    out = {}
    with recorded(args, results_name(args), seeds=[0]):
        for name in args.sets:
            out[name] = diagnose(data[name].data, data[name].target, args)
            print(f"  done {name}", flush=True)
        keys = [(name, mode) for name in out for mode in ("none", *args.modes)]
        record("rows", [{"data set": name, "rows": mode, **out[name][mode]} for name, mode in keys])
        frame = pd.DataFrame(
            [table_row(out[name][mode]) for name, mode in keys],
            index=pd.MultiIndex.from_tuples(keys, names=["data set", "rows"]),
            columns=TABLE_COLUMNS,
        )
        print_table(
            frame,
            decimals=1,
            column_decimals={"spread": 2, "real min kept": 2, "orphans": 2},
            title=(
                "Generated minority rows: one stratified 2/3 : 1/3 split per set (seed 0), "
                f"GAN lam={args.lam}, --max-iter {args.max_iter}; F1 / BA (%) of SVC() on the "
                "test part; gen/real: generated rows / the real minority rows"
            ),
            key="fidelity",
        )
        generated = [mode for mode in args.modes if "P(min)" in out[args.sets[0]][mode]]
        if generated:
            print_summary(out, generated)
    return out


def print_summary(out, modes):
    """Print and record the means over the splits and the boundary histograms."""
    rows = {}
    for mode in modes:
        per_set = [out[name][mode] for name in out]
        rows[mode] = {
            "P(min) gen": np.mean([r["P(min)"] for r in per_set]),
            "P(min) real": np.mean([r["P(min) real"] for r in per_set]),
            "splits gen <= real": sum(r["P(min)"] <= r["P(min) real"] for r in per_set),
            "boundary gen": np.mean([r["boundary"] for r in per_set]),
            "boundary real": np.mean([r["boundary real"] for r in per_set]),
            "DCR ratio": np.median([r["dcr"] / r["dcr_real"] for r in per_set]),
            "F1": np.mean([r["F1"] for r in per_set]),
            "BA": np.mean([r["BA"] for r in per_set]),
            "real min kept": np.mean([r["real min kept"] for r in per_set]),
        }
    print_table(
        pd.DataFrame.from_dict(rows, orient="index").rename_axis("rows"),
        decimals=2,
        column_decimals={"F1": 1, "BA": 1},
        title=(
            f"Generated minority rows, means over {len(out)} splits (DCR ratio: median): "
            "P(min) of the reward classifier, boundary = median decision value of SVC() "
            "fitted on the real rows (> 0: minority side), against the held-out real "
            "minority rows"
        ),
        key="means",
    )
    real = np.mean([out[name][modes[0]]["boundary bins real"] for name in out], axis=0)
    shares = {"held-out real": real} | {
        mode: np.mean([out[name][mode]["boundary bins"] for name in out], axis=0) for mode in modes
    }
    print_table(
        pd.DataFrame.from_dict(shares, orient="index", columns=BOUNDARY_BINS).rename_axis("rows"),
        decimals=2,
        title=(
            f"Where the minority rows sit: share in each band of SVC() decision values "
            f"(fitted on the real rows; > 0: minority side), mean over {len(out)} splits"
        ),
        key="boundary",
    )


if __name__ == "__main__":
    main()
