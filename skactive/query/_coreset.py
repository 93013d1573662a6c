"""Core-set selection by k-center greedy (Sener & Savarese, 2018)."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.metrics import pairwise_distances_chunked
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import _num_samples

from ._base import (
    FEATURE_EXTRACTOR_CONSTRAINT,
    QueryStrategy,
    chunked_rows,
    extract_features,
    is_out_of_core,
    resolve_feature_extractor,
    take_rows,
)


def nearest_distances(X, centers, *, working_memory=None) -> np.ndarray:
    """Euclidean distance from each row of ``X`` to its nearest center.

    Computed block by block with :func:`sklearn.metrics.pairwise_distances_chunked`,
    so memory stays at ``working_memory`` MiB whatever the sizes.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    centers : ndarray of shape (n_centers, n_features)
    working_memory : int, default=None
        MiB per block (scikit-learn's global default when None).

    Returns
    -------
    distances : ndarray of shape (n_samples,)
    """
    if centers.shape[0] == 0:
        return np.full(X.shape[0], np.inf)
    blocks = pairwise_distances_chunked(
        X,
        centers,
        reduce_func=lambda D, start: D.min(axis=1),
        working_memory=working_memory,
    )
    return np.concatenate(list(blocks))


def _distances_to(X, center, block: int = 65_536) -> np.ndarray:
    """Euclidean distance of every row to ``center``, in float64 blocks.

    Direct differences (not ``|x|^2 - 2 x.c + |c|^2``, which cancels
    catastrophically in float32 for data with a large offset), one block of
    rows at a time so a float32 pool is never copied whole.
    """
    center = np.asarray(center, dtype=np.float64)
    out = np.empty(X.shape[0])
    for start in range(0, X.shape[0], block):
        diff = X[start : start + block].astype(np.float64) - center
        out[start : start + block] = np.sqrt(np.einsum("ij,ij->i", diff, diff))
    return out


def _safe_scale(*arrays) -> float:
    """Return a power of two that keeps squared distances of ``arrays / scale`` finite.

    Distances are computed from squared differences, which overflow for values
    above about 1e154; dividing by a power of two is exact, so the selection is
    unchanged and the distances are multiplied back afterwards.
    """
    largest = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
    return _scale_for(largest)


def _scale_for(largest: float) -> float:
    """Return the :func:`_safe_scale` of arrays whose largest magnitude is ``largest``."""
    if not np.isfinite(largest) or largest <= 1e100:
        return 1.0
    return float(2.0 ** np.floor(np.log2(largest)))


def k_center_greedy(X, distances, k: int, first=None) -> tuple[np.ndarray, np.ndarray]:
    """Pick ``k`` rows greedily, each the farthest from all centers so far.

    Sener & Savarese (2018), Algorithm 1: ``u = argmax_i min_j d(x_i, c_j)``,
    then ``u`` becomes a center. Distances to each new center are computed
    block by block in float64, so memory is ``O(n_samples)`` beyond ``X``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Candidate rows (features).
    distances : ndarray of shape (n_samples,)
        Distance of each row to its nearest existing center (``inf`` when
        there is none).
    k : int
        Number of rows to pick.
    first : int, default=None
        Index to start from when there is no existing center (every
        distance is ``inf``); ``None`` starts from row 0.

    Returns
    -------
    picked : ndarray of shape (k,)
        Indices in the order they were picked.
    gaps : ndarray of shape (k,)
        Each picked row's distance to the nearest center when it was picked
        (the covering radius at that step; ``inf`` for a first pick without
        centers).

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.query import k_center_greedy
    >>> X = np.array([[0.0], [1.0], [5.0], [10.0]])
    >>> k_center_greedy(X, np.array([0.0, 1.0, 5.0, 10.0]), 2)[0]
    array([3, 2])
    """
    return _greedy(distances, k, first, lambda index: _distances_to(X, X[index]))


def _greedy(distances, k: int, first, distances_to) -> tuple[np.ndarray, np.ndarray]:
    """Run :func:`k_center_greedy` with ``distances_to(i)``: every row's distance to row ``i``."""
    distances = np.array(distances, dtype=np.float64)
    picked = np.empty(k, dtype=np.intp)
    gaps = np.empty(k)
    for step in range(k):
        if step == 0 and first is not None and np.isinf(distances).all():
            index = int(first)
        else:
            index = int(np.argmax(distances))
        picked[step], gaps[step] = index, distances[index]
        np.minimum(distances, distances_to(index), out=distances)
        distances[picked[: step + 1]] = -np.inf  # never pick a row twice
    return picked, gaps


def _labeled_features(extractor, X_labeled, empty_pool):
    """Return the labeled rows' features (``empty_pool`` holds the pool's width)."""
    if X_labeled is None or _num_samples(X_labeled) == 0:
        return empty_pool
    labeled = extract_features(extractor, X_labeled)
    if labeled.shape[1] != empty_pool.shape[1]:
        raise ValueError(
            f"X_labeled has {labeled.shape[1]} features but X_pool has {empty_pool.shape[1]}."
        )
    return labeled


class CoreSetQuery(QueryStrategy):
    """Core-set selection: cover the pool with the labeled set (k-center greedy).

    Each pick is the pool row farthest (Euclidean, in feature space) from
    every labeled row and every row already picked -- Sener & Savarese's
    greedy 2-approximation of the k-center problem. Distances to the labeled
    set are computed in blocks of ``working_memory`` MiB and the greedy
    updates block by block, so memory grows linearly
    with the pool (a million rows is fine).

    Parameters
    ----------
    feature_extractor : callable, transformer, "penultimate" or None, default=None
        Maps X to the space distances are measured in (the papers use the
        task network's penultimate layer); ``None`` uses X. A fitted
        transformer's ``transform``, a plain callable, or ``"penultimate"``:
        the fitted task model's penultimate layer (a skorch net's;
        :func:`net_features`).
    working_memory : int, default=None
        MiB per block of the pool-to-labeled distance matrix (scikit-learn's
        ``working_memory`` setting when None).
    random_state : int, RandomState instance or None, default=None
        Picks the first row when there is no labeled row.

    Notes
    -----
    The utilities returned with ``return_utilities=True`` are each pool row's
    distance to its nearest labeled row *before* the query; the selection
    itself is sequential, so it is not simply the top of that ranking.

    References
    ----------
    .. [1] O. Sener, S. Savarese, "Active Learning for Convolutional Neural
       Networks: A Core-Set Approach", ICLR 2018, Algorithm 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.query import CoreSetQuery
    >>> pool = np.array([[0.0, 0.0], [0.1, 0.0], [5.0, 5.0]])
    >>> CoreSetQuery().query(pool, X_labeled=[[0.0, 0.1]], batch_size=1)
    array([2])
    """

    _needs_estimator = False
    _parameter_constraints = {
        "feature_extractor": FEATURE_EXTRACTOR_CONSTRAINT,
        "working_memory": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, feature_extractor=None, working_memory=None, random_state=None):
        self.feature_extractor = feature_extractor
        self.working_memory = working_memory
        self.random_state = random_state

    def _select(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        extractor = resolve_feature_extractor(self.feature_extractor, estimator)
        if is_out_of_core(X_pool):
            return self._select_by_blocks(X_pool, X_labeled, batch_size, extractor)
        pool = extract_features(extractor, X_pool)
        labeled = _labeled_features(extractor, X_labeled, pool[:0])
        scale = _safe_scale(pool, labeled)
        pool, labeled = pool / scale, labeled / scale
        distances = nearest_distances(pool, labeled, working_memory=self.working_memory)
        first = check_random_state(self.random_state).randint(pool.shape[0])
        picked, _ = k_center_greedy(pool, distances, batch_size, first=first)
        return picked, distances * scale

    def _select_by_blocks(self, X_pool, X_labeled, batch_size, extractor):
        """Run :meth:`_select` on a pool read block by block (memmap, Dask, rows on demand).

        Memory is one float per pool row plus a block; each pick reads the
        pool once more (a Dask pool: one Dask computation per pick).
        """

        def features(rows):
            return extract_features(extractor, rows)

        labeled = _labeled_features(extractor, X_labeled, features(take_rows(X_pool, [0]))[:0])
        largest = chunked_rows(lambda rows: np.abs(features(rows)).max(axis=1), X_pool).max()
        scale = _scale_for(max(largest, np.abs(labeled).max(initial=0.0)))
        labeled = labeled / scale
        distances = chunked_rows(
            lambda rows: nearest_distances(
                features(rows) / scale, labeled, working_memory=self.working_memory
            ),
            X_pool,
        )

        def distances_to(index):
            center = features(take_rows(X_pool, [index]))[0] / scale
            return chunked_rows(lambda rows: _distances_to(features(rows) / scale, center), X_pool)

        first = check_random_state(self.random_state).randint(distances.shape[0])
        picked, _ = _greedy(distances, batch_size, first, distances_to)
        return picked, distances * scale
