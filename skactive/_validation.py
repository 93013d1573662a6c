"""Validation helpers shared by the estimators."""

from __future__ import annotations

import numpy as np

__all__ = ["check_no_category_columns", "check_value_scale"]

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


def check_no_category_columns(X) -> None:
    """Raise for pandas ``category`` columns, which the generator does not model.

    The generator produces one continuous value per column; for a category
    column that value is no category (pandas would store NaN), so such input
    is refused with the columns named rather than returned with invalid rows.
    """
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "items"):
        return
    categorical = [str(name) for name, dtype in dtypes.items() if str(dtype) == "category"]
    if categorical:
        raise ValueError(
            f"X has pandas category column(s) {categorical}: ActiveGANAugmenter generates "
            "continuous values and does not model categories yet. One-hot encode them "
            "before the sampler (e.g. OneHotEncoder in a ColumnTransformer, where each "
            "0/1 column is generated and rounded), or convert them to numbers if their "
            "order is meaningful."
        )
