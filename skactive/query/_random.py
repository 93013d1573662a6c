"""Random sampling: the baseline every active-learning paper compares to."""

from __future__ import annotations

from sklearn.utils import check_random_state
from sklearn.utils.validation import _num_samples

from ._base import QueryStrategy


class RandomQuery(QueryStrategy):
    """Query rows uniformly at random (passive learning).

    The utility of every row is an independent uniform draw, so the chosen
    rows are a uniform random subset of the pool. The estimator is not used
    (it may be omitted).

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Seed of the draw. An int gives the same rows on every call.

    References
    ----------
    .. [1] J.-J. Zhu, J. Wang, "Deep adversarial active learning with model
       uncertainty", ICASSP (the "Random Selection" baseline of Sec. 3).

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.query import RandomQuery
    >>> RandomQuery(random_state=0).query(np.zeros((10, 2)), batch_size=3).shape
    (3,)
    """

    _needs_estimator = False

    _parameter_constraints = {"random_state": ["random_state"]}

    def __init__(self, random_state=None):
        self.random_state = random_state

    def _utilities(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        return check_random_state(self.random_state).random_sample(_num_samples(X_pool))
