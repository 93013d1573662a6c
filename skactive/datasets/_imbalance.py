"""Class-imbalance profiles, sub-sampling and class entropy.

References
----------
.. [1] K. Kim, D. Park, K. I. Kim, S. Y. Chun, "Task-Aware Variational
   Adversarial Active Learning", CVPR 2021 (arXiv:2002.04709), Table 1:
   imbalanced CIFAR-10 class profiles and their dataset entropies.
"""

from __future__ import annotations

from numbers import Real

import numpy as np
from imblearn.under_sampling import RandomUnderSampler
from scipy.stats import entropy as scipy_entropy
from sklearn.utils import _safe_indexing, check_consistent_length

__all__ = ["TAVAAL_PROFILES", "class_entropy", "make_imbalanced"]

_CIFAR10_PER_CLASS_HUNDREDS = 50  # 5,000 training images per CIFAR-10 class

# Images per class in units of 100, as printed in TA-VAAL Table 1, keyed by the
# dataset entropy the paper quotes for each profile.
_TAVAAL_COUNTS_HUNDREDS: dict[float, tuple[float, ...]] = {
    1.65: (30, 30, 40, 50, 0.5, 1, 1, 1, 2, 10),
    1.89: (30, 30, 40, 50, 5, 5, 2, 3, 5, 20),
    2.11: (30, 30, 40, 50, 10, 10, 10, 10, 10, 30),
}

TAVAAL_PROFILES: dict[float, tuple[float, ...]] = {
    entropy: tuple(c / _CIFAR10_PER_CLASS_HUNDREDS for c in counts)
    for entropy, counts in _TAVAAL_COUNTS_HUNDREDS.items()
}
"""Imbalanced CIFAR-10 profiles of TA-VAAL (Kim et al., CVPR 2021, Table 1).

Keys are the dataset entropies quoted in the paper (natural log; the exact
values of the class distributions are 1.657, 1.900 and 2.115, i.e. the paper
truncates them to two decimals). Values are, per CIFAR-10 class (airplane,
automobile, bird, cat, deer, dog, frog, horse, ship, truck), the fraction of
the original 5,000 training images that is kept, e.g. ``1.65`` keeps
``(3000, 3000, 4000, 5000, 50, 100, 100, 100, 200, 1000)`` images. Pass a key
or a value as ``profile`` to :func:`make_imbalanced`.
"""


def _resolve_profile(profile, n_classes: int) -> np.ndarray:
    if isinstance(profile, Real) and not isinstance(profile, bool):
        key = float(profile)
        if key not in TAVAAL_PROFILES:
            raise ValueError(
                f"Unknown profile {profile!r}: a scalar profile must be a key of "
                f"TAVAAL_PROFILES {sorted(TAVAAL_PROFILES)}; otherwise pass one fraction "
                "per class."
            )
        fractions = np.asarray(TAVAAL_PROFILES[key], dtype=float)
    else:
        try:
            fractions = np.asarray(profile, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"profile must be a sequence of fractions or a key of TAVAAL_PROFILES, "
                f"got {profile!r}."
            ) from exc
        if fractions.ndim != 1:
            raise ValueError(f"profile must be one-dimensional, got shape {fractions.shape}.")
    if fractions.shape[0] != n_classes:
        raise ValueError(
            f"profile has {fractions.shape[0]} fractions but y has {n_classes} classes; "
            "give exactly one fraction per class (in the order of np.unique(y))."
        )
    bad = ~np.isfinite(fractions) | (fractions <= 0) | (fractions > 1)
    if bad.any():
        raise ValueError(
            f"Every fraction in profile must lie in (0, 1]; got {fractions[bad].tolist()} "
            f"at class positions {np.flatnonzero(bad).tolist()}."
        )
    return fractions


def make_imbalanced(X, y, profile, *, random_state=None):
    """Sub-sample a data set so that its classes follow an imbalance profile.

    Let ``n_min`` be the size of the smallest class of ``y``. For the ``i``-th
    class of ``np.unique(y)`` (sorted), ``max(1, round(profile[i] * n_min))``
    rows are drawn without replacement, so the profile is applied relative to
    a balanced count of ``n_min`` rows per class. The kept rows are returned in
    their original order.

    The rows are drawn by :class:`imblearn.under_sampling.RandomUnderSampler`,
    as :func:`imblearn.datasets.make_imbalance` draws them; this function adds
    the profiles (fractions of the smallest class, TA-VAAL's keys), any
    container for ``X`` (images, sparse matrices) and the original row order.

    Parameters
    ----------
    X : array-like of shape (n_samples, ...)
        Samples; NumPy arrays, lists, pandas DataFrames and sparse matrices
        are supported (rows are selected with ``sklearn.utils._safe_indexing``).
    y : array-like of shape (n_samples,)
        Class labels (NumPy array, list or pandas Series).
    profile : sequence of float or float
        One fraction in ``(0, 1]`` per class, in the order of ``np.unique(y)``,
        or a key of :data:`TAVAAL_PROFILES` (``1.65``, ``1.89`` or ``2.11``).
    random_state : int, RandomState instance or None, default=None
        Controls which rows are kept; an int gives reproducible output.

    Returns
    -------
    X_sub : array-like of shape (n_kept, ...)
        The kept rows of ``X``, same container type as ``X``.
    y_sub : array-like of shape (n_kept,)
        The matching labels, same container type as ``y``.

    Raises
    ------
    ValueError
        If ``y`` is empty or not 1-D, if the profile length differs from the
        number of classes, if a fraction lies outside ``(0, 1]``, or if a scalar
        profile is not a key of :data:`TAVAAL_PROFILES`.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.datasets import make_imbalanced
    >>> X = np.arange(30).reshape(-1, 1)
    >>> y = np.repeat([0, 1, 2], 10)
    >>> X_sub, y_sub = make_imbalanced(X, y, (1.0, 0.5, 0.1), random_state=0)
    >>> np.bincount(y_sub)
    array([10,  5,  1])
    """
    check_consistent_length(X, y)
    y_arr = np.asarray(y)
    if y_arr.ndim != 1:
        raise ValueError(f"y must be one-dimensional, got shape {y_arr.shape}.")
    if y_arr.shape[0] == 0:
        raise ValueError("y is empty: make_imbalanced needs at least one sample.")
    classes, counts = np.unique(y_arr, return_counts=True)
    fractions = _resolve_profile(profile, classes.shape[0])
    n_min = int(counts.min())
    n_keep = {
        label: max(1, int(round(fraction * n_min)))
        for label, fraction in zip(classes, fractions, strict=True)
    }
    # imbalanced-learn draws the rows (make_imbalance's sampler); it reads only
    # y, so X may be any container (images, sparse) and is indexed here, with
    # the kept rows in their original order.
    sampler = RandomUnderSampler(sampling_strategy=n_keep, random_state=random_state)
    sampler.fit_resample(np.zeros((y_arr.shape[0], 1)), y_arr)
    indices = np.sort(sampler.sample_indices_)
    return _safe_indexing(X, indices), _safe_indexing(y, indices)


def class_entropy(y) -> float:
    """Shannon entropy (natural log) of the class distribution of ``y``.

    This is the "dataset entropy" TA-VAAL (Kim et al.) uses to describe its
    imbalanced CIFAR-10 profiles: ``-sum_k p_k log p_k`` with ``p_k`` the
    fraction of samples in class ``k``. It is ``log(k)`` for ``k`` balanced
    classes and 0 for a single class.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.

    Returns
    -------
    entropy : float
        Entropy in nats.

    Raises
    ------
    ValueError
        If ``y`` is empty.

    Examples
    --------
    >>> from skactive.datasets import class_entropy
    >>> round(class_entropy([0, 0, 1, 1]), 4)
    0.6931
    >>> class_entropy(["a", "a", "a"])
    0.0
    """
    y_arr = np.asarray(y)
    if y_arr.size == 0:
        raise ValueError("y is empty: the class entropy is undefined.")
    _, counts = np.unique(y_arr.ravel(), return_counts=True)
    return float(max(0.0, scipy_entropy(counts)))  # normalises the counts itself
