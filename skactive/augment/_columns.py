"""Which columns of a caller's table are categorical, and the table as the codec reads it.

The caller's X as a table: its categorical columns found (pandas category,
string and bool dtypes under ``categorical_features="auto"``, or the columns
the caller names), its integer columns, its values checked finite, and the
object table that :class:`~skactive.augment._tabular.TabularCodec` encodes.
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils._indexing import _get_column_indices
from sklearn.utils.validation import check_array

__all__ = [
    "categorical_columns",
    "continuous_part",
    "finite_numbers",
    "integer_columns",
    "nearest_value",
    "to_object_table",
]


def _is_pandas(X):
    return hasattr(X, "dtypes") and hasattr(X, "columns")


def _auto_categorical(X) -> np.ndarray:
    """Boolean mask of the columns ``categorical_features="auto"`` picks.

    A DataFrame's category, object, string and bool columns; every column of
    a bool or string array; the columns of an object array holding a value
    that is not a number (str, bool, ...).
    """
    if _is_pandas(X):
        import pandas as pd

        api = pd.api.types
        return np.array(
            [
                isinstance(dtype, pd.CategoricalDtype)
                or api.is_object_dtype(dtype)
                or api.is_string_dtype(dtype)
                or api.is_bool_dtype(dtype)
                for dtype in X.dtypes
            ],
            dtype=bool,
        )
    X = np.asarray(X)
    if X.ndim != 2:
        return np.zeros(X.shape[-1] if X.ndim else 0, dtype=bool)
    if X.dtype.kind in "bUS":
        return np.ones(X.shape[1], dtype=bool)
    if X.dtype.kind != "O":
        return np.zeros(X.shape[1], dtype=bool)
    return np.array([_holds_a_non_number(X[:, j]) for j in range(X.shape[1])], dtype=bool)


# pandas' infer_dtype (C) answers for most object columns without a Python
# loop over the values; the loops below run only for what it leaves open.
_REAL_KINDS = {"integer", "floating", "mixed-integer-float"}
_NUMBER_KINDS = _REAL_KINDS | {"boolean", "decimal", "complex"}


def _inferred(column) -> str:
    import pandas as pd

    return pd.api.types.infer_dtype(column, skipna=False)


def _holds_a_non_number(column) -> bool:
    """Whether an object column holds a value that is not a real number (bools count)."""
    if _inferred(column) in _REAL_KINDS:
        return False
    return any(isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Real) for v in column)


def categorical_columns(X, categorical_features):
    """``(categorical, continuous)`` column indices of X, sorted.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    categorical_features : "auto", "none", array-like of int, str or bool
        As ``SMOTENC``'s parameter of that name: ``"auto"`` (the columns that
        are not numbers by their dtype, see :func:`_auto_categorical`; the
        estimator adds the numeric codes), ``"none"``, column indices, column
        names (X must be a DataFrame) or a boolean mask of length
        ``n_features``.
    """
    n_features = X.shape[1]
    if isinstance(categorical_features, str) and categorical_features == "auto":
        mask = _auto_categorical(X)
    elif isinstance(categorical_features, str) and categorical_features == "none":
        mask = np.zeros(n_features, dtype=bool)
    else:
        key = np.asarray(categorical_features)
        if key.ndim != 1:
            raise ValueError(
                "categorical_features must be 'auto' or a 1-d array of column indices, "
                f"names or a boolean mask; got {categorical_features!r}."
            )
        if key.dtype.kind == "b" and key.size != n_features:
            raise ValueError(
                f"categorical_features is a boolean mask of length {key.size}, but X "
                f"has {n_features} columns."
            )
        if key.dtype.kind in "US" and not _is_pandas(X):
            raise ValueError(
                "categorical_features holds column names, which needs X to be a pandas "
                f"DataFrame; got {type(X).__name__}. Pass column indices instead."
            )
        try:
            indices = _get_column_indices(X, key.tolist()) if key.size else []
        except (ValueError, IndexError, KeyError) as exc:
            raise ValueError(f"categorical_features={categorical_features!r}: {exc}") from exc
        mask = np.zeros(n_features, dtype=bool)
        mask[indices] = True
    return np.flatnonzero(mask), np.flatnonzero(~mask)


def finite_numbers(X, columns):
    """Return X's ``columns`` as a float array, or None when one is not all finite numbers."""
    part = X.iloc[:, columns] if _is_pandas(X) else np.asarray(X)[:, columns]
    try:
        values = np.asarray(part, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return values if np.isfinite(values).all() else None


def integer_columns(X) -> np.ndarray:
    """Boolean mask of the columns whose values must come back whole.

    Integer and bool dtypes of a DataFrame or an array; in an object array,
    the columns whose every value is an integral number.
    """
    if _is_pandas(X):
        import pandas as pd

        api = pd.api.types
        return np.array(
            [api.is_integer_dtype(d) or api.is_bool_dtype(d) for d in X.dtypes], dtype=bool
        )
    X = np.asarray(X)
    if X.dtype.kind != "O":
        return np.full(X.shape[1], X.dtype.kind in "iub", dtype=bool)
    return np.array([_all_integral(X[:, j]) for j in range(X.shape[1])], dtype=bool)


def _all_integral(column) -> bool:
    kind = _inferred(column)
    if kind in ("integer", "boolean"):
        return True
    if kind in ("floating", "mixed-integer-float", "string"):
        return False
    return all(isinstance(v, numbers.Integral) for v in column)


def _column_names(X, columns):
    names = getattr(X, "columns", None)
    return [str(names[c]) if names is not None else int(c) for c in columns]


def _is_finite_number_column(column) -> bool:
    try:
        return bool(np.isfinite(column.astype(np.float64)).all())
    except (TypeError, ValueError):
        return False


def _value_kinds(column) -> set:
    """``{"str"}``, ``{"number"}`` or the mix of kinds (other types by name)."""
    kind = _inferred(column)
    if kind == "string":
        return {"str"}
    if kind in _NUMBER_KINDS:
        return {"number"}
    kinds = set()
    for value in column:
        if isinstance(value, str):
            kinds.add("str")
        elif isinstance(value, numbers.Number):
            kinds.add("number")
        else:
            kinds.add(type(value).__name__)
    return kinds


def to_object_table(X, categorical, continuous, name="X"):
    """Return X as an object array with checked columns.

    Continuous columns must be finite floats, categorical ones without missing
    values (both named on failure).
    """
    table = X.to_numpy(dtype=object, copy=True) if _is_pandas(X) else np.array(X, dtype=object)
    if table.ndim != 2:
        raise ValueError(f"{name} must be 2-dimensional; got shape {table.shape}.")
    if continuous.size:
        try:
            values = check_array(table[:, continuous], dtype=np.float64)
        except ValueError as exc:
            bad = [c for c in continuous if not _is_finite_number_column(table[:, c])]
            raise ValueError(
                f"{name}'s continuous column(s) {_column_names(X, bad or continuous)} must "
                f"hold finite numbers ({exc}). Declare non-numeric columns in "
                "categorical_features."
            ) from exc
        table[:, continuous] = values
    if categorical.size:
        import pandas as pd

        missing = pd.isna(pd.DataFrame(table[:, categorical])).to_numpy().any(axis=0)
        if missing.any():
            raise ValueError(
                f"{name}'s categorical column(s) {_column_names(X, categorical[missing])} "
                "have missing values; impute them or make 'missing' a category of its own."
            )
        kinds = [_value_kinds(table[:, c]) for c in categorical]
        bad = [not (k <= {"str"} or k <= {"number"}) for k in kinds]
        mixed = categorical[np.array(bad, dtype=bool)]
        if mixed.size:
            found = sorted(set().union(*(k for k, b in zip(kinds, bad, strict=True) if b)))
            raise TypeError(
                f"{name}'s categorical column(s) {_column_names(X, mixed)} mix value kinds "
                f"({', '.join(found)}): each argument must be uniformly strings or numbers "
                "(OneHotEncoder sorts the categories)."
            )
    return table


def continuous_part(table, categorical, continuous):
    """Return the continuous columns of a checked table, as floats.

    A numeric table without categorical columns is returned as it is, so its
    dtype (e.g. float32) reaches the scaler as before mixed tables existed.
    """
    if not categorical.size:
        return table
    return table[:, continuous].astype(np.float64)


def nearest_value(x, values):
    """Map each entry of ``x`` to the nearest of the sorted ``values`` (ties: the lower)."""
    if values.size == 1:
        return np.full_like(x, values[0])
    upper = np.searchsorted((values[:-1] + values[1:]) / 2, x, side="left")
    return values[upper]
