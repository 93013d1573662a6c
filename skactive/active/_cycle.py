"""One cycle of the active-learning loop: query, get labels, refit, record."""

from __future__ import annotations

import copy
import time

import numpy as np
from sklearn.base import clone

from .._seeds import seed_if_unset
from ._labels import check_oracle_labels, check_picked, check_synthesized
from ._loop import PoolRows, describe, is_file_backed

__all__ = ["CycleMixin"]


class CycleMixin:
    """The per-cycle steps of :class:`~skactive.ActiveLearningClassifier`.

    The host provides the parameters (``oracle``, ``augmenter``...), the run
    set up by ``fit`` (``_state``, ``_hidden``, ``_rng``, ``_budget_left``,
    ``_validation``, ``stopping_``, ``query_strategy_``) and
    ``_base_estimator()`` / ``_synthesizes()``.
    """

    def _query(self, size, return_utilities=False):
        """Return the next rows to label.

        With ``return_utilities`` also the strategy's utilities (per row of X,
        NaN outside the pool; per synthesised row).
        """
        state = self._state
        X_labeled, y_labeled = state.training_set()
        strategy = self.query_strategy_
        name = type(strategy).__name__
        extra = {"return_utilities": True} if return_utilities else {}
        if self._synthesizes():
            out = strategy.synthesize(
                size,
                estimator=self.estimator_,
                X_labeled=X_labeled,
                y_labeled=y_labeled,
                X_pool=state.X[state.pool],
                **extra,
            )
            X_new, utilities = out if return_utilities else (out, None)
            X_new = check_synthesized(X_new, size, state.X.shape[1], name)
            return (X_new, utilities) if return_utilities else X_new
        pool = np.flatnonzero(state.pool)
        size = min(size, pool.size)
        # a pool on disk is handed over as rows read on demand, never copied whole
        X_pool = PoolRows(state.X, pool) if is_file_backed(state.X) else state.X[pool]
        out = strategy.query(
            X_pool,
            estimator=self.estimator_,
            X_labeled=X_labeled,
            y_labeled=y_labeled,
            batch_size=size,
            **extra,
        )
        picked, pool_utilities = out if return_utilities else (out, None)
        picked = pool[check_picked(picked, size, pool.size, name)]
        if not return_utilities:
            return picked
        utilities = np.full(state.X.shape[0], np.nan)
        utilities[pool] = np.asarray(pool_utilities, dtype=np.float64)
        return picked, utilities

    def _labels_for(self, picked):
        """Labels of queried rows (indices) or synthesised rows (2-D array)."""
        if self._hidden is not None:
            return self._hidden[picked]
        if self.oracle is None:
            raise ValueError("No oracle: hand the labels over with teach(query, labels).")
        rows = picked if picked.ndim == 2 else self._state.X[picked]
        if self.oracle_input == "rows" and getattr(self, "_frame", None) is not None:
            rows = self._as_frame(rows, None if picked.ndim == 2 else picked)
        answer = self.oracle(picked if self.oracle_input == "indices" else rows)
        return self._check_labels(answer, len(picked))

    def _as_frame(self, rows, positions):
        """Return rows as a DataFrame with the fit's columns and dtypes.

        Pool rows keep their index labels; synthesised rows get a fresh 0..n-1 index.
        """
        import pandas as pd

        columns, index, dtypes = self._frame
        labels = None if positions is None else index[positions]
        return pd.DataFrame(rows, columns=columns, index=labels).astype(dtypes)

    def _check_labels(self, labels, n_expected, source="The oracle"):
        state, marker = self._state, self.missing_label_
        return check_oracle_labels(
            labels,
            n_expected,
            like=state.y_like,
            missing_label=marker,
            classes=self.classes,
            source=source,
        )

    def _advance(self, picked, labels, *, cycle, query_time, n_queried=None):
        """Add labels, refit, record one cycle: all or nothing.

        A failing oracle answer, augmenter, estimator or stopping criterion leaves
        the learner as it was.
        """
        state = self._state.copy()
        if picked is not None:
            state.add(picked, labels, cycle=cycle)
        start = time.perf_counter()
        X_fit, y_fit = state.training_set()
        augmenter = None
        if self.augmenter is not None:
            augmenter = seed_if_unset(clone(self.augmenter), self._rng, template=self.augmenter)
            X_fit, y_fit = augmenter.fit_resample(X_fit, y_fit)
        estimator = getattr(self, "estimator_", None) if self.warm_start else None
        if estimator is None:
            base = self._base_estimator()
            estimator = seed_if_unset(clone(base), self._rng, template=base)
        estimator.fit(X_fit, y_fit)
        record = {
            "cycle": cycle,
            "n_labeled": state.n_labeled,
            "n_queried": len(labels) if n_queried is None else int(n_queried),
            "query_time": query_time,
            "fit_time": time.perf_counter() - start,
        }
        if self._validation is not None:
            record["val_score"] = float(estimator.score(*self._validation))
        # stopping criteria keep state between cycles: update copies, kept on success
        criteria = [copy.deepcopy(c) for c in self.stopping_]
        stops = [type(c).__name__ for c in criteria if c.update(estimator, record)]
        # commit
        self._state, self.estimator_, self.classes_ = state, estimator, estimator.classes_
        self.augmenter_ = augmenter if augmenter is not None else self.augmenter_
        self.stopping_ = criteria
        self.n_cycles_ = cycle
        if self._budget_left is not None and picked is not None:
            self._budget_left -= len(labels)
        self._criterion_stop = stops[0] if stops else None
        self.history_.append(record)
        if self.verbose:
            print(f"[ActiveLearningClassifier] {describe(record)}{self._remaining()}")

    def _remaining(self) -> str:
        """Return ``"; at most k more cycles, ETA ..."`` for the verbose line.

        Empty unless the budget, ``max_cycles`` or the pool bound the run (stopping
        criteria may end it sooner); the ETA assumes the mean time of the query
        cycles so far.
        """
        if self.oracle is None and self._hidden is None:
            return ""  # no oracle: fit stops after the first cycle
        left = []
        if self._budget_left is not None:
            left.append(-(-max(self._budget_left, 0) // self.batch_size))
        if self.max_cycles is not None:
            left.append(max(self.max_cycles - self.n_cycles_, 0))
        if not self._synthesizes():
            left.append(-(-self._state.n_pool // self.batch_size))
        times = [
            r["query_time"] + r["fit_time"]
            for r in self.history_
            if r["cycle"] > 0 and np.isfinite(r["query_time"] + r["fit_time"])
        ]
        cycles = min(left) if left else 0
        if cycles <= 0:
            return ""
        plural = "s" if cycles > 1 else ""
        eta = f", ETA {cycles * np.mean(times):.1f} s" if times else ""
        return f"; at most {cycles} more cycle{plural}{eta}"
