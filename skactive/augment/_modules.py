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


class SpectralNorm(nn.Module):
    """A linear, convolution or embedding layer whose weight is divided by its spectral norm.

    The largest singular value is estimated by one power iteration per
    forward pass in training mode (Miyato et al. 2018, SN-GAN, Algorithm 1),
    its vector kept as a buffer. Written out instead of torch's
    ``parametrizations.spectral_norm`` because parametrized modules cannot be
    pickled, and a fitted estimator must be.
    """

    def __init__(self, layer: nn.Module, eps: float = 1e-12):
        super().__init__()
        self.layer = layer
        self.eps = eps
        weight = layer.weight
        u = torch.randn(weight.shape[0], dtype=weight.dtype, device=weight.device)
        self.register_buffer("u", F.normalize(u, dim=0, eps=eps))

    def normalised_weight(self) -> torch.Tensor:
        """Return the layer's weight divided by its estimated largest singular value."""
        weight = self.layer.weight
        matrix = weight.flatten(1)
        if self.training:
            with torch.no_grad():
                v = F.normalize(matrix.t() @ self.u, dim=0, eps=self.eps)
                self.u.copy_(F.normalize(matrix @ v, dim=0, eps=self.eps))
        u = self.u.clone()  # the buffer changes in place at the next training call
        v = F.normalize(matrix.t() @ u, dim=0, eps=self.eps).detach()
        sigma = u @ matrix @ v
        return weight / sigma

    def forward(self, x):
        weight = self.normalised_weight()
        layer = self.layer
        if isinstance(layer, nn.Linear):
            return F.linear(x, weight, layer.bias)
        if isinstance(layer, nn.Conv2d):
            return layer._conv_forward(x, weight, layer.bias)
        return F.embedding(x, weight)


def with_spectral_norm(module: nn.Module) -> nn.Module:
    """Wrap every linear, convolution and embedding layer of ``module`` in :class:`SpectralNorm`.

    The discriminator becomes 1-Lipschitz per layer, which keeps its
    gradients to the generator informative where an unconstrained one
    saturates (Miyato et al. 2018).
    """
    for name, child in list(module.named_children()):
        if isinstance(child, (nn.Linear, nn.Conv2d, nn.Embedding)):
            setattr(module, name, SpectralNorm(child))
        else:
            with_spectral_norm(child)
    return module


def minibatch_std(h: torch.Tensor) -> torch.Tensor:
    """Append the batch's mean feature standard deviation as one more column.

    ProGAN's minibatch standard deviation (Karras et al. 2018, Sec. 3): a
    discriminator that sees how varied a batch is can tell a collapsed
    generated batch from a real one, and its gradient pushes the generator
    to spread out.
    """
    spread = h.std(dim=0, unbiased=False).mean() if len(h) > 1 else h.new_zeros(())
    return torch.cat([h, spread.expand(len(h), 1)], dim=1)


class _Heads(nn.Module):
    """Real/fake head and class head on top of a feature vector (and TAC-GAN's twin)."""

    def __init__(self, n_hidden, n_classes, twin_auxiliary=False, projection=False):
        super().__init__()
        self.adversarial = nn.Linear(n_hidden, 1)
        self.auxiliary = nn.Linear(n_hidden, n_classes)
        # created only when asked for: the other heads' seeded initial weights stay as they were
        self.twin = nn.Linear(n_hidden, n_classes) if twin_auxiliary else None
        self.projection = None
        if projection:
            self.projection = nn.Embedding(n_classes, n_hidden)
            nn.init.xavier_uniform_(self.projection.weight)

    def forward(self, features):
        return self.adversarial(features).squeeze(1), self.auxiliary(features)


class _TwinMixin:
    """``twin_logits`` (TAC-GAN's twin classifier) and ``conditional_logit`` (projection)."""

    def twin_logits(self, features):
        """Return the twin classifier's class logits for discriminator ``features``."""
        if self.heads.twin is None:
            raise RuntimeError("This discriminator was built with twin_auxiliary=False.")
        return self.heads.twin(features)

    def conditional_logit(self, adversarial, features, y):
        """Return the real/fake logit given the labels ``y``.

        With ``projection`` the projection discriminator's term is added,
        ``adversarial + <embed(y), features>`` (Miyato & Koyama 2018, Eq. 3),
        so the real/fake head judges a row *as a row of its class*; without
        it the logit ignores ``y``, as in AC-GAN.
        """
        if self.heads.projection is None:
            return adversarial
        return adversarial + (self.heads.projection(y) * features).sum(dim=1)


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
    projection : bool, default=False
        Add a class embedding for the projection term of
        :meth:`conditional_logit` (Miyato & Koyama 2018).
    minibatch_std : bool, default=False
        Feed the last hidden layer the batch's mean feature standard
        deviation as one more input (:func:`minibatch_std`).
    spectral_norm : bool, default=False
        Spectrally normalise every layer (:func:`with_spectral_norm`).
    """

    def __init__(
        self,
        n_features,
        n_classes,
        hidden_layer_sizes,
        twin_auxiliary=False,
        projection=False,
        minibatch_std=False,
        spectral_norm=False,
    ):
        super().__init__()
        layers, width = [], n_features
        sizes = tuple(hidden_layer_sizes)
        for i, units in enumerate(sizes):
            extra = int(minibatch_std and i == len(sizes) - 1)  # the spread column
            layers += [nn.Linear(width + extra, units), nn.LeakyReLU(0.2)]
            width = units
        self.minibatch_std = minibatch_std
        self.trunk = nn.Sequential(*layers)
        self.heads = _Heads(width, n_classes, twin_auxiliary, projection)
        if spectral_norm:
            with_spectral_norm(self)

    def forward(self, X):
        if self.minibatch_std:
            features = self.trunk[-2:](minibatch_std(self.trunk[:-2](X)))
        else:
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
    projection : bool, default=False
        Add a class embedding for the projection term of
        :meth:`conditional_logit` (Miyato & Koyama 2018).
    spectral_norm : bool, default=False
        Spectrally normalise every layer (:func:`with_spectral_norm`).
    """

    def __init__(
        self,
        image_shape,
        n_classes,
        hidden_layer_sizes,
        twin_auxiliary=False,
        projection=False,
        spectral_norm=False,
    ):
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
        self.heads = _Heads(
            c0 * (height // 4) * (width // 4), n_classes, twin_auxiliary, projection
        )
        if spectral_norm:
            with_spectral_norm(self)

    def forward(self, X):
        features = self.trunk(X.view(-1, *self.image_shape))
        adversarial, auxiliary = self.heads(features)
        return adversarial, auxiliary, features
