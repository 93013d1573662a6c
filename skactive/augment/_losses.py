"""Loss terms of the ActiveGAN net that are not AC-GAN's cross-entropies.

Small pure functions of the discriminator's logits or the generated batch;
:class:`~skactive.augment.ActiveGANNet` chooses among them.
"""

from __future__ import annotations

import torch

__all__ = [
    "critic_generator_loss",
    "gradient_penalty",
    "mode_seeking_loss",
    "wasserstein_discriminator_loss",
]

# Weight of the gradient penalty (Gulrajani et al. 2017, Algorithm 1: lambda = 10;
# CTGAN uses the same).
GRADIENT_PENALTY_WEIGHT = 10.0


def wasserstein_discriminator_loss(real, fake):
    """``mean(fake) - mean(real)``: the critic's side of the Wasserstein loss.

    Minimising it maximises the critic's estimate of the Wasserstein-1
    distance between the real and generated rows (Arjovsky et al. 2017;
    Gulrajani et al. 2017, Eq. 3 without the penalty, which
    :func:`gradient_penalty` adds).
    """
    return fake.mean() - real.mean()


def critic_generator_loss(generated):
    """``-mean(generated)``: the generator's side of the Wasserstein loss.

    WGAN's generator loss on the critic's outputs for a generated batch
    (Gulrajani et al. 2017, Algorithm 1).
    """
    return -generated.mean()


def gradient_penalty(critic, x_real, x_fake, generator=None):
    """WGAN-GP's penalty ``mean((||grad critic(x_tilde)||_2 - 1) ** 2)``.

    ``x_tilde = e * x_real + (1 - e) * x_fake`` with one ``e ~ U(0, 1)`` per
    row (Gulrajani et al. 2017, Algorithm 1): the critic is pushed towards
    gradient norm 1 on the lines between real and generated rows, a soft
    form of the 1-Lipschitz constraint of the Wasserstein critic. ``critic``
    maps a batch of 2-D rows to one output per row, each row's output
    depending on that row alone (no batch statistics: the paper drops batch
    normalisation from the critic for this reason). The interpolated rows
    are detached, so no gradient reaches whatever produced ``x_fake``; the
    result keeps the graph, so that its gradient reaches the critic's
    weights (a second-order derivative). The weight
    (``GRADIENT_PENALTY_WEIGHT``) is the caller's to apply.
    """
    mix = torch.rand(len(x_real), 1, generator=generator, device=x_real.device)
    x_tilde = (mix * x_real + (1.0 - mix) * x_fake).detach().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_tilde).sum(), x_tilde, create_graph=True)
    return ((grad.flatten(1).norm(dim=1) - 1.0) ** 2).mean()


def mode_seeking_loss(x_fake, z, eps=1e-5):
    """Mode-seeking term of MSGAN (Mao et al., CVPR 2019, Eq. 3), minimised form.

    ``x_fake`` and ``z`` hold pairs: row ``i`` of the first half and row
    ``i`` of the last half share a label. The term is ``1 / (d_x / d_z +
    eps)`` with ``d`` the mean absolute difference between the pairs' rows
    and noises: the generator is penalised when two noises of one class
    give nearly the same row (conditional mode collapse). As in the
    authors' code, the means are over the whole batch.
    """
    half = len(x_fake) // 2
    n = len(x_fake)
    d_x = (x_fake[:half] - x_fake[n - half :]).abs().mean()
    d_z = (z[:half] - z[n - half :]).abs().mean()
    return 1.0 / (d_x / d_z + eps)
