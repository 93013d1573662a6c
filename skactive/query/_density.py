"""Information density: uncertainty weighted by representativeness."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _num_samples

from . import _base
from ._base import (
    FEATURE_EXTRACTOR_CONSTRAINT,
    QueryStrategy,
    chunked_rows,
    chunked_sum,
    extract_features,
    is_dask_collection,
    predict_proba_of,
    resolve_feature_extractor,
)
from ._uncertainty import MEASURES, uncertainty_utility


def cosine_density(X) -> np.ndarray:
    """Mean cosine similarity of each row to all rows, rescaled to ``[0, 1]``.

    ``(1/U) sum_u cos(x, x_u)`` equals ``x_hat . mean_u(x_hat_u)`` with
    ``x_hat = x / |x|``, so the exact average over the whole pool costs
    ``O(n_samples * n_features)`` -- no pairwise matrix. The mean lies in
    ``[-1, 1]``; it is mapped to ``(1 + mean) / 2`` so that it can be raised to
    the power ``beta``. All-zero rows have similarity 0 to everything.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)

    Returns
    -------
    density : ndarray of shape (n_samples,)

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.query import cosine_density
    >>> cosine_density(np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])).round(3)
    array([0.833, 0.833, 0.667])
    """
    unit = unit_rows(X)
    return density_to(unit, unit.mean(axis=0))


def unit_rows(X) -> np.ndarray:
    """Rows scaled to unit Euclidean norm (all-zero rows stay zero)."""
    X = np.asarray(X, dtype=np.float64)
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return np.divide(X, norms, out=np.zeros_like(X), where=norms > 0)


def density_to(unit, mean_unit) -> np.ndarray:
    """``(1 + unit . mean_unit) / 2``: mean cosine similarity to the pool, in [0, 1]."""
    return (1.0 + unit @ mean_unit) / 2.0


class DensityWeightedQuery(QueryStrategy):
    """Information density: uncertain rows that lie in dense regions of the pool.

    Utility ``phi(x) * density(x) ** beta`` (Settles & Craven 2008, Eq. 1):
    ``phi`` an uncertainty utility of the task model (see
    :class:`UncertaintyQuery`) and ``density`` the average cosine similarity of
    ``x`` to the whole pool (:func:`cosine_density`, exact in linear time), so
    that outliers the model is unsure about are not preferred over uncertain
    rows typical of the data.

    Parameters
    ----------
    measure : {"margin", "entropy", "least_confidence"}, default="entropy"
        Uncertainty utility ``phi`` (Settles & Craven use entropy).
    beta : float, default=1.0
        Weight of the density term; 0 is plain uncertainty sampling.
    feature_extractor : callable, transformer, "penultimate" or None, default=None
        Space the similarities are measured in (``None``: X itself;
        ``"penultimate"``: the fitted task model's penultimate layer, a skorch
        net's; :func:`net_features`).
    random_state : int, RandomState instance or None, default=None
        Seed of the tie-breaking.

    References
    ----------
    .. [1] B. Settles, M. Craven, "An Analysis of Active Learning Strategies
       for Sequence Labeling Tasks", EMNLP 2008, Eq. (1) (information density).
    .. [2] A. Saadallah, lecture "Generative Adversarial Networks and Active
       Learning", density-weighted methods slide.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive.query import DensityWeightedQuery
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X[::10], y[::10])
    >>> DensityWeightedQuery(beta=1.0).query(X, estimator=model, batch_size=3).shape
    (3,)
    """

    _parameter_constraints = {
        "measure": [StrOptions(set(MEASURES))],
        "beta": [Interval(numbers.Real, 0, None, closed="left")],
        "feature_extractor": FEATURE_EXTRACTOR_CONSTRAINT,
        "random_state": ["random_state"],
    }

    def __init__(self, measure="entropy", *, beta=1.0, feature_extractor=None, random_state=None):
        self.measure = measure
        self.beta = beta
        self.feature_extractor = feature_extractor
        self.random_state = random_state

    def _utilities(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        phi = chunked_rows(
            lambda X: uncertainty_utility(predict_proba_of(estimator, X), self.measure), X_pool
        )

        n_pool = _num_samples(X_pool)
        extractor = resolve_feature_extractor(self.feature_extractor, estimator)
        if not is_dask_collection(X_pool) and n_pool <= _base.CHUNK_SIZE:
            density = cosine_density(extract_features(extractor, X_pool))
            return phi * density**self.beta

        def unit(X):
            return unit_rows(extract_features(extractor, X))

        # a large pool (a memmap, a Dask array) is never held whole: the mean
        # unit row in one pass over row blocks, each row's similarity in another
        mean_unit = chunked_sum(unit, X_pool) / n_pool
        density = chunked_rows(lambda X: density_to(unit(X), mean_unit), X_pool)
        return phi * density**self.beta
