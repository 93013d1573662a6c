"""Quality of synthetic rows against real rows.

Fidelity and diversity on k-NN manifolds (precision, recall, density,
coverage), the classifier two-sample test, the copying check (distance to
closest record) and a per-class report that puts each next to what a real
held-out sample of the same size gets (:func:`synthetic_quality_report`).
"""

from ._fidelity import (
    classifier_two_sample_auc,
    distance_to_closest_record,
    precision_recall_density_coverage,
)
from ._report import class_probability, synthetic_quality_report

__all__ = [
    "class_probability",
    "classifier_two_sample_auc",
    "distance_to_closest_record",
    "precision_recall_density_coverage",
    "synthetic_quality_report",
]
