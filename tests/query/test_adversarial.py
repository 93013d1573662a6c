"""VAAL, learning loss, AALU, TA-VAAL: their losses by hand and the behaviour that defines them."""

import warnings

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from skactive.query import (
    AALUQuery,
    LearningLossQuery,
    TAVAALQuery,
    VAALQuery,
    task_losses,
)
from skactive.query._nets import (
    VAE,
    TrainingRun,
    margin_ranking_loss,
    rankcgan_loss,
    score_chunks,
    vae_loss,
)
from skactive.query._training import train_ranker

SMALL = dict(hidden_layer_sizes=(32,), train_batch_size=32)


# --------------------------------------------------------------------------- losses by hand


def test_ranked_hinge_loss_by_hand():
    # AALU Eq. 8 / learning loss: pairs (0, 2) and (1, 3) of a batch of 4.
    predicted = torch.tensor([0.50, 0.20, 0.45, 0.60])
    target = torch.tensor([3.0, 1.0, 2.0, 0.5])
    # pair 0: l0 > l2 -> sign +1: max(0, -(0.50 - 0.45) + 0.1) = 0.05
    # pair 1: l1 > l3 -> sign +1: max(0, -(0.20 - 0.60) + 0.1) = 0.50
    value = margin_ranking_loss(predicted, target, margin=0.1)
    assert float(value) == pytest.approx((0.05 + 0.50) / 2)


def test_rankcgan_loss_by_hand():
    # TA-VAAL Eq. 4 with B = 4: pairs (0, 2) and (1, 3).
    predicted = torch.tensor([2.0, 0.0, 1.0, 1.0])
    target = torch.tensor([5.0, 1.0, 4.0, 2.0])  # I = [1, 0]
    sig = 1 / (1 + np.exp(-1.0))  # sig(2 - 1) for pair 0, sig(0 - 1) = 1 - sig for pair 1
    expected = -(2 / 4) * (np.log(sig) + np.log(1 - (1 - sig)))
    assert float(rankcgan_loss(predicted, target)) == pytest.approx(expected, rel=1e-6)


def test_vae_loss_by_hand():
    x = torch.tensor([[1.0, 2.0]])
    reconstruction = torch.tensor([[0.0, 2.0]])
    mu, logvar = torch.tensor([[1.0]]), torch.tensor([[0.0]])
    # squared error 1; KL = -0.5 (1 + 0 - 1 - 1) = 0.5
    assert float(vae_loss(x, reconstruction, mu, logvar, kl_weight=2.0)) == pytest.approx(2.0)


def test_vae_condition_reaches_the_decoder():
    vae = VAE(3, 2, (8,), n_condition=1)
    x = torch.randn(4, 3)
    g = torch.Generator().manual_seed(0)
    out_a = vae(x, torch.zeros(4, 1), generator=g)[0]
    g = torch.Generator().manual_seed(0)
    out_b = vae(x, torch.ones(4, 1), generator=g)[0]
    assert not torch.allclose(out_a, out_b)


# --------------------------------------------------------------------------- behaviour


@pytest.fixture(scope="module")
def two_clusters():
    """Labeled rows all in cluster A; the pool is half A, half a far cluster B."""
    rng = np.random.RandomState(0)
    A = rng.normal(0.0, 1.0, (150, 6))
    B = rng.normal(4.0, 1.0, (50, 6))
    labeled, pool = A[:100], np.r_[A[100:], B]
    y_labeled = (labeled[:, 0] > 0).astype(int)
    model = LogisticRegression().fit(labeled, y_labeled)
    return pool, labeled, y_labeled, model, np.r_[np.zeros(50), np.ones(50)].astype(bool)


@pytest.mark.parametrize(
    "strategy",
    [
        VAALQuery(max_iter=300, random_state=0, **SMALL),
        AALUQuery(max_iter=300, lam=0.0, random_state=0, **SMALL),
        AALUQuery(max_iter=300, random_state=0, **SMALL),
        TAVAALQuery(max_iter=300, subset_size=100, random_state=0, **SMALL),
    ],
    ids=["VAAL", "AALU-adversarial-only", "AALU", "TA-VAAL"],
)
def test_discriminator_separates_labeled_from_unlabeled_cluster(strategy, two_clusters):
    pool, labeled, y_labeled, model, in_b = two_clusters
    picked = strategy.query(
        pool, estimator=model, X_labeled=labeled, y_labeled=y_labeled, batch_size=20
    )
    assert in_b[picked].mean() >= 0.9  # unlike the labeled set -> queried


def test_train_ranker_learns_the_order():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 3))
    losses = X[:, 0] ** 2 + 0.1 * X[:, 1]
    run = TrainingRun(torch.device("cpu"), np.random.RandomState(0), 64, 1e-2)
    for loss in (lambda p, t: margin_ranking_loss(p, t, 1.0), rankcgan_loss):
        ranker = train_ranker(
            run, run.tensor(X), run.tensor(losses), hidden=(32,), n_iter=400, ranking_loss=loss
        )
        predicted = score_chunks(lambda x, r=ranker: r(x).squeeze(1), run.tensor(X))
        assert spearmanr(predicted, losses).statistic > 0.9


def test_learning_loss_queries_rows_the_model_gets_wrong():
    # A linear model cannot fit XOR-like labels in the corner x0 > 1: its out-of-fold
    # losses are large there, and the module learns to predict that.
    rng = np.random.RandomState(0)
    X = rng.uniform(-2, 2, (400, 2))
    y = (X[:, 1] > 0).astype(int)
    corner = X[:, 0] > 1
    y[corner] = 1 - y[corner]
    labeled, pool = slice(0, 250), slice(250, 400)
    model = LogisticRegression().fit(X[labeled], y[labeled])
    strategy = LearningLossQuery(max_iter=400, random_state=0, **SMALL)
    picked = strategy.query(
        X[pool], estimator=model, X_labeled=X[labeled], y_labeled=y[labeled], batch_size=20
    )
    assert corner[pool][picked].mean() > 2 * corner[pool].mean()


def test_task_losses_out_of_fold_are_larger_than_in_sample():
    from sklearn.svm import SVC

    rng = np.random.RandomState(0)
    X = rng.normal(size=(120, 4))
    y = (X[:, 0] + 0.5 * rng.normal(size=120) > 0).astype(int)
    model = SVC(C=100.0).fit(X, y)
    in_sample = task_losses(model, X, y, cv=None)
    out_of_fold = task_losses(model, X, y, cv=5, random_state=0)
    assert out_of_fold.mean() > in_sample.mean()
    assert np.all(np.isfinite(out_of_fold)) and np.all(out_of_fold >= 0)


def test_task_losses_single_row_class_warns():
    X = np.arange(7, dtype=float)[:, None]
    y = np.array([0, 0, 0, 1, 1, 1, 2])
    model = LogisticRegression().fit(X, y)
    with pytest.warns(UserWarning, match="single row"):
        losses = task_losses(model, X, y, cv=5)
    assert losses.shape == (7,)


def test_tavaal_queries_inside_its_random_subset(two_clusters):
    pool, labeled, y_labeled, model, _ = two_clusters
    strategy = TAVAALQuery(max_iter=30, random_state=0, **SMALL)
    picked, utilities = strategy.query(
        pool,
        estimator=model,
        X_labeled=labeled,
        y_labeled=y_labeled,
        batch_size=3,
        return_utilities=True,
    )
    scored = np.flatnonzero(~np.isnan(utilities))
    assert scored.size == 30  # 10 x batch_size, the paper's subset
    assert set(picked) <= set(scored)
    assert np.all(utilities[picked] >= np.nanmin(utilities))
    with pytest.raises(ValueError, match="subset_size=2 is smaller than batch_size=3"):
        TAVAALQuery(subset_size=2, max_iter=2).query(
            pool, estimator=model, X_labeled=labeled, y_labeled=y_labeled, batch_size=3
        )


@pytest.mark.parametrize("Strategy", [VAALQuery, AALUQuery, TAVAALQuery, LearningLossQuery])
def test_torch_strategies_bad_input(Strategy, two_clusters):
    pool, labeled, y_labeled, model, _ = two_clusters
    args = dict(estimator=model, X_labeled=labeled, y_labeled=y_labeled)
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        Strategy(hidden_layer_sizes=(0,), max_iter=1).query(pool, **args)
    with pytest.raises(ValueError, match="CUDA is not available|cuda"):
        if torch.cuda.is_available():
            pytest.skip("CUDA present")
        Strategy(device="cuda", max_iter=1).query(pool, **args)
    with pytest.raises(ValueError, match="features but X_pool has"):
        Strategy(max_iter=1).query(
            pool[:, :3], **{**args, "estimator": None} if Strategy is VAALQuery else args
        )
    with pytest.raises(ValueError, match="learning_rate"):
        Strategy(learning_rate=-1.0).query(pool, **args)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
@pytest.mark.parametrize("Strategy", [VAALQuery, AALUQuery, TAVAALQuery, LearningLossQuery])
def test_cuda_path(Strategy, two_clusters):
    pool, labeled, y_labeled, model, _ = two_clusters
    picked = Strategy(device="cuda", max_iter=20, random_state=0).query(
        pool, estimator=model, X_labeled=labeled, y_labeled=y_labeled, batch_size=5
    )
    assert len(set(picked)) == 5


def test_task_losses_in_sample_with_classes_beyond_the_labeled_set():
    from sklearn.datasets import load_iris

    X, y = load_iris(return_X_y=True)
    model = LogisticRegression(max_iter=500).fit(X, y)  # knows classes 0, 1, 2
    labeled = y < 2
    losses = task_losses(model, X[labeled], y[labeled], cv=None)
    proba = model.predict_proba(X[labeled])
    np.testing.assert_allclose(losses, -np.log(proba[np.arange(labeled.sum()), y[labeled]]))
    picked = AALUQuery(cv=None, max_iter=5, random_state=0, **SMALL).query(
        X, estimator=model, X_labeled=X[labeled], y_labeled=y[labeled], batch_size=2
    )
    assert len(set(picked)) == 2


def test_vaal_needs_no_labels(two_clusters):
    pool, labeled, _, _, _ = two_clusters
    picked = VAALQuery(max_iter=5, random_state=0, **SMALL).query(pool, X_labeled=labeled)
    assert picked.shape == (1,)


class PredictOnly(ClassifierMixin, BaseEstimator):
    """A classifier without predict_proba or decision_function."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


@pytest.mark.parametrize("Strategy", [LearningLossQuery, TAVAALQuery, AALUQuery, VAALQuery])
def test_predict_only_estimator_gets_a_clear_error(Strategy, two_clusters):
    pool, labeled, y_labeled, _, _ = two_clusters
    model = PredictOnly().fit(labeled, y_labeled)
    query = Strategy(max_iter=1, random_state=0).query
    if Strategy is VAALQuery:  # VAAL uses no task-model scores: it must just work
        assert query(
            pool, estimator=model, X_labeled=labeled, y_labeled=y_labeled, batch_size=2
        ).shape == (2,)
        return
    with pytest.raises(TypeError, match="PredictOnly has neither predict_proba nor"):
        query(pool, estimator=model, X_labeled=labeled, y_labeled=y_labeled, batch_size=2)


@pytest.mark.parametrize("Strategy", [VAALQuery, AALUQuery])
def test_huge_pool_values_are_named_by_column(Strategy, two_clusters):
    pool, labeled, y_labeled, model, _ = two_clusters
    pool = pool.copy()
    pool[0, 1] = -1e300
    with pytest.raises(ValueError, match=r"X_pool column\(s\) \[1\] hold values up to 1e\+300"):
        Strategy(max_iter=1).query(
            pool, estimator=model, X_labeled=labeled, y_labeled=y_labeled, batch_size=2
        )


def test_float32_pools_are_checked_without_an_overflow_warning(two_clusters):
    """The 1e150 bound overflows float32: the check must compare in float64."""
    pool, labeled, y_labeled, model, _ = two_clusters
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        VAALQuery(max_iter=1, random_state=0).query(
            pool.astype(np.float32), X_labeled=labeled.astype(np.float32), batch_size=2
        )
