"""Per-sample losses of the task model on the labeled set (targets of loss rankers)."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import _safe_indexing

from .._validation import warn
from ._base import check_class_scores, predict_proba_of

_EPS = 1e-12


def _cross_entropy(true_class_proba):
    """Return ``-log p`` of each row's probability of its own class (clipped at ``_EPS``)."""
    return -np.log(np.clip(true_class_proba, _EPS, 1.0))


def check_proba_columns(estimator, proba):
    """Raise a clear error when ``predict_proba`` has not one column per ``classes_``.

    A skorch ``NeuralNetClassifier`` fitted on labels that miss a class sets
    ``classes_`` from those labels but still outputs one column per unit of
    its last layer.
    """
    n_classes = len(estimator.classes_)
    if proba.shape[1] != n_classes:
        raise ValueError(
            f"{type(estimator).__name__}.predict_proba returned {proba.shape[1]} columns but "
            f"its classes_ holds {n_classes} classes, so the columns cannot be matched to "
            "labels. A skorch NeuralNetClassifier fitted on labels that miss a class does "
            "this: pass classes=<every label> to the net."
        )


def task_losses(estimator, X, y, *, cv=5, random_state=None) -> np.ndarray:
    """Cross-entropy of the task model on each labeled row.

    A fitted scikit-learn model has seen its training rows, so its in-sample
    losses are optimistic (an RBF SVC fits most of them almost perfectly) and
    carry little ranking signal. With ``cv`` set, each row's loss is instead
    measured *out of fold*: ``cross_val_predict`` on a clone of the estimator
    with stratified folds. That is the scikit-learn way of getting honest
    per-sample errors and what the learning-loss module needs: a target that
    ranks rows by how hard they are for the model. Deep-learning papers
    (Yoo & Kweon 2019; AALU Eq. 8; TA-VAAL Eq. 4) use the in-training
    mini-batch loss instead, which is not available for a fitted sklearn model.

    Parameters
    ----------
    estimator : fitted classifier
        The task model (cloned for the folds).
    X : array-like of shape (n_labeled, n_features)
    y : array-like of shape (n_labeled,)
    cv : int or None, default=5
        Number of stratified folds (lowered to the smallest class count);
        ``None`` uses the fitted estimator's in-sample losses. With a class of a
        single row, in-sample losses are used and a warning is raised.
    random_state : int, RandomState instance or None, default=None
        Shuffling of the folds.

    Returns
    -------
    losses : ndarray of shape (n_labeled,)
    """
    check_class_scores(estimator)
    y = np.asarray(y)
    _, y_counts = np.unique(y, return_counts=True)
    n_splits = None if cv is None else min(int(cv), int(y_counts.min()))
    if n_splits is not None and n_splits < 2:
        warn(
            "A class of the labeled set has a single row: out-of-fold losses are "
            "impossible, using the task model's in-sample losses. Label a second row "
            "of that class, or pass cv=None to use in-sample losses without this warning.",
        )
        n_splits = None
    if n_splits is None:
        # Columns follow the estimator's classes; a labeled class it never saw
        # has probability 0 (loss -log(eps)), classes it knows beyond y are kept.
        model_classes = np.asarray(estimator.classes_)
        proba = predict_proba_of(estimator, X)
        check_proba_columns(estimator, proba)
        classes = np.unique(np.concatenate([model_classes, np.unique(y)]))
        aligned = np.zeros((len(y), len(classes)))
        aligned[:, np.searchsorted(classes, model_classes)] = proba
        return _cross_entropy(aligned[np.arange(len(y)), np.searchsorted(classes, y)])
    folds = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    true_class = np.empty(len(y))
    # cross_val_predict's own alignment assumes one column per class of y; a net
    # with a fixed output layer (skorch, classes=...) has more when y misses one
    for train, test in folds.split(np.zeros((len(y), 1)), y):
        model = clone(estimator).fit(_safe_indexing(X, train), y[train])
        proba = predict_proba_of(model, _safe_indexing(X, test))
        check_proba_columns(model, proba)
        columns = np.searchsorted(model.classes_, y[test])  # stratified: every class is known
        true_class[test] = proba[np.arange(len(test)), columns]
    return _cross_entropy(true_class)
