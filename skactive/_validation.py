"""Validation helpers shared by the estimators."""

from __future__ import annotations

import numpy as np

__all__ = ["check_value_scale"]

# Above this magnitude squared differences and variances overflow float64.
_MAX_SAFE_MAGNITUDE = 1e150


def check_value_scale(X, name="X") -> None:
    """Raise a clear error when a column's values are too large to square.

    Kernels, distances, variances and the GAN's losses square feature values;
    at magnitudes above 1e150 that overflows to inf and fails far from the
    cause (e.g. "proba contains NaN" from a classifier, or a diverged net).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Finite numeric features.
    name : str, default="X"

    Raises
    ------
    ValueError
        Naming the offending columns and the remedy.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive._validation import check_value_scale
    >>> check_value_scale(np.array([[1.0, 2.0]]))
    """
    X = np.asarray(X)
    if X.dtype.kind not in "fiu" or X.size == 0:
        return
    largest = np.max(np.abs(X), axis=0)
    columns = np.flatnonzero(largest > _MAX_SAFE_MAGNITUDE)
    if columns.size:
        raise ValueError(
            f"{name} column(s) {columns[:10].tolist()} hold values up to "
            f"{float(largest[columns].max()):.3g}: squares of such values overflow, so "
            "kernels, distances and the nets' losses would be inf/NaN. Rescale those "
            "columns (e.g. StandardScaler or a log transform) before this step."
        )
