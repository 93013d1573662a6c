"""GAALQuery: query synthesis near the decision boundary."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC, LinearSVC

from skactive import ActiveGANAugmenter, GAALQuery
from skactive.query import predict_proba_of
from skactive.uncertainty import margin

from ..conftest import FAST


@pytest.fixture(scope="module")
def trained(digits):
    X, y = digits
    X, y = X[:600], y[:600]
    counts = dict(zip(*np.unique(y, return_counts=True), strict=True))
    # scaling="minmax": the gradient method differentiates through the output map
    gan = ActiveGANAugmenter(
        lam=0, max_iter=300, sampling_strategy=counts, scaling="minmax", random_state=0
    )
    gan.fit_resample(X, y)
    return X, y, gan


def _random_rows(gan, n):
    return gan.generate(gan.classes_[np.arange(n) % len(gan.classes_)], random_state=1)


def test_gradient_reaches_the_linear_boundary(trained):
    X, y, gan = trained
    model = LinearSVC().fit(X, y)
    X_new, utilities = GAALQuery(generator=gan, random_state=0).synthesize(
        30, estimator=model, return_utilities=True
    )
    assert X_new.shape == (30, X.shape[1])

    def gap(rows):
        scores = np.sort(model.decision_function(rows), axis=1)
        return scores[:, -1] - scores[:, -2]

    assert gap(X_new).mean() < 0.1 * gap(_random_rows(gan, 30)).mean()
    np.testing.assert_allclose(-utilities, gap(X_new), atol=0.05)  # utilities = -distance
    assert np.all(np.diff(utilities) <= 0)  # most informative first
    assert X_new.min() >= X.min() and X_new.max() <= X.max()  # clipped to the data range


def test_search_lowers_the_margin_of_any_classifier(trained):
    X, y, gan = trained
    model = SVC().fit(X, y)  # no coef_: black-box search
    # Default search length: over GAN seeds 0-2, both batch schemes and query seeds 0-4 the
    # mean margin fell to 0.19-0.51 of random draws' (10 rounds: 0.38-0.80, too few to test).
    X_new = GAALQuery(generator=gan, random_state=0).synthesize(20, estimator=model)
    random_margin = margin(predict_proba_of(model, _random_rows(gan, 20))).mean()
    assert margin(predict_proba_of(model, X_new)).mean() < 0.6 * random_margin


def test_reproducible_and_clone_keeps_the_generator(trained):
    X, y, gan = trained
    model = LogisticRegression(max_iter=300).fit(X, y)
    query = GAALQuery(generator=gan, max_iter=5, random_state=3)
    cloned = clone(query)
    assert cloned.generator is gan
    np.testing.assert_array_equal(
        query.synthesize(4, estimator=model), cloned.synthesize(4, estimator=model)
    )


def test_trains_its_own_generator(digits):
    X, y = digits
    model = LinearSVC().fit(X[:200], y[:200])
    query = GAALQuery(generator=ActiveGANAugmenter(**FAST), max_iter=5, random_state=0)
    with pytest.raises(ValueError, match="pass X_labeled and y_labeled"):
        query.synthesize(2, estimator=model)
    X_new = query.synthesize(
        2, estimator=model, X_labeled=X[:200], y_labeled=y[:200], X_pool=X[200:260]
    )
    assert X_new.shape == (2, 64) and np.isfinite(X_new).all()


def test_bad_input(trained):
    X, y, gan = trained
    svc = SVC().fit(X, y)
    with pytest.raises(ValueError, match="method='gradient' needs a linear estimator"):
        GAALQuery(generator=gan, method="gradient").synthesize(2, estimator=svc)
    with pytest.raises(ValueError, match="n_samples must be a positive integer"):
        GAALQuery(generator=gan).synthesize(0, estimator=svc)
    with pytest.raises(ValueError, match="estimator="):
        GAALQuery(generator=gan).synthesize(2, estimator=None)
    with pytest.raises(ValueError, match="fitted on 10 features but the generator produces 64"):
        GAALQuery(generator=gan).synthesize(2, estimator=LinearSVC().fit(X[:, :10], y))
    with pytest.raises(ValueError, match="method"):
        GAALQuery(generator=gan, method="newton").synthesize(2, estimator=svc)
