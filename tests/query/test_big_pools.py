"""Pools that need not fit in memory: NumPy memmaps and Dask arrays give the in-memory picks."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from skactive.query import (
    AALUQuery,
    CommitteeQuery,
    CoreSetQuery,
    DensityWeightedQuery,
    LearningLossQuery,
    RandomQuery,
    TAVAALQuery,
    UncertaintyQuery,
    VAALQuery,
)
from skactive.query._base import chunked_rows

da = pytest.importorskip("dask.array", reason="needs the 'dask' extra")
distributed = pytest.importorskip("distributed", reason="needs the 'dask' extra")


@pytest.fixture(scope="module")
def task(digits):
    X, y = digits
    X = X / 16.0
    model = LogisticRegression(max_iter=300).fit(X[:200], y[:200])
    return X[:200], y[:200], X[200:], model


def _strategies():
    return [
        UncertaintyQuery("margin", random_state=0),
        UncertaintyQuery("entropy", random_state=0),
        CommitteeQuery(random_state=0),
        RandomQuery(random_state=0),
        DensityWeightedQuery(random_state=0),
        CoreSetQuery(random_state=0),  # one pass over the pool per pick
    ]


def _picks(strategy, pool, task):
    X_lab, y_lab, _, model = task
    return strategy.query(
        pool,
        estimator=model,
        X_labeled=X_lab,
        y_labeled=y_lab,
        batch_size=25,
        return_utilities=True,
    )


def test_memmap_pool_gives_the_in_memory_picks(tmp_path, task, monkeypatch):
    from skactive.query import _base

    pool = task[2]
    path = tmp_path / "pool.npy"
    np.save(path, pool)
    mapped = np.load(path, mmap_mode="r")
    monkeypatch.setattr(_base, "CHUNK_SIZE", 100)  # many blocks on a small pool
    read = []
    original = _base._safe_indexing
    monkeypatch.setattr(
        _base, "_safe_indexing", lambda X, rows: read.append(rows) or original(X, rows)
    )
    for strategy in _strategies():
        indices, utilities = _picks(strategy, pool, task)
        mapped_indices, mapped_utilities = _picks(strategy, mapped, task)
        np.testing.assert_array_equal(mapped_indices, indices)
        np.testing.assert_allclose(mapped_utilities, utilities)
    blocks = [r for r in read if isinstance(r, slice)]
    assert len(blocks) >= 16 and all(r.stop - r.start <= 100 for r in blocks)  # block by block
    assert all(len(r) == 1 for r in read if not isinstance(r, slice))  # core-set's centers


def test_dask_pool_is_scored_on_the_cluster_with_the_same_picks(tmp_path, task):
    pool = task[2]
    dask_pool = da.from_array(pool, chunks=(300, 16))  # row and column chunks
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=False,
            local_directory=str(tmp_path),
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as tasks,
    ):
        picks = [_picks(strategy, dask_pool, task) for strategy in _strategies()]
    assert len(tasks.data) >= 4 * 6  # the blocks were scored as Dask tasks
    for strategy, (indices, utilities) in zip(_strategies(), picks, strict=True):
        local_indices, local_utilities = _picks(strategy, pool, task)
        np.testing.assert_array_equal(indices, local_indices)
        np.testing.assert_allclose(utilities, local_utilities)


def test_dask_blocks_with_several_output_columns():
    X = np.arange(40.0).reshape(10, 4)
    out = chunked_rows(lambda b: np.column_stack([b.sum(1), b.max(1)]), da.from_array(X, (3, 2)))
    np.testing.assert_array_equal(out, np.column_stack([X.sum(1), X.max(1)]))
    with pytest.raises(TypeError, match="2-d dask.array"):
        chunked_rows(np.sum, da.from_array(np.arange(5.0)))


class _Spy(UncertaintyQuery):
    """Records the type of every pool it is handed."""

    seen = []

    def _utilities(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        type(self).seen.append(type(X_pool).__name__)
        return super()._utilities(X_pool, estimator, X_labeled, y_labeled, batch_size)


@pytest.mark.parametrize(
    "strategy",
    [_Spy("margin", random_state=0), RandomQuery(random_state=0), CoreSetQuery(random_state=0)],
)
def test_learner_loops_over_a_pool_on_disk_with_the_in_memory_result(
    tmp_path, digits, strategy, monkeypatch
):
    from skactive import ActiveLearningClassifier
    from skactive.query import _base

    X, y = digits
    X = X[:600] / 16.0
    np.save(tmp_path / "X.npy", X)
    on_disk = np.load(tmp_path / "X.npy", mmap_mode="r")
    monkeypatch.setattr(_base, "CHUNK_SIZE", 128)  # many blocks
    runs = []
    for data in (X, on_disk):
        learner = ActiveLearningClassifier(
            LogisticRegression(max_iter=300),
            query_strategy=strategy,
            n_initial=30,
            batch_size=20,
            budget=60,
            random_state=0,
        ).fit(data, y[:600])
        runs.append(learner)
    memory, disk = runs
    np.testing.assert_array_equal(memory.labeled_iter_, disk.labeled_iter_)
    np.testing.assert_allclose(memory.predict_proba(X), disk.predict_proba(X))
    if isinstance(strategy, _Spy):
        # in memory the pool is an array; on disk, rows read on demand
        assert _Spy.seen[:3] == ["ndarray"] * 3 and _Spy.seen[3:] == ["PoolRows"] * 3


# -- the strategies that train nets: a bounded sample of the pool, every row scored


def _torch_strategies(max_samples):
    small = dict(max_iter=20, hidden_layer_sizes=(32,), train_batch_size=32, random_state=0)
    return [
        VAALQuery(**small, max_samples=max_samples),
        AALUQuery(**small, max_samples=max_samples),
        TAVAALQuery(**small, max_samples=max_samples),
        LearningLossQuery(**small),  # trains on labeled rows; "auto" sample for the scaling
    ]


@pytest.mark.parametrize(
    "max_samples, n_train", [("auto", 20 * 32), (300, 300), (0.5, 798), (5000, 1597)]
)
def test_torch_strategies_train_on_a_bounded_sample_of_the_pool(task, max_samples, n_train):
    X_lab, _, pool, _ = task
    training_pool, labeled, _ = _torch_strategies(max_samples)[0]._setup(pool, X_lab, None)
    assert training_pool.train.shape == (n_train, pool.shape[1])
    assert labeled.shape == X_lab.shape
    if n_train == len(pool):
        assert training_pool.is_whole
    else:
        index = training_pool.index
        assert len(np.unique(index)) == n_train and np.all(np.diff(index) > 0)
        np.testing.assert_allclose(training_pool.rows(index[:5]).numpy(), training_pool.train[:5])


def test_a_pool_the_training_covers_keeps_its_picks(task):
    """ "auto" and an explicit max_samples >= the pool both train on every row."""
    for auto, whole in zip(_torch_strategies("auto"), _torch_strategies(10_000), strict=True):
        auto.set_params(max_iter=60)  # 60 * 32 rows >= the 1,597-row pool
        whole.set_params(max_iter=60)
        np.testing.assert_array_equal(
            _picks(auto, task[2], task)[0], _picks(whole, task[2], task)[0]
        )


def test_sampled_training_scores_every_row_of_a_memmap_or_dask_pool(tmp_path, task, monkeypatch):
    from skactive.query import _base

    pool = task[2]
    np.save(tmp_path / "pool.npy", pool)
    mapped = np.load(tmp_path / "pool.npy", mmap_mode="r")
    monkeypatch.setattr(_base, "CHUNK_SIZE", 400)  # several blocks
    dask_pool = da.from_array(pool, chunks=(500, 64))
    for strategy in _torch_strategies(300):
        indices, utilities = _picks(strategy, pool, task)
        scored = np.isfinite(utilities)
        if isinstance(strategy, TAVAALQuery):  # scores a random subset of 10 * batch_size rows
            assert scored.sum() == 250
        else:
            assert scored.all()
        for other in (mapped, dask_pool):
            other_indices, other_utilities = _picks(strategy, other, task)
            np.testing.assert_array_equal(other_indices, indices)
            np.testing.assert_allclose(other_utilities, utilities, rtol=1e-6)
