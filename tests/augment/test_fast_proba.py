"""The batched predict_proba of the default reward classifier equals scikit-learn's."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

from skactive.augment._fast_proba import CalibratedSVCProba, fast_predict_proba


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:600], y[:600]


def _probe(X, seed=0):
    # off-manifold rows as well as real ones: generated rows are both
    rng = np.random.RandomState(seed)
    return np.vstack(
        [X[:40], X[40:80] + rng.normal(0, 4, (40, X.shape[1])), rng.rand(20, X.shape[1])]
    )


@pytest.mark.parametrize(
    "svc, labels",
    [
        (SVC(), "multiclass"),
        (SVC(), "binary"),
        (SVC(kernel="linear"), "multiclass"),
        (SVC(gamma=0.01, C=3.0), "binary"),
        (SVC(), "strings"),
    ],
)
def test_same_probabilities_as_scikit_learn(digits, svc, labels):
    X, y = digits
    if labels == "binary":
        y = (y == 3).astype(int)
    elif labels == "strings":
        keep = np.isin(y, [2, 5, 8])
        X, y = X[keep], np.array(["two", "five", "eight"])[np.searchsorted([2, 5, 8], y[keep])]
    clf = CalibratedClassifierCV(svc, ensemble=False, cv=3).fit(X, y)
    fast = fast_predict_proba(clf)
    assert isinstance(fast, CalibratedSVCProba)
    probe = _probe(X)
    np.testing.assert_allclose(fast(probe), clf.predict_proba(probe), rtol=0, atol=1e-10)
    np.testing.assert_allclose(
        pickle.loads(pickle.dumps(fast))(probe), clf.predict_proba(probe), rtol=0, atol=1e-10
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: CalibratedClassifierCV(SVC(), ensemble=True, cv=3),
        lambda: CalibratedClassifierCV(SVC(), ensemble=False, cv=3, method="isotonic"),
        lambda: CalibratedClassifierCV(SVC(kernel="poly"), ensemble=False, cv=3),
        lambda: CalibratedClassifierCV(SVC(decision_function_shape="ovo"), ensemble=False, cv=3),
        lambda: LogisticRegression(max_iter=200),
    ],
)
def test_other_classifiers_keep_their_own_predict_proba(digits, make):
    X, y = digits
    assert fast_predict_proba(make().fit(X, y)) is None


def test_sparse_fitted_svc_keeps_its_own_predict_proba(digits):
    X, y = digits
    clf = CalibratedClassifierCV(SVC(), ensemble=False, cv=3).fit(sp.csr_matrix(X), y)
    assert fast_predict_proba(clf) is None
    assert fast_predict_proba(CalibratedClassifierCV(SVC())) is None  # not fitted


def test_activegan_reward_uses_it(fast_augmenter, digits):
    X, y = digits
    aug = fast_augmenter(max_iter=12, n_warmup_iter=4)
    aug.fit_resample(X[:200], y[:200])
    assert isinstance(aug.net_.reward.predict_proba, CalibratedSVCProba)
    custom = fast_augmenter(max_iter=12, n_warmup_iter=4, classifier=LogisticRegression())
    custom.fit_resample(X[:200], y[:200])
    assert custom.net_.reward.predict_proba == custom.classifier_.predict_proba
