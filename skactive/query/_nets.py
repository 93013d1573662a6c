"""Torch parts shared by the adversarial strategies (VAAL, AALU, TA-VAAL, learning loss).

Modules (MLP, VAE, scalar heads), the losses of the papers as small pure
functions, and the plumbing every torch strategy needs: standardised feature
tensors, seeded module construction, mini-batch index draws and chunked
scoring of the pool.
"""

from __future__ import annotations

import numbers

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _num_samples
from torch import nn

from .._progress import progress_range
from .._seeds import draw_seed
from .._torch import check_device, seeded, torch_threads
from .._validation import check_sizes, check_value_scale
from ._base import (
    CHUNK_SIZE,
    QueryStrategy,
    chunked_rows,
    extract_features,
    resolve_feature_extractor,
    take_rows,
)

# --------------------------------------------------------------------------- modules


def mlp(n_in: int, hidden: tuple[int, ...], n_out: int) -> nn.Sequential:
    """``n_in -> hidden... -> n_out`` with ReLU between layers (no output activation)."""
    layers, width = [], n_in
    for size in hidden:
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers)


class VAE(nn.Module):
    """MLP variational auto-encoder; the decoder optionally sees a condition.

    ``forward(x, condition)`` returns ``(reconstruction, mu, logvar)``. With
    ``n_condition > 0`` the decoder input is ``[z, condition]`` (TA-VAAL's
    conditional VAE, Eq. 6); the encoder sees ``x`` only.
    """

    def __init__(self, n_features, latent_dim, hidden, n_condition=0):
        super().__init__()
        self.encoder = mlp(n_features, hidden, 2 * latent_dim)
        self.decoder = mlp(latent_dim + n_condition, tuple(reversed(hidden)), n_features)
        self.latent_dim = latent_dim

    def encode(self, x):
        mu, logvar = self.encoder(x).chunk(2, dim=1)
        return mu, logvar.clamp(-10.0, 10.0)

    def forward(self, x, condition=None, generator=None):
        mu, logvar = self.encode(x)
        noise = torch.randn(mu.shape, generator=generator, device=mu.device, dtype=mu.dtype)
        z = mu + noise * torch.exp(0.5 * logvar)
        if condition is not None:
            z = torch.cat([z, condition], dim=1)
        return self.decoder(z), mu, logvar


# --------------------------------------------------------------------------- losses


def vae_loss(x, reconstruction, mu, logvar, kl_weight: float = 1.0):
    """Negative ELBO per row, averaged: squared error + ``kl_weight`` * KL(q(z|x) || N(0, I)).

    The representation loss of VAAL (Sinha et al. 2019, Eq. 1), AALU (Eq. 1)
    and TA-VAAL (Eq. 6, ``kl_weight`` = their lambda), with a Gaussian decoder
    (squared error) on standardised features.
    """
    reconstruction_error = ((reconstruction - x) ** 2).sum(dim=1)
    kl = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(dim=1)
    return (reconstruction_error + kl_weight * kl).mean()


def margin_ranking_loss(predicted, target, margin: float = 1.0):
    """Learning-loss ranking loss (Yoo & Kweon 2019, Eq. 2).

    The batch is split into halves forming pairs ``(i, n + i)``;
    ``mean max(0, -sign(l_i - l_j) * (l^_i - l^_j) + margin)``. AALU's ranked
    loss (Eq. 8) is the same function applied to the assistant's outputs with
    ``margin = xi``.

    Examples
    --------
    >>> import torch
    >>> from skactive.query._nets import margin_ranking_loss
    >>> margin_ranking_loss(torch.tensor([0.3, 0.1]), torch.tensor([2.0, 1.0]), 0.1)
    tensor(0.)
    """
    n = predicted.shape[0] // 2
    if n == 0:
        return predicted.sum() * 0.0
    sign = torch.sign(target[:n] - target[n : 2 * n])
    difference = predicted[:n] - predicted[n : 2 * n]
    return torch.clamp(-sign * difference + margin, min=0.0).mean()


def rankcgan_loss(predicted, target):
    """RankCGAN ranking loss used by TA-VAAL's ranker (Kim et al. 2021, Eq. 4).

    Pairs ``(i, n + i)`` of the two batch halves; ``I_i = 1`` if ``l_i > l_j``:
    ``-(2/B) sum_i [I_i log sig(l^_i - l^_j) + (1 - I_i) log(1 - sig(l^_i - l^_j))]``,
    a binary cross-entropy on the predicted difference.

    Examples
    --------
    >>> import torch
    >>> from skactive.query._nets import rankcgan_loss
    >>> round(float(rankcgan_loss(torch.tensor([0.0, 0.0]), torch.tensor([2.0, 1.0]))), 4)
    0.6931
    """
    n = predicted.shape[0] // 2
    if n == 0:
        return predicted.sum() * 0.0
    indicator = (target[:n] > target[n : 2 * n]).to(predicted.dtype)
    return F.binary_cross_entropy_with_logits(predicted[:n] - predicted[n : 2 * n], indicator)


# --------------------------------------------------------------------------- plumbing


class TorchQueryStrategy(QueryStrategy):
    """Shared parameters and helpers of the strategies that train small nets.

    Nets are created afresh at each query (as in the VAAL / TA-VAAL reference
    code), trained for ``max_iter`` mini-batch iterations on standardised
    features of the labeled rows and of a bounded sample of the pool
    (``max_samples``), and score every pool row in chunks without gradients.
    """

    _needs_labeled = True
    _uses_labels = True
    _parameter_constraints = {
        "hidden_layer_sizes": [tuple],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "train_batch_size": [Interval(numbers.Integral, 2, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "device": [str, torch.device],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }
    #: Constraint of ``max_samples`` for the strategies that expose it.
    _max_samples_constraint = [
        StrOptions({"auto"}),
        Interval(numbers.Integral, 1, None, closed="left"),
        Interval(numbers.Real, 0, 1, closed="right"),
    ]

    def _compute_context(self):
        return torch_threads(self.n_jobs)

    def _n_training_rows(self, n_pool: int) -> int:
        """Return how many pool rows the nets train on (``max_samples``).

        ``"auto"`` (also for strategies without the parameter): as many as the
        training draws, ``max_iter * train_batch_size``.
        """
        max_samples = getattr(self, "max_samples", "auto")
        if isinstance(max_samples, str):
            wanted = self.max_iter * self.train_batch_size
        elif isinstance(max_samples, numbers.Integral):
            wanted = max_samples
        else:
            wanted = max(1, int(max_samples * n_pool))
        return int(min(n_pool, wanted))

    def _setup(self, X_pool, X_labeled, estimator):
        """Validate; return the training pool, the standardised labeled rows and a run."""
        check_sizes(self.hidden_layer_sizes, "hidden_layer_sizes")
        rng = check_random_state(self.random_state)
        run = TrainingRun(
            check_device(self.device),
            rng,
            self.train_batch_size,
            self.learning_rate,
            name=type(self).__name__ if self.verbose else None,
        )
        n_pool = _num_samples(X_pool)
        n_train = self._n_training_rows(n_pool)
        index = None
        if n_train < n_pool:  # drawn only then: a pool used whole keeps its picks
            sampler = check_random_state(draw_seed(rng))
            index = np.sort(sampler.choice(n_pool, n_train, replace=False))
        extractor = resolve_feature_extractor(getattr(self, "feature_extractor", None), estimator)
        pool = extract_features(extractor, X_pool if index is None else take_rows(X_pool, index))
        labeled = extract_features(extractor, X_labeled)
        if labeled.shape[1] != pool.shape[1]:
            raise ValueError(
                f"X_labeled has {labeled.shape[1]} features but X_pool has {pool.shape[1]}."
            )
        check_value_scale(pool, "X_pool")
        check_value_scale(labeled, "X_labeled")
        scaler = StandardScaler().fit(np.concatenate([labeled, pool]))
        features = PoolFeatures(extractor, scaler, run.device)
        training_pool = TrainingPool(X_pool, index, features, run.tensor(scaler.transform(pool)))
        return training_pool, run.tensor(scaler.transform(labeled)), run


class PoolFeatures:
    """Map raw pool rows to the standardised float32 tensors the nets read.

    A small picklable object, so that Dask can ship it to a cluster's workers.
    """

    def __init__(self, feature_extractor, scaler, device):
        self.feature_extractor = feature_extractor
        self.scaler = scaler
        self.device = device

    def __call__(self, X) -> torch.Tensor:
        features = extract_features(self.feature_extractor, X)
        check_value_scale(features, "X_pool")
        standardised = np.asarray(self.scaler.transform(features), dtype=np.float32)
        return torch.as_tensor(standardised, device=self.device)


class TrainingPool:
    """The pool as a torch strategy sees it: training rows in memory, all rows scored in chunks.

    Parameters
    ----------
    X_pool : array-like, NumPy memmap or Dask array
        The whole pool, as the caller passed it.
    index : ndarray or None
        Sorted pool positions of the training rows; ``None``: the whole pool,
        in its order.
    features : PoolFeatures
        Raw rows to standardised tensors.
    train : torch.Tensor
        The training rows' standardised features.
    """

    def __init__(self, X_pool, index, features, train):
        self.X_pool = X_pool
        self.index = index
        self.features = features
        self.train = train

    @property
    def is_whole(self) -> bool:
        """Tell whether the training rows are the whole pool, in its order."""
        return self.index is None

    def raw_training_rows(self):
        """Return the training rows as the caller passed them (e.g. for the task model)."""
        return self.X_pool if self.is_whole else take_rows(self.X_pool, self.index)

    def rows(self, positions) -> torch.Tensor:
        """Return the standardised features of the pool rows at ``positions``."""
        if self.is_whole:
            return self.train[torch.as_tensor(positions, device=self.train.device)]
        return self.features(take_rows(self.X_pool, positions))

    def score(self, score_rows, side=None, side_of=None) -> np.ndarray:
        """Score every pool row: ``score_rows(features, side) -> ndarray``.

        ``side`` is the training rows' side information, used as it is when
        they are the whole pool; otherwise each chunk of raw rows gets its own
        from ``side_of(rows)`` (``None``: no side information).
        """
        if self.is_whole:
            return score_rows(self.train, side)
        features = self.features

        def score_block(block):
            block_side = (
                None
                if side_of is None
                else torch.as_tensor(
                    np.asarray(side_of(block), dtype=np.float32), device=features.device
                )
            )
            return score_rows(features(block), block_side)

        return chunked_rows(score_block, self.X_pool)


def score_chunks(function, X: torch.Tensor) -> np.ndarray:
    """Apply ``function`` to ``X`` in chunks without gradients; NumPy float64 result."""
    with torch.no_grad():
        return np.concatenate(
            [function(chunk).detach().cpu().numpy() for chunk in torch.split(X, CHUNK_SIZE)]
        ).astype(np.float64)


class TrainingRun:
    """Device, seeds and mini-batch draws of one query's training.

    Modules are initialised under a fixed seed (without touching torch's
    global generator), batches are drawn from their own generator and the
    VAE noise from a third, so equal ``random_state`` gives equal results.
    """

    def __init__(self, device, rng, batch_size, learning_rate, name=None):
        seeds = draw_seed(rng, size=3)
        self.name = name
        self.device = device
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.init_seed = int(seeds[0])
        self.index_rng = torch.Generator().manual_seed(int(seeds[1]))
        self.noise_rng = torch.Generator(device=device).manual_seed(int(seeds[2]))

    def tensor(self, array) -> torch.Tensor:
        return torch.as_tensor(np.asarray(array, dtype=np.float32), device=self.device)

    def build(self, *factories):
        """Create modules under the run's seed, on its device, with Adam optimizers."""
        with seeded(self.init_seed, self.device):
            modules = [factory().to(self.device) for factory in factories]
        optimizers = [torch.optim.Adam(m.parameters(), lr=self.learning_rate) for m in modules]
        return modules, optimizers

    def iterations(self, n_iter: int, phase: str):
        """Return ``range(n_iter)``, with progress on stderr when the run has a name.

        The name is set by the strategy's ``verbose``.
        """
        return progress_range(n_iter, f"{self.name} {phase}", enabled=self.name is not None)

    def batch(self, n: int) -> torch.Tensor:
        """Draw the indices of one mini-batch among ``n`` rows (distinct when possible)."""
        if n >= self.batch_size:
            index = torch.randperm(n, generator=self.index_rng)[: self.batch_size]
        else:
            index = torch.randint(n, (self.batch_size,), generator=self.index_rng)
        return index.to(self.device)

    @staticmethod
    def step(optimizer, loss):
        """One optimizer step on ``loss``; a clear error if training diverged."""
        if not torch.isfinite(loss):
            raise RuntimeError(
                "Training diverged (non-finite loss); lower learning_rate or check "
                "that the features are finite."
            )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
