"""skactive: generative-adversarial active learning for scikit-learn.

Public API
----------
ActiveLearningClassifier
    the label-query loop as a scikit-learn meta-estimator (:mod:`skactive.active`).
ActiveGANAugmenter
    imbalanced-learn over-sampler that trains ActiveGAN (Kong et al.).
AALUQuery, GAALQuery, TAVAALQuery, VAALQuery
    the adversarial query strategies (all strategies: :mod:`skactive.query`).
skactive.uncertainty
    margin, entropy and least-confidence measures shared by every component.
skactive.metrics
    quality of synthetic rows against held-out real rows.
"""

from . import active, datasets, metrics, plotting, query, uncertainty
from .active import ActiveLearningClassifier
from .augment import ActiveGANAugmenter
from .query import AALUQuery, GAALQuery, TAVAALQuery, VAALQuery

__version__ = "0.2.0"

__all__ = [
    "AALUQuery",
    "ActiveGANAugmenter",
    "ActiveLearningClassifier",
    "GAALQuery",
    "TAVAALQuery",
    "VAALQuery",
    "__version__",
    "active",
    "datasets",
    "metrics",
    "plotting",
    "query",
    "uncertainty",
]
