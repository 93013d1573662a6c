"""The active-learning loop: :class:`ActiveLearningClassifier` and its stopping criteria."""

from ._classifier import ActiveLearningClassifier
from ._stopping import (
    StabilizingPredictions,
    StoppingCriterion,
    TargetScore,
    prediction_agreement,
)

__all__ = [
    "ActiveLearningClassifier",
    "StabilizingPredictions",
    "StoppingCriterion",
    "TargetScore",
    "prediction_agreement",
]
