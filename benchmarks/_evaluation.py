"""What the evaluation scripts share: data, sampler settings, the paper's SVM and scores.

Imported as ``from _evaluation import ...`` (see ``_common``).
"""

from __future__ import annotations

import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from imblearn.datasets import fetch_datasets
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.metrics import balanced_accuracy_score, f1_score, roc_auc_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.svm import SVC
from skorch import NeuralNetClassifier
from torch import nn

from skactive.augment import PAPER_THRESHOLDS  # noqa: F401  (re-exported to the scripts)
from skactive.datasets import default_data_home
from skactive.query import LossPredictionNet

# Data


def load_zenodo(names, data_home=None):
    """Load imbalanced-learn benchmark sets from ``<data_home>/imblearn_zenodo``.

    Nothing is downloaded: ``fetch_datasets`` raises when a set is not there.

    Parameters
    ----------
    names : sequence of str
        Set names, as :func:`imblearn.datasets.fetch_datasets` spells them.
    data_home : str or None
        Default: :func:`skactive.datasets.default_data_home`.

    Returns
    -------
    data : dict of Bunch
        ``data[name].data`` and ``data[name].target`` of each set.
    """
    home = Path(data_home or default_data_home()) / "imblearn_zenodo"
    return fetch_datasets(data_home=str(home), filter_data=tuple(names), download_if_missing=False)


def stratified_subset(X, y, n_rows, seed):
    """Draw ``n_rows`` rows, stratified by ``y``; return ``(X_subset, y_subset)``."""
    X_subset, _, y_subset, _ = train_test_split(
        X, y, train_size=n_rows, stratify=y, random_state=seed
    )
    return X_subset, y_subset


# Sampler settings


def extra_per_class(y, extra):
    """Return the ``sampling_strategy`` that adds ``extra`` times each class's count."""
    return {c: n + int(round(extra * n)) for c, n in Counter(y).items()}


def smote_k_neighbors(y):
    """Return SMOTE's default ``k_neighbors`` (5), lowered to fit the smallest class."""
    return max(1, min(5, min(Counter(y).values()) - 1))


def gan_iterations(max_iter):
    """Return ActiveGANAugmenter's ``max_iter`` and a warm-up of a third of it, 500 at most."""
    return dict(max_iter=max_iter, n_warmup_iter=min(500, max_iter // 3))


def ignore_filter_shortfall():
    """Ignore the warning of a "+F" filter that keeps fewer rows than requested."""
    warnings.filterwarnings("ignore", message="margin=.*passed the filter", category=UserWarning)


# The paper's SVM and the scores


def grid_search_svc(X, y, grid, seed):
    """Fit a grid search of an RBF ``SVC`` by 3-fold CV on macro-F1 (Algorithm 1, step 3).

    Returns
    -------
    search : GridSearchCV
        Fitted; ``best_params_`` and ``best_estimator_`` are the selected SVC.
    """
    cv = StratifiedKFold(3, shuffle=True, random_state=seed)
    return GridSearchCV(SVC(), grid, scoring="f1_macro", cv=cv, n_jobs=1).fit(X, y)


def paper_reward_classifier(svm):
    """Return the paper's reward classifier: ``svm`` with sigmoid-calibrated probabilities."""
    return CalibratedClassifierCV(clone(svm), ensemble=False, cv=3)


def percent_scores(y_true, y_pred):
    """Return the macro-F1 and the balanced accuracy of ``y_pred``, in %."""
    return (
        100 * f1_score(y_true, y_pred, average="macro"),
        100 * balanced_accuracy_score(y_true, y_pred),
    )


def roc_auc_percent(y_true, decision):
    """Return the ROC AUC (%) of a binary classifier's decision values; None for more classes.

    "More classes" is read from the shape: scikit-learn's ``decision_function``
    returns one column per class beyond two.

    Threshold-free: it says how well the classifier *ranks* minority above
    majority rows, whatever operating point its fit landed on (which
    balanced accuracy reads at one threshold).
    """
    decision = np.asarray(decision)
    if decision.ndim != 1:
        return None
    return 100 * roc_auc_score(y_true, decision)


def svc_scores(X_train, y_train, X_test, y_test):
    """Return :func:`percent_scores` of a default ``SVC`` fitted on the training rows."""
    return percent_scores(y_test, SVC().fit(X_train, y_train).predict(X_test))


# A small CNN for 28 x 28 grey images (MNIST, Fashion-MNIST)


class FeatureCNN(nn.Module):
    """28 x 28 grey images -> 10 classes; the 128 features before the head are the features."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Unflatten(1, (1, 28, 28)),
            nn.Conv2d(1, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(32 * 7 * 7, 128),
            nn.ReLU(),
        )
        self.head = nn.Linear(128, 10)

    def forward(self, X):
        return self.head(self.features(X))


# One tap per stage of FeatureCNN, as Yoo & Kweon tap every ResNet stage: the two
# convolutions (feature maps, average-pooled by the module) and the 128-unit layer.
FEATURE_CNN_LOSS_LAYERS = ["features.1", "features.4", "features.8"]


def image_cnn(max_epochs, device="cpu", ranking_loss=None):
    """Return an unfitted skorch classifier of :class:`FeatureCNN` (Adam, lr 1e-3, batch 128).

    With ``ranking_loss`` ("margin" or "rankcgan") it is a
    :class:`~skactive.query.LossPredictionNet` whose loss-prediction module
    reads every stage (``FEATURE_CNN_LOSS_LAYERS``) and trains with the CNN.
    """
    joint = {}
    if ranking_loss is not None:
        joint = dict(loss_layers=FEATURE_CNN_LOSS_LAYERS, ranking_loss=ranking_loss)
    net_class = NeuralNetClassifier if ranking_loss is None else LossPredictionNet
    return net_class(
        FeatureCNN,
        criterion=nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=1e-3,
        max_epochs=max_epochs,
        batch_size=128,
        train_split=None,
        device=device,
        classes=list(range(10)),  # a labeled set may miss a class: keep 10 output columns
        verbose=0,
        **joint,
    )
