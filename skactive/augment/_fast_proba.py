"""The default reward classifier's ``predict_proba`` as one batched torch computation.

ActiveGAN scores every generated batch with the reward classifier (Eq. 8).
For the default, ``CalibratedClassifierCV(SVC(), ensemble=False)``, most of
the cost of ``predict_proba`` on a batch of 64 rows is libsvm's per-pair
loop and scikit-learn's validation around it, not arithmetic. This module
reads the fitted SVC (support vectors, dual coefficients, intercepts,
gamma) and the sigmoid calibrators once and computes the same
probabilities with a kernel matrix and a single matrix product in float64:
they agree with scikit-learn's to about 1e-12 (tests compare them), and
scoring a generated batch costs a fraction of scikit-learn's
``predict_proba`` (see :ref:`results_speed`).
Any other classifier keeps scikit-learn's ``predict_proba``.

The formulas are scikit-learn's: one-vs-one decision values of libsvm
(``sum_k dual_coef * K(x, sv_k) + intercept`` per class pair), the
"ovr" vote-and-confidence transform of
``sklearn.utils.multiclass._ovr_decision_function`` (binary: the single
decision value, sign flipped as ``SVC.decision_function`` does), Platt's
sigmoid ``1 / (1 + exp(a * f + b))`` per class and the normalisation of
``sklearn.calibration._CalibratedClassifier.predict_proba``.
"""

from __future__ import annotations

import numpy as np
import torch
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import SVC

__all__ = ["CalibratedSVCProba", "fast_predict_proba"]

_KERNELS = ("rbf", "linear")


def fast_predict_proba(classifier):
    """Return a :class:`CalibratedSVCProba` for a default-style classifier, else None.

    Supported: a fitted ``CalibratedClassifierCV(SVC(kernel="rbf" or
    "linear"), ensemble=False, method="sigmoid")`` whose SVC was fitted on
    dense data with ``decision_function_shape="ovr"``.
    """
    if type(classifier) is not CalibratedClassifierCV:
        return None
    calibrated = getattr(classifier, "calibrated_classifiers_", [])
    if len(calibrated) != 1 or calibrated[0].method != "sigmoid":
        return None
    svc = calibrated[0].estimator
    if (
        type(svc) is not SVC
        or svc.kernel not in _KERNELS
        or svc._sparse
        or svc.decision_function_shape != "ovr"
    ):
        return None
    return CalibratedSVCProba(classifier)


def _pair_weights(svc):
    """Return the ``(n_SV, n_pairs)`` matrix of pairwise dual coefficients.

    Column ``p`` holds the dual coefficients of class pair ``p = (i, j)``,
    i < j, in libsvm's pair order.
    """
    starts = np.r_[0, np.cumsum(svc.n_support_)]
    first, second = np.triu_indices(len(svc.classes_), k=1)
    weights = np.zeros((svc.support_vectors_.shape[0], len(first)))
    for p, (i, j) in enumerate(zip(first, second, strict=True)):
        rows_i, rows_j = slice(starts[i], starts[i + 1]), slice(starts[j], starts[j + 1])
        weights[rows_i, p] = svc._dual_coef_[j - 1, rows_i]
        weights[rows_j, p] = svc._dual_coef_[i, rows_j]
    return weights, first, second


class CalibratedSVCProba:
    """``predict_proba`` of a fitted ``CalibratedClassifierCV(SVC(), ensemble=False)``.

    Parameters
    ----------
    classifier : CalibratedClassifierCV
        Fitted, accepted by :func:`fast_predict_proba`.
    """

    def __init__(self, classifier):
        calibrated = classifier.calibrated_classifiers_[0]
        svc = calibrated.estimator
        weights, first, second = _pair_weights(svc)
        as_tensor = lambda a: torch.as_tensor(np.asarray(a), dtype=torch.float64)  # noqa: E731
        self.support_vectors = as_tensor(svc.support_vectors_)
        self.weights = as_tensor(weights)
        self.intercept = as_tensor(svc._intercept_)
        self.first = torch.as_tensor(first, dtype=torch.long)
        self.second = torch.as_tensor(second, dtype=torch.long)
        self.kernel = svc.kernel
        self.gamma = float(svc._gamma)
        self.n_classes = len(calibrated.classes)
        # column of each calibrator's class among the calibrated classes
        column = np.searchsorted(calibrated.classes, svc.classes_)
        if self.n_classes == 2:
            column = column[1:]
        self.columns = torch.as_tensor(column, dtype=torch.long)
        self.a = as_tensor([c.a_ for c in calibrated.calibrators])
        self.b = as_tensor([c.b_ for c in calibrated.calibrators])

    def decision_function(self, X: torch.Tensor) -> torch.Tensor:
        """``SVC.decision_function`` (shape ``(n,)`` for 2 classes, else ``(n, K)``)."""
        sv = self.support_vectors
        if self.kernel == "rbf":
            distances = (X * X).sum(1, keepdim=True) + (sv * sv).sum(1) - 2.0 * X @ sv.T
            kernel = torch.exp(-self.gamma * distances.clamp_min(0.0))
        else:
            kernel = X @ sv.T
        ovo = kernel @ self.weights + self.intercept
        if self.n_classes == 2:
            return -ovo[:, 0]
        votes = torch.zeros(len(X), self.n_classes, dtype=ovo.dtype)
        confidence = torch.zeros_like(votes)
        negative = (ovo < 0).to(ovo.dtype)
        confidence.index_add_(1, self.first, ovo)
        confidence.index_add_(1, self.second, -ovo)
        votes.index_add_(1, self.first, 1.0 - negative)
        votes.index_add_(1, self.second, negative)
        return votes + confidence / (3.0 * (confidence.abs() + 1.0))

    def proba(self, X: torch.Tensor) -> torch.Tensor:
        """Calibrated class probabilities of float64 rows ``X``, differentiable in ``X``."""
        decision = self.decision_function(X).reshape(len(X), -1)
        calibrated = torch.sigmoid(-(self.a * decision + self.b))
        proba = torch.zeros(len(X), self.n_classes, dtype=torch.float64)
        proba[:, self.columns] = calibrated
        if self.n_classes == 2:
            proba[:, 0] = 1.0 - proba[:, 1]
        else:
            total = proba.sum(1, keepdim=True)
            uniform = torch.full_like(proba, 1.0 / self.n_classes)
            proba = torch.where(total != 0, proba / total.where(total != 0, 1.0), uniform)
        return torch.where((proba > 1.0) & (proba <= 1.0 + 1e-5), 1.0, proba)

    def __call__(self, X) -> np.ndarray:
        """Calibrated class probabilities of rows ``X`` (array-like), float64."""
        with torch.no_grad():
            return self.proba(torch.as_tensor(np.asarray(X, dtype=np.float64))).numpy()
