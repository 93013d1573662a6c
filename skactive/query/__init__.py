"""Pool-based query strategies: which unlabeled rows to label next.

Every index-returning strategy is a :class:`QueryStrategy` with one call shape::

    indices = strategy.query(X_pool, estimator=model, X_labeled=X_l, y_labeled=y_l,
                             batch_size=10)

and ``return_utilities=True`` also returns the per-row utility it ranked by
(larger = more informative). :class:`GAALQuery` *synthesises* new rows instead
and has its own method, :meth:`GAALQuery.synthesize`.
"""

import typing as _typing

from .._lazy import lazy_exports as _lazy_exports
from ._badge import BADGEQuery, gradient_embedding_seeding
from ._base import QueryStrategy, predict_proba_of, top_k
from ._committee import CommitteeQuery, committee_disagreement
from ._coreset import CoreSetQuery, k_center_greedy, nearest_distances
from ._density import DensityWeightedQuery, cosine_density
from ._random import RandomQuery
from ._task_loss import task_losses
from ._uncertainty import UncertaintyQuery, uncertainty_utility

# the torch-backed strategies, imported on first use
__getattr__, __dir__ = _lazy_exports(
    __name__,
    {
        "AALUQuery": "_aalu",
        "GAALQuery": "_gaal",
        "linear_boundary_distance": "_gaal",
        "LearningLossQuery": "_learning_loss",
        "LossPredictionNet": "_loss_net",
        "NetFeatures": "_net_features",
        "net_features": "_net_features",
        "TAVAALQuery": "_tavaal",
        "VAALQuery": "_vaal",
    },
)

if _typing.TYPE_CHECKING:  # for static analysers and IDEs
    from ._aalu import AALUQuery
    from ._gaal import GAALQuery, linear_boundary_distance
    from ._learning_loss import LearningLossQuery
    from ._loss_net import LossPredictionNet
    from ._net_features import NetFeatures, net_features
    from ._tavaal import TAVAALQuery
    from ._vaal import VAALQuery

__all__ = [
    "AALUQuery",
    "BADGEQuery",
    "gradient_embedding_seeding",
    "LearningLossQuery",
    "LossPredictionNet",
    "NetFeatures",
    "net_features",
    "TAVAALQuery",
    "VAALQuery",
    "task_losses",
    "CommitteeQuery",
    "CoreSetQuery",
    "DensityWeightedQuery",
    "GAALQuery",
    "QueryStrategy",
    "RandomQuery",
    "UncertaintyQuery",
    "committee_disagreement",
    "cosine_density",
    "k_center_greedy",
    "linear_boundary_distance",
    "nearest_distances",
    "predict_proba_of",
    "top_k",
    "uncertainty_utility",
]
