"""BADGE: uncertain and diverse batches from gradient embeddings (Ash et al. 2020)."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from ._base import (
    FEATURE_EXTRACTOR_CONSTRAINT,
    QueryStrategy,
    chunked_rows,
    extract_features,
    predict_proba_of,
    resolve_feature_extractor,
)

__all__ = ["BADGEQuery", "gradient_embedding_seeding"]


def _residuals(proba):
    """Return ``p - onehot(argmax p)``, the last layer's output gradient.

    The gradient of the cross-entropy under the model's own hard label (BADGE Sec. 3).
    """
    residual = np.array(proba, dtype=np.float64)
    residual[np.arange(len(residual)), residual.argmax(axis=1)] -= 1.0
    return residual


def gradient_embedding_seeding(residuals, features, k, random_state=None) -> np.ndarray:
    """k-means++ seeding of the gradient embeddings ``g_i = r_i (x) h_i``.

    The embedding of row ``i`` is the outer product of its output residual
    ``r_i`` (``n_classes`` values) and its features ``h_i`` (BADGE Eq. 1,
    the gradient of the loss with respect to the last layer's weights). It
    is never formed: ``<g_i, g_j> = <r_i, r_j> <h_i, h_j>``, so squared
    distances cost ``O(n (n_classes + n_features))`` memory per picked row.
    As in the authors' code, the first pick is the row of largest gradient
    norm, each next one is drawn with probability proportional to its
    squared distance to the nearest row picked so far.

    Parameters
    ----------
    residuals : ndarray of shape (n_samples, n_classes)
    features : ndarray of shape (n_samples, n_features)
    k : int
        Rows to pick, ``1 <= k <= n_samples``.
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    indices : ndarray of shape (k,)
        Distinct rows, in the order they were picked.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.query import gradient_embedding_seeding
    >>> residuals = np.array([[-0.1, 0.1], [-0.5, 0.5], [-0.5, 0.5]])
    >>> features = np.array([[1.0, 0.0], [1.0, 0.0], [-1.0, 0.0]])
    >>> sorted(gradient_embedding_seeding(residuals, features, 2, random_state=0).tolist())
    [1, 2]
    """
    rng = check_random_state(random_state)
    r = np.asarray(residuals, dtype=np.float64)
    h = np.asarray(features, dtype=np.float64)
    squared_norms = (r * r).sum(axis=1) * (h * h).sum(axis=1)
    picked = [int(np.argmax(squared_norms))]
    nearest = np.full(len(r), np.inf)
    for _ in range(1, k):
        last = picked[-1]
        cross = (r @ r[last]) * (h @ h[last])
        distance = np.maximum(squared_norms + squared_norms[last] - 2.0 * cross, 0.0)
        np.minimum(nearest, distance, out=nearest)
        weights = nearest.copy()
        weights[picked] = 0.0
        total = weights.sum()
        if total > 0:
            picked.append(int(rng.choice(len(r), p=weights / total)))
        else:  # every unpicked row duplicates a picked one
            free = np.setdiff1d(np.arange(len(r)), picked)
            picked.append(int(rng.choice(free)))
    return np.asarray(picked, dtype=np.intp)


class BADGEQuery(QueryStrategy):
    """BADGE: batches that are uncertain and diverse in gradient space.

    Each pool row is embedded as the gradient of the task model's
    cross-entropy, under its own most likely label, with respect to the
    weights of a last linear layer: ``g = (p - onehot(argmax p)) (x) h``,
    where ``p`` are the predicted probabilities and ``h`` the features the
    last layer reads (Ash et al. 2020, Eq. 1). The norm of ``g`` grows with
    the model's uncertainty and with ``|h|``; k-means++ seeding on the
    embeddings then picks a batch that is both uncertain and spread out
    (:func:`gradient_embedding_seeding`).

    For a deep model, pass the penultimate layer as ``feature_extractor``;
    the default (``None``) uses X, i.e. treats the model as a softmax
    regression on its inputs. Any classifier with ``predict_proba`` or
    ``decision_function`` works: the gradient is that of a last layer on
    ``h``, not of the model's own parameters (which a scikit-learn model does
    not expose), a departure from the paper for non-network models.

    Parameters
    ----------
    feature_extractor : callable, transformer, "penultimate" or None, default=None
        Maps X to ``h`` (``None``: X itself;
        ``"penultimate"``: the fitted task model's penultimate layer, a skorch
        net's; :func:`net_features`).
    random_state : int, RandomState instance or None, default=None
        Seeds the k-means++ draws.

    Notes
    -----
    The utilities returned with ``return_utilities=True`` are the gradient
    embeddings' norms; the batch itself is drawn by k-means++, so it is not
    the top of that ranking.

    References
    ----------
    .. [1] J. T. Ash, C. Zhang, A. Krishnamurthy, J. Langford, A. Agarwal,
       "Deep Batch Active Learning by Diverse, Uncertain Gradient Lower
       Bounds", ICLR 2020, Algorithm 1.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive.query import BADGEQuery
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X[::10], y[::10])
    >>> BADGEQuery(random_state=0).query(X, estimator=model, batch_size=4).shape
    (4,)
    """

    _parameter_constraints = {
        "feature_extractor": FEATURE_EXTRACTOR_CONSTRAINT,
        "random_state": ["random_state"],
    }

    def __init__(self, *, feature_extractor=None, random_state=None):
        self.feature_extractor = feature_extractor
        self.random_state = random_state

    def _select(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        residuals = chunked_rows(lambda X: _residuals(predict_proba_of(estimator, X)), X_pool)
        extractor = resolve_feature_extractor(self.feature_extractor, estimator)
        features = extract_features(extractor, X_pool).astype(np.float64)
        picked = gradient_embedding_seeding(residuals, features, batch_size, self.random_state)
        norms = np.sqrt((residuals**2).sum(axis=1) * (features**2).sum(axis=1))
        return picked, norms
