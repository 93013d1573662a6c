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

import typing as _typing

from ._lazy import lazy_exports as _lazy_exports

__version__ = "0.2.0"

# imported on first use: the torch-backed parts load torch only when asked for
__getattr__, __dir__ = _lazy_exports(
    __name__,
    {
        "ActiveLearningClassifier": "active",
        "ActiveGANAugmenter": "augment",
        "AALUQuery": "query",
        "GAALQuery": "query",
        "TAVAALQuery": "query",
        "VAALQuery": "query",
        **dict.fromkeys(
            ["active", "augment", "datasets", "metrics", "plotting", "query", "uncertainty"], ""
        ),
    },
)

if _typing.TYPE_CHECKING:  # for static analysers and IDEs
    from . import active, augment, datasets, metrics, plotting, query, uncertainty
    from .active import ActiveLearningClassifier
    from .augment import ActiveGANAugmenter
    from .query import AALUQuery, GAALQuery, TAVAALQuery, VAALQuery

__all__ = [
    "AALUQuery",
    "ActiveGANAugmenter",
    "ActiveLearningClassifier",
    "GAALQuery",
    "TAVAALQuery",
    "VAALQuery",
    "__version__",
    "active",
    "augment",
    "datasets",
    "metrics",
    "plotting",
    "query",
    "uncertainty",
]
