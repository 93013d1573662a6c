"""ActiveGAN paper reproduction: Table 1, Table 3 (alpha ablation) and Fig. 3.

Protocol (Kong et al., Sec. 5.1-5.3), per data set, labeled size ``n`` and seed:

1. Draw ``n`` labeled training images, stratified, from the training split;
   the test set is the whole test split (10,000 images for MNIST/Fashion-MNIST,
   as in the paper) or, for sklearn's digits, every row not drawn.
2. **Features.** The paper fed VGG-16 features to its SVM; we cannot download
   VGG-16. ``--features auto`` (default): raw pixels for digits (64 features),
   and for MNIST / Fashion-MNIST a PCA to 50 components fitted on the ``n``
   real labeled images only (unsupervised, fixed afterwards, like a frozen
   feature extractor). The GANs always train on raw pixels; generated images go
   through the same fixed PCA. ``--features raw`` uses pixels everywhere.
   ``--features cnn`` is the paper's setting without downloads: the
   penultimate layer (128 features) of a small CNN trained on the *other*
   data set's 60,000 training images (MNIST for Fashion-MNIST and the other
   way round), :class:`skactive.query.NetFeatures`, trained once and cached
   in ``--cache-dir`` (no weights are committed). ``--image-gan`` trains the
   GANs as convolutional nets on the 28 x 28 images (``image_shape``).
3. **SVM** (Algorithm 1 step 3): RBF SVC, ``C`` and ``gamma`` grid-searched by
   3-fold CV on macro-F1 over the real labeled features. Its best parameters
   are reused for every augmented refit and for the GANs' reward classifier
   (sigmoid-calibrated, ``CalibratedClassifierCV(..., ensemble=False, cv=3)``).
4. **Augmenters** add ``--extra`` (default 50 %) rows per class:
   RandomOverSampler and SMOTE (imbalanced-learn, reference rows), AC-GAN
   (``ActiveGANAugmenter(lam=0)``) and ActiveGAN (``lam=--lam``, default the
   package's 1.0, ``alpha=0.5`` as in the paper).
5. **"+F"** (Sec. 5.1: "use all generated images" versus "apply a constraint
   to filter out images that are not regarded as informative"): the same
   generated set, keeping only rows whose reward-classifier margin (Eq. 6) is
   at most ``t``, for each ``t`` in {0.1, 0.15, 0.2, 0.25, 0.3} (Sec. 5.2), so
   "+F" adds fewer rows than "all". The paper reports the best ``t`` per data
   set, i.e. tuned on the test set: we print that row (``+F best t``) and,
   as the honest number, ``+F t=0.3`` fixed in advance.
6. Macro F-score on the test set (the paper's F-score for multi-class), mean
   +- std over seeds; the delta to the SVM row is in parentheses.

Also printed: the informative ratio (Fig. 3: share of 1,000 generated samples,
spread evenly over the classes, with margin <= t) for AC-GAN and ActiveGAN, and
with ``--alpha-ablation`` Table 3 (ActiveGAN at alpha in {0, 0.3, 0.5, 0.7, 1}).

``--ctgan`` adds a CTGAN reference row (Xu et al., NeurIPS 2019; the ``ctgan``
package, not a dependency of skactive: the row is skipped with a message when
it does not import). CTGAN is trained on the labeled rows in the SVM's feature
space with the label as a discrete column, sampled conditioned on each label
for the same per-class counts; the label CTGAN emits is the row's label.

``--quick`` is a CI-scale smoke run (small n, one seed, short GAN training);
numbers from it mean nothing. Full mode on CPU: digits ~5 min, MNIST
(n = 500, 1k) ~15 min, Fashion-MNIST (n = 5k, 10k) ~40 min, the alpha ablation
another ~30 min (2 cores). ``--device cuda`` trains the GANs on a GPU.

Run ``python benchmarks/paper_reproduction.py --help``.
"""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from _common import (
    Stopwatch,
    add_data_home,
    add_generator_arguments,
    add_paper_gan_arguments,
    benchmark_parser,
    gan_options,
    mean_std,
    print_table,
    recorded,
    use_data_home,
)
from _evaluation import (
    PAPER_THRESHOLDS,
    extra_per_class,
    grid_search_svc,
    image_cnn,
    paper_reward_classifier,
    smote_k_neighbors,
    stratified_subset,
)
from _results import record, slug
from imblearn.over_sampling import SMOTE, RandomOverSampler
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import SVC

from skactive import ActiveGANAugmenter
from skactive.augment._gan_params import GAN_PARAMS_DEFAULTS
from skactive.datasets import load_fashion_mnist, load_mnist
from skactive.query import NetFeatures
from skactive.uncertainty import margin

ALPHAS = (0.0, 0.3, 0.5, 0.7, 1.0)
# The paper's Table 1 (F-score, %), n -> row -> value.
PAPER = {
    "mnist": {
        500: {
            "SVM": 94.6,
            "AC-GAN": 94.1,
            "AC-GAN+F": 94.5,
            "ActiveGAN": 94.9,
            "ActiveGAN+F": 95.3,
        },
        1000: {
            "SVM": 96.2,
            "AC-GAN": 95.8,
            "AC-GAN+F": 95.9,
            "ActiveGAN": 96.1,
            "ActiveGAN+F": 96.8,
        },
    },
    "fashion-mnist": {
        5000: {
            "SVM": 87.1,
            "AC-GAN": 85.4,
            "AC-GAN+F": 86.2,
            "ActiveGAN": 86.8,
            "ActiveGAN+F": 87.9,
        },
        10000: {
            "SVM": 88.1,
            "AC-GAN": 86.4,
            "AC-GAN+F": 87.3,
            "ActiveGAN": 87.8,
            "ActiveGAN+F": 89.2,
        },
    },
}
DEFAULT_SIZES = {"digits": [100, 300], "mnist": [500, 1000], "fashion-mnist": [5000, 10000]}


def load(dataset, n_test=None, seed=0):
    """Return (X_train, y_train, X_test, y_test or None); digits has no fixed test split."""
    if dataset == "digits":
        X, y = load_digits(return_X_y=True)
        return X.astype(np.float64), y, None, None
    loader = {"mnist": load_mnist, "fashion-mnist": load_fashion_mnist}[dataset]
    X_train, y_train = loader(subset="train")
    X_test, y_test = loader(subset="test")
    if n_test is not None and n_test < len(y_test):
        X_test, y_test = stratified_subset(X_test, y_test, n_test, seed)
    return X_train, y_train, X_test, y_test


def split(data, n, seed):
    X_train, y_train, X_test, y_test = data
    X_l, X_rest, y_l, y_rest = train_test_split(
        X_train, y_train, train_size=n, stratify=y_train, random_state=seed
    )
    if X_test is None:  # digits: every row not drawn is a test row
        X_test, y_test = X_rest, y_rest
    return X_l, y_l, X_test, y_test


OTHER_DATASET = {"mnist": "fashion-mnist", "fashion-mnist": "mnist"}


def pretrained_cnn(dataset, cache_dir):
    """Return NetFeatures of a CNN trained on the other data set (trained once, then cached).

    Frozen: an estimator that clones and fits it (the augmenter's reward
    classifier) keeps the pretrained weights instead of training a fresh CNN,
    from an unseeded start, on the labeled images alone.
    """
    other = OTHER_DATASET[dataset]
    features = NetFeatures(image_cnn(max_epochs=3))
    path = Path(cache_dir).expanduser() / f"feature_cnn_trained_on_{other}.pt"
    if path.exists():
        return FrozenEstimator(features.load_params(path))
    X, y = load(other)[:2]
    torch.manual_seed(0)
    with Stopwatch() as clock:
        features.fit(X.astype(np.float32), y.astype(np.int64))
    path.parent.mkdir(parents=True, exist_ok=True)
    features.save_params(path)
    print(f"  trained the feature CNN on {other} in {clock.seconds:.0f} s; cached in {path}")
    return FrozenEstimator(features)


def feature_map(kind, X_labeled, seed, pretrained=None):
    """Fit the fixed feature extractor on the real labeled rows (step 2)."""
    if kind == "cnn":
        return pretrained
    if kind == "raw":
        return FunctionTransformer().fit(X_labeled)
    n_components = min(50, X_labeled.shape[0] - 1, X_labeled.shape[1])
    return PCA(n_components, svd_solver="full", random_state=seed).fit(X_labeled)


def grid_searched_svm(F, y, seed):
    """Choose the RBF SVC's C x gamma by 3-fold CV on macro-F1; gamma relative to 'scale'."""
    scale = 1.0 / (F.shape[1] * F.var())
    grid = {"C": [1, 10, 100], "gamma": [scale / 2, scale, 2 * scale]}
    return grid_search_svc(F, y, grid, seed).best_params_


class Run:
    """One (data set, n, seed): the fixed features, the SVM and its scores."""

    def __init__(self, X_l, y_l, X_test, y_test, features, seed, pretrained=None):
        self.X_l, self.y_l, self.seed = X_l, y_l, seed
        self.fmap = feature_map(features, X_l, seed, pretrained)
        self.F_test, self.y_test = self.fmap.transform(X_test), y_test
        self.svm_params = grid_searched_svm(self.fmap.transform(X_l), y_l, seed)

    def score(self, X_new=None, y_new=None):
        """Macro F1 (%) of the SVM refitted on the real rows plus (X_new, y_new)."""
        X, y = self.X_l, self.y_l
        if X_new is not None and len(X_new):
            X, y = np.vstack([X, X_new]), np.concatenate([y, y_new])
        return self.score_features(self.fmap.transform(X), y)

    def score_features(self, F, y):
        """Macro F1 (%) of the SVM fitted on rows already in the feature space."""
        model = SVC(**self.svm_params).fit(F, y)
        return 100 * f1_score(self.y_test, model.predict(self.F_test), average="macro")

    def reward_classifier(self):
        """Return the fixed features + the calibrated best SVM (the paper's reward classifier).

        The augmenter clones and fits its classifier on the labeled rows: a PCA
        map is refitted on those same rows (the same map, up to rounding), the
        pretrained CNN is frozen (:func:`pretrained_cnn`).
        """
        svm = paper_reward_classifier(SVC(**self.svm_params))
        return (
            make_pipeline(self.fmap, svm) if not isinstance(self.fmap, FunctionTransformer) else svm
        )


def gan_rows(run, args, name, lam, alpha):
    """Scores of one trained GAN: all rows, +F at every threshold, informative ratio."""
    aug = ActiveGANAugmenter(
        sampling_strategy=extra_per_class(run.y_l, args.extra),
        classifier=run.reward_classifier(),
        lam=lam,
        alpha=alpha,
        max_iter=args.max_iter,
        n_warmup_iter=args.warmup,
        device=args.device,
        random_state=run.seed,
        gan_params={**gan_options(args), "batch_sampling": args.batch_sampling},
        **({"image_shape": (1, 28, 28), "hidden_layer_sizes": (64, 32)} if args.image_gan else {}),
    )
    with Stopwatch() as clock:
        X_res, y_res = aug.fit_resample(run.X_l, run.y_l)
    X_gen, y_gen = X_res[len(run.X_l) :], y_res[len(run.y_l) :]
    m = margin(aug.classifier_.predict_proba(X_gen))
    out = {name: run.score(X_gen, y_gen)}
    kept = {}
    for t in PAPER_THRESHOLDS:
        keep = m <= t
        out[f"{name}+F t={t}"] = run.score(X_gen[keep], y_gen[keep])
        kept[t] = keep.mean()
    ratio = aug.informative_ratio(PAPER_THRESHOLDS, n_samples=1000, random_state=run.seed)
    return out, {"fit_s": clock.seconds, "kept": kept, "ratio": ratio}


def ctgan_row(run, args):
    """Macro F1 (%) with CTGAN rows added (reference peer; features, not pixels)."""
    from ctgan import CTGAN

    F = run.fmap.transform(run.X_l)
    frame = pd.DataFrame(F, columns=[f"f{j}" for j in range(F.shape[1])])
    frame["label"] = run.y_l.astype(str)
    model = CTGAN(epochs=args.ctgan_epochs, cuda=args.device != "cpu")
    model.set_random_state(run.seed)
    model.fit(frame, discrete_columns=["label"])
    counts = extra_per_class(run.y_l, args.extra)
    parts = [
        model.sample(counts[c] - n, condition_column="label", condition_value=str(c))
        for c, n in Counter(run.y_l).items()
        if counts[c] > n
    ]
    gen = pd.concat(parts)
    F_gen = gen.drop(columns="label").to_numpy(dtype=float)
    y_gen = gen["label"].to_numpy().astype(run.y_l.dtype)
    return run.score_features(np.vstack([F, F_gen]), np.concatenate([run.y_l, y_gen]))


def evaluate(args):
    data = load(args.dataset, args.n_test)
    pretrained = pretrained_cnn(args.dataset, args.cache_dir) if args.features_ == "cnn" else None
    scores, info = {}, {}
    for n in args.sizes:
        for seed in range(args.seeds):
            X_l, y_l, X_test, y_test = split(data, n, seed)
            run = Run(X_l, y_l, X_test, y_test, args.features_, seed, pretrained)
            row = scores.setdefault(n, {})
            row.setdefault("SVM", []).append(run.score())
            counts = extra_per_class(y_l, args.extra)
            k = smote_k_neighbors(y_l)
            for name, sampler in {
                "RandomOverSampler": RandomOverSampler(sampling_strategy=counts, random_state=seed),
                "SMOTE": SMOTE(sampling_strategy=counts, k_neighbors=k, random_state=seed),
            }.items():
                X_res, y_res = sampler.fit_resample(X_l, y_l)
                row.setdefault(name, []).append(run.score(X_res[len(X_l) :], y_res[len(y_l) :]))
            if args.ctgan:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    row.setdefault("CTGAN", []).append(ctgan_row(run, args))
            gans = [("AC-GAN", 0.0, args.alpha), ("ActiveGAN", args.lam, args.alpha)]
            if args.alpha_ablation:
                gans += [(f"ActiveGAN a={a}", args.lam, a) for a in ALPHAS if a != args.alpha]
            for name, lam, alpha in gans:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", UserWarning)
                    out, extra = gan_rows(run, args, name, lam, alpha)
                for key, value in out.items():
                    row.setdefault(key, []).append(value)
                info.setdefault((n, name), []).append(extra)
            print(
                f"  done n={n} seed={seed} "
                f"({', '.join(f'{k}={v:.2f}' for k, v in run.svm_params.items())})",
                flush=True,
            )
    return scores, info


def collapse_f(row):
    """Per seed, the +F score at t=0.3 and at the best t (the paper's protocol)."""
    out = dict(row)
    for name in ("AC-GAN", "ActiveGAN"):
        per_t = np.array([row[f"{name}+F t={t}"] for t in PAPER_THRESHOLDS])  # (t, seed)
        best_t = int(np.argmax(per_t.mean(axis=1)))
        out[f"{name}+F t=0.3"] = list(per_t[-1])
        out[f"{name}+F best t={PAPER_THRESHOLDS[best_t]}"] = list(per_t[best_t])
    return out


def print_table1(args, scores):
    record(
        "scores",
        [
            {"n": n, "method": name, "seed": seed, "macro_f1": value}
            for n, row in scores.items()
            for name, values in row.items()
            for seed, value in enumerate(values)
        ],
    )
    title = (
        f"Table 1 ({args.dataset}): macro F-score (%) on the test set, mean +- std over "
        f"{args.seeds} seed(s); features: {args.features_}; augmenters add "
        f"{args.extra:.0%} rows per class; ActiveGAN lam={args.lam}, alpha={args.alpha}, "
        f"max_iter={args.max_iter}"
    )
    rows = {n: collapse_f(scores[n]) for n in args.sizes}
    names = [k for k in rows[args.sizes[0]] if " t=" not in k or "best" in k or "t=0.3" in k]
    names = [k for k in names if "a=" not in k]
    table = {}
    for name in sorted(names, key=_order):
        cells = table[_label(name)] = {}
        for n in args.sizes:
            key = name if name in rows[n] else None
            if key is None:  # "best t" may differ between sizes
                prefix = name.split(" best")[0]
                key = next(k for k in rows[n] if k.startswith(prefix + " best"))
            v = np.asarray(rows[n][key])
            d = v.mean() - np.mean(rows[n]["SVM"])
            paper = PAPER.get(args.dataset, {}).get(n, {}).get(_paper_key(key))
            cells[(f"n={n}", "ours (d SVM)")] = f"{mean_std(v)} ({d:+.2f})"
            cells[(f"n={n}", "paper")] = f"{paper:.1f}" if paper is not None else "-"
            cells[(f"n={n}", "")] = key.split(" best ")[1] if "best" in key else ""
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index.name = "method"
    print_table(frame, title=title, key="table1")


def _order(name):
    order = [
        "SVM",
        "RandomOverSampler",
        "SMOTE",
        "CTGAN",
        "AC-GAN",
        "AC-GAN+F t=0.3",
        "AC-GAN+F best",
        "ActiveGAN",
        "ActiveGAN+F t=0.3",
        "ActiveGAN+F best",
    ]
    return next(
        i
        for i, o in enumerate(order)
        if name.startswith(o) and (name == o or "best" in o or "t=" in o)
    )


def _label(name):
    return name.split(" best")[0] + " best t" if "best" in name else name


def _paper_key(key):
    if "+F" in key:
        return key.split("+F")[0] + "+F" if "best" in key else None
    return key


def print_fig3(args, info):
    record(
        "gan_fits",
        [
            {
                "n": n,
                "method": name,
                "seed": seed,
                "fit_s": r["fit_s"],
                **{f"kept t={t}": r["kept"][t] for t in PAPER_THRESHOLDS},
                **{f"ratio t={t}": v for t, v in zip(PAPER_THRESHOLDS, r["ratio"], strict=True)},
            }
            for (n, name), runs in sorted(info.items())
            for seed, r in enumerate(runs)
        ],
    )
    title = (
        f"Fig. 3 ({args.dataset}): informative ratio (%) = share of 1000 generated "
        "samples with reward-classifier margin <= t, mean over seeds; and the share of "
        "the generated training rows kept by +F"
    )
    table = {}
    for (n, name), runs in sorted(info.items()):
        ratio = 100 * np.mean([r["ratio"] for r in runs], axis=0)
        kept = [100 * np.mean([r["kept"][t] for r in runs]) for t in (0.1, 0.3)]
        table[(n, name)] = {
            **{f"t={t}": v for t, v in zip(PAPER_THRESHOLDS, ratio, strict=True)},
            "kept by +F at t=0.1 / 0.3": f"{kept[0]:.1f} % / {kept[1]:.1f} %",
            "GAN fit s": np.mean([r["fit_s"] for r in runs]),
        }
    frame = pd.DataFrame(
        list(table.values()), index=pd.MultiIndex.from_tuples(table, names=["n", "method"])
    )
    print_table(frame, column_decimals={"GAN fit s": 1}, title=title, key="fig3")


def print_table3(args, scores):
    title = (
        f"Table 3 ({args.dataset}): alpha ablation of ActiveGAN (Eq. 8), macro F (%), "
        "all generated rows / +F best t (paper, CIFAR-10 n=10k, +F: "
        "86.4 / 86.7 / 86.8 / 86.2 / 85.7)"
    )
    table = {}
    for n in args.sizes:
        row = scores[n]
        cells = table[f"n={n}"] = {}
        for a in ALPHAS:
            name = "ActiveGAN" if a == args.alpha else f"ActiveGAN a={a}"
            per_t = np.array([row[f"{name}+F t={t}"] for t in PAPER_THRESHOLDS])
            cells[f"a={a}"] = f"{np.mean(row[name]):.2f} / {per_t.mean(axis=1).max():.2f}"
    print_table(pd.DataFrame.from_dict(table, orient="index"), title=title, key="table3")


def results_name(args):
    """Return ``paper_reproduction_<data set>`` plus the options that define another experiment.

    Those are ``--alpha-ablation`` (``_alpha``), features other than the data
    set's default (``_cnn``, ...), ``--image-gan``, sizes other than the
    defaults (``_n5000``), ``--max-iter`` other than 1,500 (``_iterauto``),
    the other ``--batch-sampling`` and ``--ctgan``.
    """
    name = f"paper_reproduction_{slug(args.dataset)}"
    if args.alpha_ablation:
        name += "_alpha"
    if args.features_ != ("raw" if args.dataset == "digits" else "pca"):
        name += f"_{args.features_}"
    if args.image_gan:
        name += "_imagegan"
    if args.sizes != DEFAULT_SIZES[args.dataset]:
        name += "_n" + "_".join(map(str, args.sizes))
    if args.max_iter != 1500:
        name += f"_iter{args.max_iter}"
    if args.batch_sampling != GAN_PARAMS_DEFAULTS["batch_sampling"]:
        name += f"_{args.batch_sampling}"
    if args.ctgan:
        name += "_ctgan"
    return name


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="CI-scale smoke run")
    parser.add_argument("--dataset", choices=["digits", "mnist", "fashion-mnist"], default="digits")
    parser.add_argument("--sizes", type=int, nargs="+")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--features", choices=["auto", "raw", "pca", "cnn"], default="auto")
    parser.add_argument(
        "--cache-dir",
        default="~/.cache/skactive",
        help="where --features cnn keeps the trained feature CNN",
    )
    parser.add_argument(
        "--image-gan", action="store_true", help="convolutional GANs on the 28 x 28 images"
    )
    add_paper_gan_arguments(parser)
    parser.add_argument("--n-test", type=int, help="subsample the test split (default: all)")
    parser.add_argument("--alpha-ablation", action="store_true", help="Table 3")
    parser.add_argument(
        "--batch-sampling",
        choices=["uniform", "balanced"],
        default=GAN_PARAMS_DEFAULTS["batch_sampling"],
        help="the GANs' batch_sampling (default: the package default)",
    )
    add_generator_arguments(parser, GAN_PARAMS_DEFAULTS)
    parser.add_argument(
        "--ctgan", action="store_true", help="add a CTGAN reference row (needs the ctgan package)"
    )
    parser.add_argument("--ctgan-epochs", type=int, default=300)
    parser.add_argument("--device", default="cpu")
    add_data_home(parser)
    args = parser.parse_args(argv)
    use_data_home(args)
    if args.quick:
        args.seeds, args.max_iter, args.warmup = 1, 60, 20
        args.ctgan_epochs = min(args.ctgan_epochs, 5)
        args.n_test = args.n_test or 500
        args.sizes = args.sizes or [{"digits": 100}.get(args.dataset, 200)]
    args.sizes = args.sizes or DEFAULT_SIZES[args.dataset]
    args.features_ = (
        args.features if args.features != "auto" else ("raw" if args.dataset == "digits" else "pca")
    )
    if args.dataset == "digits" and (args.features_ == "cnn" or args.image_gan):
        parser.error("--features cnn and --image-gan need 28 x 28 images (mnist, fashion-mnist)")
    if args.ctgan:
        try:
            import ctgan  # noqa: F401
        except ImportError as exc:
            print(f"CTGAN row skipped: {exc} (pip install ctgan)")
            args.ctgan = False
    torch.set_num_threads(1)  # for the CTGAN row: its fits run outside skactive's n_jobs
    with recorded(args, results_name(args), seeds=range(args.seeds)):
        scores, info = evaluate(args)
        print_table1(args, scores)
        print_fig3(args, info)
        if args.alpha_ablation:
            print_table3(args, scores)
    return scores, info


if __name__ == "__main__":
    main()
