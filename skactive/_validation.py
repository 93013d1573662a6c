"""Validation helpers shared by the estimators."""

from __future__ import annotations

import numbers
import sys
import warnings
from pathlib import Path

import numpy as np

__all__ = ["check_count", "check_sizes", "check_value_scale"]

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
    largest = np.max(np.abs(X), axis=0).astype(np.float64)  # 1e150 overflows float32
    columns = np.flatnonzero(largest > _MAX_SAFE_MAGNITUDE)
    if columns.size:
        raise ValueError(
            f"{name} column(s) {columns[:10].tolist()} hold values up to "
            f"{float(largest[columns].max()):.3g}: squares of such values overflow, so "
            "kernels, distances and the nets' losses would be inf/NaN. Rescale those "
            "columns (e.g. StandardScaler or a log transform) before this step."
        )


def check_count(value, name, minimum=1) -> int:
    """Return ``value`` as an int, or raise a ``ValueError`` naming ``name``.

    Raised when ``value`` is not an integer (bools excluded) of at least ``minimum``.

    Examples
    --------
    >>> from skactive._validation import check_count
    >>> check_count(3, "batch_size")
    3
    >>> check_count(True, "batch_size")
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be a positive integer; got True.
    """
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        what = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {what}; got {value!r}.")
    return int(value)


def check_sizes(values, name, min_length=1) -> tuple[int, ...]:
    """Return ``values`` as a tuple of ints, or raise a ``ValueError`` naming ``name``.

    For layer widths and image shapes: a sequence of at least ``min_length``
    positive integers (bools excluded).

    Examples
    --------
    >>> from skactive._validation import check_sizes
    >>> check_sizes([64, 32], "hidden_layer_sizes")
    (64, 32)
    >>> check_sizes((0,), "hidden_layer_sizes")
    Traceback (most recent call last):
    ...
    ValueError: hidden_layer_sizes must be a sequence of at least 1 positive integers; got (0,).
    """
    try:
        sizes = tuple(values)
    except TypeError:
        sizes = ()
    if len(sizes) < min_length or not all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and v > 0 for v in sizes
    ):
        raise ValueError(
            f"{name} must be a sequence of at least {min_length} positive integers; got {values!r}."
        )
    return tuple(int(v) for v in sizes)


def label_value_kind(value):
    """Return "string", "number" or None (anything else) for one label."""
    if isinstance(value, str):
        return "string"
    if isinstance(value, numbers.Number):
        return "number"
    return None


def check_label_kinds(y, name="y", hint="") -> None:
    """Refuse labels that mix numbers and strings, naming one of each.

    Lists and object arrays (pandas' ``object`` columns) are read element by
    element: NumPy would turn a list of both into strings, and scikit-learn
    cannot sort or type a mixture.

    Parameters
    ----------
    y : array-like
        The labels.
    name : str, default="y"
        How the error names them.
    hint : str, default=""
        Appended to the error message.

    Raises
    ------
    ValueError
        If ``y`` holds both number and string labels.
    """
    values = np.asarray(y) if hasattr(y, "dtype") else np.asarray(list(y), dtype=object)
    if values.dtype != object:
        return
    example = {label_value_kind(value): value for value in values.ravel()}
    if "number" in example and "string" in example:
        raise ValueError(
            f"{name} mixes number labels ({example['number']!r}) and string labels "
            f"({example['string']!r}); use one kind for every label (e.g. y.astype(str))"
            f"{hint}."
        )


# Libraries a call passes through between the user's line and a skactive warning.
_LIBRARIES = (__name__.split(".")[0], "sklearn", "imblearn", "skorch")


def _library_dirs():
    """Return the folders of the libraries in ``_LIBRARIES`` that are imported."""
    return tuple(
        str(Path(sys.modules[name].__file__).resolve().parent) + "/"
        for name in _LIBRARIES
        if getattr(sys.modules.get(name), "__file__", None)
    )


def warn(message, category=UserWarning) -> None:
    """Issue a warning that points at the caller's own line, not at library code.

    The stack is walked past frames in skactive, scikit-learn,
    imbalanced-learn and skorch (a sampler's ``fit_resample`` runs inside
    imbalanced-learn's, a pipeline's fit inside scikit-learn's), so the
    warning names the user's ``fit`` / ``fit_resample`` / ``query`` call.

    Parameters
    ----------
    message : str
        The warning text.
    category : type of Warning, default=UserWarning
        The warning class.
    """
    libraries = _library_dirs()
    frame, level = sys._getframe(1), 2  # stacklevel 1 is this function
    while frame is not None and frame.f_code.co_filename.startswith(libraries):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
