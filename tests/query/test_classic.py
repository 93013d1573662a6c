"""Behaviour of the classic strategies on hand-made inputs."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import pairwise_distances
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier

from skactive.query import (
    CommitteeQuery,
    CoreSetQuery,
    DensityWeightedQuery,
    RandomQuery,
    UncertaintyQuery,
    committee_disagreement,
    cosine_density,
    k_center_greedy,
    nearest_distances,
    predict_proba_of,
    top_k,
)


class TableModel(ClassifierMixin, BaseEstimator):
    """A 'fitted classifier' that returns a fixed probability table."""

    def __init__(self, table):
        self.table = table
        self.classes_ = np.arange(np.shape(table)[1])

    def fit(self, X, y):  # pragma: no cover - never refitted here
        return self

    def predict_proba(self, X):
        return np.asarray(self.table, dtype=float)[np.asarray(X, dtype=int).ravel()]


TABLE = [
    [0.90, 0.05, 0.05],  # 0 confident
    [0.40, 0.35, 0.25],  # 1 margin 0.05, highest entropy-ish
    [0.50, 0.50, 0.00],  # 2 margin 0.00
    [0.60, 0.20, 0.20],  # 3 least confident 0.4
    [0.34, 0.33, 0.33],  # 4 margin 0.01, max entropy, least confident 0.66
]
POOL = np.arange(5)[:, None]


@pytest.mark.parametrize(
    "measure, expected",
    [("margin", [2, 4, 1]), ("entropy", [4, 1, 3]), ("least_confidence", [4, 1, 2])],
)
def test_uncertainty_picks_by_hand(measure, expected):
    picked = UncertaintyQuery(measure).query(POOL, estimator=TableModel(TABLE), batch_size=3)
    np.testing.assert_array_equal(picked, expected)


def test_margin_utilities_are_one_minus_margin():
    _, utilities = UncertaintyQuery().query(
        POOL, estimator=TableModel(TABLE), batch_size=1, return_utilities=True
    )
    np.testing.assert_allclose(utilities, [0.15, 0.95, 1.0, 0.6, 0.99])


def test_invalid_probabilities_are_rejected():
    bad = TableModel([[0.7, 0.7], [0.5, 0.5]])
    with pytest.raises(ValueError, match="rows must sum to 1"):
        UncertaintyQuery().query(np.arange(2)[:, None], estimator=bad)


def test_decision_function_fallback():
    X = np.array([[-2.0], [-0.1], [0.05], [3.0]])
    model = LinearSVC().fit(X, [0, 0, 1, 1])
    assert not hasattr(model, "predict_proba")
    picked = UncertaintyQuery().query(X, estimator=model, batch_size=2)
    assert set(picked) == {1, 2}  # closest to the boundary
    proba = predict_proba_of(model, X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_top_k_breaks_ties_at_random():
    utilities = np.array([0.5, 1.0, 0.5, 0.5, 0.5, 0.5])
    picks = {tuple(top_k(utilities, 3, seed)) for seed in range(20)}
    assert all(p[0] == 1 for p in picks)
    assert len(picks) > 3  # not always the lowest indices
    assert top_k(utilities, 3, 0).tolist() == top_k(utilities, 3, 0).tolist()


def test_top_k_rejects_nan():
    with pytest.raises(ValueError, match="NaN or infinite"):
        top_k(np.array([0.1, np.nan]), 1)


def test_random_query_is_uniform():
    counts = np.zeros(10)
    for seed in range(2000):
        counts[RandomQuery(random_state=seed).query(np.zeros((10, 1)), batch_size=2)] += 1
    assert counts.min() > 300 and counts.max() < 500  # expected 400 each


def test_committee_measures_by_hand():
    agree = np.array([[[0.8, 0.2]], [[0.8, 0.2]], [[0.8, 0.2]]])
    split = np.array([[[0.9, 0.1]], [[0.2, 0.8]], [[0.6, 0.4]], [[0.3, 0.7]]])
    for measure in ("vote_entropy", "kl_divergence", "disagreement_ratio", "variance"):
        assert committee_disagreement(agree, measure)[0] == pytest.approx(0.0)
    # split: 2 votes each -> entropy log 2, ratio 1/2
    assert committee_disagreement(split, "vote_entropy")[0] == pytest.approx(np.log(2))
    assert committee_disagreement(split, "disagreement_ratio")[0] == pytest.approx(0.5)
    mean = split.mean(axis=0)[0]  # [0.5, 0.5]
    kl = np.mean([np.sum(p * np.log(p / mean)) for p in split[:, 0]])
    assert committee_disagreement(split, "kl_divergence")[0] == pytest.approx(kl)
    variance = np.mean(((split[:, 0] - mean) ** 2).mean(axis=0))
    assert committee_disagreement(split, "variance")[0] == pytest.approx(variance)


def test_committee_queries_where_members_disagree():
    # Bagged decision stumps: thresholds vary inside the noisy band around 0,
    # so members split their votes there and agree far from it.
    rng = np.random.RandomState(0)
    X = rng.uniform(-3, 3, (200, 1))
    y = (X[:, 0] > 0).astype(int)
    band = np.abs(X[:, 0]) < 0.5
    y[band] = rng.randint(2, size=band.sum())
    stump = DecisionTreeClassifier(max_depth=1).fit(X, y)
    pool = np.array([[-2.5], [0.0], [2.5], [0.1], [-2.0]])
    for measure in ("vote_entropy", "disagreement_ratio"):
        qbc = CommitteeQuery(n_members=15, measure=measure, random_state=0)
        picked = qbc.query(pool, estimator=stump, X_labeled=X, y_labeled=y, batch_size=2)
        assert set(picked) == {1, 3}


def test_bagged_committee_handles_rare_classes():
    X = np.arange(12, dtype=float)[:, None]
    y = np.array([0] * 5 + [1] * 5 + [2] * 2)
    model = LogisticRegression().fit(X, y)
    picked = CommitteeQuery(n_members=4, measure="kl_divergence", random_state=0).query(
        X, estimator=model, X_labeled=X, y_labeled=y, batch_size=3
    )
    assert len(set(picked)) == 3


def test_k_center_greedy_by_hand():
    pool = np.array([[1.0], [2.0], [10.0], [11.0]])
    labeled = np.array([[0.0]])
    picked = CoreSetQuery().query(pool, X_labeled=labeled, y_labeled=[0], batch_size=2)
    # farthest from 0 is 11 (index 3); then 2 (index 1) is farther from {0, 11} than 10.
    np.testing.assert_array_equal(picked, [3, 1])
    picked, gaps = k_center_greedy(pool, nearest_distances(pool, labeled), 3)
    np.testing.assert_array_equal(picked, [3, 1, 0])
    np.testing.assert_allclose(gaps, [11.0, 2.0, 1.0])


def test_core_set_without_labeled_rows_covers_the_pool():
    pool = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 0.0], [5.1, 0.0], [0.0, 5.0]])
    picked = CoreSetQuery(random_state=0).query(pool, batch_size=3)
    clusters = {0: "a", 1: "a", 2: "b", 3: "b", 4: "c"}
    assert {clusters[i] for i in picked} == {"a", "b", "c"}


def test_nearest_distances_chunked_equals_brute_force():
    rng = np.random.RandomState(0)
    X, centers = rng.normal(size=(3000, 8)), rng.normal(size=(700, 8))
    expected = pairwise_distances(X, centers).min(axis=1)
    np.testing.assert_allclose(nearest_distances(X, centers, working_memory=1), expected)


def test_core_set_feature_extractor():
    pool = np.array([[0.0, 100.0], [1.0, -100.0], [9.0, 0.0]])
    labeled = np.array([[0.0, 0.0]])
    first_column = CoreSetQuery(feature_extractor=lambda X: np.asarray(X)[:, :1])
    assert first_column.query(pool, X_labeled=labeled, y_labeled=[0])[0] == 2
    assert CoreSetQuery().query(pool, X_labeled=labeled, y_labeled=[0])[0] in (0, 1)
    pca = PCA(n_components=1).fit(np.r_[pool, labeled])
    assert CoreSetQuery(feature_extractor=pca).query(pool, X_labeled=labeled, y_labeled=[0])[0] in (
        0,
        1,
    )


def test_bad_feature_extractor():
    with pytest.raises((TypeError, ValueError), match="feature_extractor"):
        CoreSetQuery(feature_extractor=3).query(np.zeros((3, 1)), batch_size=1)


def test_cosine_density_by_hand():
    X = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    # row 0: cos to rows = 1, 1, 0, 0 -> mean 0.5 -> (1 + 0.5) / 2
    np.testing.assert_allclose(cosine_density(X), [0.75, 0.75, 0.625, 0.5])


def test_density_weighting_prefers_typical_rows():
    # rows 0 and 1 equally uncertain; row 0 sits with the crowd, row 1 is an outlier
    table = [[0.5, 0.5], [0.5, 0.5], [0.9, 0.1], [0.9, 0.1], [0.9, 0.1]]
    features = np.array([[1.0, 0.0], [-1.0, 0.0], [1.0, 0.1], [1.0, -0.1], [0.9, 0.0]])
    model = TableModel(table)
    strategy = DensityWeightedQuery(
        measure="margin", feature_extractor=lambda X: features[np.asarray(X, dtype=int).ravel()]
    )
    assert strategy.query(np.arange(5)[:, None], estimator=model)[0] == 0
    plain = DensityWeightedQuery(
        measure="margin",
        beta=0.0,
        random_state=0,
        feature_extractor=(lambda X: features[np.asarray(X, dtype=int).ravel()]),
    )
    assert set(plain.query(np.arange(5)[:, None], estimator=model, batch_size=2)) == {0, 1}


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(measure="smallest"), "measure"),
        (dict(n_members=1), "n_members"),
    ],
)
def test_invalid_committee_params(params, match):
    X = np.arange(6, dtype=float)[:, None]
    y = [0, 0, 0, 1, 1, 1]
    with pytest.raises(ValueError, match=match):
        CommitteeQuery(**params).query(
            X, estimator=LogisticRegression().fit(X, y), X_labeled=X, y_labeled=y
        )


def test_k_center_greedy_float32_with_large_offset():
    # 25 exact duplicate pairs around 1000 +- 0.01: float32 |x|^2 - 2x.c + |c|^2
    # cancels catastrophically; the greedy must still pick 10 distinct locations.
    rng = np.random.RandomState(0)
    base = 1000.0 + 0.01 * rng.normal(size=(25, 20))
    pool = np.repeat(base, 2, axis=0).astype(np.float32)
    picked = CoreSetQuery(random_state=0).query(pool, batch_size=10)
    assert len({i // 2 for i in picked}) == 10


def test_core_set_needs_no_labels():
    pool = np.array([[1.0], [2.0], [10.0], [11.0]])
    np.testing.assert_array_equal(CoreSetQuery().query(pool, X_labeled=[[0.0]]), [3])


def test_coreset_utilities_stay_finite_for_huge_values():
    from skactive.query import CoreSetQuery

    rng = np.random.RandomState(0)
    pool = rng.normal(size=(50, 3))
    labeled = rng.normal(size=(10, 3))
    small = CoreSetQuery(random_state=0).query(
        pool, X_labeled=labeled, batch_size=5, return_utilities=True
    )
    huge = CoreSetQuery(random_state=0).query(
        pool * 1e300, X_labeled=labeled * 1e300, batch_size=5, return_utilities=True
    )
    np.testing.assert_array_equal(small[0], huge[0])  # same picks, exact rescaling
    assert np.isfinite(huge[1]).all()
    np.testing.assert_allclose(huge[1], small[1] * 1e300, rtol=1e-9)
