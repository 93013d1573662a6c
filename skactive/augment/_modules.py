"""Generator and discriminator modules of the AC-GAN.

Generators map ``(z, y)`` to a sample in the scaled space ``[-1, 1]``
(tanh output); the class enters as a one-hot vector concatenated to ``z``.
The MLP generator can also end in one-hot blocks for categorical columns
(Gumbel-softmax, as CTGAN does).
Discriminators return ``(adversarial logit, class logits, features)``: the
features are the shared trunk's output, used both by the two heads (AC-GAN,
Eq. 4) and by ActiveGAN's likelihood model (Sec. 4.3: "the output of the
convolution layers in the discriminator").
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

__all__ = [
    "ConvDiscriminator",
    "ConvGenerator",
    "MLPDiscriminator",
    "MLPGenerator",
]


# Gumbel-softmax temperature of the categorical outputs (CTGAN's value).
GUMBEL_TAU = 0.2
# Keeps the uniform noise of the Gumbel trick away from log(0).
_UNIFORM_EPS = 1e-10


def _condition(z, y, n_classes):
    return torch.cat([z, F.one_hot(y, n_classes).to(z.dtype)], dim=1)


def mixed_activation(out, n_continuous, categorical_sizes, uniform=None, hard=False):
    """Output activation of a generator for mixed tables.

    ``tanh`` on the first ``n_continuous`` columns; on each following block of
    ``categorical_sizes`` logits a Gumbel-softmax sample (Jang et al. 2017):
    ``softmax((logits + g) / tau)`` with ``g = -log(-log(u))`` while training
    (``hard=False``, differentiable, near one-hot at ``tau = 0.2``), the exact
    one-hot of ``argmax(logits + g)`` -- a draw from ``softmax(logits)`` -- when
    ``hard=True``. ``uniform`` holds the ``u ~ U(0, 1)`` of every block
    (shape ``(n, sum(categorical_sizes))``), drawn by the caller so that a
    seeded ``torch.Generator`` makes the draw reproducible; ``None`` means no
    noise (the blocks' most likely category when ``hard``).
    """
    parts = [torch.tanh(out[:, :n_continuous])]
    logits = out[:, n_continuous:]
    if uniform is not None:
        u = uniform.clamp(_UNIFORM_EPS, 1.0 - _UNIFORM_EPS)
        logits = logits - torch.log(-torch.log(u))
    for block in torch.split(logits, list(categorical_sizes), dim=1):
        if hard:
            parts.append(F.one_hot(block.argmax(dim=1), block.shape[1]).to(out.dtype))
        else:
            parts.append(torch.softmax(block / GUMBEL_TAU, dim=1))
    return torch.cat(parts, dim=1)


class _Heads(nn.Module):
    """Real/fake head and class head on top of a feature vector (and TAC-GAN's twin)."""

    def __init__(self, n_hidden, n_classes, twin_auxiliary=False):
        super().__init__()
        self.adversarial = nn.Linear(n_hidden, 1)
        self.auxiliary = nn.Linear(n_hidden, n_classes)
        # created only when asked for: the other heads' seeded initial weights stay as they were
        self.twin = nn.Linear(n_hidden, n_classes) if twin_auxiliary else None

    def forward(self, features):
        return self.adversarial(features).squeeze(1), self.auxiliary(features)


class _TwinMixin:
    """``twin_logits``: TAC-GAN's twin classifier."""

    def twin_logits(self, features):
        """Return the twin classifier's class logits for discriminator ``features``."""
        if self.heads.twin is None:
            raise RuntimeError("This discriminator was built with twin_auxiliary=False.")
        return self.heads.twin(features)


class MLPGenerator(nn.Module):
    """Fully connected conditional generator for tabular data.

    Parameters
    ----------
    n_features : int
        Output dimension.
    n_classes : int
        Number of classes (one-hot condition).
    latent_dim : int
        Dimension of the noise ``z``.
    hidden_layer_sizes : tuple of int
        Widths of the hidden layers, used from the last to the first entry
        (the generator mirrors the discriminator).
    categorical_sizes : tuple of int, default=()
        Widths of one-hot blocks at the end of the output (categorical
        columns), produced by :func:`mixed_activation`; the other
        ``n_features - sum(categorical_sizes)`` outputs are tanh.
    """

    def __init__(self, n_features, n_classes, latent_dim, hidden_layer_sizes, categorical_sizes=()):
        super().__init__()
        self.n_classes = n_classes
        self.categorical_sizes = tuple(int(s) for s in categorical_sizes)
        self.n_continuous = n_features - sum(self.categorical_sizes)
        layers, width = [], latent_dim + n_classes
        for units in reversed(tuple(hidden_layer_sizes)):
            layers += [nn.Linear(width, units), nn.LeakyReLU(0.2)]
            width = units
        layers += [nn.Linear(width, n_features)]
        if not self.categorical_sizes:
            layers.append(nn.Tanh())
        self.net = nn.Sequential(*layers)

    @property
    def n_uniform(self) -> int:
        """Uniform noise columns :meth:`forward` takes for the categorical blocks."""
        return sum(self.categorical_sizes)

    def forward(self, z, y, uniform=None):
        out = self.net(_condition(z, y, self.n_classes))
        if not self.categorical_sizes:
            return out
        return mixed_activation(
            out, self.n_continuous, self.categorical_sizes, uniform, hard=not self.training
        )


class MLPDiscriminator(_TwinMixin, nn.Module):
    """Fully connected AC-GAN discriminator.

    Parameters
    ----------
    n_features : int
        Input dimension.
    n_classes : int
        Number of classes of the auxiliary head.
    hidden_layer_sizes : tuple of int
        Widths of the hidden layers; the last one is the feature dimension.
    twin_auxiliary : bool, default=False
        Add the twin class head of TAC-GAN (Gong et al. 2019), trained on
        generated rows; :meth:`twin_logits` reads it.
    """

    def __init__(self, n_features, n_classes, hidden_layer_sizes, twin_auxiliary=False):
        super().__init__()
        layers, width = [], n_features
        for units in hidden_layer_sizes:
            layers += [nn.Linear(width, units), nn.LeakyReLU(0.2)]
            width = units
        self.trunk = nn.Sequential(*layers)
        self.heads = _Heads(width, n_classes, twin_auxiliary)

    def forward(self, X):
        features = self.trunk(X)
        adversarial, auxiliary = self.heads(features)
        return adversarial, auxiliary, features


class ConvGenerator(nn.Module):
    """DCGAN-style conditional generator for images (Radford et al. 2016).

    A linear layer makes a ``(c0, H/4, W/4)`` map, two nearest-neighbour
    upsamplings with 3x3 convolutions bring it to ``(C, H, W)``. Output is
    flattened to ``C*H*W`` columns, the layout of the caller's X.

    Parameters
    ----------
    image_shape : tuple of int
        ``(C, H, W)`` with ``H`` and ``W`` divisible by 4.
    n_classes : int
        Number of classes.
    latent_dim : int
        Dimension of ``z``.
    hidden_layer_sizes : tuple of int
        Channel counts ``(c0, c1)`` of the two upsampling blocks.
    """

    def __init__(self, image_shape, n_classes, latent_dim, hidden_layer_sizes):
        super().__init__()
        channels, height, width = image_shape
        c0, c1 = hidden_layer_sizes[0], hidden_layer_sizes[1]
        self.n_classes = n_classes
        self.start = (c0, height // 4, width // 4)
        self.project = nn.Sequential(
            nn.Linear(latent_dim + n_classes, math.prod(self.start)),
            nn.BatchNorm1d(math.prod(self.start)),
            nn.ReLU(),
        )
        self.deconv = nn.Sequential(
            nn.Upsample(scale_factor=2),
            nn.Conv2d(c0, c1, 3, padding=1),
            nn.BatchNorm2d(c1),
            nn.ReLU(),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(c1, channels, 3, padding=1),
            nn.Tanh(),
        )

    def forward(self, z, y):
        h = self.project(_condition(z, y, self.n_classes))
        return self.deconv(h.view(-1, *self.start)).flatten(1)


class ConvDiscriminator(_TwinMixin, nn.Module):
    """DCGAN-style AC-GAN discriminator for images.

    Two stride-2 4x4 convolutions (LeakyReLU 0.2); the flattened output is the
    feature vector shared by both heads.

    Parameters
    ----------
    image_shape : tuple of int
        ``(C, H, W)`` with ``H`` and ``W`` divisible by 4.
    n_classes : int
        Number of classes.
    hidden_layer_sizes : tuple of int
        Channel counts ``(c0, c1)``; the first convolution has ``c1`` channels
        and the second ``c0`` (mirroring :class:`ConvGenerator`).
    twin_auxiliary : bool, default=False
        Add the twin class head of TAC-GAN (Gong et al. 2019), trained on
        generated rows; :meth:`twin_logits` reads it.
    """

    def __init__(self, image_shape, n_classes, hidden_layer_sizes, twin_auxiliary=False):
        super().__init__()
        channels, height, width = image_shape
        c0, c1 = hidden_layer_sizes[0], hidden_layer_sizes[1]
        self.image_shape = tuple(image_shape)
        self.trunk = nn.Sequential(
            nn.Conv2d(channels, c1, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Conv2d(c1, c0, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.Flatten(),
        )
        self.heads = _Heads(c0 * (height // 4) * (width // 4), n_classes, twin_auxiliary)

    def forward(self, X):
        features = self.trunk(X.view(-1, *self.image_shape))
        adversarial, auxiliary = self.heads(features)
        return adversarial, auxiliary, features
