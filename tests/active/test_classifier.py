"""ActiveLearningClassifier: simulation, oracle mode, budget, stopping, errors."""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn.base import BaseSampler
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.neighbors import KNeighborsClassifier

from skactive import ActiveGANAugmenter, ActiveLearningClassifier, GAALQuery
from skactive.active import StabilizingPredictions, TargetScore, prediction_agreement
from skactive.query import RandomQuery, UncertaintyQuery

from ..conftest import FAST

SEEN = []  # (X, y) of every fit of RecordingClassifier; module level: clones share it


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """LogisticRegression that records what it was trained on."""

    def fit(self, X, y):
        SEEN.append((np.array(X), np.array(y)))
        self.model_ = LogisticRegression(max_iter=500).fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


class RecordingSampler(BaseSampler):
    """Duplicates the labeled set and records what it was given."""

    _sampling_type = "over-sampling"
    _parameter_constraints: dict = {}
    seen: list = []

    def __init__(self):
        super().__init__()

    def _fit_resample(self, X, y):
        RecordingSampler.seen.append(np.array(y))
        return np.concatenate([X, X + 1e-3]), np.concatenate([y, y])


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(
        n_samples=300, n_features=8, n_informative=5, n_classes=3, random_state=0
    )
    return X, y


def _row_ids(X_all, X_rows):
    """Index of each row of X_rows in X_all (rows are unique in make_classification)."""
    lookup = {row.tobytes(): i for i, row in enumerate(X_all)}
    return np.array([lookup[row.tobytes()] for row in X_rows])


def test_simulation_reveals_only_queried_labels(data):
    X, y = data
    SEEN.clear()
    clf = ActiveLearningClassifier(
        RecordingClassifier(), n_initial=12, batch_size=7, budget=40, random_state=0
    ).fit(X, y)
    assert len(SEEN) == clf.n_cycles_ + 1 == len(clf.history_)
    for cycle, (X_seen, y_seen) in enumerate(SEEN):
        ids = _row_ids(X, X_seen)
        # the k-th fit saw exactly the rows labeled up to cycle k, with their true labels
        expected = np.flatnonzero((clf.labeled_iter_ >= 0) & (clf.labeled_iter_ <= cycle))
        np.testing.assert_array_equal(np.sort(ids), expected)
        np.testing.assert_array_equal(y_seen, y[ids])
    assert (clf.labeled_iter_ == 0).sum() == 12
    assert (clf.labeled_iter_ > 0).sum() == 40
    # labels of rows never queried cannot matter: scramble them, the run is the same
    never = clf.labeled_iter_ == -1
    y_scrambled = y.copy()
    y_scrambled[never] = np.random.RandomState(1).permutation(y[never])
    assert not np.array_equal(y_scrambled, y)
    other = clone(clf).fit(X, y_scrambled)
    np.testing.assert_array_equal(other.labeled_iter_, clf.labeled_iter_)
    np.testing.assert_array_equal(other.predict(X), clf.predict(X))


def test_oracle_is_called_exactly_for_queried_rows(data):
    X, y = data
    y_partial = np.full_like(y, -1)
    y_partial[:30] = y[:30]
    calls = []

    def oracle(indices):
        calls.append(np.array(indices))
        return y[indices]

    clf = ActiveLearningClassifier(
        LogisticRegression(),
        batch_size=8,
        budget=30,
        oracle=oracle,
        oracle_input="indices",
        random_state=0,
    ).fit(X, y_partial)
    asked = np.concatenate(calls)
    assert [len(c) for c in calls] == [8, 8, 8, 6]
    assert np.unique(asked).size == asked.size  # never the same row twice
    np.testing.assert_array_equal(np.sort(asked), np.flatnonzero(clf.labeled_iter_ > 0))
    assert not np.isin(asked, np.arange(30)).any()  # labeled rows are never asked for
    np.testing.assert_array_equal(np.flatnonzero(clf.labeled_iter_ == 0), np.arange(30))
    for cycle, c in enumerate(calls, start=1):
        assert (clf.labeled_iter_[c] == cycle).all()


def test_row_oracle_receives_the_queried_rows_and_cold_starts(data):
    X, y = data
    received = []

    def oracle(rows):
        received.append(np.array(rows))
        return y[_row_ids(X, rows)]

    clf = ActiveLearningClassifier(
        LogisticRegression(), n_initial=15, batch_size=5, budget=10, oracle=oracle, random_state=0
    ).fit(X, np.full_like(y, -1))
    assert [len(r) for r in received] == [15, 5, 5]  # initial draw, then two queries
    ids = _row_ids(X, np.concatenate(received))
    np.testing.assert_array_equal(np.sort(ids), np.flatnonzero(clf.labeled_iter_ >= 0))
    assert clf.stop_reason_ == "budget"


@pytest.mark.parametrize(
    "params, n_acquired, n_cycles, reason",
    [
        (dict(batch_size=10, budget=23), 23, 3, "budget"),
        (dict(batch_size=10, budget=0.1), 30, 3, "budget"),
        (dict(batch_size=4, budget=None, max_cycles=5), 20, 5, "max_cycles"),
        (dict(batch_size=100, budget=None), 290, 3, "pool_exhausted"),
    ],
)
def test_budget_cycles_and_pool_are_honoured(data, params, n_acquired, n_cycles, reason):
    X, y = data
    clf = ActiveLearningClassifier(LogisticRegression(), n_initial=10, random_state=0, **params)
    clf.fit(X, y)
    assert (clf.labeled_iter_ > 0).sum() == n_acquired
    assert clf.n_cycles_ == n_cycles and clf.stop_reason_ == reason
    assert [h["n_labeled"] for h in clf.history_][-1] == 10 + n_acquired
    assert all(h["n_queried"] <= params["batch_size"] for h in clf.history_[1:])


def test_stabilizing_predictions_stop_early(data):
    X, y = data
    criterion = StabilizingPredictions(threshold=0.95, window=2)
    clf = ActiveLearningClassifier(
        LogisticRegression(),
        n_initial=20,
        batch_size=10,
        budget=None,
        stopping=criterion,
        random_state=0,
    ).fit(X, y)
    assert clf.stop_reason_ == "StabilizingPredictions"
    assert clf.n_cycles_ < 28  # the pool would allow 28 cycles
    agreements = [h["agreement"] for h in clf.history_[1:]]
    assert np.mean(agreements[-2:]) >= 0.95 and "agreement" not in clf.history_[0]
    assert not hasattr(criterion, "agreements_")  # the parameter is cloned, not fitted
    assert len(clf.stopping_[0].agreements_) == clf.n_cycles_


def test_target_score_uses_the_validation_set(data):
    X, y = data
    X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
    clf = ActiveLearningClassifier(
        LogisticRegression(), budget=None, stopping=[TargetScore(0.75)], random_state=0
    ).fit(X_train, y_train, X_val=X_val, y_val=y_val)
    scores = [h["val_score"] for h in clf.history_]
    assert clf.stop_reason_ == "TargetScore" and scores[-1] >= 0.75 > max(scores[:-1])
    with pytest.raises(ValueError, match="validation set"):
        clone(clf).fit(X_train, y_train)


def test_prediction_agreement():
    assert prediction_agreement([1, 1, 1], [1, 1, 1]) == 1.0  # constant: kappa undefined
    assert prediction_agreement([0, 1, 0, 1], [1, 0, 1, 0]) == -1.0


def test_grid_search_over_strategies_and_their_parameters(data):
    X, y = data
    base = ActiveLearningClassifier(LogisticRegression(), batch_size=10, budget=30, random_state=0)
    grid = GridSearchCV(
        base,
        [
            {"query_strategy": [RandomQuery()]},
            {
                "query_strategy": [UncertaintyQuery()],
                "query_strategy__measure": ["margin", "entropy"],
                "batch_size": [5, 10],
            },
        ],
        cv=3,
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 5
    assert np.all(np.isfinite(grid.cv_results_["mean_test_score"]))
    assert (grid.best_estimator_.labeled_iter_ >= 0).sum() == 40


def test_augmenter_sees_only_labeled_rows_and_estimator_sees_augmented(data):
    X, y = data
    SEEN.clear()
    RecordingSampler.seen.clear()
    y_partial = y.copy()
    y_partial[50:] = -1
    clf = ActiveLearningClassifier(
        RecordingClassifier(),
        batch_size=10,
        budget=20,
        augmenter=RecordingSampler(),
        oracle=lambda rows: y[_row_ids(X, rows)],
        random_state=0,
    ).fit(X, y_partial)
    assert [len(s) for s in RecordingSampler.seen] == [50, 60, 70]
    assert all((s != -1).all() for s in RecordingSampler.seen)
    assert [len(s[1]) for s in SEEN] == [100, 120, 140]
    assert clf.augmenter_ is not None


def test_activegan_in_the_loop(digits):
    X, y = digits
    X, y = X[:400] / 16, y[:400]
    clf = ActiveLearningClassifier(
        LogisticRegression(max_iter=300),
        n_initial=60,
        batch_size=20,
        budget=20,
        augmenter=ActiveGANAugmenter(**FAST, sampling_strategy="all"),
        random_state=0,
    ).fit(X, y)
    gan = clf.augmenter_
    assert gan.n_features_in_ == 64 and clf.n_cycles_ == 1
    assert np.isfinite(clf.predict_proba(X)).all()


def test_query_synthesis_appends_oracle_labeled_rows(digits):
    X, y = digits
    X, y = X[:300], y[:300]
    gan = ActiveGANAugmenter(**FAST, random_state=0)
    gan.fit_resample(X, y)
    gan.set_params(random_state=None)  # the loop must not seed the user's generator
    knn = KNeighborsClassifier(1).fit(X, y)  # the "human" labeling synthesised digits
    clf = ActiveLearningClassifier(
        LogisticRegression(max_iter=300),
        query_strategy=GAALQuery(generator=gan, max_iter=3),
        n_initial=40,
        batch_size=5,
        budget=10,
        oracle=knn.predict,
        random_state=0,
    )
    y_partial = y.copy()
    y_partial[40:] = -1
    clf.fit(X, y_partial)
    assert clf.X_synthetic_.shape == (10, 64)
    np.testing.assert_array_equal(clf.y_synthetic_, knn.predict(clf.X_synthetic_))
    np.testing.assert_array_equal(clf.synthetic_iter_, [1] * 5 + [2] * 5)
    assert (clf.labeled_iter_ > 0).sum() == 0  # no pool row consumed
    assert clf.history_[-1]["n_labeled"] == 50
    assert gan.random_state is None
    np.testing.assert_array_equal(clone(clf).fit(X, y_partial).X_synthetic_, clf.X_synthetic_)
    with pytest.raises(ValueError, match="without end: set budget or max_cycles"):
        clone(clf).set_params(budget=None).fit(X, y_partial)


def test_interactive_query_and_teach(data):
    X, y = data
    y_partial = np.full_like(y, -1)
    y_partial[:20] = y[:20]
    clf = ActiveLearningClassifier(LogisticRegression(), batch_size=6, random_state=0)
    with pytest.warns(UserWarning, match="280 rows of y carry missing_label=-1"):
        clf.fit(X, y_partial)
    assert clf.stop_reason_ == "no_oracle" and clf.n_cycles_ == 0
    assert clf.history_[0]["n_queried"] == 0  # the given labels were not queried
    for cycle in (1, 2):
        rows = clf.query()
        assert rows.shape == (6,) and (y_partial[rows] == -1).all()
        clf.teach(rows, y[rows])
        assert (clf.labeled_iter_ == cycle).sum() == 6
    assert clf.history_[-1]["n_labeled"] == 32 and clf.n_cycles_ == 2
    assert clf.history_[-1]["query_time"] >= 0
    with pytest.raises(ValueError, match="already labeled"):
        clf.teach(rows, y[rows])
    with pytest.raises(ValueError, match=r"\[0, 300\)"):
        clf.teach(np.array([300]), y[:1])
    with pytest.raises(ValueError, match="asked for 2"):
        clf.teach(clf.query(2), y[:3])


def test_reproducible_clone_and_pickle(data):
    X, y = data
    clf = ActiveLearningClassifier(
        LogisticRegression(),
        query_strategy=UncertaintyQuery("entropy"),
        batch_size=5,
        budget=25,
        stopping=StabilizingPredictions(threshold=1.0),
        random_state=4,
    )
    a = clone(clf).fit(X, y)
    b = clone(clf).fit(X, y)
    np.testing.assert_array_equal(a.labeled_iter_, b.labeled_iter_)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    restored = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(restored.predict_proba(X), a.predict_proba(X))
    np.testing.assert_array_equal(restored.query(3), a.query(3))  # state survives pickling
    assert clf.get_params()["random_state"] == 4 and not hasattr(clf, "estimator_")


@pytest.mark.parametrize(
    "y_kind, marker",
    [("float", np.nan), ("str", "unlabeled"), ("object", None)],
)
def test_markers_and_label_types(data, y_kind, marker):
    X, y = data
    names = np.array(["ant", "bee", "cat"])
    y_typed = {"float": y.astype(float), "str": names[y], "object": names[y].astype(object)}[y_kind]
    y_partial = y_typed.astype("<U9") if y_kind == "str" else y_typed.copy()
    if marker is None:  # no marker: every value is a label, simulation
        clf = ActiveLearningClassifier(LogisticRegression(), missing_label=None, random_state=0)
        clf.fit(X, y_partial)
        assert (clf.labeled_iter_ >= 0).sum() == 110
    else:
        y_partial[40:] = marker
        clf = ActiveLearningClassifier(
            LogisticRegression(),
            budget=20,
            missing_label=marker,
            random_state=0,
            oracle=lambda rows: y_typed[_row_ids(X, rows)],
        ).fit(X, y_partial)
        assert (clf.labeled_iter_ == 0).sum() == 40 and (clf.labeled_iter_ > 0).sum() == 20
    assert set(clf.predict(X)) <= set(y_typed)
    # unlabeled rows are ignored by score
    if marker is not None:
        manual = np.mean(clf.predict(X[:40]) == y_typed[:40])
        assert clf.score(X, y_partial) == pytest.approx(manual)


def test_pandas_input_keeps_feature_names(data):
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = ActiveLearningClassifier(LogisticRegression(), budget=10, random_state=0)
    clf.fit(frame, pd.Series(y))
    np.testing.assert_array_equal(clf.feature_names_in_, frame.columns)
    assert clf.n_features_in_ == 8
    np.testing.assert_array_equal(clf.predict(frame), clone(clf).fit(X, y).predict(X))


def test_verbose_prints_each_cycle(data, capsys):
    X, y = data
    ActiveLearningClassifier(LogisticRegression(), budget=20, verbose=1, random_state=0).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 4 and "n_labeled=30" in lines[2] and "stopped: budget" in lines[3]


def test_warm_start_refits_the_same_object(data):
    X, y = data
    SEEN.clear()
    clf = ActiveLearningClassifier(RecordingClassifier(), budget=20, warm_start=True)
    clf.fit(X, y)
    first = clf.estimator_
    clf.teach(clf.query(), y[clf.query()])
    assert clf.estimator_ is first and len(SEEN) == 4


def _wrong_count(rows):
    return np.zeros(len(rows) + 1, dtype=int)


@pytest.mark.parametrize(
    "params, y_mode, match",
    [
        ({}, "none", "Every row of y is unlabeled"),
        ({"n_initial": 500}, "full", "n_initial=500 is larger than the number of samples"),
        ({"oracle": _wrong_count}, "partial", "asked for 10 label"),
        (
            {"oracle": lambda r: np.full(len(r), 7), "classes": [0, 1, 2]},
            "partial",
            r"labels \[7\] that are not in classes",
        ),
        ({"oracle": lambda r: np.full(len(r), -1)}, "partial", "unlabeled marker"),
        ({"oracle": lambda r: np.array(["a"] * len(r))}, "partial", "y holds numbers"),
        ({"oracle": lambda r: np.full(len(r), 0.5)}, "partial", "non-integer labels"),
        ({"query_strategy": GAALQuery()}, "partial", "only an oracle can label"),
        ({"budget": -1}, "full", "budget"),
        ({"batch_size": 0}, "full", "batch_size"),
    ],
)
def test_bad_input_gives_clear_errors(data, params, y_mode, match):
    X, y = data
    y_in = {"none": np.full_like(y, -1), "full": y, "partial": np.where(np.arange(300) < 30, y, -1)}
    with pytest.raises(ValueError, match=match):
        ActiveLearningClassifier(LogisticRegression(), random_state=0, **params).fit(
            X, y_in[y_mode]
        )


def test_continuous_target_and_validation_pairs(data):
    X, y = data
    with pytest.raises(ValueError, match="Unknown label type"):
        ActiveLearningClassifier().fit(X, y + 0.5)
    with pytest.raises(ValueError, match="both X_val and y_val"):
        ActiveLearningClassifier().fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="nothing to score"):
        ActiveLearningClassifier(budget=10).fit(X, y).score(X, np.full_like(y, -1))


class FailsOnClassTwo(RecordingClassifier):
    def fit(self, X, y):
        if 2 in set(np.asarray(y).tolist()):
            raise RuntimeError("cannot learn class 2")
        return super().fit(X, y)


def test_a_failing_cycle_leaves_the_learner_as_it_was(data):
    X, y = data
    binary = np.flatnonzero(y < 2)
    y_partial = np.full_like(y, -1)
    y_partial[binary[:20]] = y[binary[:20]]
    with pytest.warns(UserWarning):
        clf = ActiveLearningClassifier(FailsOnClassTwo(), batch_size=4).fit(X, y_partial)
    before = (clf.labeled_iter_.copy(), len(clf.history_), clf.n_cycles_, clf.estimator_)
    rows = clf.query()
    with pytest.raises(RuntimeError, match="class 2"):
        clf.teach(rows, np.array([2, 0, 1, 0]))
    np.testing.assert_array_equal(clf.labeled_iter_, before[0])
    assert (len(clf.history_), clf.n_cycles_, clf.estimator_) == before[1:]
    clf.teach(rows, np.array([1, 0, 1, 0]))  # the same rows can be taught again
    assert clf.n_cycles_ == 1 and (clf.labeled_iter_ == 1).sum() == 4
    with pytest.raises(ValueError, match="read-only"):
        clf.labeled_iter_[:] = -1


def test_warm_start_spans_one_fit_only(data):
    X, y = data
    clf = ActiveLearningClassifier(RecordingClassifier(), budget=10, warm_start=True)
    first = clf.fit(X, y).estimator_
    assert clf.fit(X, y).estimator_ is not first


class BrokenStrategy(RandomQuery):
    def query(self, X_pool, **kwargs):
        return np.array([-1, -1])


def test_invalid_strategy_output_and_initial_sets(data):
    X, y = data
    with pytest.raises(ValueError, match="must return 1 to 10 distinct integer indices"):
        ActiveLearningClassifier(LogisticRegression(), query_strategy=BrokenStrategy()).fit(X, y)
    with pytest.raises(ValueError, match="single class .* raise n_initial"):
        ActiveLearningClassifier(LogisticRegression(), n_initial=1).fit(X, y)
    with pytest.raises(ValueError, match=r"labels \[2\] that are not in classes"):
        ActiveLearningClassifier(classes=[0, 1]).fit(X, y)
    with pytest.raises(ValueError, match="contains the unlabeled marker"):
        ActiveLearningClassifier(classes=[-1, 0, 1, 2]).fit(X, y)


def test_object_string_labels_reject_numeric_answers(data):
    X, y = data
    y_obj = np.array(["ant", "bee", "cat"], dtype=object)[y]
    y_obj[30:] = "?"
    with pytest.raises(ValueError, match="y holds strings"):
        ActiveLearningClassifier(
            LogisticRegression(), missing_label="?", oracle=lambda rows: np.zeros(len(rows), int)
        ).fit(X, y_obj)


def test_score_on_frames_does_not_warn(data):
    import warnings

    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    clf = ActiveLearningClassifier(LogisticRegression(), budget=10, random_state=0).fit(frame, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert 0 < clf.score(frame, y) <= 1


def test_val_score_ignores_unlabeled_validation_rows(data):
    X, y = data
    X_val, y_val = X[:60], y[:60].copy()
    y_val[::2] = -1  # half the validation rows carry the unlabeled marker
    learner = ActiveLearningClassifier(LogisticRegression(), budget=20, random_state=0)
    learner.fit(X, y, X_val=X_val, y_val=y_val)
    labeled = y_val != -1
    expected = learner.estimator_.score(X_val[labeled], y_val[labeled])
    assert learner.history_[-1]["val_score"] == pytest.approx(expected)
    with pytest.raises(ValueError, match="Every row of y_val carries missing_label"):
        clone(learner).fit(X, y, X_val=X_val, y_val=np.full(60, -1))


def test_label_errors_name_their_source_and_the_dtype_range(data):
    X, y = data
    y_partial = y.copy()
    y_partial[40:] = -1
    learner = ActiveLearningClassifier(LogisticRegression(), batch_size=5, random_state=0)
    learner.fit(X, y_partial)
    picked = learner.query()
    with pytest.raises(ValueError, match=r"labels passed to teach\(\) must give one label"):
        learner.teach(picked, y[picked][:2])
    # an int8 y and a label beyond its range: the range is the problem, not "non-integer"
    y8 = y_partial.astype(np.int8)

    def oracle(rows):
        return np.full(len(rows), 200)

    with pytest.raises(ValueError, match=r"do not fit y's dtype int8 \(range -128\.\.127\)"):
        ActiveLearningClassifier(
            LogisticRegression(), oracle=oracle, batch_size=5, random_state=0
        ).fit(X, y8)


def test_string_labels_predict_as_strings(data):
    X, y = data
    names = np.array(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    )
    y_str = names[y]
    learner = ActiveLearningClassifier(LogisticRegression(), budget=20, random_state=0)
    learner.fit(X, y_str)
    direct = LogisticRegression().fit(X[:50], y_str[:50]).predict(X[:5])
    assert learner.predict(X[:5]).dtype.kind == direct.dtype.kind == "U"


def test_query_can_return_utilities(data):
    X, y = data
    y_partial = y.copy()
    y_partial[40:] = -1
    learner = ActiveLearningClassifier(LogisticRegression(), batch_size=5, random_state=0)
    learner.fit(X, y_partial)
    picked, utilities = learner.query(return_utilities=True)
    assert utilities.shape == (len(X),)
    assert np.isnan(utilities[:40]).all() and np.isfinite(utilities[40:]).all()
    # the picked rows are the most informative pool rows
    assert set(picked) == set(np.argsort(-np.nan_to_num(utilities, nan=-np.inf))[:5])
    np.testing.assert_array_equal(picked, learner.query())


@pytest.mark.parametrize(
    "labels, match",
    [
        ([1, "a"], "mixes number labels"),
        (["a", 1], "mixes number labels"),
        ([None, 1], "y holds None"),
    ],
)
def test_mixed_or_none_labels_are_named(data, labels, match):
    X, y = data
    y_obj = np.array([labels[i % 2] for i in range(len(y))], dtype=object)
    with pytest.raises(ValueError, match=match):
        ActiveLearningClassifier(LogisticRegression(), budget=10, random_state=0).fit(X, y_obj)


class FailsAtCycle:
    """A stopping criterion whose update raises at one cycle (once)."""

    def __init__(self, cycle=2):
        self.cycle = cycle

    def get_params(self, deep=True):
        return {"cycle": self.cycle}

    def set_params(self, **params):
        self.__dict__.update(params)
        return self

    def start(self, X, random_state=None):
        self.seen_ = []

    def update(self, estimator, record):
        self.seen_.append(record["cycle"])
        if record["cycle"] == self.cycle and not getattr(self, "failed_", False):
            raise RuntimeError("criterion failed")
        return False


def test_a_failing_stopping_criterion_leaves_the_learner_consistent(data):
    X, y = data
    y_partial = y.copy()
    y_partial[40:] = -1
    learner = ActiveLearningClassifier(
        LogisticRegression(),
        batch_size=5,
        budget=None,
        stopping=FailsAtCycle(2),
        random_state=0,
    ).fit(X, y_partial)
    picked = learner.query()
    learner.teach(picked, y[picked])  # cycle 1
    state = (learner.n_cycles_, len(learner.history_), (learner.labeled_iter_ >= 0).sum())
    picked = learner.query()
    with pytest.raises(RuntimeError, match="criterion failed"):
        learner.teach(picked, y[picked])  # cycle 2 fails: nothing of it is kept
    assert (
        (learner.n_cycles_, len(learner.history_), (learner.labeled_iter_ >= 0).sum())
        == state
        == (1, 2, 45)
    )
    assert learner.stopping_[0].seen_ == [0, 1]
    learner.stopping_[0].failed_ = True
    learner.teach(picked, y[picked])  # retried: cycle 2 is recorded once
    assert [r["cycle"] for r in learner.history_] == [0, 1, 2]
    assert learner.stopping_[0].seen_ == [0, 1, 2]


def test_a_plain_strategy_object_gets_a_clear_error(data):
    X, y = data

    class PlainStrategy:
        def query(self, X_pool, **kwargs):
            return np.arange(kwargs.get("batch_size", 1))

    with pytest.raises(TypeError, match="PlainStrategy.*has no get_params.*BaseEstimator"):
        ActiveLearningClassifier(
            LogisticRegression(), query_strategy=PlainStrategy(), budget=10, random_state=0
        ).fit(X, y)


def _minus_one_one(data):
    X, y = data
    binary = y < 2
    return X[binary], np.where(y[binary] == 0, -1, 1)


def test_a_minus_one_one_data_set_is_two_classes_by_default(data):
    X, y = _minus_one_one(data)  # labelled as imbalanced-learn's benchmark sets are
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "rows carry missing_label" warning
        clf = ActiveLearningClassifier(LogisticRegression(), budget=20, random_state=0).fit(X, y)
    assert clf.missing_label_ is None
    assert clf.classes_.tolist() == [-1, 1] and clf.history_[-1]["n_labeled"] == 30
    assert clf.score(X, y) > 0.5  # -1 rows are scored, not skipped
    # the marker can still be forced (the caller named it: no warning, one class left)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError):
            ActiveLearningClassifier(LogisticRegression(), missing_label=-1).fit(X, y)


def test_minus_one_marks_unlabeled_rows_beside_two_classes_or_with_an_oracle(data):
    X, y = data
    partial = np.where(np.arange(len(y)) < 40, y, -1)  # classes 0, 1, 2 and -1
    with pytest.warns(UserWarning, match="carry missing_label=-1"):
        clf = ActiveLearningClassifier(LogisticRegression(), random_state=0).fit(X, partial)
    assert clf.missing_label_ == -1 and -1 not in clf.classes_
    # with an oracle -1 is the marker even beside a single class: the five
    # labeled rows are the initial set, and the error names what is missing
    X_bin, y_bin = _minus_one_one(data)
    y_partial = np.full_like(y_bin, -1)
    y_partial[np.flatnonzero(y_bin == 1)[:5]] = 1
    clf = ActiveLearningClassifier(
        LogisticRegression(), oracle=_wrong_count, budget=10, batch_size=5, random_state=0
    )
    with pytest.raises(ValueError, match=r"single class \(\[1\]\)"):
        clf.fit(X_bin, y_partial)
    assert clf.missing_label_ == -1


def test_oracle_sees_dataframe_rows_with_their_columns_and_index(data):
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    frame.index = [f"row{i}" for i in range(len(frame))]
    truth = pd.Series(y, index=frame.index)
    seen = []

    def oracle(rows):
        seen.append(rows)
        return truth.loc[rows.index].to_numpy()

    y_partial = np.where(np.arange(len(y)) < 30, y, -1)
    clf = ActiveLearningClassifier(
        LogisticRegression(max_iter=300), oracle=oracle, budget=20, batch_size=10, random_state=0
    ).fit(frame, y_partial)
    assert len(seen) == 2 and clf.history_[-1]["n_labeled"] == 50
    for rows in seen:
        assert isinstance(rows, pd.DataFrame) and list(rows.columns) == list(frame.columns)
        # the labeller sees the very rows, under their own index labels
        pd.testing.assert_frame_equal(rows, frame.loc[rows.index])
    picked = [frame.index.get_loc(label) for rows in seen for label in rows.index]
    assert all(y_partial[i] == -1 for i in picked)
