"""ActiveGAN's reward taken through a differentiable copy of the reward classifier (a probe).

The package reads the gradient of ActiveGAN's uncertainty term (Kong et al.,
Eq. 9-10) through a Gaussian mixture on the discriminator's features: the
reward ``r`` (Eq. 8) of each generated row is a number from the reward
classifier, and the generator moves its features toward the mixture's modes
where ``r`` is above the batch mean. This probe differentiates ``r`` itself:
the default reward classifier, a sigmoid-calibrated RBF SVC, is computed in
torch (:class:`skactive.augment._fast_proba.CalibratedSVCProba`, the same
probabilities as scikit-learn's), the generator's rows are mapped to its
input by an affine map (min-max scaling undone; a categorical block's soft
one-hot read as the mean of its values), and the uncertainty term becomes
``-mean(r(G(z, y)))``: each row climbs the reward toward where the
classifier is uncertain. ``gan_fidelity.py --modes proxy`` measures it; the
results page says what it found.
"""

from __future__ import annotations

import numpy as np
import torch

from skactive import ActiveGANAugmenter
from skactive.augment._fast_proba import fast_predict_proba
from skactive.augment._net import ActiveGANNet
from skactive.augment._reward import balanced_posteriors, uncertainty_reward
from skactive.augment._scaling import is_min_max


def soft_classifier_map(codec):
    """Return ``(A, c)``: generator rows ``x`` to classifier rows ``x @ A + c`` (float64).

    Exact for hard one-hot blocks and continuous values inside the training
    range, except that level and integer columns are not snapped to their
    values; a soft block gives the probability-weighted mean of its values.
    """
    if codec.scaler is not None and not is_min_max(codec.scaler):
        raise ValueError("the proxy reward needs scaling='minmax'")
    numeric = codec._numeric_columns
    named = codec._named_blocks if codec.encoder is not None else []
    sizes = codec.category_sizes
    width = numeric.size + sum(sizes[i] for i in named)
    A = np.zeros((codec.width, width))
    c = np.zeros(width)
    out = np.searchsorted(numeric, codec.continuous)
    if codec.scaler is not None:
        A[np.arange(codec.continuous.size), out] = 1.0 / codec.scaler.scale_
        c[out] = -codec.scaler.min_ / codec.scaler.scale_
    if codec.encoder is None:
        return A, c
    starts = codec.continuous.size + np.cumsum((0, *sizes))
    codes = set(codec.numeric_codes.tolist())
    n_single = codec.categorical.size
    for i, column in enumerate(codec.categorical):
        if column in codes:
            rows = np.arange(starts[i], starts[i + 1])
            A[rows, np.searchsorted(numeric, column)] = codec.encoder.categories_[i].astype(float)
    for k, (group, (off, on)) in enumerate(zip(codec.groups, codec.group_values, strict=True)):
        i = n_single + k
        chosen = codec.encoder.categories_[i].astype(np.intp)  # the group column each code turns on
        columns = np.searchsorted(numeric, np.asarray(group)[chosen])
        A[np.arange(starts[i], starts[i + 1]), columns] = (on - off)[chosen]
        c[np.searchsorted(numeric, group)] = off
    at = numeric.size
    for i in named:
        A[np.arange(starts[i], starts[i + 1]), at + np.arange(sizes[i])] = 1.0
        at += sizes[i]
    return A, c


class ProxyReward:
    """``r(x)`` of Eq. 8 (exponential form) as a differentiable torch function (CPU)."""

    def __init__(self, classifier, codec, alpha, prior_weights=None):
        self.proba = fast_predict_proba(classifier)
        if self.proba is None:
            raise ValueError("the proxy reward needs the default reward classifier")
        A, c = soft_classifier_map(codec)
        self.A, self.c = torch.as_tensor(A), torch.as_tensor(c)
        self.weights = prior_weights
        self.alpha = alpha

    def __call__(self, x_generated: torch.Tensor) -> torch.Tensor:
        proba = self.proba.proba(x_generated.double() @ self.A + self.c)
        return uncertainty_reward(balanced_posteriors(proba, self.weights), alpha=self.alpha)


class ProxyNet(ActiveGANNet):
    """ActiveGANNet whose uncertainty term is ``-mean(r(x_hat))`` through :class:`ProxyReward`."""

    def __init__(self, *args, proxy=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proxy = proxy

    def run_generator(self, module, y, generator=None, z=None):
        rows = super().run_generator(module, y, generator=generator, z=z)
        if module is self.module_ and torch.is_grad_enabled():
            self._live_rows = rows  # the training step's rows, with their graph
        return rows

    def train_step(self, batch, **fit_params):
        try:
            return super().train_step(batch, **fit_params)
        finally:
            self._live_rows = None  # no graph kept between steps, nor in a pickle

    def _uncertainty_loss(self, reward, features):
        return -self.proxy(self._live_rows).mean().to(features.dtype)


class ProxyGAN(ActiveGANAugmenter):
    """ActiveGANAugmenter trained with :class:`ProxyNet` (a probe, tables only)."""

    def _build_net(self, y_encoded, n_classes, seeds, device):
        net = super()._build_net(y_encoded, n_classes, seeds, device)
        params = net.get_params(deep=False)
        proxy = ProxyReward(
            self.classifier_, self._codec, self.alpha, prior_weights=self._prior_weights
        )
        return ProxyNet(**params, proxy=proxy)
