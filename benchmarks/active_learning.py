"""Pool-based active learning with ActiveLearningClassifier: the papers' protocols.

Each run is one ``ActiveLearningClassifier(SVC(), strategy, ...)`` fitted in
simulation mode (labels revealed only when queried) with the held-out test
split as its validation set, so ``history_`` holds the test accuracy after
every cycle:

- **AALU protocol** (Zhu & Wang, Sec. 3): start with 10 % of the training
  pool labeled at random, query 5 % of it per cycle, stop at 40 %; the task
  model is retrained from scratch each cycle.
- **TA-VAAL imbalanced profile** (Kim et al., Table 1; ``--profile 1.89`` etc.):
  the training pool is first made imbalanced with the per-class fractions of
  the paper's imbalanced CIFAR-10 (relative to the smallest class), the test
  split stays balanced; then the same 10 % + 5 % -> 40 % schedule (TA-VAAL
  used 1k + 1k per stage to 5k on 16.5k-23k images, i.e. ~5 % steps too).

Reported per strategy (mean over seeds): test accuracy per cycle, the area
under the learning curve (AULC: trapezoid over the labeled fraction divided
by its range, so it reads as a mean accuracy) +- std over seeds, the entropy
of the class counts of the labeled set at the last cycle (TA-VAAL Fig. 6:
higher = selections spread over more classes; the pool's own entropy is
printed for reference), and the mean query and refit seconds per cycle.

"AALU + ActiveGAN" is AALU with ``augmenter=ActiveGANAugmenter(...)``: each
cycle the labeled set gets 50 % more rows per class from a freshly trained
ActiveGAN with the "+F" margin filter (0.2), before the SVC is refitted; the
strategy still sees only real labeled rows. Under ``--profile`` its reward
classifier is ``LogisticRegression``: the default (sigmoid-calibrated SVC)
needs 2 labeled rows per class, which an imbalanced 10 % draw does not
guarantee (the augmenter then raises a clear error).

Data: sklearn's digits (raw 0-16 pixels, 75/25 stratified split per seed) or
Fashion-MNIST from ``../shared/data`` (``--dataset fashion-mnist``; pixels in
[0, 1], stratified subsamples of ``--n-pool`` training and ``--n-test`` test
images per seed; raw pixels, no deep features). ``--model cnn``
(Fashion-MNIST) replaces the SVC by a small skorch CNN
(``_evaluation.FeatureCNN``, ``--cnn-epochs`` Adam epochs per cycle, trained
from scratch each cycle), and core-set, BADGE, VAAL, learning loss, AALU and
TA-VAAL then measure in its penultimate layer
(``feature_extractor="penultimate"``), as their papers do. The strategies
named "(joint)" (run only when ``--only`` names them, ``--model cnn``) use
the papers' own construction instead: the CNN is a ``LossPredictionNet`` whose
loss-prediction module reads every stage and trains with it on each
mini-batch (Yoo & Kweon's hinge for learning loss, RankCGAN's loss for
TA-VAAL), and the query ranks by that module (``ranker="task_model"``);
"Random (joint net)" is random picks with the same network, to separate what
the module does to the task model from what it picks.

Run ``python benchmarks/active_learning.py --help``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
from _common import (
    Stopwatch,
    add_data_home,
    benchmark_parser,
    mean_std,
    print_table,
    recorded,
    use_data_home,
)
from _evaluation import extra_per_class, ignore_filter_shortfall, image_cnn, stratified_subset
from _results import record
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from skactive import ActiveGANAugmenter, ActiveLearningClassifier
from skactive.datasets import TAVAAL_PROFILES, class_entropy, load_fashion_mnist, make_imbalanced
from skactive.query import (
    AALUQuery,
    BADGEQuery,
    CoreSetQuery,
    LearningLossQuery,
    RandomQuery,
    TAVAALQuery,
    UncertaintyQuery,
    VAALQuery,
)

NAMES = [
    "Random",
    "Margin",
    "Entropy",
    "Core-set",
    "BADGE",
    "VAAL",
    "LearningLoss",
    "AALU",
    "TA-VAAL",
    "AALU + ActiveGAN",
]
# With --model cnn: the task model is a LossPredictionNet (its loss-prediction module trained
# with the CNN, with this ranking loss) and the strategy reads that module (ranker="task_model")
JOINT = {
    "Random (joint net)": "margin",
    "LearningLoss (joint)": "margin",
    "TA-VAAL (joint)": "rankcgan",
}


def half_more_per_class(y):
    """Return the imbalanced-learn sampling_strategy of 50 % more rows for every class."""
    return extra_per_class(y, 0.5)


def strategy_and_augmenter(name, seed, imbalanced=False, penultimate=False):
    """Return (query strategy, augmenter or None), package defaults.

    With ``penultimate`` the strategies that work in a feature space read the
    task model's penultimate layer (``feature_extractor="penultimate"``), as
    the deep active-learning papers do with their CNNs.
    """
    space = {"feature_extractor": "penultimate"} if penultimate else {}

    def in_space(cls):
        return lambda random_state: cls(random_state=random_state, **space)

    strategies = {
        "Random": RandomQuery,
        "Margin": lambda random_state: UncertaintyQuery("margin", random_state=random_state),
        "Entropy": lambda random_state: UncertaintyQuery("entropy", random_state=random_state),
        "Core-set": in_space(CoreSetQuery),
        "BADGE": in_space(BADGEQuery),
        "VAAL": in_space(VAALQuery),
        "LearningLoss": in_space(LearningLossQuery),
        "AALU": in_space(AALUQuery),
        "TA-VAAL": in_space(TAVAALQuery),
        "AALU + ActiveGAN": in_space(AALUQuery),
        "Random (joint net)": RandomQuery,
        "LearningLoss (joint)": lambda random_state: LearningLossQuery(
            ranker="task_model", random_state=random_state
        ),
        "TA-VAAL (joint)": lambda random_state: TAVAALQuery(
            ranker="task_model", random_state=random_state, **space
        ),
    }
    augmenter = None
    if name == "AALU + ActiveGAN":
        # the default reward classifier (sigmoid-calibrated SVC) needs 2 labeled rows per
        # class, which a 10 % draw from an imbalanced profile does not guarantee
        reward = LogisticRegression(max_iter=1000) if imbalanced else None
        augmenter = ActiveGANAugmenter(
            sampling_strategy=half_more_per_class,
            margin=0.2,
            classifier=reward,
            max_iter=1500,  # the default when docs/active.md was measured (now "auto")
            random_state=seed,
        )
    return strategies[name](random_state=seed), augmenter


def load(dataset, seed, n_pool, n_test):
    """Return (X_pool, y_pool, X_test, y_test) for one seed."""
    if dataset == "digits":
        X, y = load_digits(return_X_y=True)
        return _split(X, y, 0.25, seed)
    X, y = load_fashion_mnist(subset="train")
    X_test, y_test = load_fashion_mnist(subset="test")
    return (
        *stratified_subset(X, y, n_pool, seed),
        *stratified_subset(X_test, y_test, n_test, seed),
    )


def _split(X, y, test_size, seed):
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed
    )
    return X_pool, y_pool, X_test, y_test


def run_one(name, seed, X_pool, y_pool, X_test, y_test, args):
    """Run one active-learning simulation; return per-cycle accuracies, entropies, timings."""
    n = len(y_pool)
    cnn = args.model == "cnn"
    strategy, augmenter = strategy_and_augmenter(name, seed, args.profile is not None, cnn)
    if cnn:  # skorch draws the initial weights from torch's global generator
        torch.manual_seed(seed)
        X_pool, X_test = X_pool.astype(np.float32), X_test.astype(np.float32)
        y_pool, y_test = y_pool.astype(np.int64), y_test.astype(np.int64)
    learner = ActiveLearningClassifier(
        image_cnn(args.cnn_epochs, ranking_loss=JOINT.get(name)) if cnn else SVC(),
        query_strategy=strategy,
        n_initial=int(round(args.start * n)),
        batch_size=int(round(args.step * n)),
        budget=int(round(args.step * n)) * args.cycles,
        augmenter=augmenter,
        random_state=seed,
    ).fit(X_pool, y_pool, X_val=X_test, y_val=y_test)
    when = learner.labeled_iter_
    entropies = [
        class_entropy(y_pool[(when >= 0) & (when <= h["cycle"])]) for h in learner.history_
    ]
    return dict(
        accuracy=np.array([h["val_score"] for h in learner.history_]),
        entropy=np.array(entropies),
        n_labeled=np.array([h["n_labeled"] for h in learner.history_]),
        query_time=np.mean([h["query_time"] for h in learner.history_[1:]]),
        fit_time=np.mean([h["fit_time"] for h in learner.history_]),
    )


def aulc(fractions, accuracies):
    """Area under the learning curve over the labeled fraction, divided by its range."""
    x = np.asarray(fractions, dtype=float)
    y = np.asarray(accuracies, dtype=float)
    return float(np.sum((y[1:] + y[:-1]) / 2 * np.diff(x)) / (x[-1] - x[0]))


def model_name(args):
    """Name the task model in the table header."""
    if args.model == "cnn":
        return f"skorch CNN ({args.cnn_epochs} epochs per cycle; penultimate-layer strategies)"
    return "SVC"


def print_tables(args, names, results, pool_entropy, n_pool):
    fractions = args.start + args.step * np.arange(args.cycles + 1)
    columns = [f"{f:.0%}" for f in fractions]
    profile = "balanced" if args.profile is None else f"TA-VAAL profile {args.profile}"
    title = (
        f"{args.dataset}, {profile}, pool {n_pool} rows (class entropy "
        f"{np.mean(pool_entropy):.2f}), {model_name(args)}, start {args.start:.0%} "
        f"+{args.step:.0%} x "
        f"{args.cycles} cycles, {args.seeds} seed(s): test accuracy (%), mean over seeds"
    )
    record(
        "curves",
        [
            {
                "strategy": name,
                "seed": seed,
                "labeled_fraction": float(f),
                "accuracy": 100 * float(acc),
                "class_entropy": float(h),
            }
            for name in names
            for seed, r in enumerate(results[name])
            for f, acc, h in zip(fractions, r["accuracy"], r["entropy"], strict=True)
        ],
    )
    table = {}
    for name in names:
        curves = np.array([r["accuracy"] for r in results[name]]) * 100
        table[name] = {
            **dict(zip(columns, curves.mean(axis=0), strict=True)),
            "AULC +- std": mean_std([aulc(fractions, c) for c in curves]),
            "H(sel)": np.mean([r["entropy"][-1] for r in results[name]]),
            "query s": np.mean([r["query_time"] for r in results[name]]),
            "fit s": np.mean([r["fit_time"] for r in results[name]]),
        }
    frame = pd.DataFrame.from_dict(table, orient="index")
    frame.index.name = "strategy"
    print_table(frame, column_decimals={"H(sel)": 3}, title=title, key="accuracy")
    entropy_title = (
        "Class-count entropy of the labeled set per cycle (TA-VAAL Fig. 6; nats, "
        f"mean over seeds; the whole pool: {np.mean(pool_entropy):.3f})"
    )
    entropies = [np.mean([r["entropy"] for r in results[name]], axis=0) for name in names]
    frame = pd.DataFrame(entropies, index=pd.Index(names, name="strategy"), columns=columns)
    print_table(frame, decimals=3, title=entropy_title, key="class_entropy")


def main(argv=None):
    parser = benchmark_parser(__doc__, quick_help="1 seed, 2 cycles: a smoke run")
    parser.add_argument("--dataset", choices=["digits", "fashion-mnist"], default="digits")
    parser.add_argument(
        "--profile",
        type=float,
        default=None,
        choices=sorted(TAVAAL_PROFILES),
        help="TA-VAAL imbalance profile (dataset entropy of its Table 1); default: balanced",
    )
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--start", type=float, default=0.10)
    parser.add_argument("--step", type=float, default=0.05)
    parser.add_argument("--cycles", type=int, default=6)
    parser.add_argument("--n-pool", type=int, default=3000, help="Fashion-MNIST pool size")
    parser.add_argument("--n-test", type=int, default=2000, help="Fashion-MNIST test size")
    parser.add_argument(
        "--only",
        nargs="*",
        choices=NAMES + list(JOINT),
        help="strategies (default: all; the joint ones need --model cnn and are run only "
        "when named)",
    )
    parser.add_argument(
        "--model",
        choices=["svc", "cnn"],
        default="svc",
        help="task model: RBF SVC, or a skorch CNN (fashion-mnist only)",
    )
    parser.add_argument("--cnn-epochs", type=int, default=10)
    add_data_home(parser)
    args = parser.parse_args(argv)
    use_data_home(args)
    if args.model == "cnn" and args.dataset != "fashion-mnist":
        parser.error("--model cnn needs 28 x 28 images: --dataset fashion-mnist")
    if args.model != "cnn" and set(args.only or ()) & set(JOINT):
        parser.error("the joint strategies train a loss-prediction module with a CNN: --model cnn")
    if args.quick:
        args.seeds, args.cycles = 1, 2
    # the "+F" filter warns when few generated rows pass; expected here, not news
    ignore_filter_shortfall()
    names = args.only or NAMES
    results = {name: [] for name in names}
    pool_entropy = []
    name = f"active_learning_{args.dataset}_" + (
        "balanced" if args.profile is None else f"profile{args.profile}"
    )
    name += "" if args.model == "svc" else f"_{args.model}"
    with recorded(args, name, seeds=range(args.seeds)):
        run(args, names, results, pool_entropy)


def run(args, names, results, pool_entropy):
    """Every strategy on every seed, then the tables."""
    for seed in range(args.seeds):
        X_pool, y_pool, X_test, y_test = load(args.dataset, seed, args.n_pool, args.n_test)
        if args.profile is not None:
            X_pool, y_pool = make_imbalanced(X_pool, y_pool, args.profile, random_state=seed)
        pool_entropy.append(class_entropy(y_pool))
        for name in names:
            with Stopwatch() as clock:
                result = run_one(name, seed, X_pool, y_pool, X_test, y_test, args)
            results[name].append(result)
            print(
                f"seed {seed} {name:<18} final acc {result['accuracy'][-1]:.4f} "
                f"({clock.seconds:.0f} s)",
                flush=True,
            )
    print_tables(args, names, results, pool_entropy, len(y_pool))


if __name__ == "__main__":
    main()
