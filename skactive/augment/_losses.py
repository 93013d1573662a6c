"""Loss terms of the ActiveGAN net that are not AC-GAN's cross-entropies.

Small pure functions of the discriminator's logits or the generated batch;
:class:`~skactive.augment.ActiveGANNet` chooses among them.
"""

from __future__ import annotations

from torch.nn import functional as F

__all__ = ["hinge_discriminator_loss", "hinge_generator_loss", "mode_seeking_loss"]


def hinge_discriminator_loss(real, fake):
    """``mean(relu(1 - real)) + mean(relu(1 + fake))`` on the real/fake logits.

    The hinge form of the discriminator's real/fake loss (Lim & Ye 2017;
    SN-GAN, Miyato et al. 2018, Eq. 16), on its logits of a real and a
    (detached) generated batch.
    """
    return F.relu(1.0 - real).mean() + F.relu(1.0 + fake).mean()


def hinge_generator_loss(generated):
    """``-mean(generated)``: the generator's side of the hinge loss (Eq. 17)."""
    return -generated.mean()


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
