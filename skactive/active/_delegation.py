"""Prediction methods of a meta-estimator that delegate to its fitted ``estimator_``."""

from __future__ import annotations

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import check_is_fitted, validate_data

from ._labels import unlabeled_mask

__all__ = ["DelegatingClassifierMixin"]


def _delegates(method):
    """available_if check: the (fitted or configured) task model has ``method``."""

    def check(self):
        estimator = getattr(self, "estimator_", None)
        if estimator is None:
            estimator = self._base_estimator()
        getattr(estimator, method)
        return True

    return check


class DelegatingClassifierMixin(ClassifierMixin):
    """Delegate prediction to ``estimator_``; score without ``missing_label`` rows.

    ``predict``/``predict_proba``/``decision_function`` are those of
    ``estimator_``; ``score`` ignores rows of ``y`` carrying ``missing_label``.

    The host class defines ``estimator_`` (after fit), ``_base_estimator()``
    and ``missing_label``.
    """

    @available_if(_delegates("predict"))
    def predict(self, X):
        """Predict classes with ``estimator_``."""
        check_is_fitted(self)
        return self.estimator_.predict(validate_data(self, X, reset=False))

    @available_if(_delegates("predict_proba"))
    def predict_proba(self, X):
        """Class probabilities from ``estimator_``."""
        check_is_fitted(self)
        return self.estimator_.predict_proba(validate_data(self, X, reset=False))

    @available_if(_delegates("predict_log_proba"))
    def predict_log_proba(self, X):
        """Log class probabilities from ``estimator_``."""
        check_is_fitted(self)
        return self.estimator_.predict_log_proba(validate_data(self, X, reset=False))

    @available_if(_delegates("decision_function"))
    def decision_function(self, X):
        """Decision scores from ``estimator_``."""
        check_is_fitted(self)
        return self.estimator_.decision_function(validate_data(self, X, reset=False))

    def score(self, X, y, sample_weight=None):
        """Accuracy on the rows of ``y`` that are labeled (``missing_label`` rows are ignored).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        check_is_fitted(self)
        y = np.asarray(y)
        keep = ~unlabeled_mask(y.reshape(-1) if y.ndim == 2 else y, self.missing_label_)
        if not keep.any():
            raise ValueError("Every row of y is unlabeled: there is nothing to score.")
        if sample_weight is not None:
            sample_weight = np.asarray(sample_weight)[keep]
        X = validate_data(self, X, reset=False)
        predicted = self.estimator_.predict(X[keep])
        return accuracy_score(y[keep], predicted, sample_weight=sample_weight)
