"""Likelihood model P(x_hat | Theta) of ActiveGAN (Kong et al., Sec. 4.3).

A diagonal Gaussian mixture is fitted by a few warm-started EM steps on a
ring buffer holding the discriminator features of the latest ``m`` batches of
generated samples, and evaluated *differentiably* in torch so that the
generator receives the gradient of ``r * log P(x_hat | Theta)`` (Eq. 9-10).
Everything stays on the training device.

The density is the one of :class:`torch.distributions.MixtureSameFamily` over
``Independent(Normal)`` components (a test checks values and gradients
against it), written as three matrix products instead: the library form
materialises an ``(n_rows, n_components, n_features)`` tensor for the EM's
component matrix, which is many times slower on the default sizes, and it
rounds differently in float32, which would change every seeded ActiveGAN
run. The weighted EM has no library equivalent in torch
(:class:`sklearn.mixture.GaussianMixture` takes no sample weights).
"""

from __future__ import annotations

import math
from collections import deque

import torch

__all__ = ["DiagonalGMM", "FeatureBuffer"]


class FeatureBuffer:
    """Ring buffer of the latest ``n_batches`` feature batches.

    Parameters
    ----------
    n_batches : int
        Number of batches kept (the paper's ``m``).
    """

    def __init__(self, n_batches: int):
        self.n_batches = n_batches
        self._batches: deque[torch.Tensor] = deque(maxlen=n_batches)

    def add(self, features: torch.Tensor) -> None:
        """Append a batch (detached); the oldest drops out when the buffer is full."""
        self._batches.append(features.detach())

    def data(self) -> torch.Tensor:
        """All buffered rows, stacked."""
        return torch.cat(tuple(self._batches), dim=0)


def _diag_log_gaussian(X, means, variances):
    """Log-density of every row of ``X`` under every diagonal Gaussian.

    Returns a ``(n_samples, n_components)`` tensor; differentiable in ``X``.
    """
    precisions = 1.0 / variances
    # sum_d (x_d - mu_kd)^2 / var_kd, expanded to three matrix products.
    mahalanobis = (
        (X * X) @ precisions.T
        - 2.0 * X @ (means * precisions).T
        + (means * means * precisions).sum(dim=1)
    )
    log_det = torch.log(variances).sum(dim=1)
    n_features = X.shape[1]
    return -0.5 * (mahalanobis + log_det + n_features * math.log(2.0 * math.pi))


class DiagonalGMM:
    """Diagonal-covariance Gaussian mixture fitted by warm-started EM in torch.

    Parameters
    ----------
    n_components : int
        Number of mixture components ``K``.
    reg_covar : float, default=1e-4
        Added to every variance, as in
        :class:`sklearn.mixture.GaussianMixture`.

    Attributes
    ----------
    weights_, means_, variances_ : torch.Tensor or None
        Mixture parameters, ``None`` until :meth:`fit` is called.
    """

    def __init__(self, n_components: int, reg_covar: float = 1e-4):
        self.n_components = n_components
        self.reg_covar = reg_covar
        self.weights_ = None
        self.means_ = None
        self.variances_ = None

    @property
    def is_fitted(self) -> bool:
        return self.means_ is not None

    def _initialize(self, X, generator):
        n_samples = X.shape[0]
        k = min(self.n_components, n_samples)
        idx = torch.randperm(n_samples, generator=generator)[:k].to(X.device)
        self.means_ = X[idx].clone()
        self.variances_ = X.var(dim=0, unbiased=False).expand(k, -1).clone()
        self.variances_ += self.reg_covar
        self.weights_ = torch.full((k,), 1.0 / k, device=X.device, dtype=X.dtype)

    def fit(
        self,
        X: torch.Tensor,
        *,
        sample_weight: torch.Tensor | None = None,
        n_iter: int = 3,
        generator=None,
    ):
        """Run ``n_iter`` EM steps on ``X``, starting from the current fit.

        The first call initialises the means on random rows (drawn with
        ``generator``); later calls warm-start from the previous parameters,
        which is what makes refitting on a sliding buffer cheap.

        Parameters
        ----------
        X : torch.Tensor of shape (n_samples, n_features)
            Training rows (detached).
        sample_weight : torch.Tensor of shape (n_samples,), optional
            Non-negative row weights (weighted maximum likelihood).
        n_iter : int, default=3
            EM iterations.
        generator : torch.Generator, optional
            CPU generator for the initial choice of means (seed 0 if None;
            torch's global generator is never used).

        Returns
        -------
        self : DiagonalGMM
        """
        X = X.detach()
        if sample_weight is not None and not float(sample_weight.sum()) > 0:
            return self  # no row carries weight: keep the previous fit
        if not self.is_fitted:
            if generator is None:
                generator = torch.Generator().manual_seed(0)
            self._initialize(X, generator)
        eps = torch.finfo(X.dtype).eps
        for _ in range(n_iter):
            log_prob = _diag_log_gaussian(X, self.means_, self.variances_)
            log_resp = torch.log_softmax(log_prob + torch.log(self.weights_), dim=1)
            resp = torch.exp(log_resp)
            if sample_weight is not None:
                resp = resp * sample_weight[:, None]
            nk = resp.sum(dim=0) + 10 * eps
            self.weights_ = nk / nk.sum()
            self.means_ = (resp.T @ X) / nk[:, None]
            second_moment = (resp.T @ (X * X)) / nk[:, None]
            self.variances_ = (second_moment - self.means_ * self.means_).clamp_min(
                0.0
            ) + self.reg_covar
        return self

    def log_prob(self, X: torch.Tensor) -> torch.Tensor:
        """Log-likelihood ``log P(x | Theta)`` of each row; differentiable in X.

        Parameters
        ----------
        X : torch.Tensor of shape (n_samples, n_features)

        Returns
        -------
        log_prob : torch.Tensor of shape (n_samples,)
        """
        if not self.is_fitted:
            raise RuntimeError("DiagonalGMM.log_prob called before fit.")
        log_prob = _diag_log_gaussian(X, self.means_, self.variances_)
        return torch.logsumexp(log_prob + torch.log(self.weights_), dim=1)

    def batch_log_prob(self, X_batch: torch.Tensor, X: torch.Tensor, prior: float = 1.0):
        """``log P(x | Theta(X_batch))`` of the rows of ``X``, differentiable in ``X_batch``.

        The score-function reading of ActiveGAN's Eq. 9-10: the mixture's
        parameters are re-estimated from the current batch by one M-step,
        with the fitted mixture's responsibilities (held fixed) and
        ``prior`` pseudo-rows per component at the fitted parameters (so a
        component the batch barely touches keeps its fitted mean and
        variance instead of collapsing onto one row). Gradients reach
        ``X_batch`` only through those parameters: ascending
        ``sum_i a_i log P(x_i | Theta(X_batch))`` with the rows ``x_i`` held
        fixed moves the batch's distribution towards the rows of large
        ``a_i``.

        Parameters
        ----------
        X_batch : torch.Tensor of shape (n_batch, n_features)
            The current batch's features (with gradient).
        X : torch.Tensor of shape (n_samples, n_features)
            Rows to score (detached).
        prior : float, default=1.0
            Pseudo-rows per component at the fitted parameters.

        Returns
        -------
        log_prob : torch.Tensor of shape (n_samples,)
        """
        if not self.is_fitted:
            raise RuntimeError("DiagonalGMM.batch_log_prob called before fit.")
        with torch.no_grad():
            log_prob = _diag_log_gaussian(X_batch, self.means_, self.variances_)
            resp = torch.softmax(log_prob + torch.log(self.weights_), dim=1)
        nk = resp.sum(dim=0) + prior
        weights = nk / nk.sum()
        means = (resp.T @ X_batch + prior * self.means_) / nk[:, None]
        centred = (X_batch[:, None, :] - means[None, :, :]) ** 2
        spread = (resp[:, :, None] * centred).sum(dim=0)
        fitted = prior * (self.variances_ + (self.means_ - means) ** 2)
        variances = (spread + fitted) / nk[:, None] + self.reg_covar
        scored = _diag_log_gaussian(X.detach(), means, variances)
        return torch.logsumexp(scored + torch.log(weights), dim=1)
