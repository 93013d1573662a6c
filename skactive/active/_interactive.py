"""modAL-style query/teach for a human in the loop, on a fitted ActiveLearningClassifier."""

from __future__ import annotations

import time

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from .._torch import uses_torch_threads
from .._validation import check_count

__all__ = ["QueryTeachMixin"]


class QueryTeachMixin:
    """:meth:`query` the next rows and :meth:`teach` their labels, one cycle at a time.

    The host class provides the fitted loop: ``_state`` (LabelState),
    ``_synthesizes()``, ``_query(size)``, ``_check_labels(labels, n)`` and
    ``_advance(query, labels, cycle=, query_time=)``.
    """

    @uses_torch_threads
    def query(self, batch_size=None, *, return_utilities=False):
        """Ask the strategy for the next rows to label, without labeling them.

        Parameters
        ----------
        batch_size : int, default=None
            Rows to query (``self.batch_size`` when None).
        return_utilities : bool, default=False
            Also return the strategy's utilities (larger = more informative).

        Returns
        -------
        query : ndarray
            Indices into the X passed to ``fit`` (pool strategies), or new
            rows of shape (batch_size, n_features) for synthesis strategies.
            Hand them back with their labels to :meth:`teach`.
        utilities : ndarray
            Returned when ``return_utilities=True``: for pool strategies one
            value per row of the fitted X (NaN for rows already labeled, as
            the strategy scores only the pool); for synthesis strategies one
            per synthesised row.
        """
        check_is_fitted(self)
        size = self.batch_size if batch_size is None else batch_size
        check_count(size, "batch_size")
        if not self._synthesizes() and self._state.n_pool == 0:
            raise ValueError("Every row is labeled: there is nothing left to query.")
        start = time.perf_counter()
        picked, utilities = self._query(size, return_utilities=True)
        self._last_query_time = time.perf_counter() - start
        return (picked, utilities) if return_utilities else picked

    @uses_torch_threads
    def teach(self, query, labels):
        """Add labels for queried rows and refit (one more cycle).

        Parameters
        ----------
        query : ndarray
            What :meth:`query` returned: indices into the fitted X, or
            synthesised rows (2-D).
        labels : array-like of shape (n_queried,)
            Their labels.

        Returns
        -------
        self : ActiveLearningClassifier

        Examples
        --------
        A human in the loop: fit on the labeled rows, then query and teach.

        >>> from sklearn.datasets import load_digits
        >>> from sklearn.svm import SVC
        >>> from skactive import ActiveLearningClassifier
        >>> X, y = load_digits(return_X_y=True)
        >>> y_partial = y.copy()
        >>> y_partial[50:] = -1
        >>> clf = ActiveLearningClassifier(SVC(), batch_size=5, missing_label=-1)
        >>> clf = clf.fit(X, y_partial)
        >>> rows = clf.query()
        >>> clf = clf.teach(rows, y[rows])  # labels typed in by a person
        >>> int((clf.labeled_iter_ == 1).sum())
        5
        """
        check_is_fitted(self)
        query = np.asarray(query)
        if query.ndim == 2:
            query = validate_data(self, query, reset=False)
        else:
            query = self._state.check_indices(query)
        labels = self._check_labels(labels, len(query), source="The labels passed to teach()")
        query_time = getattr(self, "_last_query_time", float("nan"))
        self._advance(query, labels, cycle=self.n_cycles_ + 1, query_time=query_time)
        self._last_query_time = float("nan")
        return self
