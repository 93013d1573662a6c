"""The contract every index-returning query strategy passes."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.tree import DecisionTreeClassifier

from skactive.query import (
    AALUQuery,
    BADGEQuery,
    CommitteeQuery,
    CoreSetQuery,
    DensityWeightedQuery,
    LearningLossQuery,
    RandomQuery,
    TAVAALQuery,
    UncertaintyQuery,
    VAALQuery,
)

TINY_NET = dict(max_iter=15, hidden_layer_sizes=(16,), train_batch_size=16)

STRATEGIES = [
    RandomQuery(random_state=0),
    UncertaintyQuery("margin", random_state=0),
    UncertaintyQuery("entropy", random_state=0),
    UncertaintyQuery("least_confidence", random_state=0),
    CommitteeQuery(n_members=3, random_state=0),
    CommitteeQuery(
        committee=[LogisticRegression(max_iter=300), DecisionTreeClassifier()],
        measure="kl_divergence",
        random_state=0,
    ),
    CoreSetQuery(random_state=0),
    DensityWeightedQuery(random_state=0),
    BADGEQuery(random_state=0),
    VAALQuery(latent_dim=4, random_state=0, **TINY_NET),
    LearningLossQuery(random_state=0, **TINY_NET),
    AALUQuery(latent_dim=4, random_state=0, **TINY_NET),
    TAVAALQuery(latent_dim=4, random_state=0, **TINY_NET),
]


def _id(strategy):
    params = {k: v for k, v in strategy.get_params(deep=False).items() if isinstance(v, str)}
    return type(strategy).__name__ + ("-" + "-".join(params.values()) if params else "")


@pytest.fixture(scope="module")
def problem():
    rng = np.random.RandomState(0)
    X = np.concatenate([rng.normal(0, 1, (60, 5)), rng.normal(2.5, 1, (60, 5))])
    y = np.repeat(["cat", "dog"], 60)  # string labels
    labeled = np.r_[0:10, 60:70]
    pool = np.setdiff1d(np.arange(120), labeled)
    model = LogisticRegression(max_iter=500).fit(X[labeled], y[labeled])
    return X[pool], X[labeled], y[labeled], model


def _query(strategy, problem, **kwargs):
    X_pool, X_labeled, y_labeled, model = problem
    args = dict(estimator=model, X_labeled=X_labeled, y_labeled=y_labeled)
    return strategy.query(kwargs.pop("X_pool", X_pool), **{**args, **kwargs})


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
@pytest.mark.parametrize("batch_size", [1, 7])
def test_distinct_valid_indices(strategy, problem, batch_size):
    indices = _query(strategy, problem, batch_size=batch_size)
    assert indices.shape == (batch_size,)
    assert np.issubdtype(indices.dtype, np.integer)
    assert len(np.unique(indices)) == batch_size
    assert indices.min() >= 0 and indices.max() < len(problem[0])


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
def test_utilities_and_order(strategy, problem):
    indices, utilities = _query(strategy, problem, batch_size=5, return_utilities=True)
    assert utilities.shape == (len(problem[0]),)
    if isinstance(strategy, (CoreSetQuery, TAVAALQuery, BADGEQuery)):
        return  # sequential selection / random subset / k-means++: see their own tests
    picked = utilities[indices]
    assert np.all(np.diff(picked) <= 0), "most informative first"
    others = np.delete(utilities, indices)
    assert picked.min() >= others.max()


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
def test_reproducible_with_random_state(strategy, problem):
    first = _query(clone(strategy), problem, batch_size=5)
    second = _query(clone(strategy), problem, batch_size=5)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
def test_pandas_input(strategy, problem):
    X_pool, X_labeled, y_labeled, model = problem
    columns = [f"f{i}" for i in range(X_pool.shape[1])]
    frame_model = LogisticRegression(max_iter=500).fit(
        pd.DataFrame(X_labeled, columns=columns), pd.Series(y_labeled)
    )
    from_pandas = strategy.query(
        pd.DataFrame(X_pool, columns=columns),
        estimator=frame_model,
        X_labeled=pd.DataFrame(X_labeled, columns=columns),
        y_labeled=pd.Series(y_labeled),
        batch_size=4,
    )
    from_numpy = _query(strategy, problem, batch_size=4)
    np.testing.assert_array_equal(from_pandas, from_numpy)


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
def test_batch_larger_than_pool(strategy, problem):
    with pytest.raises(ValueError, match="batch_size=200 is larger than the pool"):
        _query(strategy, problem, batch_size=200)


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
def test_empty_pool(strategy, problem):
    with pytest.raises(ValueError, match="X_pool is empty"):
        _query(strategy, problem, X_pool=problem[0][:0])


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
@pytest.mark.parametrize("batch_size", [0, -1, 2.5, True])
def test_bad_batch_size(strategy, problem, batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        _query(strategy, problem, batch_size=batch_size)


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
def test_clone_and_params(strategy):
    params = strategy.get_params()
    cloned = clone(strategy)
    assert cloned is not strategy
    assert cloned.get_params().keys() == params.keys()
    cloned.set_params(random_state=1)
    assert cloned.random_state == 1 and strategy.random_state == 0


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
def test_query_does_not_change_params(strategy, problem):
    before = repr(strategy.get_params())
    _query(strategy, problem, batch_size=3)
    assert repr(strategy.get_params()) == before


@pytest.mark.parametrize(
    "strategy",
    [s for s in STRATEGIES if s._needs_estimator],
    ids=_id,
)
def test_unfitted_estimator(strategy, problem):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        _query(strategy, problem, estimator=LogisticRegression(), batch_size=2)
    with pytest.raises(ValueError, match="estimator="):
        _query(strategy, problem, estimator=None, batch_size=2)


@pytest.mark.parametrize("strategy", [s for s in STRATEGIES if s._needs_labeled], ids=_id)
def test_missing_labeled_set(strategy, problem):
    X_pool, _, _, model = problem
    with pytest.raises(ValueError, match="learns from the labeled set: pass X_labeled"):
        strategy.query(X_pool, estimator=model, batch_size=2)


@pytest.mark.parametrize("strategy", [s for s in STRATEGIES if s._uses_labels], ids=_id)
def test_single_class_labeled_set(strategy, problem):
    X_pool, X_labeled, y_labeled, model = problem
    with pytest.raises(ValueError, match="at least 2 classes in y_labeled"):
        strategy.query(X_pool, estimator=model, X_labeled=X_labeled[:5], y_labeled=y_labeled[:5])


@pytest.mark.parametrize("strategy", STRATEGIES, ids=_id)
def test_picklable(strategy, problem):
    import pickle

    restored = pickle.loads(pickle.dumps(strategy))
    np.testing.assert_array_equal(
        _query(restored, problem, batch_size=3), _query(strategy, problem, batch_size=3)
    )


def test_every_public_strategy_is_under_contract():
    """A strategy added to skactive.query cannot skip this file: the public
    QueryStrategy subclasses are discovered from __all__."""
    import skactive.query as query

    public = {
        obj
        for obj in (getattr(query, name) for name in query.__all__)
        if isinstance(obj, type) and issubclass(obj, query.QueryStrategy)
    } - {query.QueryStrategy}
    assert public == {type(strategy) for strategy in STRATEGIES}
