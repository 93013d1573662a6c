"""Scale-out: GridSearchCV on a local Dask cluster through joblib's Dask backend."""

import numpy as np
import pytest
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from skactive import ActiveGANAugmenter, ActiveLearningClassifier
from skactive.query import RandomQuery, UncertaintyQuery

from ..conftest import FAST

distributed = pytest.importorskip("distributed", reason="needs the 'dask' extra")
joblib = pytest.importorskip("joblib")


def _searches():
    learner = ActiveLearningClassifier(
        LogisticRegression(max_iter=300), batch_size=10, budget=30, random_state=0
    )
    over_learner = GridSearchCV(
        learner,
        {
            "query_strategy": [RandomQuery(random_state=0), UncertaintyQuery(random_state=0)],
            "batch_size": [5, 10],
        },
        cv=2,
        n_jobs=-1,
    )
    pipeline = Pipeline(
        [
            ("gan", ActiveGANAugmenter(**FAST, sampling_strategy="all", random_state=0)),
            ("clf", LogisticRegression(max_iter=300)),
        ]
    )
    over_pipeline = GridSearchCV(pipeline, {"gan__lam": [0.0, 1.0]}, cv=2, n_jobs=-1)
    return over_learner, over_pipeline


@pytest.mark.slow  # fresh interpreters / a local cluster: seconds of start-up
def test_grid_search_runs_on_a_local_dask_cluster(tmp_path, digits):
    X, y = digits
    X, y = X[:240] / 16, y[:240]
    serial = [clone(search).set_params(n_jobs=1).fit(X, y) for search in _searches()]
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            local_directory=str(tmp_path),  # worker scratch space stays in the test's folder
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
        distributed.get_task_stream(client) as tasks,
        joblib.parallel_backend("dask"),
    ):
        on_cluster = [search.fit(X, y) for search in _searches()]
        workers = set(client.scheduler_info()["workers"])
    assert len(tasks.data) >= 4 + 2 * 2  # the fits ran as Dask tasks on the workers
    assert {task["worker"] for task in tasks.data} <= workers
    for local, remote in zip(serial, on_cluster, strict=True):
        # same seeds -> the same scores whether fitted here or on the workers
        np.testing.assert_allclose(
            remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"]
        )
        assert remote.best_params_.keys() == local.best_params_.keys()
