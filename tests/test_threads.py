"""Thread discipline: every torch computation of the package runs with
``resolve_n_jobs(n_jobs)`` torch threads and restores the caller's setting."""

import numpy as np
import pytest
import torch
from joblib import cpu_count
from sklearn.linear_model import LogisticRegression
from skorch.callbacks import Callback

from skactive import ActiveLearningClassifier, GAALQuery
from skactive._torch import resolve_n_jobs, torch_threads
from skactive.query import AALUQuery, LearningLossQuery, TAVAALQuery, VAALQuery


@pytest.fixture
def caller_threads():
    """The caller runs with a thread count none of the defaults would pick."""
    before = torch.get_num_threads()
    torch.set_num_threads(3)
    yield 3
    torch.set_num_threads(before)


class RecordThreads(Callback):
    """Records the thread count of every training batch (class-level, so a
    clone made by GAALQuery records into the same list)."""

    seen: list = []

    def on_batch_begin(self, net, **kwargs):
        RecordThreads.seen.append(torch.get_num_threads())


@pytest.fixture
def recorder():
    RecordThreads.seen = []
    return RecordThreads()


def thread_recorder(seen):
    def extractor(X):
        seen.append(torch.get_num_threads())
        return np.asarray(X)

    return extractor


def test_resolve_n_jobs():
    assert resolve_n_jobs(None) == 1
    assert resolve_n_jobs(4) == 4
    assert resolve_n_jobs(-1) == cpu_count()
    assert resolve_n_jobs(-1000) == 1
    for bad in (0, 1.5, True, "2"):
        with pytest.raises(ValueError, match="n_jobs"):
            resolve_n_jobs(bad)


def test_blocks_nest_and_restore(caller_threads):
    with torch_threads(None) as outer:
        assert outer == 1 == torch.get_num_threads()
        with torch_threads(2):
            assert torch.get_num_threads() == 2
            with torch_threads(None):  # inherits the enclosing block
                assert torch.get_num_threads() == 2
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == caller_threads


def test_restored_after_an_error(caller_threads):
    with pytest.raises(RuntimeError, match="boom"):
        with torch_threads(None):
            raise RuntimeError("boom")
    assert torch.get_num_threads() == caller_threads


@pytest.mark.parametrize("n_jobs, expected", [(None, 1), (2, 2)])
def test_augmenter_trains_with_n_jobs(fast_augmenter, caller_threads, recorder, n_jobs, expected):
    X = np.random.RandomState(0).normal(size=(60, 3))
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    aug = fast_augmenter(n_jobs=n_jobs, callbacks=[recorder])
    aug.fit_resample(X, y)
    assert set(RecordThreads.seen) == {expected}
    assert torch.get_num_threads() == caller_threads


def test_augmenter_rejects_zero_n_jobs(fast_augmenter, caller_threads):
    X = np.random.RandomState(0).normal(size=(60, 3))
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    with pytest.raises(ValueError, match="n_jobs"):
        fast_augmenter(n_jobs=0).fit_resample(X, y)
    assert torch.get_num_threads() == caller_threads


@pytest.mark.parametrize("Strategy", [VAALQuery, AALUQuery, TAVAALQuery, LearningLossQuery])
@pytest.mark.parametrize("n_jobs, expected", [(None, 1), (2, 2)])
def test_torch_strategies_query_with_n_jobs(Strategy, caller_threads, n_jobs, expected):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 4))
    y = (X[:, 0] > 0).astype(int)
    model = LogisticRegression().fit(X[:30], y[:30])
    seen = []
    strategy = Strategy(
        feature_extractor=thread_recorder(seen), max_iter=2, n_jobs=n_jobs, random_state=0
    )
    strategy.query(X[30:], estimator=model, X_labeled=X[:30], y_labeled=y[:30], batch_size=3)
    assert seen and set(seen) == {expected}
    assert torch.get_num_threads() == caller_threads


class ThreadRecordingLogisticRegression(LogisticRegression):
    seen: list = []

    def fit(self, X, y):
        ThreadRecordingLogisticRegression.seen.append(torch.get_num_threads())
        return super().fit(X, y)


@pytest.mark.parametrize(
    "learner_jobs, strategy_jobs, expected_fit, expected_query",
    [(None, None, 1, 1), (2, None, 2, 2), (2, 1, 2, 1)],
)
def test_learner_n_jobs_reaches_its_parts(
    caller_threads, learner_jobs, strategy_jobs, expected_fit, expected_query
):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 4))
    y = (X[:, 0] > 0).astype(int)
    ThreadRecordingLogisticRegression.seen = []
    seen = []
    strategy = VAALQuery(feature_extractor=thread_recorder(seen), max_iter=2, n_jobs=strategy_jobs)
    learner = ActiveLearningClassifier(
        ThreadRecordingLogisticRegression(),
        query_strategy=strategy,
        n_initial=10,
        batch_size=5,
        budget=10,
        n_jobs=learner_jobs,
        random_state=0,
    ).fit(X, y)
    assert set(ThreadRecordingLogisticRegression.seen) == {expected_fit}
    assert set(seen) == {expected_query}
    assert torch.get_num_threads() == caller_threads

    ThreadRecordingLogisticRegression.seen, seen[:] = [], []
    picked = learner.query(batch_size=2)
    learner.teach(picked, y[picked])
    assert set(ThreadRecordingLogisticRegression.seen) == {expected_fit}
    assert set(seen) == {expected_query}
    assert torch.get_num_threads() == caller_threads


def test_gaal_synthesizes_with_n_jobs(fast_augmenter, caller_threads, recorder):
    X = np.random.RandomState(0).normal(size=(60, 3))
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    model = LogisticRegression().fit(X, y)
    GAALQuery(fast_augmenter(callbacks=[recorder]), max_iter=2, random_state=0).synthesize(
        2, estimator=model, X_labeled=X, y_labeled=y
    )
    assert set(RecordThreads.seen) == {1}
    assert torch.get_num_threads() == caller_threads


def test_default_output_does_not_depend_on_the_callers_threads(fast_augmenter):
    """torch's results can change with its thread count (reductions split
    differently); the default pins it, so a seed gives the same rows whatever
    the caller's (or the machine's default) thread count. Different CPU
    instruction sets can still change the last bits."""
    X = np.random.RandomState(0).normal(size=(300, 20))
    y = np.r_[np.zeros(200, int), np.ones(100, int)]
    # The default widths: with the tiny test nets torch never splits an
    # operation, and the old code (torch's own thread count) passed too.
    # With these, generated values differed by 0.008 between 1 and 4 threads.
    params = dict(
        max_iter=60, n_warmup_iter=20, hidden_layer_sizes=(256, 128), latent_dim=32, batch_size=64
    )
    before = torch.get_num_threads()
    outputs = []
    try:
        for caller in (1, 4):
            torch.set_num_threads(caller)
            outputs.append(fast_augmenter(**params).fit_resample(X, y)[0])
    finally:
        torch.set_num_threads(before)
    np.testing.assert_array_equal(outputs[0], outputs[1])


FIT_SCRIPT = """
import numpy as np
from skactive import ActiveGANAugmenter
X = np.random.RandomState(0).normal(size=(300, 20))
y = np.r_[np.zeros(200, int), np.ones(100, int)]
aug = ActiveGANAugmenter(max_iter=60, n_warmup_iter=20, random_state=0)
np.save({path!r}, aug.fit_resample(X, y)[0])
"""


@pytest.mark.slow  # fresh interpreters / a local cluster: seconds of start-up
def test_default_output_is_the_same_in_other_processes(tmp_path):
    """Fresh interpreters whose OpenMP / MKL defaults differ (1 or 2 threads, MKL's
    dynamic threading on) produce the same rows for a seed (issue: make main printed
    other GAN rows on a busy machine, where the thread pools resize themselves)."""
    import os
    import subprocess
    import sys

    outputs = []
    for n_threads in ("1", "2"):
        path = tmp_path / f"rows_{n_threads}.npy"
        env = {
            **os.environ,
            "OMP_NUM_THREADS": n_threads,
            "MKL_NUM_THREADS": n_threads,
            "MKL_DYNAMIC": "TRUE",
        }
        subprocess.run(
            [sys.executable, "-c", FIT_SCRIPT.format(path=str(path))],
            env=env,
            check=True,
            timeout=300,
        )
        outputs.append(np.load(path))
    np.testing.assert_array_equal(outputs[0], outputs[1])


def test_fits_in_parallel_threads_give_the_sequential_rows(fast_augmenter, digits):
    from concurrent.futures import ThreadPoolExecutor

    X, y = digits
    X, y = X[:150], y[:150]
    before = torch.get_num_threads()
    sequential = [fast_augmenter(random_state=s).fit_resample(X, y)[0] for s in (0, 1)]
    with ThreadPoolExecutor(2) as pool:
        threaded = list(
            pool.map(lambda s: fast_augmenter(random_state=s).fit_resample(X, y)[0], (0, 1))
        )
    for a, b in zip(sequential, threaded, strict=True):
        np.testing.assert_array_equal(a, b)
    assert torch.get_num_threads() == before  # the caller's setting comes back


def test_a_block_opened_before_torch_is_imported_applies_once_torch_is_loaded():
    """torch_threads leaves torch unloaded; torch imported inside a block gets its count."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from skactive._torch import torch_threads\n"
        "with torch_threads(1):\n"
        "    assert 'torch' not in sys.modules\n"
        "    import torch\n"
        "    torch.set_num_threads(3); default = 3\n"
        "    with torch_threads(None):\n"
        "        assert torch.get_num_threads() == 1\n"
        "    assert torch.get_num_threads() == 1, torch.get_num_threads()\n"
        "assert torch.get_num_threads() == default, torch.get_num_threads()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
