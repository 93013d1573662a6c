"""Book-keeping of the active-learning loop: which rows are labeled, and when."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["LabelState", "PoolRows", "describe", "is_file_backed", "resolve_count"]


def is_file_backed(X) -> bool:
    """Whether array ``X`` is (a view of) a ``numpy.memmap``: a pool on disk."""
    while X is not None:
        if isinstance(X, np.memmap):
            return True
        X = getattr(X, "base", None)
    return False


class PoolRows:
    """The rows ``X[positions]``, read only when asked for.

    What the learner hands a query strategy when ``X`` lies on disk (a
    ``numpy.memmap``): strategies that score rows block by block
    (``query._base.chunked_rows``: random, uncertainty, committee, density)
    read one block of rows at a time, so the pool is never copied into
    memory; anything else gets the rows as an array (``__array__``).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    positions : ndarray of int
        The pool's row indices into ``X``.
    """

    ndim = 2
    #: Strategies that score block by block read these rows on demand.
    reads_on_demand = True

    def __init__(self, X, positions):
        self.X = X
        self.positions = np.asarray(positions)

    @property
    def shape(self):
        return (len(self.positions), self.X.shape[1])

    @property
    def dtype(self):
        return self.X.dtype

    def __len__(self):
        return len(self.positions)

    def __getitem__(self, key):
        if isinstance(key, tuple):  # scikit-learn's _safe_indexing asks X[rows, ...]
            key = key[0]
        return self.X[self.positions[key]]

    def __array__(self, dtype=None, copy=None):
        rows = self.X[self.positions]
        return rows if dtype is None else rows.astype(dtype, copy=False)


def resolve_count(value, n_samples: int, *, minimum: int = 0):
    """Read a count given as an int, a fraction of ``n_samples`` (float) or None.

    >>> resolve_count(0.1, 300), resolve_count(7, 300), resolve_count(None, 300)
    (30, 7, None)
    """
    if value is None:
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    return max(minimum, int(round(value * n_samples)))


def _seconds(value: float) -> str:
    """Format a duration for people: ``"2.1 ms"``, ``"0.35 s"``, ``"12 s"``."""
    if value < 0.1:
        return f"{1000 * value:.1f} ms"
    return f"{value:.2f} s" if value < 10 else f"{value:.0f} s"


def _field(key, value) -> str:
    """Format one history field: times with units, other floats to 4 digits."""
    if not isinstance(value, float):
        return f"{key}={value}"
    return f"{key}={_seconds(value)}" if key.endswith("_time") else f"{key}={value:.4g}"


def describe(record: dict) -> str:
    """One line for a history record (verbose output); times rounded, with units."""
    return ", ".join(_field(key, value) for key, value in record.items())


class LabelState:
    """The labeled set of one run: real rows by index, synthesised rows appended.

    Only labels that were known at the start or handed over since are
    stored: hidden labels of a simulation never enter this object.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Labels; values at ``unknown`` rows are not kept.
    unknown : ndarray of shape (n_samples,), dtype=bool
        Rows whose label is not known yet (the pool).
    """

    def __init__(self, X, y, unknown):
        self.X = X
        self.y_like = y[~unknown][:1]  # one known label: the kind oracle answers must have
        if y.dtype.kind in "biuf":
            self.y = np.zeros_like(y)
        else:  # object storage: strings of any length, no truncation
            self.y = np.full(y.shape[0], None, dtype=object)
        self.y[~unknown] = y[~unknown]
        self.labeled_iter = np.full(y.shape[0], -1, dtype=np.intp)
        self.labeled_iter[~unknown] = 0
        self.X_synthetic = np.empty((0, X.shape[1]), dtype=X.dtype)
        self.y_synthetic = self.y[:0].copy()
        self.synthetic_iter = np.empty(0, dtype=np.intp)

    def copy(self) -> LabelState:
        """Return a copy sharing X, for all-or-nothing updates."""
        new = object.__new__(LabelState)
        new.__dict__.update(self.__dict__)
        for name in ("y", "labeled_iter"):
            setattr(new, name, getattr(self, name).copy())
        return new

    @property
    def pool(self) -> np.ndarray:
        """Mask of the rows still unlabeled."""
        return self.labeled_iter < 0

    @property
    def n_pool(self) -> int:
        return int(self.pool.sum())

    @property
    def n_labeled(self) -> int:
        return int((self.labeled_iter >= 0).sum()) + self.y_synthetic.shape[0]

    def add(self, picked: np.ndarray, labels: np.ndarray, cycle: int) -> None:
        """Record labels for row indices (1-D ``picked``) or synthesised rows (2-D)."""
        if picked.ndim == 2:
            self.X_synthetic = np.concatenate([self.X_synthetic, picked.astype(self.X.dtype)])
            self.y_synthetic = np.concatenate([self.y_synthetic, labels.astype(self.y.dtype)])
            self.synthetic_iter = np.concatenate(
                [self.synthetic_iter, np.full(len(labels), cycle, dtype=np.intp)]
            )
            return
        self.y[picked] = labels
        self.labeled_iter[picked] = cycle

    def training_set(self):
        """(X, y) of every labeled row, synthesised rows last."""
        labeled = self.labeled_iter >= 0
        X = self.X[labeled]
        y = self.y[labeled]
        if self.y_synthetic.shape[0]:
            X = np.concatenate([X, self.X_synthetic])
            y = np.concatenate([y, self.y_synthetic])
        if y.dtype == object and all(isinstance(value, str) for value in y):
            # string labels are stored as objects (no truncation when a longer one
            # arrives); the model sees a string array, so it predicts strings too
            y = y.astype(str)
        return X, y

    def check_indices(self, indices) -> np.ndarray:
        """Validate indices handed back by a user: in range, distinct, unlabeled."""
        indices = np.asarray(indices)
        n = self.labeled_iter.shape[0]
        if indices.ndim != 1 or (indices.size and indices.dtype.kind not in "iu"):
            raise ValueError(
                "query must be the 1-D integer indices (or the 2-D synthesised rows) "
                f"that query() returned; got an array of shape {indices.shape}, "
                f"dtype {indices.dtype}."
            )
        if indices.size and (indices.min() < 0 or indices.max() >= n):
            raise ValueError(f"Indices must lie in [0, {n}); got {indices.tolist()[:10]}.")
        if np.unique(indices).size != indices.size:
            raise ValueError("Indices must be distinct.")
        already = indices[self.labeled_iter[indices] >= 0]
        if already.size:
            raise ValueError(f"Rows {already.tolist()[:10]} are already labeled.")
        return indices.astype(np.intp)
