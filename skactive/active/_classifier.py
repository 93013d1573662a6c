"""ActiveLearningClassifier: the pool-based label-query loop as a meta-estimator."""

from __future__ import annotations

import time
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, _fit_context, clone
from sklearn.linear_model import LogisticRegression
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, RealNotInt, StrOptions
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from .._seeds import draw_seed, seed_if_unset
from .._torch import uses_torch_threads
from ..query import UncertaintyQuery
from ._cycle import CycleMixin
from ._delegation import DelegatingClassifierMixin
from ._interactive import QueryTeachMixin
from ._labels import (
    check_initial_labels,
    resolve_missing_label,
    unlabeled_mask,
)
from ._loop import LabelState, resolve_count

__all__ = ["ActiveLearningClassifier"]


def _from_state(name):
    """Read-only fitted attribute backed by the run's LabelState."""

    def get(self):
        check_is_fitted(self, "history_")
        view = getattr(self._state, name).view()
        view.flags.writeable = False  # the run's book-keeping: read, do not edit
        return view

    return property(get, doc=f"See the class docstring ({name}).")


class ActiveLearningClassifier(
    CycleMixin, QueryTeachMixin, DelegatingClassifierMixin, MetaEstimatorMixin, BaseEstimator
):
    """Pool-based active learning around any classifier.

    ``fit`` runs the label-query loop: fit the task model on the labeled
    rows, let ``query_strategy`` pick ``batch_size`` unlabeled rows, get
    their labels, optionally augment the labeled set with synthetic rows
    (``augmenter``), refit from scratch, and repeat until the label
    ``budget``, ``max_cycles``, the pool or a ``stopping`` criterion ends it.
    Two ways to fit, one convention (scikit-learn's semi-supervised one):

    - **Oracle mode** (``oracle`` given): rows whose label equals
      ``missing_label`` (``-1`` by default, as in ``SelfTrainingClassifier``;
      see ``missing_label`` for when ``-1`` is a class) are the unlabeled
      pool and the oracle is asked for the labels of the rows the strategy
      queries. The labeled rows of ``y`` are the initial
      set; when there are none, ``n_initial`` random rows are asked first.
    - **Simulation** (no oracle, every row labeled): the loop starts from
      ``n_initial`` random rows and *reveals* the label of a row only when
      the strategy queries it; the task model and the strategy never see an
      unrevealed label. This is how the papers compare strategies, and what
      makes ``GridSearchCV`` / ``cross_val_score`` over strategies and their
      parameters meaningful: each training fold is an active-learning run and
      the test fold is scored normally.
    - No oracle and a partly labeled ``y``: the model is fitted on the
      labeled rows only (cycle 0); continue by hand with :meth:`query` and
      :meth:`teach` (modAL's query/teach workflow for a human in the loop).

    :meth:`score` ignores rows of ``y`` that carry the marker, so
    cross-validating on partly labeled data scores only labeled rows (string
    scorers such as ``scoring="accuracy"`` do not: keep the default).

    Query *synthesis* strategies (with ``synthesize``, e.g.
    :class:`~skactive.GAALQuery`) return new rows, which the oracle labels
    and which join the labeled set (``X_synthetic_``, ``y_synthetic_``).

    Parameters
    ----------
    estimator : classifier, default=None
        Task model, cloned and refitted from scratch every cycle
        (``LogisticRegression()`` when None).
    query_strategy : strategy, default=None
        A :class:`skactive.query.QueryStrategy`, a synthesis strategy
        (:class:`~skactive.GAALQuery`), or your own scikit-learn estimator
        (a ``BaseEstimator`` subclass: it is cloned) with the same ``query``
        method; margin uncertainty sampling
        (:class:`~skactive.query.UncertaintyQuery`) when None.
    n_initial : int or float, default=10
        Random rows labeled before the first query when ``y`` has no labeled
        row (simulation, or oracle mode with an all-unlabeled ``y``); a float
        in (0, 1) is a fraction of the rows.
    batch_size : int, default=10
        Rows queried per cycle.
    budget : int, float or None, default=100
        Labels to acquire beyond the initial ones (a float in (0, 1] is a
        fraction of the rows); None = no label limit.
    max_cycles : int or None, default=None
        Maximum number of query cycles.
    stopping : criterion, list of criteria or None, default=None
        Data-driven stopping, e.g. :class:`~skactive.active.StabilizingPredictions`
        or :class:`~skactive.active.TargetScore`; the loop stops when any says so.
    augmenter : imbalanced-learn sampler, default=None
        Each cycle, before the task model is refitted, the labeled set (never
        the unlabeled rows) is resampled by a clone of it, e.g.
        :class:`~skactive.ActiveGANAugmenter`: real informative rows from the
        oracle plus generated informative rows from the GAN. The strategy
        still sees only real labeled rows.
    oracle : callable or None, default=None
        ``oracle(rows)`` or ``oracle(indices)`` (see ``oracle_input``) returns
        one label per queried row. Must be picklable to pickle the model or
        to run it on Dask workers (a module-level function, not a lambda).
    oracle_input : {"rows", "indices"}, default="rows"
        What the oracle receives: the queried rows of X (a DataFrame with
        X's columns, dtypes and index labels when ``fit`` got a DataFrame, so
        a person sees what they label), or their positions in the X passed
        to ``fit``.
    missing_label : "auto", int, float, str or None, default="auto"
        Marker of unlabeled rows in ``y`` (``np.nan`` works for float ``y``);
        None: no marker, every value of ``y`` is a label. ``"auto"``: ``-1``
        marks unlabeled rows (``SelfTrainingClassifier``'s convention) when
        an ``oracle`` is given, when every row is ``-1`` or when ``y`` holds
        at least two labels besides ``-1``; when ``y`` holds ``-1`` and one
        other value (a -1 / 1 binary data set, as imbalanced-learn's
        benchmark sets are labeled) and there is no oracle, ``-1`` is a class. Pass ``-1`` to always
        read it as the marker. ``missing_label_`` is the marker used.
    classes : array-like or None, default=None
        Every label the oracle may return; labels outside it are an error.
        None accepts new labels (a class seen for the first time).
    warm_start : bool, default=False
        Refit the same estimator object each cycle instead of a fresh clone
        (for models that continue training, e.g. with their own warm_start).
    random_state : int, RandomState instance or None, default=None
        Seeds the initial draw and every clone whose ``random_state`` is None
        (strategy, estimator, augmenter, stopping criteria), so a fixed value
        gives identical runs on CPU.
    n_jobs : int or None, default=None
        Torch threads of ``fit``, ``query`` and ``teach`` -- the strategy's and
        the augmenter's nets (unless they set their own ``n_jobs``) and the
        fits of a torch task model such as a skorch net (``predict`` and
        ``score`` run with torch's own setting). ``None`` means 1, ``-1`` all
        cores. One thread is fastest for small nets, above all on a busy
        machine; a large CNN on the CPU may gain from more (see
        :ref:`user_guide_performance`). torch's global setting is restored
        afterwards.
    verbose : int, default=0
        Print one line per cycle when > 0, ending with how many cycles at
        most are left (budget, ``max_cycles``, pool) and an ETA from the mean
        time of the cycles so far.

    Attributes
    ----------
    estimator_ : classifier
        The task model fitted on the final labeled (and augmented) set.
    query_strategy_ : strategy
        The clone that was queried.
    missing_label_ : int, float, str or None
        The unlabeled marker ``fit`` used (``missing_label`` with ``"auto"``
        resolved; None: every value of ``y`` was a label).
    augmenter_ : sampler or None
        The last fitted clone of ``augmenter``.
    stopping_ : list of criteria
        Fitted clones of the stopping criteria.
    labeled_iter_ : ndarray of shape (n_samples,)
        Cycle in which each row was labeled: 0 = labeled at the start, k =
        queried in cycle k, -1 = never.
    X_synthetic_, y_synthetic_ : ndarray
        Synthesised rows labeled by the oracle (empty without synthesis);
        ``synthetic_iter_`` gives their cycle.
    history_ : list of dict
        One record per cycle (0 = initial fit): ``cycle``, ``n_labeled``
        (labels acquired so far, initial ones included), ``n_queried``,
        ``query_time`` and ``fit_time`` (seconds), ``val_score`` when a
        validation set is given, and what stopping criteria add
        (``agreement``).
    n_cycles_ : int
        Query cycles run.
    stop_reason_ : str
        ``"budget"``, ``"max_cycles"``, ``"pool_exhausted"``, ``"no_oracle"``
        or the name of the stopping criterion that ended the loop.
    classes_ : ndarray
        Classes of ``estimator_``.
    n_features_in_ : int
    feature_names_in_ : ndarray
        Defined when X has string column names.

    References
    ----------
    .. [1] B. Settles, "Active Learning Literature Survey", 2009 (pool-based loop).
    .. [2] J. Zhu and J. Bento, "Generative Adversarial Active Learning", 2017
       (query synthesis).

    Examples
    --------
    Simulation on digits: 50 random labels, then 8 cycles of 25 margin queries.

    >>> from sklearn.datasets import load_digits
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.svm import SVC
    >>> from skactive import ActiveLearningClassifier
    >>> from skactive.query import UncertaintyQuery
    >>> X, y = load_digits(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> clf = ActiveLearningClassifier(
    ...     SVC(), query_strategy=UncertaintyQuery("margin"), n_initial=50, batch_size=25,
    ...     budget=200, random_state=0,
    ... ).fit(X_train, y_train)
    >>> int((clf.labeled_iter_ >= 0).sum()), clf.n_cycles_
    (250, 8)
    >>> round(clf.score(X_test, y_test), 2)
    0.98

    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "predict"]), None],
        "query_strategy": [HasMethods(["query"]), HasMethods(["synthesize"]), None],
        "n_initial": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="neither"),
        ],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "budget": [
            Interval(Integral, 0, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
            None,
        ],
        "max_cycles": [Interval(Integral, 0, None, closed="left"), None],
        "stopping": [HasMethods(["update"]), list, None],
        "augmenter": [HasMethods(["fit_resample"]), None],
        "oracle": [callable, None],
        "oracle_input": [StrOptions({"rows", "indices"})],
        "missing_label": [Real, str, None],
        "classes": ["array-like", None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        query_strategy=None,
        n_initial=10,
        batch_size=10,
        budget=100,
        max_cycles=None,
        stopping=None,
        augmenter=None,
        oracle=None,
        oracle_input="rows",
        missing_label="auto",
        classes=None,
        warm_start=False,
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.query_strategy = query_strategy
        self.n_initial = n_initial
        self.batch_size = batch_size
        self.budget = budget
        self.max_cycles = max_cycles
        self.stopping = stopping
        self.augmenter = augmenter
        self.oracle = oracle
        self.oracle_input = oracle_input
        self.missing_label = missing_label
        self.classes = classes
        self.warm_start = warm_start
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    # -- configuration --------------------------------------------------------
    def _base_estimator(self):
        return LogisticRegression() if self.estimator is None else self.estimator

    def _base_strategy(self):
        return UncertaintyQuery("margin") if self.query_strategy is None else self.query_strategy

    def _synthesizes(self) -> bool:
        return hasattr(self._base_strategy(), "synthesize")

    def _criteria(self):
        stopping = [] if self.stopping is None else self.stopping
        return list(stopping) if isinstance(stopping, list) else [stopping]

    # -- fit ------------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=False)
    @uses_torch_threads
    def fit(self, X, y, X_val=None, y_val=None):
        """Run the active-learning loop on ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            All rows: labeled, unlabeled pool, and (in simulation) hidden.
        y : array-like of shape (n_samples,)
            Labels, with ``missing_label`` for unlabeled rows (see the class
            docstring for oracle mode vs simulation).
        X_val, y_val : array-like, default=None
            Optional validation set, scored after every cycle
            (``history_[k]["val_score"]``, used by ``TargetScore``).

        Returns
        -------
        self : ActiveLearningClassifier
        """
        # a DataFrame's columns, index and dtypes, to hand the oracle rows in that form
        self._frame = (X.columns, X.index, X.dtypes) if hasattr(X, "columns") else None
        X = validate_data(self, X, dtype="numeric")
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        y = column_or_1d(y, warn=True)  # not via validate_data: NaN may mark unlabeled rows
        check_consistent_length(X, y)
        if (X_val is None) != (y_val is None):
            raise ValueError("Pass both X_val and y_val, or neither.")
        self.missing_label_ = resolve_missing_label(
            y, self.missing_label, has_oracle=self.oracle is not None
        )
        self._validation = None
        if X_val is not None:
            self._validation = self._labeled_validation(X_val, y_val)
        unlabeled = unlabeled_mask(y, self.missing_label_)
        check_initial_labels(
            y,
            unlabeled,
            missing_label=self.missing_label_,
            classes=self.classes,
            has_oracle=self.oracle is not None,
            marker_given=not (isinstance(self.missing_label, str) and self.missing_label == "auto"),
        )
        if self._synthesizes():
            name = type(self._base_strategy()).__name__
            if self.oracle is None or self.oracle_input != "rows":
                raise ValueError(
                    f"{name} synthesises new rows, which only an oracle can label: pass "
                    "oracle=... with oracle_input='rows'."
                )
            if self.budget is None and self.max_cycles is None:
                raise ValueError(f"{name} synthesises rows without end: set budget or max_cycles.")
        self._rng = check_random_state(self.random_state)
        try:
            self._start_run(X, y, unlabeled, self._rng)
            self._run_loop()
        finally:
            self._hidden = None  # the simulation's labels never outlive fit
        return self

    def _labeled_validation(self, X_val, y_val):
        """Return ``(X_val, y_val)`` without the rows marked ``missing_label``.

        They have no label to score against (sklearn's ``score`` would count the
        marker as a class).
        """
        X_val = validate_data(self, X_val, reset=False)
        y_val = column_or_1d(y_val, warn=True)
        check_consistent_length(X_val, y_val)
        labeled = ~unlabeled_mask(y_val, self.missing_label_)
        if not labeled.any():
            raise ValueError(
                f"Every row of y_val carries missing_label={self.missing_label_!r}: there "
                "is nothing to score the validation set against."
            )
        return X_val[labeled], y_val[labeled]

    def _start_run(self, X, y, unlabeled, rng):
        n = X.shape[0]
        strategy = self._base_strategy()
        if not hasattr(strategy, "get_params"):
            raise TypeError(
                f"query_strategy={type(strategy).__name__}(...) has no get_params: the "
                "learner clones it for each fit, so it must be a scikit-learn estimator "
                "(subclass sklearn.base.BaseEstimator or skactive.query.QueryStrategy)."
            )
        self.query_strategy_ = seed_if_unset(clone(strategy), rng, template=strategy)
        self.stopping_ = [clone(c) for c in self._criteria()]
        for criterion in self.stopping_:
            criterion.start(X, random_state=draw_seed(rng))
        simulate = self.oracle is None and not unlabeled.any()
        self._hidden = y if simulate else None  # read only by _labels_for
        self._state = LabelState(X, y, unlabeled | simulate)
        n_initial = resolve_count(self.n_initial, n, minimum=1)
        if (simulate or unlabeled.all()) and n_initial > n:
            raise ValueError(
                f"n_initial={self.n_initial} is larger than the number of samples "
                f"(n_samples={n}); lower n_initial."
            )
        self._budget_left = resolve_count(self.budget, n, minimum=0)
        self.n_cycles_ = 0
        self.history_ = []
        self.augmenter_ = None
        if hasattr(self, "estimator_"):
            del self.estimator_  # warm_start spans the cycles of one fit, not several fits
        first = np.empty(0, dtype=np.intp)
        if simulate or unlabeled.all():
            first = np.sort(rng.choice(n, n_initial, replace=False))
            self._state.add(first, self._labels_for(first), cycle=0)
        try:
            self._advance(None, None, cycle=0, query_time=0.0, n_queried=first.size)
        except Exception as exc:
            seen = np.unique(self._state.training_set()[1])
            if seen.size > 1:
                raise
            raise ValueError(
                f"The initial labeled set holds a single class ({seen.tolist()}) and "
                f"{type(self._base_estimator()).__name__} could not be fitted on it: raise "
                f"n_initial (now {self.n_initial}) or label rows of more classes."
            ) from exc

    def _run_loop(self):
        stop = "no_oracle" if self.oracle is None and self._hidden is None else None
        while stop is None:
            stop = self._stop_reason()
            if stop is None:
                self._cycle()
        self.stop_reason_ = stop
        if self.verbose:
            print(f"[ActiveLearningClassifier] stopped: {stop}")

    def _stop_reason(self):
        if self._budget_left is not None and self._budget_left <= 0:
            return "budget"
        if self.max_cycles is not None and self.n_cycles_ >= self.max_cycles:
            return "max_cycles"
        if not self._synthesizes() and self._state.n_pool == 0:
            return "pool_exhausted"
        return self._criterion_stop

    def _cycle(self):
        size = self.batch_size
        if self._budget_left is not None:
            size = min(size, self._budget_left)
        start = time.perf_counter()
        picked = self._query(size)
        query_time = time.perf_counter() - start
        labels = self._labels_for(picked)
        self._advance(picked, labels, cycle=self.n_cycles_ + 1, query_time=query_time)

    X_synthetic_ = _from_state("X_synthetic")
    y_synthetic_ = _from_state("y_synthetic")
    synthetic_iter_ = _from_state("synthetic_iter")
    labeled_iter_ = _from_state("labeled_iter")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags
