"""
Grid search over query strategies on a Dask cluster
===================================================

``GridSearchCV`` over an :class:`skactive.ActiveLearningClassifier` (each
candidate is a whole simulated active-learning run per fold) sent to Dask
workers through joblib's Dask backend. Here the cluster is a
``LocalCluster`` of 2 worker processes; on a real cluster pass its scheduler
address to ``Client(...)`` instead, nothing else changes.

Two things the worker *processes* need:

- the ``if __name__ == "__main__":`` guard below: workers are started with
  ``spawn`` and re-import this file; without the guard each would start a
  cluster of its own;
- everything sent to them must pickle: estimators and strategies do; an
  ``oracle`` must be a module-level function, not a lambda.

GPUs: give each worker one GPU in the cluster's configuration (e.g.
``dask_cuda.LocalCUDACluster()``, which pins one GPU per worker through
``CUDA_VISIBLE_DEVICES``, or ``dask worker --resources GPU=1`` plus
``dask.annotate(resources={"GPU": 1})``) and set ``device="cuda"`` on the torch
strategies / ``ActiveGANAugmenter``: each worker then sees "its" GPU as cuda:0.

Run: ``python examples/dask_grid_search.py`` (needs the ``dask`` extra).
"""

import joblib
from distributed import Client, LocalCluster
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC

from skactive import ActiveLearningClassifier
from skactive.query import CoreSetQuery, RandomQuery, UncertaintyQuery

if __name__ == "__main__":
    X, y = load_digits(return_X_y=True)
    search = GridSearchCV(
        ActiveLearningClassifier(SVC(), n_initial=50, budget=200, random_state=0),
        {
            "query_strategy": [RandomQuery(), UncertaintyQuery(), CoreSetQuery()],
            "batch_size": [10, 50],
        },
        cv=3,
        n_jobs=-1,
    )
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster),
        joblib.parallel_backend("dask"),
    ):
        search.fit(X, y)
    print("best:", search.best_params_, f"accuracy {search.best_score_:.3f}")
