"""Uncertainty sampling (margin, entropy, least confidence)."""

from __future__ import annotations

import numpy as np
from sklearn.utils._param_validation import StrOptions

from .. import uncertainty
from ._base import QueryStrategy, chunked_rows, predict_proba_of

MEASURES = ("margin", "entropy", "least_confidence")


def uncertainty_utility(proba, measure: str) -> np.ndarray:
    """Return each row's utility from its class probabilities (larger = more uncertain).

    ``"margin"`` gives ``1 - margin`` (ActiveGAN Eq. 6) so that every measure
    ranks in the same direction; ``"entropy"`` (Eq. 7) and
    ``"least_confidence"`` are used as they are. The measures themselves live
    in :mod:`skactive.uncertainty`, shared with the ActiveGAN reward.

    Parameters
    ----------
    proba : ndarray of shape (n_samples, n_classes)
    measure : {"margin", "entropy", "least_confidence"}

    Returns
    -------
    utility : ndarray of shape (n_samples,)
    """
    if measure == "margin":
        return 1.0 - uncertainty.margin(proba)
    if measure == "entropy":
        return uncertainty.entropy(proba)
    if measure == "least_confidence":
        return uncertainty.least_confidence(proba)
    raise ValueError(f"measure must be one of {MEASURES}; got {measure!r}.")


class UncertaintyQuery(QueryStrategy):
    """Query the rows the task model is least sure about.

    Probabilities come from ``estimator.predict_proba`` (or a softmax of
    ``decision_function``) on the pool, scored in chunks; the utility is
    :func:`uncertainty_utility` of them.

    Parameters
    ----------
    measure : {"margin", "entropy", "least_confidence"}, default="margin"
        ``"margin"``: smallest gap between the two most probable classes
        (ActiveGAN Eq. 6); ``"entropy"``: largest label entropy (Eq. 7);
        ``"least_confidence"``: smallest top probability.
    random_state : int, RandomState instance or None, default=None
        Seed of the tie-breaking between equal utilities.

    See Also
    --------
    skactive.uncertainty : the measures, shared with the ActiveGAN reward.

    References
    ----------
    .. [1] B. Settles, "Active Learning Literature Survey", 2009, Sec. 3.1.
    .. [2] Q. Kong et al., "Active Generative Adversarial Network for Image
       Classification", AAAI 2019, Eq. (6)-(7).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive.query import UncertaintyQuery
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X[::10], y[::10])
    >>> UncertaintyQuery(measure="entropy").query(X, estimator=model, batch_size=2).shape
    (2,)
    """

    _parameter_constraints = {
        "measure": [StrOptions(set(MEASURES))],
        "random_state": ["random_state"],
    }

    def __init__(self, measure="margin", *, random_state=None):
        self.measure = measure
        self.random_state = random_state

    def _utilities(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        return chunked_rows(
            lambda X: uncertainty_utility(predict_proba_of(estimator, X), self.measure), X_pool
        )
