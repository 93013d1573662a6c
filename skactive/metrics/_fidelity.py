"""How good is a synthetic set? Fidelity, diversity and copying against real rows.

All distances are Euclidean on the features as given (standardise them first
when their scales differ) and are computed in row blocks
(:func:`sklearn.metrics.pairwise_distances_chunked`), so memory stays bounded
by scikit-learn's ``working_memory`` whatever the number of rows.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.metrics import pairwise_distances_chunked, roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array

from .._seeds import draw_seed
from .._validation import check_count

__all__ = [
    "classifier_two_sample_auc",
    "distance_to_closest_record",
    "precision_recall_density_coverage",
]


def _check_rows(X, name, min_rows=1):
    X = check_array(X, dtype=np.float64, input_name=name)
    if X.shape[0] < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} rows; got {X.shape[0]}.")
    return X


def _check_same_width(A, B, name_a, name_b):
    if A.shape[1] != B.shape[1]:
        raise ValueError(f"{name_a} has {A.shape[1]} features but {name_b} has {B.shape[1]}.")


def _kth_neighbour_radius(X, k):
    """Distance of every row of ``X`` to its ``k``-th nearest other row."""
    distances, _ = NearestNeighbors(n_neighbors=k + 1).fit(X).kneighbors(X)
    return distances[:, k]


def _count_inside(queries, centres, radii):
    """For each query row, how many balls ``B(centres[i], radii[i])`` contain it."""

    def reduce(chunk, start):
        return (chunk <= radii[None, :]).sum(axis=1)

    return np.concatenate(list(pairwise_distances_chunked(queries, centres, reduce_func=reduce)))


def precision_recall_density_coverage(X_real, X_synthetic, *, k=5):
    """Precision, recall, density and coverage of synthetic rows on k-NN manifolds.

    Each real row ``x_i`` gets a ball of radius ``r_i``, its distance to its
    ``k``-th nearest other real row (and each synthetic row ``y_j`` one of
    radius ``s_j`` among the synthetic rows). Then

    - **precision** (Kynkäänniemi et al. 2019, Eq. 1-2): share of synthetic
      rows inside at least one real ball -- are they realistic?
    - **recall** (same): share of real rows inside at least one synthetic
      ball -- is the real distribution's support covered?
    - **density** (Naeem et al. 2020, Eq. 5): the mean number of real balls
      containing a synthetic row, divided by ``k``; about 1 for a sample
      from the real distribution, above 1 when synthetic rows crowd where real
      rows are dense, below when they stray.
    - **coverage** (Naeem et al. 2020, Eq. 6): share of real rows whose ball
      contains at least one synthetic row; robust to synthetic outliers, which
      inflate recall.

    For a second real sample of the same size as ``X_synthetic`` the values are
    what "as good as real" means on the data at hand: compare with those (the
    metrics depend on ``k``, the sizes and the dimension).

    Parameters
    ----------
    X_real : array-like of shape (n_real, n_features)
        Real rows, e.g. held-out rows of one class (``n_real > k``).
    X_synthetic : array-like of shape (n_synthetic, n_features)
        Synthetic rows (``n_synthetic > k``).
    k : int, default=5
        Neighbourhood size of the balls (Naeem et al. recommend 5).

    Returns
    -------
    scores : dict
        ``{"precision", "recall", "density", "coverage"}``, floats.

    References
    ----------
    .. [1] T. Kynkäänniemi, T. Karras, S. Laine, J. Lehtinen, T. Aila,
       "Improved Precision and Recall Metric for Assessing Generative
       Models", NeurIPS 2019.
    .. [2] M. F. Naeem, S. J. Oh, Y. Uh, Y. Choi, J. Yoo, "Reliable Fidelity
       and Diversity Metrics for Generative Models", ICML 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.metrics import precision_recall_density_coverage
    >>> rng = np.random.RandomState(0)
    >>> real, same = rng.normal(size=(200, 2)), rng.normal(size=(200, 2))
    >>> collapsed = np.zeros((200, 2))
    >>> {m: round(v, 2) for m, v in precision_recall_density_coverage(real, same).items()}
    {'precision': 1.0, 'recall': 0.99, 'density': 1.0, 'coverage': 0.96}
    >>> precision_recall_density_coverage(real, collapsed)["coverage"] < 0.1
    True
    """
    check_count(k, "k")
    real = _check_rows(X_real, "X_real")
    synthetic = _check_rows(X_synthetic, "X_synthetic")
    _check_same_width(real, synthetic, "X_real", "X_synthetic")
    for name, X in (("X_real", real), ("X_synthetic", synthetic)):
        if X.shape[0] <= k:
            raise ValueError(
                f"{name} has {X.shape[0]} rows; the k-NN balls need more than k={k}: "
                "lower k or pass more rows."
            )
    real_radii = _kth_neighbour_radius(real, k)
    synthetic_radii = _kth_neighbour_radius(synthetic, k)
    inside_real = _count_inside(synthetic, real, real_radii)
    nearest_synthetic = NearestNeighbors(n_neighbors=1).fit(synthetic).kneighbors(real)[0][:, 0]
    return {
        "precision": float(np.mean(inside_real > 0)),
        "recall": float(np.mean(_count_inside(real, synthetic, synthetic_radii) > 0)),
        "density": float(np.mean(inside_real) / k),
        "coverage": float(np.mean(nearest_synthetic <= real_radii)),
    }


def distance_to_closest_record(X_train, X_query):
    """Distance of each query row to its nearest training row (DCR).

    The copying check of synthetic-data audits: the DCR of synthetic rows
    should not be smaller than that of real rows *not* used for training
    (held-out rows); a generator that returns noisy copies of its training
    rows has DCRs near 0. (For the synthetic rows themselves this is the
    privacy literature's "distance to closest record", e.g. Zhao et al.,
    CTAB-GAN, 2021.)

    Parameters
    ----------
    X_train : array-like of shape (n_train, n_features)
        The rows the generator was trained on.
    X_query : array-like of shape (n_query, n_features)
        Synthetic rows, or held-out real rows as the reference.

    Returns
    -------
    dcr : ndarray of shape (n_query,)

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.metrics import distance_to_closest_record
    >>> distance_to_closest_record([[0, 0], [3, 4]], [[0, 1], [3, 4]])
    array([1., 0.])
    """
    train = _check_rows(X_train, "X_train")
    query = _check_rows(X_query, "X_query")
    _check_same_width(train, query, "X_train", "X_query")
    return NearestNeighbors(n_neighbors=1).fit(train).kneighbors(query)[0][:, 0]


def classifier_two_sample_auc(
    X_real, X_synthetic, *, estimator=None, cv=5, max_rows=None, random_state=None
):
    """Cross-validated ROC AUC of a classifier telling real rows from synthetic ones.

    The classifier two-sample test (Lopez-Paz & Oquab 2017): 0.5 means the
    classifier cannot tell them apart; 1.0 means every synthetic row is
    recognisable. Out-of-fold scores from stratified ``cv``-fold
    cross-validation, so the AUC is not the classifier's training fit.

    Parameters
    ----------
    X_real, X_synthetic : array-like of shape (n, n_features)
    estimator : classifier or None, default=None
        Needs ``predict_proba`` or ``decision_function``; cloned.
        ``None``: ``KNeighborsClassifier(n_neighbors=5)`` (fewer when a
        training fold is smaller), Euclidean like the other metrics here: it
        needs no tuning, works on a few dozen rows (tree ensembles with
        default leaf sizes cannot split there and return constant scores),
        and recognises both copies and collapsed rows.
    cv : int, default=5
        Folds (each side needs at least ``cv`` rows).
    max_rows : int or None, default=None
        Draw at most this many rows from each side (seeded) before the test,
        to bound the cost on large sets.
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    auc : float

    References
    ----------
    .. [1] D. Lopez-Paz, M. Oquab, "Revisiting Classifier Two-Sample Tests",
       ICLR 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.metrics import classifier_two_sample_auc
    >>> rng = np.random.RandomState(0)
    >>> real = rng.normal(size=(300, 3))
    >>> round(classifier_two_sample_auc(real, rng.normal(size=(300, 3)), random_state=0), 1)
    0.5
    >>> classifier_two_sample_auc(real, real + 3, random_state=0) > 0.99
    True
    """
    real = _check_rows(X_real, "X_real")
    synthetic = _check_rows(X_synthetic, "X_synthetic")
    _check_same_width(real, synthetic, "X_real", "X_synthetic")
    check_count(cv, "cv", minimum=2)
    rng = check_random_state(random_state)
    if max_rows is not None:
        real, synthetic = (
            X[rng.choice(X.shape[0], max_rows, replace=False)] if X.shape[0] > max_rows else X
            for X in (real, synthetic)
        )
    if min(real.shape[0], synthetic.shape[0]) < cv:
        raise ValueError(
            f"classifier_two_sample_auc needs at least cv={cv} rows on each side; got "
            f"{real.shape[0]} real and {synthetic.shape[0]} synthetic."
        )
    seed = draw_seed(rng)
    X = np.concatenate([real, synthetic])
    if estimator is None:
        smallest_fold_train = X.shape[0] - -(-X.shape[0] // cv)
        estimator = KNeighborsClassifier(n_neighbors=min(5, smallest_fold_train))
    y = np.r_[np.zeros(real.shape[0], dtype=int), np.ones(synthetic.shape[0], dtype=int)]
    method = "predict_proba" if hasattr(estimator, "predict_proba") else "decision_function"
    folds = StratifiedKFold(cv, shuffle=True, random_state=seed)
    scores = cross_val_predict(clone(estimator), X, y, cv=folds, method=method)
    if scores.ndim == 2:
        scores = scores[:, 1]
    return float(roc_auc_score(y, scores))
