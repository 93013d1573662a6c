"""Pure helpers for the unlabeled marker and for labels that come from an oracle."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.utils import check_array
from sklearn.utils.multiclass import check_classification_targets

from .._validation import check_label_kinds, label_value_kind, warn

__all__ = [
    "check_initial_labels",
    "check_oracle_labels",
    "check_picked",
    "check_synthesized",
    "unlabeled_mask",
]


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


def _label_kind(values: np.ndarray):
    """Return "number", "string" or None (unknown) for an array of labels."""
    if values.dtype.kind in "biuf":
        return "number"
    if values.dtype.kind in "US":
        return "string"
    if values.dtype == object and values.size:
        return label_value_kind(values[0])
    return None


def _check_one_label_kind(labels: np.ndarray, missing_label) -> None:
    """Refuse ``None`` labels and labels mixing numbers and strings, by name."""
    if labels.dtype != object:
        return
    if any(value is None for value in labels):
        raise ValueError(
            f"y holds None, which is neither a label nor the unlabeled marker "
            f"(missing_label={missing_label!r}; missing_label=None means that no row is "
            "unlabeled). Mark unlabeled rows with missing_label's value (-1 by default), "
            "np.nan for float y, or a string marker such as missing_label='?'."
        )
    check_label_kinds(
        labels,
        hint=f", and missing_label (now {missing_label!r}) of that kind for unlabeled rows",
    )


# The marker "auto" stands for, when y uses it as a marker at all.
AUTO_MARKER = -1


def resolve_missing_label(y, missing_label, *, has_oracle):
    """Return the marker ``fit`` uses: ``missing_label``, or ``"auto"`` read on ``y``.

    ``"auto"``: ``-1`` marks unlabeled rows (scikit-learn's
    ``SelfTrainingClassifier`` convention) when an oracle is given, when
    every row is ``-1`` or when ``y`` holds at least two labels besides
    ``-1``; otherwise -- ``y`` holds ``-1`` and one other value, as in a
    -1 / 1 binary data set
    (imbalanced-learn's benchmark sets, scikit-learn's estimator checks) --
    ``-1`` is a class and no row is unlabeled (``None``).

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.active._labels import resolve_missing_label
    >>> resolve_missing_label(np.array([-1, 1, 1, -1]), "auto", has_oracle=False) is None
    True
    >>> resolve_missing_label(np.array([-1, 0, 1, 2]), "auto", has_oracle=False)
    -1
    >>> resolve_missing_label(np.array([-1, 1]), "auto", has_oracle=True)
    -1
    """
    if not (isinstance(missing_label, str) and missing_label == "auto"):
        return missing_label
    marked = unlabeled_mask(y, AUTO_MARKER)
    if has_oracle or not marked.any() or marked.all():
        return AUTO_MARKER
    others = np.unique(np.asarray(y)[~marked])
    return AUTO_MARKER if others.size >= 2 else None


def check_initial_labels(
    y, unlabeled, *, missing_label, classes, has_oracle, marker_given=False
) -> None:
    """Validate ``y`` at the start of ``fit`` (see ActiveLearningClassifier).

    Raises when no row is labeled and there is no oracle, when the labels are
    not classification targets, when ``classes`` holds the marker or misses
    a given label. When marked rows stay unlabeled for want of an oracle and
    the marker was read from ``y`` (``missing_label="auto"``), warns: the
    value might be a class. A marker the caller set (``marker_given``) is
    taken at its word.
    """
    if unlabeled.all() and not has_oracle:
        raise ValueError(
            f"Every row of y is unlabeled (missing_label={missing_label!r}) and no oracle "
            "was given: pass oracle=... to have rows labeled, or a fully labeled y to "
            "simulate active learning."
        )
    if not unlabeled.all():
        _check_one_label_kind(y[~unlabeled], missing_label)
        check_classification_targets(y[~unlabeled])
    if classes is not None:
        classes = np.asarray(classes)
        if unlabeled_mask(classes, missing_label).any():
            raise ValueError(
                f"classes={classes.tolist()} contains the unlabeled marker "
                f"missing_label={missing_label!r}."
            )
        unknown = ~np.isin(y[~unlabeled], classes)
        if unknown.any():
            raise ValueError(
                f"y holds labels {np.unique(y[~unlabeled][unknown]).tolist()} that are not "
                f"in classes={classes.tolist()}."
            )
    if unlabeled.any() and not unlabeled.all() and not has_oracle and not marker_given:
        warn(
            f"{int(unlabeled.sum())} rows of y carry missing_label={missing_label!r} and no "
            "oracle was given: the model is fitted on the labeled rows only (continue with "
            "query()/teach()). If this value is a class, pass missing_label=None; to mark "
            "unlabeled rows without this warning, pass missing_label=-1.",
        )


def check_picked(picked, size: int, n_pool: int, name: str) -> np.ndarray:
    """Check the indices a strategy returned: 1 to ``size`` distinct ints in [0, n_pool)."""
    picked = np.asarray(picked)
    if (
        picked.ndim != 1
        or not 1 <= picked.size <= size
        or picked.dtype.kind not in "iu"
        or picked.min() < 0
        or picked.max() >= n_pool
        or np.unique(picked).size != picked.size
    ):
        raise ValueError(
            f"{name}.query must return 1 to {size} distinct integer indices in "
            f"[0, {n_pool}); it returned {picked.tolist()[:10]} (shape {picked.shape})."
        )
    return picked.astype(np.intp)


def check_synthesized(X_new, size: int, n_features: int, name: str) -> np.ndarray:
    """Rows a synthesis strategy returned: finite, n_features columns, 1 to ``size`` rows."""
    X_new = check_array(X_new, input_name=f"rows synthesised by {name}")
    if X_new.shape[1] != n_features or not 1 <= X_new.shape[0] <= size:
        raise ValueError(
            f"{name}.synthesize must return 1 to {size} rows of {n_features} features; "
            f"it returned shape {X_new.shape}."
        )
    return X_new


def check_oracle_labels(
    labels, n_expected: int, *, like, missing_label, classes=None, source="The oracle"
):
    """Validate what an oracle returned for ``n_expected`` queried rows.

    Parameters
    ----------
    labels : array-like
        The oracle's answer.
    n_expected : int
        Number of rows it was asked about.
    like : ndarray
        Labels of the caller's kind (an empty array of y's dtype at least);
        numeric ``y`` needs numeric answers, string ``y`` strings.
    missing_label : marker or None
        The oracle must not answer with the unlabeled marker (or NaN/None).
    classes : array-like or None
        When given, every label must be one of them.
    source : str, default="The oracle"
        Who supplied the labels, for the error messages (e.g. the labels
        passed to ``teach``).

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
            f"{source} must give one label per queried row: asked for {n_expected} "
            f"label(s), got an array of shape {labels.shape}."
        )
    missing = unlabeled_mask(labels, missing_label) | np.array(
        [value is None or _is_nan(value) for value in labels], dtype=bool
    )
    if missing.any():
        raise ValueError(
            f"{source} gave the unlabeled marker or a missing value "
            f"({labels[missing][:5].tolist()}) for {int(missing.sum())} queried row(s); "
            "a class label is needed for every queried row."
        )
    expected, got = _label_kind(like), _label_kind(labels)
    if expected is not None and got != expected:
        raise ValueError(
            f"{source} gave labels {labels[:3].tolist()} (dtype {labels.dtype}) but y "
            f"holds {expected}s."
        )
    if like.dtype.kind in "iu" and labels.dtype.kind in "biuf" and labels.size:
        limits = np.iinfo(like.dtype)
        outside = (labels < limits.min) | (labels > limits.max)
        if outside.any():
            raise ValueError(
                f"{source} gave labels {np.unique(labels[outside])[:5].tolist()} that do not "
                f"fit y's dtype {like.dtype} (range {limits.min}..{limits.max}); pass y with "
                "a wider integer dtype (e.g. y.astype(int))."
            )
    if like.dtype.kind in "biuf":
        cast = labels.astype(like.dtype)
        if not np.array_equal(cast, labels):
            raise ValueError(
                f"{source} gave non-integer labels {labels[cast != labels][:5].tolist()} "
                f"for integer y."
            )
        labels = cast
    if classes is not None:
        unknown = ~np.isin(labels, np.asarray(classes))
        if unknown.any():
            raise ValueError(
                f"{source} gave labels {np.unique(labels[unknown]).tolist()} that are "
                f"not in classes={np.asarray(classes).tolist()}."
            )
    return labels
