"""Uncertainty measures on class-probability arrays.

These functions are the single definition of "informative" in skactive: the
ActiveGAN reward (:mod:`skactive.augment`) and the uncertainty-based query
strategies score samples with them. Each takes a probability table of shape
``(n_samples, n_classes)`` -- a NumPy array or a torch tensor -- and returns one
score per row of the same kind (torch in, torch out, differentiable).
Margin and entropy are ActiveGAN's Eq. 6 and 7 [1]_; least confidence is
uncertainty sampling's third classic measure [2]_.

References
----------
.. [1] Q. Kong, B. Tong, M. Klinkigt, Y. Watanabe, N. Akira, T. Murakami,
   "Active Generative Adversarial Network for Image Classification",
   AAAI 2019 / IPSJ SIG CVIM 2018, Eq. (6) and (7).
.. [2] B. Settles, "Active Learning Literature Survey", 2009, Sec. 3.1.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from scipy.special import xlogy

if TYPE_CHECKING:
    import torch

__all__ = ["check_proba", "entropy", "least_confidence", "margin"]

ArrayT = TypeVar("ArrayT", np.ndarray, "torch.Tensor")

_SUM_TOLERANCE = 1e-3


def _torch_if_tensor(values):
    """Return the torch module when ``values`` is a torch tensor, else None.

    torch is not imported here: a tensor exists only once torch is loaded.
    """
    torch = sys.modules.get("torch")
    return torch if torch is not None and isinstance(values, torch.Tensor) else None


def check_proba(proba, *, name: str = "proba"):
    """Validate a table of class probabilities.

    Parameters
    ----------
    proba : array-like or torch.Tensor of shape (n_samples, n_classes)
        Probabilities, one row per sample. Rows must be finite, lie in
        ``[0, 1]`` and sum to 1 (within ``1e-3``).
    name : str, default="proba"
        Name used in error messages.

    Returns
    -------
    proba : ndarray or torch.Tensor of shape (n_samples, n_classes)
        The input as a floating-point NumPy array, or the tensor unchanged.

    Raises
    ------
    ValueError
        If the table is not 2-D, has no column, holds NaN/inf, values outside
        ``[0, 1]`` or rows that do not sum to 1.

    Examples
    --------
    >>> from skactive.uncertainty import check_proba
    >>> check_proba([[0.2, 0.8]]).shape
    (1, 2)
    """
    if (torch := _torch_if_tensor(proba)) is not None:
        values = proba.detach()
        finite = bool(torch.isfinite(values).all())
        in_range = finite and bool(((values >= 0) & (values <= 1)).all())
        sums_ok = in_range and bool(torch.all(torch.abs(values.sum(dim=-1) - 1) <= _SUM_TOLERANCE))
        ndim, n_cols = values.ndim, (values.shape[-1] if values.ndim else 0)
    else:
        proba = np.asarray(proba, dtype=np.float64)
        finite = bool(np.isfinite(proba).all())
        in_range = finite and bool(((proba >= 0) & (proba <= 1)).all())
        sums_ok = in_range and bool(np.all(np.abs(proba.sum(axis=-1) - 1) <= _SUM_TOLERANCE))
        ndim, n_cols = proba.ndim, (proba.shape[-1] if proba.ndim else 0)
    if ndim != 2:
        raise ValueError(f"{name} must be 2-D of shape (n_samples, n_classes); got {ndim}-D.")
    if n_cols < 1:
        raise ValueError(f"{name} must have at least one class column.")
    if not finite:
        raise ValueError(f"{name} contains NaN or infinity.")
    if not in_range:
        raise ValueError(f"{name} has values outside [0, 1]; pass probabilities.")
    if not sums_ok:
        raise ValueError(
            f"{name} rows must sum to 1 (tolerance {_SUM_TOLERANCE}); pass "
            "the output of predict_proba, not decision_function scores."
        )
    return proba


def margin(proba: ArrayT, *, validate: bool = True) -> ArrayT:
    """Smallest-margin uncertainty: ``P(y'_1|x) - P(y'_2|x)``.

    ``y'_1`` and ``y'_2`` are the two most probable classes (ActiveGAN Eq. 6).
    A *small* margin means an *uncertain* sample. With a single class column
    the second probability is taken as 0.

    Parameters
    ----------
    proba : ndarray or torch.Tensor of shape (n_samples, n_classes)
        Class probabilities.
    validate : bool, default=True
        Check ``proba`` with :func:`check_proba` first.

    Returns
    -------
    margin : ndarray or torch.Tensor of shape (n_samples,)
        Values in ``[0, 1]``.

    References
    ----------
    Kong et al., ActiveGAN, Eq. (6); Settles (2009), margin sampling.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.uncertainty import margin
    >>> margin(np.array([[0.5, 0.3, 0.2], [0.9, 0.05, 0.05]]))
    array([0.2 , 0.85])
    """
    if validate:
        proba = check_proba(proba)
    if (torch := _torch_if_tensor(proba)) is not None:
        if proba.shape[1] == 1:
            return proba[:, 0]
        top2 = torch.topk(proba, 2, dim=1).values
        return top2[:, 0] - top2[:, 1]
    proba = np.asarray(proba, dtype=np.float64)
    if proba.shape[1] == 1:
        return proba[:, 0].copy()
    top2 = np.partition(proba, -2, axis=1)[:, -2:]
    return top2[:, 1] - top2[:, 0]


def entropy(proba: ArrayT, *, validate: bool = True) -> ArrayT:
    """Label entropy: ``-sum_y' P(y'|x) log P(y'|x)`` in nats.

    ActiveGAN Eq. 7. A *large* entropy means an *uncertain* sample; the
    maximum is ``log(n_classes)``. ``0 log 0`` is taken as 0.

    Parameters
    ----------
    proba : ndarray or torch.Tensor of shape (n_samples, n_classes)
        Class probabilities.
    validate : bool, default=True
        Check ``proba`` with :func:`check_proba` first.

    Returns
    -------
    entropy : ndarray or torch.Tensor of shape (n_samples,)
        Values in ``[0, log(n_classes)]``.

    References
    ----------
    Kong et al., ActiveGAN, Eq. (7); Settles (2009), entropy sampling.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.uncertainty import entropy
    >>> entropy(np.array([[0.5, 0.5], [1.0, 0.0]])).round(4)
    array([0.6931, 0.    ])
    """
    if validate:
        proba = check_proba(proba)
    if (torch := _torch_if_tensor(proba)) is not None:
        return 0.0 - torch.special.xlogy(proba, proba).sum(dim=1)  # no -0.0
    proba = np.asarray(proba, dtype=np.float64)
    return 0.0 - xlogy(proba, proba).sum(axis=1)  # 0.0 - x avoids -0.0


def least_confidence(proba: ArrayT, *, validate: bool = True) -> ArrayT:
    """Least-confidence uncertainty: ``1 - max_y' P(y'|x)``.

    A *large* value means an *uncertain* sample.

    Parameters
    ----------
    proba : ndarray or torch.Tensor of shape (n_samples, n_classes)
        Class probabilities.
    validate : bool, default=True
        Check ``proba`` with :func:`check_proba` first.

    Returns
    -------
    least_confidence : ndarray or torch.Tensor of shape (n_samples,)
        Values in ``[0, 1 - 1/n_classes]``.

    References
    ----------
    Settles (2009), Sec. 3.1, least confident sampling.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.uncertainty import least_confidence
    >>> least_confidence(np.array([[0.7, 0.2, 0.1]])).round(2)
    array([0.3])
    """
    if validate:
        proba = check_proba(proba)
    if _torch_if_tensor(proba) is not None:
        return 1 - proba.max(dim=1).values
    proba = np.asarray(proba, dtype=np.float64)
    return 1 - proba.max(axis=1)
