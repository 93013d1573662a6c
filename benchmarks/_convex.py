"""GAMO's convex rows as a probe of ActiveGANAugmenter (not a package option).

GAMO (Mullick, Datta, Das, "Generative Adversarial Minority Oversampling",
ICCV 2019, Sec. 3.2) makes each generated row of class ``c`` a convex
combination of class ``c``'s real rows: the generator's last layer gives one
logit per real row, a softmax over the rows of ``c`` gives the weights. The
rows stay inside the class's hull, as SMOTE's do. :class:`ConvexGAN` is the
package's ActiveGANAugmenter with that output for the continuous columns (the
categorical blocks unchanged), the weights' softmax taken at temperature
``tau``. ``gan_fidelity.py --modes convex1 convex0.1 convex0.02`` measures it;
the results page says what it found.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from skactive import ActiveGANAugmenter
from skactive.augment import MLPGenerator
from skactive.augment._modules import _condition, mixed_activation

# at most so many real rows of a class are mixed (drawn at random): one logit each
MAX_ANCHORS_PER_CLASS = 1000


def convex_anchors(x_generator, y_encoded, n_continuous, random_state):
    """Return ``(anchors, labels)``: the rows (continuous part) a convex generator mixes."""
    keep = []
    for label in np.unique(y_encoded):
        rows = np.flatnonzero(y_encoded == label)
        if len(rows) > MAX_ANCHORS_PER_CLASS:
            rows = np.sort(random_state.choice(rows, MAX_ANCHORS_PER_CLASS, replace=False))
        keep.append(rows)
    keep = np.sort(np.concatenate(keep))
    return x_generator[keep, :n_continuous], y_encoded[keep]


class ConvexGenerator(MLPGenerator):
    """The package's MLP generator, its continuous outputs a softmax mix of its class's rows.

    The MLP's last layer gives one logit per anchor (then the categorical
    blocks' logits), with no tanh: the mix is the output.
    """

    def __init__(
        self,
        n_features,
        n_classes,
        latent_dim,
        hidden_layer_sizes,
        categorical_sizes=(),
        anchors=None,
        anchor_labels=None,
        tau=1.0,
    ):
        labels = torch.as_tensor(anchor_labels, dtype=torch.int64)
        n_outputs = len(labels) + sum(int(s) for s in categorical_sizes)
        super().__init__(n_outputs, n_classes, latent_dim, hidden_layer_sizes, categorical_sizes)
        if isinstance(self.net[-1], nn.Tanh):
            self.net = self.net[:-1]
        self.tau = float(tau)
        self.n_continuous = n_features - sum(self.categorical_sizes)
        self.register_buffer("anchors", torch.as_tensor(anchors, dtype=torch.float32))
        # True where an anchor is not of the row's class: its logit is masked
        self.register_buffer("other_class", labels[None, :] != torch.arange(n_classes)[:, None])

    def forward(self, z, y, uniform=None):
        out = self.net(_condition(z, y, self.n_classes))
        n_anchors = len(self.anchors)
        logits = out[:, :n_anchors].masked_fill(self.other_class[y], float("-inf"))
        continuous = torch.softmax(logits / self.tau, dim=1) @ self.anchors
        if not self.categorical_sizes:
            return continuous
        blocks = mixed_activation(  # the one-hot blocks only: no continuous column here
            out[:, n_anchors:], 0, self.categorical_sizes, uniform, hard=not self.training
        )
        return torch.cat([continuous, blocks], dim=1)


class ConvexGAN(ActiveGANAugmenter):
    """ActiveGANAugmenter whose generator is a :class:`ConvexGenerator` (a probe).

    ``tau`` is set after construction (``ConvexGAN(**params).set_tau(t)``):
    the probe keeps the package's parameters as they are.
    """

    tau = 1.0

    def set_tau(self, tau):
        self.tau = float(tau)
        return self

    def _fit_resample(self, X, y):
        if self.scaling == "mode_specific" or self.image_shape is not None:
            raise ValueError("convex rows mix min-max or quantile scaled table rows only")
        self._probe_rows = X  # the checked table, for the anchors
        try:
            return super()._fit_resample(X, y)
        finally:
            del self._probe_rows

    def _build_net(self, y_encoded, n_classes, seeds, device):
        net = super()._build_net(y_encoded, n_classes, seeds, device)
        codec = self._codec
        n_continuous = codec.width - sum(codec.categorical_sizes)
        anchors, labels = convex_anchors(
            codec.to_generator(self._probe_rows),
            y_encoded,
            n_continuous,
            np.random.RandomState(seeds[1]),
        )
        return net.set_params(
            module=ConvexGenerator,
            module__anchors=anchors,
            module__anchor_labels=labels,
            module__tau=self.tau,
        )
