"""Data-driven stopping criteria for the active-learning loop.

A criterion is a small scikit-learn estimator (``get_params``, ``clone``,
grid-searchable as ``stopping__threshold``) with two methods that
:class:`~skactive.ActiveLearningClassifier` calls on a *clone* of it, so the
parameter object itself never changes:

- ``start(X, random_state)`` once per ``fit``, with the whole training X;
- ``update(estimator, record) -> bool`` after every refit (cycle 0 = the
  initial model), with the fitted task model and the cycle's history record
  (a dict that the criterion may annotate, e.g. with its agreement value).
  ``True`` stops the loop.
"""

from __future__ import annotations

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.metrics import cohen_kappa_score
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import _num_samples

__all__ = ["StabilizingPredictions", "StoppingCriterion", "TargetScore", "prediction_agreement"]


def prediction_agreement(previous, current) -> float:
    """Cohen's kappa between two models' predictions on the same rows.

    Identical predictions agree perfectly (1.0) even when they are constant,
    where Cohen's kappa itself is undefined (0 / 0).

    Parameters
    ----------
    previous, current : array-like of shape (n_samples,)
        Predicted labels of two successive models.

    Returns
    -------
    kappa : float
        1 for identical predictions, 0 for chance-level agreement.

    Examples
    --------
    >>> from skactive.active import prediction_agreement
    >>> prediction_agreement([0, 1, 1, 0], [0, 1, 1, 0])
    1.0
    >>> round(prediction_agreement([0, 1, 1, 0], [0, 1, 0, 0]), 2)
    0.5
    """
    previous = np.asarray(previous)
    current = np.asarray(current)
    if np.array_equal(previous, current):
        return 1.0
    return float(cohen_kappa_score(previous, current))


class StoppingCriterion(BaseEstimator, metaclass=ABCMeta):
    """Base class of stopping criteria (see the module docstring for the protocol)."""

    def start(self, X, random_state=None):
        """Prepare for a new run on training data ``X`` (default: nothing)."""
        return self

    @abstractmethod
    def update(self, estimator, record: dict) -> bool:
        """Return True when the loop should stop after this cycle."""


class StabilizingPredictions(StoppingCriterion):
    """Stop once successive models agree on a fixed *stop set* of rows.

    After every refit, the task model predicts a stop set of ``stop_set_size``
    rows of the training X drawn once at the start (labeled or not: no label
    is used); Cohen's kappa between successive models' predictions
    (:func:`prediction_agreement`) is recorded as ``record["agreement"]``.
    The loop stops when the mean of the last ``window`` kappas reaches
    ``threshold``. Needs no labels beyond those acquired, so it works in
    production, where no validation set exists.

    Parameters
    ----------
    threshold : float, default=0.99
        Agreement to reach, in (0, 1]. Bloodgood & Vijay-Shanker's default.
    window : int, default=3
        Number of successive agreements averaged (their default).
    stop_set_size : int, default=2000
        Rows in the stop set (all rows when X is smaller).
    random_state : int, RandomState instance or None, default=None
        Draw of the stop set; the classifier passes its own when None.

    References
    ----------
    .. [1] M. Bloodgood and K. Vijay-Shanker, "A method for stopping active
       learning based on stabilizing predictions and the need for
       user-adjustable stopping", CoNLL 2009.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import ActiveLearningClassifier
    >>> from skactive.active import StabilizingPredictions
    >>> X, y = load_digits(return_X_y=True)
    >>> clf = ActiveLearningClassifier(
    ...     LogisticRegression(max_iter=200), budget=500, batch_size=20,
    ...     stopping=StabilizingPredictions(threshold=0.9), random_state=0,
    ... ).fit(X / 16, y)
    >>> clf.stop_reason_
    'StabilizingPredictions'
    """

    _parameter_constraints: dict = {
        "threshold": [Interval(Real, 0, 1, closed="right")],
        "window": [Interval(Integral, 1, None, closed="left")],
        "stop_set_size": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, *, threshold=0.99, window=3, stop_set_size=2000, random_state=None):
        self.threshold = threshold
        self.window = window
        self.stop_set_size = stop_set_size
        self.random_state = random_state

    def start(self, X, random_state=None):
        self._validate_params()
        rng = check_random_state(
            self.random_state if self.random_state is not None else random_state
        )
        n = _num_samples(X)
        size = min(self.stop_set_size, n)
        self.stop_set_ = _safe_indexing(X, np.sort(rng.choice(n, size, replace=False)))
        self.agreements_ = []
        self._previous = None
        return self

    def update(self, estimator, record):
        predictions = np.asarray(estimator.predict(self.stop_set_))
        if self._previous is not None:
            agreement = prediction_agreement(self._previous, predictions)
            self.agreements_.append(agreement)
            record["agreement"] = agreement
        self._previous = predictions
        recent = self.agreements_[-self.window :]
        return len(recent) == self.window and float(np.mean(recent)) >= self.threshold


class TargetScore(StoppingCriterion):
    """Stop once the score on the validation set reaches ``target``.

    Reads ``record["val_score"]``, the task model's ``score`` on the
    validation set passed as ``fit(X, y, X_val=..., y_val=...)`` (accuracy
    for classifiers).

    Parameters
    ----------
    target : float, default=0.9
        Score to reach.

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.svm import SVC
    >>> from skactive import ActiveLearningClassifier
    >>> from skactive.active import TargetScore
    >>> X, y = load_digits(return_X_y=True)
    >>> X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
    >>> clf = ActiveLearningClassifier(
    ...     SVC(), n_initial=50, budget=1000, batch_size=25,
    ...     stopping=TargetScore(0.95), random_state=0,
    ... ).fit(X_train, y_train, X_val=X_val, y_val=y_val)
    >>> clf.stop_reason_, clf.history_[-1]["n_labeled"]
    ('TargetScore', 175)
    """

    _parameter_constraints: dict = {"target": [Real]}

    def __init__(self, target=0.9):
        self.target = target

    def update(self, estimator, record):
        if "val_score" not in record:
            raise ValueError(
                "TargetScore needs a validation set: call fit(X, y, X_val=..., y_val=...)."
            )
        return record["val_score"] >= self.target
