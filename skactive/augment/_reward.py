"""The ActiveGAN uncertainty reward (Kong et al., Eq. 8 and the poster's form)."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
from sklearn.utils import check_random_state

from .._validation import warn
from ..uncertainty import _torch_if_tensor, check_proba, entropy, margin
from ._fast_proba import fast_predict_proba

__all__ = [
    "ClassifierReward",
    "balanced_posteriors",
    "prior_weights",
    "default_classifier",
    "default_classifier_rows",
    "uncertainty_reward",
]


def uncertainty_reward(
    proba,
    *,
    alpha: float = 0.5,
    form: str = "exponential",
    epsilon: float = 0.5,
    constant: float = 0.0,
) -> np.ndarray:
    """Reward of generated samples from a classifier's probabilities.

    ``r = alpha * r_m + (1 - alpha) * r_le`` (ActiveGAN Eq. 8), where ``u_m``
    is the smallest margin (Eq. 6) and ``u_le`` the label entropy (Eq. 7),
    both from :mod:`skactive.uncertainty`.

    - ``form="exponential"`` (full paper, Sec. 4.3): ``r_m = exp(1 - u_m)`` and
      ``r_le = exp(u_le)``.
    - ``form="thresholded"`` (AAAI poster): ``r_m = exp(-u_m)`` if
      ``u_m <= epsilon`` else ``constant``; ``r_le = exp(u_le)`` if
      ``u_le >= epsilon`` else ``constant``.

    Uncertain samples (small margin, large entropy) get a larger reward.

    Parameters
    ----------
    proba : array-like or torch.Tensor of shape (n_samples, n_classes)
        Class probabilities of the generated samples. A tensor gives a
        tensor, differentiable in ``proba``.
    alpha : float, default=0.5
        Weight of the margin reward against the entropy reward (paper: 0.5).
    form : {"exponential", "thresholded"}, default="exponential"
        Which published form of the reward to use.
    epsilon : float, default=0.5
        Threshold of the thresholded form (ignored otherwise).
    constant : float, default=0.0
        Reward ``C`` given by the thresholded form to samples past the
        threshold (ignored otherwise).

    Returns
    -------
    reward : ndarray or torch.Tensor of shape (n_samples,)
        Positive (or ``constant``) rewards.

    References
    ----------
    Kong et al., "Active Generative Adversarial Network for Image
    Classification", IPSJ SIG CVIM 2018, Eq. (6)-(8); AAAI 2019 poster.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.augment import uncertainty_reward
    >>> proba = np.array([[0.5, 0.5], [1.0, 0.0]])
    >>> uncertainty_reward(proba, alpha=1.0).round(3)  # exp(1 - margin)
    array([2.718, 1.   ])
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must be in [0, 1]; got {alpha!r}.")
    proba = check_proba(proba)
    xp = _torch_if_tensor(proba) or np
    u_m = margin(proba, validate=False)
    u_le = entropy(proba, validate=False)
    if form == "exponential":
        r_m = xp.exp(1.0 - u_m)
        r_le = xp.exp(u_le)
    elif form == "thresholded":
        r_m = xp.where(u_m <= epsilon, xp.exp(-u_m), constant)
        r_le = xp.where(u_le >= epsilon, xp.exp(u_le), constant)
    else:
        raise ValueError(f"form must be 'exponential' or 'thresholded'; got {form!r}.")
    return alpha * r_m + (1.0 - alpha) * r_le


def prior_weights(y_encoded, n_classes, priors):
    """Per-class weights that re-read a classifier's posteriors under equal priors.

    ``priors="balanced"``: ``1 / pi_c`` for the class frequencies ``pi_c`` of
    the labels the classifier was fitted on; ``None`` when those are already
    equal (nothing to correct) or when ``priors="fitted"``.
    """
    if priors == "fitted":
        return None
    counts = np.bincount(y_encoded, minlength=n_classes).astype(np.float64)
    if np.all(counts == counts[0]):
        return None
    return counts.sum() / counts


def balanced_posteriors(proba, weights):
    """Posteriors ``p(c | x)`` re-read under equal class priors.

    ``p(c | x) * w_c`` renormalised, with ``w_c = 1 / pi_c`` from
    :func:`prior_weights` (Bayes' rule with new priors; Saerens et al. 2002,
    Eq. 2.4). ``weights=None`` returns ``proba`` unchanged. A row with no
    mass stays as it is. A torch tensor gives a tensor (on its device,
    differentiable in ``proba``); anything else a float64 array.

    References
    ----------
    M. Saerens, P. Latinne, C. Decaestecker, "Adjusting the Outputs of a
    Classifier to New a Priori Probabilities: A Simple Procedure", Neural
    Computation 14(1), 2002.
    """
    if weights is None:
        return proba
    if (torch := _torch_if_tensor(proba)) is not None:
        scaled = proba * torch.as_tensor(weights, dtype=proba.dtype, device=proba.device)
        total = scaled.sum(dim=1, keepdim=True)
        return torch.where(total > 0, scaled / torch.where(total > 0, total, 1.0), proba)
    scaled = np.asarray(proba, dtype=np.float64) * weights
    total = scaled.sum(axis=1, keepdims=True)
    return np.where(total > 0, scaled / np.where(total > 0, total, 1.0), proba)


class ClassifierReward:
    """Reward of generated (scaled) samples from the fitted classifier (Eq. 8).

    A small picklable callable: maps the batch to the classifier's feature
    space (``codec``, a :class:`~skactive.augment._tabular.TabularCodec`:
    continuous columns inverse-scaled, categorical blocks made hard one-hot),
    calls ``predict_proba`` once for the whole batch (for the default
    classifier, :class:`~skactive.augment._fast_proba.CalibratedSVCProba`:
    the same probabilities, computed in one batched torch product) and turns
    the probabilities into rewards of Eq. 8 (:func:`uncertainty_reward`'s
    exponential form), read under equal class priors when ``prior_weights``
    is given (:func:`balanced_posteriors`).
    """

    def __init__(self, classifier, codec, alpha, prior_weights=None):
        self.classifier = classifier
        self.prior_weights = prior_weights
        self.codec = codec
        # the default classifier's probabilities in one batched computation
        # (same numbers, a fraction of the time); any other: predict_proba
        self.predict_proba = fast_predict_proba(classifier) or classifier.predict_proba
        self.alpha = alpha

    def __call__(self, x_scaled: torch.Tensor) -> torch.Tensor:
        X = self.codec.generated_to_classifier(x_scaled.detach().cpu().numpy().astype(np.float64))
        reward = uncertainty_reward(
            balanced_posteriors(self.predict_proba(X), self.prior_weights),
            alpha=self.alpha,
        )
        return torch.as_tensor(reward, dtype=torch.float32, device=x_scaled.device)


# The default reward classifier is fitted on at most about this many rows:
# an RBF SVC's fit grows with the square of its rows and its per-batch
# predict_proba with its support vectors.
DEFAULT_CLASSIFIER_MAX_ROWS = 10_000
# ... of which every class keeps at least this many (or all it has).
_MIN_ROWS_PER_CLASS = 500


def default_classifier_rows(y_encoded, random_state=None, max_rows=None):
    """Return the rows the default reward classifier is fitted on.

    All of them up to ``max_rows``, else a stratified subsample (sorted indices).

    Each class keeps its share of ``max_rows`` rows, and at least
    ``min(n_class, 500)``, so a small class is not thinned out of the SVC.

    Parameters
    ----------
    y_encoded : ndarray of int, shape (n_samples,)
    random_state : int, RandomState instance or None
    max_rows : int, default=None
        None reads ``DEFAULT_CLASSIFIER_MAX_ROWS`` (10,000).

    Returns
    -------
    rows : ndarray of int or None
        None when every row is used.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.augment._reward import default_classifier_rows
    >>> y = np.r_[np.zeros(9000, int), np.ones(1000, int)]
    >>> rows = default_classifier_rows(y, random_state=0, max_rows=5000)
    >>> np.bincount(y[rows]).tolist()
    [4500, 500]
    >>> default_classifier_rows(y) is None
    True
    """
    n_samples = len(y_encoded)
    max_rows = DEFAULT_CLASSIFIER_MAX_ROWS if max_rows is None else max_rows
    if n_samples <= max_rows:
        return None
    counts = np.bincount(y_encoded)
    share = np.floor(max_rows * counts / n_samples).astype(int)
    quota = np.minimum(counts, np.maximum(share, _MIN_ROWS_PER_CLASS))
    rng = check_random_state(random_state)
    rows = [
        rng.choice(np.flatnonzero(y_encoded == c), q, replace=False)
        for c, q in enumerate(quota)
        if q
    ]
    return np.sort(np.concatenate(rows))


def default_classifier(y_encoded):
    """Build the reward classifier used when ``classifier=None``.

    The paper's classifier, an RBF SVC, with sigmoid-calibrated probabilities
    (``CalibratedClassifierCV(SVC(), ensemble=False)``, what scikit-learn 1.9
    recommends in place of the deprecated ``SVC(probability=True)``), with as
    many calibration folds as the smallest class allows (at most 5).

    Cross-validated calibration needs 2 rows per class. When a class has a
    single row, a ``UserWarning`` says so and a multinomial
    ``LogisticRegression`` (probabilities without cross-validation) is used
    instead: the GAN itself conditions on the label and needs no neighbours,
    so such classes are still augmented (k-NN over-samplers such as SMOTE
    cannot do that).
    """
    counts = np.bincount(y_encoded)
    if counts.min() < 2:
        warn(
            f"A class of y has a single sample ({int((counts < 2).sum())} such "
            "class(es)). The default reward classifier calibrates SVC "
            "probabilities by cross-validation, which needs 2 samples per class; "
            "using LogisticRegression(max_iter=1000) instead. Pass `classifier` "
            "to choose another.",
        )
        return LogisticRegression(max_iter=1000)
    return CalibratedClassifierCV(SVC(), ensemble=False, cv=int(min(5, counts.min())))
