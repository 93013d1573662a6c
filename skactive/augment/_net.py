"""The skorch net that trains ActiveGAN (and, with ``lam=0``, plain AC-GAN)."""

from __future__ import annotations

import copy

import torch
from skorch import NeuralNet
from skorch.utils import TeeGenerator
from torch import nn
from torch.nn import functional as F

from .._torch import seeded
from ._density import DiagonalGMM, FeatureBuffer
from ._losses import (
    GRADIENT_PENALTY_WEIGHT,
    critic_generator_loss,
    gradient_penalty,
    mode_seeking_loss,
    wasserstein_discriminator_loss,
)

__all__ = ["ActiveGANNet"]

# EM steps for the first GMM fit on the buffer and for each warm-started refit.
_GMM_FIRST_FIT_ITER = 10
_GMM_REFIT_ITER = 2


class ActiveGANNet(NeuralNet):
    """skorch net holding an AC-GAN generator and discriminator.

    ``module`` is the generator and ``discriminator`` the discriminator; each
    has its own optimizer (``optimizer_`` and ``optimizer_discriminator_``,
    both built from ``optimizer`` with the same ``lr`` and ``optimizer__*``
    arguments). ``fit(X, y)`` trains on real rows ``X`` (scaled to
    ``[-1, 1]``) with integer labels ``y`` in ``[0, n_classes)``.

    One training iteration (:meth:`train_step`) is Algorithm 1 of the paper:

    1. draw ``z ~ N(0, I)`` and labels uniformly, ``x_hat = G(z, y)``;
    2. discriminator step (done first, as in the AC-GAN reference code;
       Algorithm 1 lists G first) on ``L^D_AC-GAN`` (Eq. 4, as a minimised sum of
       binary and categorical cross-entropies);
    3. generator step on ``L^G_AC-GAN`` (Eq. 5, non-saturating form: the
       generator is trained to have ``x_hat`` called *real*, as in the AC-GAN
       reference code; the paper's text says "fake", a known typo) minus
       ``lam * mean((r - b) * log P(phi(x_hat) | Theta) / d)`` (Eq. 9-10),
       where ``phi`` are the discriminator features of dimension ``d``,
       ``r`` the reward from ``reward(x_hat)``, ``b`` the batch mean of ``r``
       (the REINFORCE baseline), and ``Theta`` a diagonal GMM fitted on the
       features of the latest ``buffer_size`` generated batches;
    4. the batch's features enter the buffer, and every
       ``gmm_update_every`` iterations the GMM is refitted (warm-started EM).

    The uncertainty term is active after ``n_warmup_iter`` iterations of plain
    AC-GAN (Algorithm 1, steps 4-5); with ``lam=0`` it is never computed, so
    the net is exactly an AC-GAN.

    Sign convention: the paper *maximises* ``L^G_ActiveGAN``; skorch minimises,
    so the uncertainty term enters the minimised loss with a minus sign. As
    ``Theta`` is held fixed, the gradient moves each sample's features towards
    the modes of the fitted GMM when its advantage is positive and away from
    them when it is negative (a pathwise reading of the paper's policy-gradient
    motivation; see :ref:`user_guide_activegan`).

    Parameters
    ----------
    module : type or nn.Module
        Generator, called as ``module(z, y)``.
    discriminator : type or nn.Module
        Discriminator returning ``(adv_logit, class_logits, features)``.
    n_classes : int
        Number of classes.
    latent_dim : int
        Dimension of ``z``.
    lam : float, default=0.0
        Weight of the uncertainty loss (Eq. 10).
    reward : callable, optional
        ``reward(x_hat) -> Tensor`` of shape ``(n,)``; required if ``lam > 0``.
    n_warmup_iter : int, default=0
        Iterations of plain AC-GAN before the uncertainty term.
    buffer_size : int, default=10
        Number of generated batches kept for the GMM (the paper's ``m``).
    n_components : int, default=10
        GMM components ``K``.
    gmm_update_every : int, default=5
        Iterations between two GMM refits.
    seed : int, default=0
        Seed of the weight initialisation and of the noise/label draws.
    twin_auxiliary : bool, default=False
        TAC-GAN (Gong et al. 2019): the class head learns from real rows
        only, a twin class head (``discriminator.twin_logits``) learns to
        classify generated rows, and the generator loss subtracts the twin's
        cross-entropy. This cancels the conditional-entropy term hidden in
        AC-GAN's generator loss, which pulls generated rows away from where
        classes overlap.
    adversarial_loss : {"bce", "wasserstein"}, default="bce"
        Real/fake losses: AC-GAN's binary cross-entropies (``criterion``), or
        WGAN-GP's (``_losses.wasserstein_discriminator_loss`` plus
        ``GRADIENT_PENALTY_WEIGHT`` times ``_losses.gradient_penalty`` on the
        real/fake output; the generator's side is
        ``_losses.critic_generator_loss``).
    **kwargs
        Passed to :class:`skorch.NeuralNet` (``lr``, ``max_epochs``,
        ``batch_size``, ``device``, ``callbacks``, ``optimizer__betas``...).

    Attributes
    ----------
    module_, discriminator_ : nn.Module
        The trained generator and discriminator.
    n_iter_ : int
        Training iterations done.
    history : skorch.History
        skorch's per-epoch records, and per batch ``d_loss``, ``g_loss``,
        ``u_loss`` (uncertainty term, 0 before warm-up ends) and ``reward``
        (batch mean, 0 when not computed).
    """

    def __init__(
        self,
        module,
        discriminator,
        *,
        n_classes,
        latent_dim,
        lam=0.0,
        reward=None,
        n_warmup_iter=0,
        buffer_size=10,
        n_components=10,
        gmm_update_every=5,
        seed=0,
        ema_decay=None,
        mode_seeking=0.0,
        twin_auxiliary=False,
        uncertainty_gradient="pathwise",
        adversarial_loss="bce",
        criterion=nn.BCEWithLogitsLoss,
        optimizer=torch.optim.Adam,
        **kwargs,
    ):
        super().__init__(module, criterion, optimizer=optimizer, **kwargs)
        self.discriminator = discriminator
        self.n_classes = n_classes
        self.latent_dim = latent_dim
        self.lam = lam
        self.reward = reward
        self.n_warmup_iter = n_warmup_iter
        self.buffer_size = buffer_size
        self.n_components = n_components
        self.gmm_update_every = gmm_update_every
        self.seed = seed
        self.ema_decay = ema_decay
        self.mode_seeking = mode_seeking
        self.twin_auxiliary = twin_auxiliary
        self.uncertainty_gradient = uncertainty_gradient
        self.adversarial_loss = adversarial_loss

    # -- initialisation ---------------------------------------------------
    def initialize_module(self):
        with seeded(self.seed, torch.device(self.device)):
            super().initialize_module()
            params = self.get_params_for("discriminator")
            self.discriminator_ = self.initialized_instance(self.discriminator, params)
        if self.ema_decay is not None:
            self.module_ema_ = copy.deepcopy(self.module_).requires_grad_(False)
        return self

    def initialize_optimizer(self, triggered_directly=None):
        for attr, module in (
            ("optimizer_", self.module_),
            ("optimizer_discriminator_", self.discriminator_),
        ):
            args, kwargs = self.get_params_for_optimizer("optimizer", module.named_parameters())
            setattr(self, attr, self.optimizer(*args, **kwargs))
        return self

    def initialize(self):
        super().initialize()
        self.noise_generator_ = torch.Generator(device=self.device)
        self.noise_generator_.manual_seed(int(self.seed) + 1)
        self.gmm_ = DiagonalGMM(self.n_components)
        self.buffer_ = FeatureBuffer(self.buffer_size)
        self.n_iter_ = 0
        return self

    # -- sampling -----------------------------------------------------------
    def draw_noise(self, n_samples, generator=None):
        """Latent vectors ``z ~ N(0, I)`` of shape ``(n_samples, latent_dim)``."""
        return torch.randn(
            n_samples,
            self.latent_dim,
            generator=generator or self.noise_generator_,
            device=self.device,
        )

    def run_generator(self, module, y, generator=None, z=None):
        """Rows of a generator module for labels ``y``: ``module(z, y)``.

        ``z`` is fresh noise from ``generator`` (default: the training noise)
        unless given; a generator with categorical outputs (``n_uniform``)
        also gets the uniform noise of its Gumbel-softmax blocks.

        Parameters
        ----------
        module : torch.nn.Module
            ``module_`` or its weight average.
        y : torch.Tensor of int64, shape (n,)
            Encoded labels.
        generator : torch.Generator, default=None
            Source of the noise.
        z : torch.Tensor of shape (n, latent_dim), default=None
            Latent codes to use instead of fresh ones.

        Returns
        -------
        X : torch.Tensor of shape (n, n_features), in the scaled space.
        """
        generator = generator or self.noise_generator_
        z = self.draw_noise(len(y), generator) if z is None else z
        n_uniform = getattr(module, "n_uniform", 0)
        if not n_uniform:
            return module(z, y)
        uniform = torch.rand(len(y), n_uniform, generator=generator, device=self.device)
        return module(z, y, uniform)

    def generate(self, y, generator):
        """Generate one sample per label of ``y`` (eval mode, no gradient).

        Parameters
        ----------
        y : torch.Tensor of int64, shape (n,)
            Encoded labels.
        generator : torch.Generator
            Generator (on ``self.device``) for the noise.

        Returns
        -------
        X : torch.Tensor of shape (n, n_features), in the scaled space.
        """
        module = self.generator_for_sampling()
        module.eval()
        with torch.no_grad():
            return self.run_generator(module, y.to(self.device), generator)

    def generator_for_sampling(self):
        """Return the generator that draws rows after training (the weight average, if any).

        ``module_ema_`` when ``ema_decay`` is set, else ``module_``.
        """
        average = getattr(self, "module_ema_", None)
        return self.module_ if average is None else average

    def _update_ema(self):
        """Update the generator's weight average after the ``t``-th generator step.

        ``avg <- d * avg + (1 - d) * theta`` with
        ``d = min(ema_decay, (1 + t) / (10 + t))``: the ramp (TensorFlow's
        ``ExponentialMovingAverage(num_updates=...)``) keeps short fits from
        averaging in the untrained initial weights.
        """
        decay = min(self.ema_decay, (1.0 + self.n_iter_) / (10.0 + self.n_iter_))
        with torch.no_grad():
            for average, current in zip(
                self.module_ema_.parameters(), self.module_.parameters(), strict=True
            ):
                average.lerp_(current, 1.0 - decay)

    # -- training -------------------------------------------------------------
    def _uncertainty_active(self):
        return self.lam > 0 and self.n_iter_ >= self.n_warmup_iter

    def _needs_reward(self):
        # The buffer fills during the last ``buffer_size`` warm-up iterations.
        return self.lam > 0 and self.n_iter_ >= self.n_warmup_iter - self.buffer_size

    def _uncertainty_loss(self, reward, features):
        """``-mean((r - b) * log P(features | Theta) / d)`` (Eq. 9-10).

        ``uncertainty_gradient="pathwise"``: ``Theta`` is the buffer's fitted
        mixture and the gradient flows through the samples' features (each
        sample moves along the density). ``"score_function"``: the samples
        are held fixed and ``Theta`` is re-estimated from the current batch
        (:meth:`DiagonalGMM.batch_log_prob`), so the gradient moves the
        batch's distribution towards high-advantage samples.
        """
        advantage = reward - reward.mean()  # the REINFORCE baseline
        if self.uncertainty_gradient == "score_function":
            log_likelihood = self.gmm_.batch_log_prob(features, features.detach())
        else:
            log_likelihood = self.gmm_.log_prob(features)
        return -(advantage * log_likelihood / features.shape[1]).mean()

    def _update_density(self, features):
        self.buffer_.add(features)
        since_warmup = self.n_iter_ - self.n_warmup_iter
        if not self.gmm_.is_fitted and since_warmup >= -1:
            n_iter, generator = _GMM_FIRST_FIT_ITER, torch.Generator()
            generator.manual_seed(int(self.seed) + 2)
        elif self.gmm_.is_fitted and since_warmup % self.gmm_update_every == 0:
            n_iter, generator = _GMM_REFIT_ITER, None
        else:
            return
        self.gmm_.fit(self.buffer_.data(), n_iter=n_iter, generator=generator)

    def _discriminator_adversarial(self, real, fake, ones, zeros):
        """Real/fake part of the discriminator's loss (``adversarial_loss``)."""
        if self.adversarial_loss == "wasserstein":
            return wasserstein_discriminator_loss(real, fake)
        return self.criterion_(real, ones) + self.criterion_(fake, zeros)

    def _gradient_penalty(self, x_real, x_fake):
        """WGAN-GP's weighted penalty on the discriminator's real/fake output."""

        def critic(X):
            return self.discriminator_(X)[0]

        penalty = gradient_penalty(critic, x_real, x_fake, self.noise_generator_)
        return GRADIENT_PENALTY_WEIGHT * penalty

    def _generator_adversarial(self, generated, ones):
        """Real/fake part of the generator's loss (non-saturating for ``"bce"``)."""
        if self.adversarial_loss == "wasserstein":
            return critic_generator_loss(generated)
        return self.criterion_(generated, ones)

    def _follow_generator_lr(self):
        """Give the discriminator's optimizer the generator's current learning rate.

        Both optimizers are built with the same ``lr``; skorch's ``LRScheduler``
        schedules ``optimizer_`` only, so the discriminator follows it here and a
        schedule applies to both nets (without one, nothing changes).
        """
        lr = self.optimizer_.param_groups[0]["lr"]
        for group in self.optimizer_discriminator_.param_groups:
            group["lr"] = lr

    def _grad_computed(self, module, batch):
        """Fire skorch's ``on_grad_computed`` for the parameters of the net about to step.

        Callbacks such as ``GradientNormClipping`` act on each net's
        gradients before its optimizer steps.
        """
        self.notify(
            "on_grad_computed",
            named_parameters=TeeGenerator(module.named_parameters()),
            batch=batch,
            training=True,
        )

    def train_step(self, batch, **fit_params):
        """One AC-GAN discriminator step and one (Active)GAN generator step.

        ``on_grad_computed`` fires before each of the two optimizer steps, with
        that net's parameters.
        """
        self._set_training(True)
        self._follow_generator_lr()
        x_real, y_real = batch
        x_real = x_real.to(self.device)
        y_real = y_real.to(self.device)
        n_samples = len(x_real)
        y_fake = torch.randint(
            self.n_classes,
            (n_samples,),
            generator=self.noise_generator_,
            device=self.device,
        )
        z = None
        # continuous outputs only: the categorical blocks are drawn from their
        # softmax (Gumbel), which cannot collapse onto one row
        n_continuous = getattr(self.module_, "n_continuous", None)
        seek_modes = self.mode_seeking > 0 and n_continuous != 0
        if seek_modes:
            # pairs: the last half repeats the labels of the first half
            half = n_samples // 2
            y_fake[n_samples - half :] = y_fake[:half]
            z = self.draw_noise(n_samples)
        x_fake = self.run_generator(self.module_, y_fake, z=z)
        ones = torch.ones(n_samples, device=self.device)
        zeros = torch.zeros(n_samples, device=self.device)

        # Discriminator: maximise Eq. 4 == minimise the cross-entropies.
        self.optimizer_discriminator_.zero_grad()
        discriminator = self.discriminator_
        adv_real, cls_real, _ = discriminator(x_real)
        adv_fake, cls_fake, features_fake = discriminator(x_fake.detach())
        if self.twin_auxiliary:  # TAC-GAN: C learns from real rows, the twin from generated ones
            fake_classes = F.cross_entropy(self.discriminator_.twin_logits(features_fake), y_fake)
        else:
            fake_classes = F.cross_entropy(cls_fake, y_fake)
        d_loss = (
            self._discriminator_adversarial(adv_real, adv_fake, ones, zeros)
            + F.cross_entropy(cls_real, y_real)
            + fake_classes
        )
        if self.adversarial_loss == "wasserstein":
            d_loss = d_loss + self._gradient_penalty(x_real, x_fake.detach())
        d_loss.backward()
        self._grad_computed(self.discriminator_, batch)
        self.optimizer_discriminator_.step()

        # Generator: Eq. 5 (+ lam * Eq. 9 after warm-up), minimised form.
        self.optimizer_.zero_grad()
        adv_fake, cls_fake, features = discriminator(x_fake)
        g_loss = self._generator_adversarial(adv_fake, ones) + F.cross_entropy(cls_fake, y_fake)
        if self.twin_auxiliary:  # cancels AC-GAN's pull away from the class overlaps
            g_loss = g_loss - F.cross_entropy(self.discriminator_.twin_logits(features), y_fake)
        if seek_modes:
            continuous = x_fake[:, :n_continuous] if n_continuous else x_fake
            g_loss = g_loss + self.mode_seeking * mode_seeking_loss(continuous, z)
        u_loss = reward_mean = torch.zeros((), device=self.device)
        reward = None
        if self._needs_reward():
            reward = self.reward(x_fake.detach()).to(features.dtype)
            reward_mean = reward.mean()
        if self._uncertainty_active() and self.gmm_.is_fitted:
            u_loss = self._uncertainty_loss(reward, features)
            g_loss = g_loss + self.lam * u_loss
        g_loss.backward()
        self._grad_computed(self.module_, batch)
        self.optimizer_.step()
        if self.ema_decay is not None:
            self._update_ema()

        if reward is not None:
            self._update_density(features)
        self.n_iter_ += 1
        for key, value in (
            ("d_loss", d_loss),
            ("g_loss", g_loss),
            ("u_loss", u_loss),
            ("reward", reward_mean),
        ):
            self.history.record_batch(key, float(value.detach()))
        return {"loss": g_loss.detach(), "y_pred": x_fake.detach()}
