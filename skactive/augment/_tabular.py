"""Mixed tables: which columns are categorical, and the maps between three spaces.

- *caller space*: the rows as the caller gave them (column order, categories
  as their own values, integer columns whole);
- *generator space*: what the nets see, the continuous columns scaled to
  ``[-1, 1]`` (``scaling``; with ``"mode_specific"`` their offsets, then one
  one-hot mode block per continuous column) followed by one one-hot block per
  categorical column (CTGAN's layout, Xu et al. 2019);
- *classifier space*: what the reward classifier sees, the continuous columns
  as given followed by the same one-hot blocks (for a table without
  categorical columns this is the caller's X itself).
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils._indexing import _get_column_indices
from sklearn.utils.validation import check_array

from ._scaling import inverse_scale, mode_sizes

__all__ = [
    "TabularCodec",
    "categorical_columns",
    "continuous_part",
    "integer_columns",
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
    categorical_features : "auto", array-like of int, str or bool
        As ``SMOTENC``'s parameter of that name: ``"auto"`` (see
        :func:`_auto_categorical`), column indices, column names (X must be a
        DataFrame) or a boolean mask of length ``n_features``.
    """
    n_features = X.shape[1]
    if isinstance(categorical_features, str) and categorical_features == "auto":
        mask = _auto_categorical(X)
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
    table = X.to_numpy(dtype=object) if _is_pandas(X) else np.asarray(X, dtype=object)
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


class TabularCodec:
    """Fitted maps between the caller's, the generator's and the classifier's spaces.

    Parameters
    ----------
    scaler : fitted transformer or None
        :func:`~skactive.augment._scaling.make_scaler` fitted on the continuous
        columns (None when there are none).
    encoder : fitted OneHotEncoder or None
        On the categorical columns (None when there are none).
    categorical, continuous : ndarray of int
        Column indices in the caller's X.
    integer : ndarray of bool
        Which caller columns come back rounded to whole numbers.
    """

    def __init__(self, scaler, encoder, categorical, continuous, integer):
        self.scaler = scaler
        self.encoder = encoder
        self.categorical = categorical
        self.continuous = continuous
        self.integer = integer

    @classmethod
    def fit(cls, table, categorical, continuous, integer, scaler):
        """Fit the scaler and the one-hot encoder on an object or numeric ``table``.

        ``scaler`` on the continuous columns, a one-hot encoder on the categorical ones.
        """
        if continuous.size:
            scaler = scaler.fit(continuous_part(table, categorical, continuous))
        else:
            scaler = None
        encoder = None
        if categorical.size:
            encoder = OneHotEncoder(sparse_output=False, dtype=np.float64)
            encoder.fit(table[:, categorical])
        return cls(scaler, encoder, categorical, continuous, integer)

    def _continuous(self, table):
        return continuous_part(table, self.categorical, self.continuous)

    @property
    def n_features(self) -> int:
        """Columns of the caller's X."""
        return self.categorical.size + self.continuous.size

    @property
    def width(self) -> int:
        """Columns of the generator space."""
        return self.continuous.size + sum(self.categorical_sizes)

    @property
    def categorical_sizes(self) -> tuple:
        """Width of each one-hot block of the generator space.

        The scaler's mode blocks (``scaling="mode_specific"``), then one block
        per categorical column.
        """
        return mode_sizes(self.scaler) + self.category_sizes

    @property
    def category_sizes(self) -> tuple:
        """Width of each categorical column's one-hot block."""
        if self.encoder is None:
            return ()
        return tuple(len(c) for c in self.encoder.categories_)

    @property
    def _n_scaled(self) -> int:
        """Leading generator columns that the scaler maps back to the continuous ones."""
        return self.continuous.size + sum(mode_sizes(self.scaler))

    def _one_hot(self, table):
        return self.encoder.transform(table[:, self.categorical])

    def to_generator(self, table) -> np.ndarray:
        """Caller rows to the generator space (float32)."""
        parts = []
        if self.scaler is not None:
            parts.append(self.scaler.transform(self._continuous(table)))
        if self.encoder is not None:
            parts.append(self._one_hot(table))
        return np.hstack(parts).astype(np.float32)

    def to_classifier(self, table) -> np.ndarray:
        """Caller rows to the classifier space (the caller's X when all continuous)."""
        if self.encoder is None:
            return table
        return np.hstack([self._continuous(table), self._one_hot(table)])

    def _split(self, x_gen):
        """Split generator rows into caller-unit columns and category codes.

        Continuous columns in the caller's units (integer ones rounded) and each
        categorical block's category code.
        """
        n_scaled = self._n_scaled
        continuous = x_gen[:, :n_scaled]
        if self.scaler is not None:
            continuous = inverse_scale(self.scaler, continuous)
        integer = self.integer[self.continuous]
        if integer.any():
            # whole numbers before any cast to the caller's dtype, where a
            # float such as 0.4 would become True or 2.9 become 2
            continuous = np.where(integer, np.rint(continuous), continuous)
        bounds = np.cumsum((n_scaled, *self.category_sizes))
        codes = [x_gen[:, a:b].argmax(axis=1) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        return continuous, codes

    def generated_to_classifier(self, x_gen) -> np.ndarray:
        """Map generator rows (one-hot blocks soft or hard) to the classifier space.

        Each block is made a hard one-hot of its largest entry.
        """
        continuous, codes = self._split(x_gen)
        blocks = [np.eye(size)[code] for size, code in zip(self.category_sizes, codes, strict=True)]
        return np.hstack([continuous, *blocks]) if blocks else continuous

    def generated_to_caller(self, x_gen) -> np.ndarray:
        """Map generator rows to caller rows.

        Float64 when every column is continuous, else an object array holding each
        column's categories.
        """
        continuous, codes = self._split(x_gen)
        if self.encoder is None:
            return continuous
        table = np.empty((len(x_gen), self.n_features), dtype=object)
        table[:, self.continuous] = continuous
        for column, categories, code in zip(
            self.categorical, self.encoder.categories_, codes, strict=True
        ):
            table[:, column] = categories[code]
        return table
