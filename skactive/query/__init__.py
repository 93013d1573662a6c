"""Pool-based query strategies: which unlabeled rows to label next.

Every index-returning strategy is a :class:`QueryStrategy` with one call shape::

    indices = strategy.query(X_pool, estimator=model, X_labeled=X_l, y_labeled=y_l,
                             batch_size=10)

and ``return_utilities=True`` also returns the per-row utility it ranked by
(larger = more informative). :class:`GAALQuery` *synthesises* new rows instead
and has its own method, :meth:`GAALQuery.synthesize`.
"""

from ._base import QueryStrategy, predict_proba_of, top_k
from ._committee import CommitteeQuery, committee_disagreement
from ._coreset import CoreSetQuery, k_center_greedy, nearest_distances
from ._density import DensityWeightedQuery, cosine_density
from ._random import RandomQuery
from ._uncertainty import UncertaintyQuery, uncertainty_utility

__all__ = [
    "CommitteeQuery",
    "CoreSetQuery",
    "DensityWeightedQuery",
    "QueryStrategy",
    "RandomQuery",
    "UncertaintyQuery",
    "committee_disagreement",
    "cosine_density",
    "k_center_greedy",
    "nearest_distances",
    "predict_proba_of",
    "top_k",
    "uncertainty_utility",
]
