"""Pure helpers for the unlabeled marker and for labels that come from an oracle."""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["check_oracle_labels", "unlabeled_mask"]


def _is_nan(value) -> bool:
    return isinstance(value, numbers.Real) and value != value


def unlabeled_mask(y: np.ndarray, missing_label) -> np.ndarray:
    """Boolean mask of the rows of ``y`` that carry the unlabeled marker.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
    missing_label : int, float, str or None
        The marker (``-1`` as in scikit-learn's ``SelfTrainingClassifier``,
        ``np.nan``, a string...). ``None`` means no row is unlabeled. A marker
        of another kind than ``y`` (a number for string labels) matches nothing.

    Returns
    -------
    mask : ndarray of shape (n_samples,), dtype=bool

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.active._labels import unlabeled_mask
    >>> unlabeled_mask(np.array([0, -1, 2]), -1)
    array([False,  True, False])
    >>> unlabeled_mask(np.array([0.0, np.nan]), np.nan)
    array([False,  True])
    """
    y = np.asarray(y)
    if missing_label is None:
        return np.zeros(y.shape[0], dtype=bool)
    if _is_nan(missing_label):
        if y.dtype.kind == "f":
            return np.isnan(y)
        if y.dtype.kind == "O":
            return np.array([_is_nan(value) for value in y], dtype=bool)
        return np.zeros(y.shape[0], dtype=bool)
    if y.dtype.kind in "US" and not isinstance(missing_label, str):
        return np.zeros(y.shape[0], dtype=bool)
    if y.dtype.kind in "biuf" and isinstance(missing_label, str):
        return np.zeros(y.shape[0], dtype=bool)
    return np.asarray(y == missing_label, dtype=bool).reshape(y.shape[0])


def check_oracle_labels(labels, n_expected: int, *, like, missing_label, classes=None):
    """Validate what an oracle returned for ``n_expected`` queried rows.

    Parameters
    ----------
    labels : array-like
        The oracle's answer.
    n_expected : int
        Number of rows it was asked about.
    like : ndarray
        The caller's label array; numeric labels must answer numeric ``y``,
        string labels string ``y``.
    missing_label : marker or None
        The oracle must not answer with the unlabeled marker (or NaN/None).
    classes : array-like or None
        When given, every label must be one of them.

    Returns
    -------
    labels : ndarray of shape (n_expected,)
        Cast to ``like``'s dtype where it is numeric.

    Raises
    ------
    ValueError
        Wrong number or shape of labels, the marker or a missing value, a
        label of the wrong kind, or one outside ``classes``.
    """
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.ravel()
    if labels.ndim != 1 or labels.shape[0] != n_expected:
        raise ValueError(
            f"The oracle must return one label per queried row: asked for {n_expected} "
            f"label(s), it returned an array of shape {labels.shape}."
        )
    missing = unlabeled_mask(labels, missing_label) | np.array(
        [value is None or _is_nan(value) for value in labels], dtype=bool
    )
    if missing.any():
        raise ValueError(
            f"The oracle returned the unlabeled marker or a missing value "
            f"({labels[missing][:5].tolist()}) for {int(missing.sum())} queried row(s); "
            "it must return a class label for every row it is asked about."
        )
    if like.dtype.kind in "biuf":
        if labels.dtype.kind not in "biuf":
            raise ValueError(
                f"The oracle returned labels of dtype {labels.dtype} "
                f"(e.g. {labels[:3].tolist()}) but y holds numbers ({like.dtype})."
            )
        cast = labels.astype(like.dtype)
        if not np.array_equal(cast, labels):
            raise ValueError(
                f"The oracle returned non-integer labels {labels[cast != labels][:5].tolist()} "
                f"for integer y."
            )
        labels = cast
    elif like.dtype.kind in "US" and labels.dtype.kind not in "USO":
        raise ValueError(
            f"The oracle returned labels of dtype {labels.dtype} but y holds strings."
        )
    if classes is not None:
        unknown = ~np.isin(labels, np.asarray(classes))
        if unknown.any():
            raise ValueError(
                f"The oracle returned labels {np.unique(labels[unknown]).tolist()} that are "
                f"not in classes={np.asarray(classes).tolist()}."
            )
    return labels
