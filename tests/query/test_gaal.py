"""GAALQuery: query synthesis near the decision boundary."""

import numpy as np
import pytest
import torch
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
    # scaling="minmax": the gradient method differentiates through the output map;
    # categorical_features="none": GAAL decodes latent codes into numbers
    gan = ActiveGANAugmenter(
        lam=0,
        max_iter=300,
        sampling_strategy=counts,
        scaling="minmax",
        categorical_features="none",
        random_state=0,
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


@pytest.mark.parametrize("method", ["auto", "search", "gradient"])
def test_a_generator_of_named_categories_is_refused(method):
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    X = rng.rand(60, 3)
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    frame["s"] = np.where(X[:, 0] > 0.5, "u", "v")  # a category that is no number
    gan = ActiveGANAugmenter(**{**FAST, "random_state": 0})
    gan.fit_resample(frame, y)
    model = LogisticRegression().fit(np.c_[X, X[:, 0] > 0.5], y)
    # the search decodes (decode names the columns); the gradient needs a differentiable map
    match = "differentiable_decode_ is False" if method == "gradient" else r"columns \[3\]"
    with pytest.raises(ValueError, match=match):
        GAALQuery(generator=gan, method=method, max_iter=2).synthesize(4, estimator=model)


def test_generator_protocol_of_the_augmenter(trained):
    X, y, gan = trained
    rng = torch.Generator(device=gan.latent_device_).manual_seed(0)
    z = gan.sample_latent(12, rng)
    labels = torch.as_tensor(np.arange(12) % len(gan.classes_))
    rows = gan.decode(z, labels)
    assert z.shape == (12, gan.net_.latent_dim) and rows.shape == (12, gan.n_features_in_)
    assert (rows >= X.min(axis=0) - 1e-9).all() and (rows <= X.max(axis=0) + 1e-9).all()
    z.requires_grad_(True)
    differentiable = gan.decode_differentiable(z, labels)
    differentiable.sum().backward()
    assert z.grad is not None and torch.isfinite(z.grad).all()
    # the same rows, only not clipped to the training range
    lo, hi = X.min(axis=0), X.max(axis=0)
    np.testing.assert_allclose(np.clip(differentiable.detach().numpy(), lo, hi), rows, atol=1e-4)
    quantile = clone(gan).set_params(scaling="quantile", max_iter=20, n_warmup_iter=5)
    quantile.fit_resample(X[:200], y[:200])
    assert gan.differentiable_decode_ and not quantile.differentiable_decode_
    with pytest.raises(ValueError, match="min-max output map"):
        quantile.decode_differentiable(z, labels)


class _LinearGenerator:
    """Not an ActiveGANAugmenter: a fixed linear map z -> rows, per class offset."""

    latent_dim = 4

    def fit_resample(self, X, y):
        self.classes_ = np.unique(y)
        self.n_features_in_ = X.shape[1]
        rng = np.random.RandomState(0)
        self.weights_ = torch.as_tensor(rng.normal(size=(4, X.shape[1])), dtype=torch.float32)
        self.offsets_ = torch.as_tensor(
            np.stack([X[y == c].mean(axis=0) for c in self.classes_]), dtype=torch.float32
        )
        return X, y

    latent_device_ = torch.device("cpu")
    differentiable_decode_ = True

    def sample_latent(self, n_samples, generator=None):
        return torch.randn(n_samples, 4, generator=generator)

    def decode_differentiable(self, z, y):
        return z @ self.weights_ + self.offsets_[y]

    def decode(self, z, y):
        with torch.no_grad():
            return self.decode_differentiable(z, y).numpy().astype(np.float64)


def test_gaal_needs_only_the_generator_protocol(trained):
    X, y, _ = trained
    generator = _LinearGenerator()
    generator.fit_resample(X, y)
    model = LogisticRegression(max_iter=500).fit(X / 16, y)
    for method in ("gradient", "search"):
        X_new = GAALQuery(generator=generator, method=method, random_state=0).synthesize(
            5, estimator=model
        )
        assert X_new.shape == (5, X.shape[1]) and np.isfinite(X_new).all()


@pytest.mark.parametrize("method", ["gradient", "search"])
def test_synthesis_contract(trained, method):
    """What every synthesize call returns: n finite rows of the estimator's width,
    most informative first, with one utility each; the same rows for a seed."""
    X, y, gan = trained
    model = LogisticRegression(max_iter=300).fit(X / 16, y)
    query = GAALQuery(generator=gan, method=method, max_iter=5, random_state=0)
    X_new, utilities = query.synthesize(6, estimator=model, return_utilities=True)
    assert X_new.shape == (6, X.shape[1]) and np.isfinite(X_new).all()
    assert utilities.shape == (6,) and np.all(np.diff(utilities) <= 0)
    np.testing.assert_array_equal(X_new, clone(query).synthesize(6, estimator=model))
    with pytest.raises(ValueError, match="n_samples must be a positive integer"):
        query.synthesize(True, estimator=model)
