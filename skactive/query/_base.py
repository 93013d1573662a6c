"""The query-strategy contract shared by every index-returning strategy.

A strategy scores every row of the unlabeled pool with a *utility* (higher =
more informative) and returns the indices of the ``batch_size`` best rows,
most informative first. Subclasses define ``_utilities``
(one score per pool row) or, for sequential selections such as k-center
greedy, override ``_select``.
"""

from __future__ import annotations

import contextlib
from functools import partial

import numpy as np
from scipy.special import expit, softmax
from sklearn.base import BaseEstimator
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import HasMethods, StrOptions
from sklearn.utils.validation import _num_samples, check_array, check_is_fitted, column_or_1d

from .._validation import check_count

__all__ = [
    "QueryStrategy",
    "chunked_rows",
    "chunked_sum",
    "is_dask_collection",
    "is_out_of_core",
    "predict_proba_of",
    "scores_to_proba",
    "take_rows",
    "top_k",
]

# Rows scored per estimator / network call: bounds memory on large pools
# while keeping the per-call overhead negligible.
CHUNK_SIZE = 65_536


def top_k(utilities: np.ndarray, k: int, random_state=None) -> np.ndarray:
    """Return the indices of the ``k`` largest utilities, largest first.

    Ties at the cut-off are broken at random (``random_state``), so that equal
    scores -- common for vote counts -- do not favour low indices.

    Parameters
    ----------
    utilities : ndarray of shape (n_samples,)
        One finite score per row; larger is more informative.
    k : int
        Number of indices to return, ``1 <= k <= n_samples``.
    random_state : int, RandomState instance or None, default=None
        Seed of the tie-breaking.

    Returns
    -------
    indices : ndarray of shape (k,)
        Distinct integer indices, sorted by decreasing utility.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.query import top_k
    >>> top_k(np.array([0.1, 0.9, 0.5, 0.7]), 2)
    array([1, 3])
    """
    utilities = np.asarray(utilities)
    n = utilities.shape[0]
    if not np.isfinite(utilities).all():
        raise ValueError(
            "The strategy produced NaN or infinite utilities; check that the "
            "estimator's predictions are finite."
        )
    rng = check_random_state(random_state)
    kth = np.partition(utilities, n - k)[n - k]
    above = np.flatnonzero(utilities > kth)
    tied = np.flatnonzero(utilities == kth)
    chosen = np.concatenate([above, rng.choice(tied, k - above.size, replace=False)])
    chosen = chosen[rng.permutation(chosen.size)]
    return chosen[np.argsort(-utilities[chosen], kind="stable")]


def predict_proba_of(estimator, X) -> np.ndarray:
    """Class probabilities of a fitted classifier on ``X``.

    ``predict_proba`` when the estimator has it; otherwise a softmax of
    ``decision_function`` (a logistic sigmoid for binary one-column scores),
    so margin-type strategies also work with e.g. ``SVC()`` or
    ``LinearSVC()``.

    Parameters
    ----------
    estimator : fitted classifier
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    proba : ndarray of shape (n_samples, n_classes)
    """
    check_class_scores(estimator)
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(X), dtype=np.float64)
    return scores_to_proba(estimator.decision_function(X))


def scores_to_proba(scores) -> np.ndarray:
    """Turn ``decision_function`` scores into class probabilities.

    A softmax over the classes, a logistic sigmoid for binary one-column scores.

    >>> import numpy as np
    >>> scores_to_proba(np.array([0.0, 2.0])).round(3)
    array([[0.5  , 0.5  ],
           [0.119, 0.881]])
    """
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        positive = expit(scores)
        return np.column_stack([1.0 - positive, positive])
    return softmax(scores, axis=1)


def check_class_scores(estimator):
    """Raise a clear ``TypeError`` when ``estimator`` gives no class scores.

    Strategies that need probabilities accept ``predict_proba`` or
    ``decision_function`` (see :func:`predict_proba_of`).
    """
    if not (hasattr(estimator, "predict_proba") or hasattr(estimator, "decision_function")):
        raise TypeError(
            f"estimator {type(estimator).__name__} has neither predict_proba nor "
            "decision_function; the strategy needs class probabilities."
        )


def is_dask_collection(X) -> bool:
    """Whether ``X`` is a Dask array or DataFrame (without importing Dask)."""
    return type(X).__module__.split(".")[0] == "dask" and hasattr(X, "map_blocks")


def is_out_of_core(X) -> bool:
    """Tell whether a pool is read block by block rather than held in memory.

    A NumPy memmap, a Dask array, or rows read on demand (an object with a
    true ``reads_on_demand`` attribute, as the learner hands over a memmap's
    pool).
    """
    return isinstance(X, np.memmap) or is_dask_collection(X) or getattr(X, "reads_on_demand", False)


def _dask_blocks(function, X):
    """Apply ``function`` to every row block of a Dask array, as a lazy Dask array.

    Each block (all columns, the array's own row chunks) is computed where it
    lives -- on the workers of an active ``distributed.Client``, else on
    Dask's local scheduler. The shape of one result row is read from
    ``function`` on the first row.
    """
    if not hasattr(X, "chunks") or X.ndim != 2:
        raise TypeError(
            "A Dask pool must be a 2-d dask.array (e.g. dask_dataframe.to_dask_array("
            f"lengths=True)); got {type(X).__name__}."
        )
    X = X.rechunk({1: -1})
    probe = np.asarray(function(np.asarray(X[:1])))
    layout = {"drop_axis": 1} if probe.ndim == 1 else {"chunks": (X.chunks[0], probe.shape[1:])}
    return X.map_blocks(lambda block: np.asarray(function(block)), dtype=probe.dtype, **layout)


def _row_blocks(X, chunk_size):
    """Consecutive row blocks of an in-memory array, frame or memmap."""
    n = _num_samples(X)
    chunk_size = CHUNK_SIZE if chunk_size is None else chunk_size
    if n <= chunk_size:
        yield X
        return
    for start in range(0, n, chunk_size):
        yield _safe_indexing(X, slice(start, start + chunk_size))


def chunked_rows(function, X, chunk_size=None) -> np.ndarray:
    """Apply ``function`` to consecutive row blocks of ``X``; concatenate.

    Keeps the memory of per-row intermediate results bounded on large pools
    (pandas frames are sliced with ``iloc``; a NumPy memmap is read one
    block at a time). A Dask array is scored block by block by Dask (on a
    cluster's workers when a ``distributed.Client`` is active); only the
    results are gathered.
    """
    if is_dask_collection(X):
        return np.asarray(_dask_blocks(function, X).compute())
    parts = [np.asarray(function(block)) for block in _row_blocks(X, chunk_size)]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def take_rows(X, index):
    """Return rows ``index`` of ``X`` in memory (a memmap is read, a Dask array computed)."""
    if is_dask_collection(X):
        return np.asarray(X[np.asarray(index)])
    return _safe_indexing(X, index)


def chunked_sum(function, X, chunk_size=None) -> np.ndarray:
    """Column sums of ``function`` applied to the row blocks of ``X``.

    ``function`` maps a block of rows to one row of values per input row; the
    result is their sum over all rows, without holding them all (a Dask array
    is reduced by Dask).
    """
    if is_dask_collection(X):
        return np.asarray(_dask_blocks(function, X).sum(axis=0).compute())
    sums = [np.asarray(function(block)).sum(axis=0) for block in _row_blocks(X, chunk_size)]
    return np.sum(sums, axis=0)


def check_fitted_estimator(estimator):
    """Raise a clear error when ``estimator`` is missing or not fitted."""
    if estimator is None:
        raise ValueError("This strategy needs the fitted task model: pass estimator=...")
    check_is_fitted(estimator)
    return estimator


#: ``feature_extractor`` constraint of the strategies that take one.
FEATURE_EXTRACTOR_CONSTRAINT = [
    callable,
    HasMethods(["transform"]),
    StrOptions({"penultimate"}),
    None,
]


def resolve_feature_extractor(feature_extractor, estimator):
    """Return the extractor a query applies; ``"penultimate"`` reads the task model.

    ``"penultimate"`` becomes the fitted ``estimator``'s penultimate layer
    (:func:`~skactive.query.net_features`, a skorch net or a Pipeline ending
    in one), as the deep active-learning papers measure in the task
    network's own representation; anything else is returned as it is.
    """
    if not isinstance(feature_extractor, str):
        return feature_extractor
    if estimator is None:
        raise ValueError(
            'feature_extractor="penultimate" reads the task model\'s penultimate layer: '
            "pass estimator=... (a fitted skorch net, or a Pipeline ending in one)."
        )
    from ._net_features import net_features  # torch: only for a net's features

    return partial(net_features, estimator)


def extract_features(feature_extractor, X) -> np.ndarray:
    """Apply a strategy's ``feature_extractor`` and return a 2-D float array.

    ``None`` is the identity; a callable is called on ``X``; an object with a
    ``transform`` method (a fitted transformer or pipeline) is transformed.
    """
    if feature_extractor is None:
        features = X
    elif hasattr(feature_extractor, "transform"):
        features = feature_extractor.transform(X)
    elif callable(feature_extractor):
        features = feature_extractor(X)
    else:
        raise TypeError(
            "feature_extractor must be None, a callable or an object with a "
            f"transform method; got {type(feature_extractor).__name__}."
        )
    features = check_array(features, dtype=[np.float64, np.float32], input_name="features")
    if features.shape[0] != _num_samples(X):
        raise ValueError(
            f"feature_extractor returned {features.shape[0]} rows for {_num_samples(X)} inputs."
        )
    return features


class QueryStrategy(BaseEstimator):
    """Base class of pool-based query strategies.

    Subclasses are scikit-learn estimators (``get_params``, ``clone``) whose
    :meth:`query` returns indices into the pool. They define
    ``_utilities`` -- one score per pool row, larger meaning more
    informative -- or override ``_select`` for sequential selections.

    Utilities of the last call are returned by ``query(...,
    return_utilities=True)``.
    """

    _parameter_constraints: dict = {}

    #: Whether ``query`` needs the labeled rows ``X_labeled``.
    _needs_labeled = False
    #: Whether it also needs their labels ``y_labeled`` (at least 2 classes).
    _uses_labels = False
    #: Whether ``query`` needs the fitted task model.
    _needs_estimator = True

    def query(
        self,
        X_pool,
        *,
        estimator=None,
        X_labeled=None,
        y_labeled=None,
        batch_size: int = 1,
        return_utilities: bool = False,
    ):
        """Select the ``batch_size`` most informative rows of the pool.

        Parameters
        ----------
        X_pool : array-like of shape (n_pool, n_features)
            Unlabeled candidates (NumPy array, pandas DataFrame...).
        estimator : fitted classifier, default=None
            The task model, fitted on the labeled set.
        X_labeled : array-like of shape (n_labeled, n_features), default=None
            Labeled rows, for strategies that learn from them.
        y_labeled : array-like of shape (n_labeled,), default=None
            Their labels.
        batch_size : int, default=1
            Number of rows to return.
        return_utilities : bool, default=False
            Also return the utility of every pool row.

        Returns
        -------
        indices : ndarray of shape (batch_size,)
            Distinct indices into ``X_pool``, most informative first.
        utilities : ndarray of shape (n_pool,)
            Returned when ``return_utilities=True``; larger is more
            informative (see each strategy for its meaning).
        """
        self._validate_params()
        n_pool = self._check_pool(X_pool)
        check_count(batch_size, "batch_size")
        if batch_size > n_pool:
            raise ValueError(
                f"batch_size={batch_size} is larger than the pool ({n_pool} rows); "
                "lower batch_size or add rows to the pool."
            )
        if self._needs_estimator:
            check_fitted_estimator(estimator)
        if X_labeled is not None or y_labeled is not None or self._needs_labeled:
            X_labeled, y_labeled = self._check_labeled(X_labeled, y_labeled)
        with self._compute_context():
            indices, utilities = self._select(
                X_pool, estimator, X_labeled, y_labeled, int(batch_size)
            )
        indices = np.asarray(indices, dtype=np.intp)
        if return_utilities:
            return indices, utilities
        return indices

    def _select(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        """Rank the pool by ``self._utilities(...)`` and pick the top ``batch_size``.

        One score per row, larger = more informative, which ranking strategies define; sequential
        selections (core-set, TA-VAAL's subset) override this method instead.
        """
        utilities = np.asarray(
            self._utilities(X_pool, estimator, X_labeled, y_labeled, batch_size),
            dtype=np.float64,
        )
        return top_k(utilities, batch_size, self._tie_breaking_state()), utilities

    def _compute_context(self):
        """Context of the selection; torch strategies limit their threads here."""
        return contextlib.nullcontext()

    def _tie_breaking_state(self):
        return getattr(self, "random_state", None)

    # -- validation -----------------------------------------------------------
    @staticmethod
    def _check_pool(X_pool) -> int:
        if X_pool is None:
            raise ValueError("X_pool is None; pass the unlabeled pool.")
        if not hasattr(X_pool, "shape") and not hasattr(X_pool, "__len__"):
            raise TypeError(f"X_pool must be array-like; got {type(X_pool).__name__}.")
        n_pool = _num_samples(X_pool)
        if n_pool == 0:
            raise ValueError("X_pool is empty: there is nothing left to query.")
        return n_pool

    def _check_labeled(self, X_labeled, y_labeled):
        name = type(self).__name__
        wanted = "X_labeled and y_labeled" if self._uses_labels else "X_labeled"
        if X_labeled is None:
            if self._needs_labeled:
                raise ValueError(f"{name} learns from the labeled set: pass {wanted}.")
            return None, None
        n_labeled = _num_samples(X_labeled)
        if self._needs_labeled and n_labeled == 0:
            raise ValueError(f"{name} needs at least one labeled row; X_labeled is empty.")
        if y_labeled is None:
            if self._uses_labels:
                raise ValueError(f"{name} learns from the labeled set: pass {wanted}.")
            return X_labeled, None
        y_labeled = column_or_1d(y_labeled, warn=True)
        if n_labeled != y_labeled.shape[0]:
            raise ValueError(
                f"X_labeled has {n_labeled} rows but y_labeled has {y_labeled.shape[0]} labels."
            )
        if self._uses_labels and np.unique(y_labeled).size < 2:
            raise ValueError(
                f"{name} learns from the labels of the labeled set and needs at least 2 "
                f"classes in y_labeled; got {np.unique(y_labeled).tolist()!r}."
            )
        return X_labeled, y_labeled
