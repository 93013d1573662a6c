"""BADGEQuery: uncertain and diverse batches from gradient embeddings."""

import numpy as np
from sklearn.linear_model import LogisticRegression

from skactive.query import BADGEQuery, UncertaintyQuery, gradient_embedding_seeding
from skactive.query._badge import _residuals


def test_seeding_matches_explicit_gradient_embeddings():
    rng = np.random.RandomState(0)
    proba = rng.dirichlet(np.ones(3), size=40)
    features = rng.normal(size=(40, 5))
    residuals = _residuals(proba)
    embedding = (residuals[:, :, None] * features[:, None, :]).reshape(40, -1)
    picked = gradient_embedding_seeding(residuals, features, 6, random_state=0)
    assert len(set(picked.tolist())) == 6
    # the first pick is the largest gradient (BADGE's authors' code)
    assert picked[0] == np.argmax(np.linalg.norm(embedding, axis=1))
    # the same draws as k-means++ run on the explicit embeddings
    rng = np.random.RandomState(0)
    explicit = [int(np.argmax((embedding**2).sum(axis=1)))]
    nearest = np.full(40, np.inf)
    for _ in range(5):
        nearest = np.minimum(nearest, ((embedding - embedding[explicit[-1]]) ** 2).sum(axis=1))
        weights = nearest.copy()
        weights[explicit] = 0
        explicit.append(int(rng.choice(40, p=weights / weights.sum())))
    np.testing.assert_array_equal(picked, explicit)


def test_batch_covers_two_uncertain_regions_where_margin_takes_one():
    rng = np.random.RandomState(0)
    # two tight clusters on the boundary x0 = 0, far apart along x1; A is a
    # hair more uncertain, so margin sampling fills the batch from A alone
    region_a = np.column_stack([0.05 + 0.01 * rng.rand(30), 5 + 0.05 * rng.randn(30)])
    region_b = np.column_stack([0.3 + 0.01 * rng.rand(30), -5 + 0.05 * rng.randn(30)])
    pool = np.vstack([region_a, region_b])
    X = np.array([[-2.0, 0.0], [-1.0, 1.0], [2.0, 0.0], [1.0, -1.0]])
    model = LogisticRegression(C=100.0).fit(X, [0, 0, 1, 1])
    margin = UncertaintyQuery("margin").query(pool, estimator=model, batch_size=4)
    assert (margin < 30).all()
    for seed in range(5):
        badge = BADGEQuery(random_state=seed).query(pool, estimator=model, batch_size=4)
        assert (badge < 30).any() and (badge >= 30).any()


def test_utilities_are_gradient_norms_and_work_with_decision_function():
    from sklearn.svm import LinearSVC

    rng = np.random.RandomState(1)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] > 0).astype(int)
    model = LinearSVC().fit(X[:20], y[:20])  # no predict_proba
    picked, norms = BADGEQuery(random_state=0).query(
        X[20:], estimator=model, batch_size=5, return_utilities=True
    )
    assert norms.shape == (60,) and (norms >= 0).all()
    assert picked[0] == np.argmax(norms)
