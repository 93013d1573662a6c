"""How ActiveGANAugmenter's parameters become the skorch net's arguments.

Pure functions of the estimator's parameters and the data's shape: the
architecture check, the generator / discriminator module arguments and the
DataLoader settings of the real batches (``batch_sampling``).
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch.utils.data import RandomSampler, WeightedRandomSampler

from .._validation import check_sizes
from ._batches import RowBatchDataset, stacked_batch
from ._modules import ConvDiscriminator, ConvGenerator, MLPDiscriminator, MLPGenerator

__all__ = [
    "check_architecture",
    "check_mlp_only_options",
    "iterator_params",
    "module_params",
    "rows_per_epoch",
    "training_iterations",
]


def check_architecture(image_shape, hidden_layer_sizes, n_features):
    """``(image_shape as (C, H, W) or None, hidden widths)``, validated against X."""
    if image_shape is None:
        hidden = check_sizes(hidden_layer_sizes, "hidden_layer_sizes", 1)
        return None, hidden
    shape = check_sizes(image_shape, "image_shape", 2)
    shape = (1, *shape) if len(shape) == 2 else shape
    if len(shape) != 3 or math.prod(shape) != n_features:
        raise ValueError(
            f"image_shape={image_shape!r} must be (C, H, W) or (H, W) with "
            f"C*H*W equal to the {n_features} features of X."
        )
    if shape[1] % 4 or shape[2] % 4:
        raise ValueError(
            f"image_shape={image_shape!r}: the convolutional nets need H "
            "and W divisible by 4; pad the images or use image_shape=None."
        )
    hidden = check_sizes(hidden_layer_sizes, "hidden_layer_sizes", 2)
    if len(hidden) != 2:
        raise ValueError(
            f"hidden_layer_sizes={hidden_layer_sizes!r}: with image_shape the "
            "convolutional pair takes exactly two channel counts (c0, c1)."
        )
    return shape, hidden


def check_mlp_only_options(image_shape, scaling):
    """Refuse the options that only the MLP pair has, when ``image_shape`` asks for convolutions."""
    if image_shape is not None and scaling == "mode_specific":
        raise ValueError(
            "scaling='mode_specific' adds a one-hot mode block per column, which the "
            f"convolutional pair of image_shape={image_shape!r} cannot take; use "
            "scaling='minmax'."
        )


def adam_betas(adversarial_loss):
    """Return Adam's ``betas`` for the nets of ``adversarial_loss``.

    ``(0.5, 0.999)``, DCGAN's and AC-GAN's; ``(0.5, 0.9)`` for
    ``"wasserstein"``, as CTGAN trains WGAN-GP (the WGAN-GP paper's second
    moment decay is 0.9 too).
    """
    return (0.5, 0.9) if adversarial_loss == "wasserstein" else (0.5, 0.999)


def module_params(
    n_features,
    n_classes,
    latent_dim,
    image_shape,
    hidden,
    categorical_sizes=(),
    twin_auxiliary=False,
):
    """Return skorch's ``module__*`` / ``discriminator__*`` arguments.

    The MLP pair, or the convolutional pair for image rows. ``n_features`` is the
    generator space's width, ``categorical_sizes`` its one-hot blocks (MLP only).
    """
    if image_shape is None:
        gen = dict(module=MLPGenerator, module__n_features=n_features)
        if categorical_sizes:
            gen["module__categorical_sizes"] = tuple(categorical_sizes)
        disc = dict(discriminator=MLPDiscriminator, discriminator__n_features=n_features)
    else:
        gen = dict(module=ConvGenerator, module__image_shape=image_shape)
        disc = dict(discriminator=ConvDiscriminator, discriminator__image_shape=image_shape)
    return {
        **gen,
        **disc,
        "module__n_classes": n_classes,
        "module__latent_dim": latent_dim,
        "module__hidden_layer_sizes": hidden,
        "discriminator__n_classes": n_classes,
        "discriminator__hidden_layer_sizes": hidden,
        **({"discriminator__twin_auxiliary": True} if twin_auxiliary else {}),
    }


# max_iter="auto": passes over each row of the smallest class, at most so many
# passes over each row of the largest class, and the range of iterations.
AUTO_PASSES = 1000
AUTO_MAX_PASSES_LARGEST = 100
AUTO_ITER_RANGE = (1500, 5000)


def _draws_per_pass(class_size, class_counts, batch_sampling):
    """Rows drawn until each row of a class of ``class_size`` was drawn once on average.

    Class-balanced batches draw a row of class ``k`` with probability
    ``1 / (K * n_k)`` per draw, uniform ones every row with ``1 / n``.
    """
    if batch_sampling == "balanced":
        return len(class_counts) * int(class_size)
    return int(class_counts.sum())


def training_iterations(max_iter, class_counts, batch_size, batch_sampling):
    """Return the training iterations of a fit.

    An int ``max_iter`` is used as given. ``"auto"`` trains until each row of
    the smallest class has been drawn about ``AUTO_PASSES`` times, but not
    beyond ``AUTO_MAX_PASSES_LARGEST`` draws of each row of the largest class
    (with class-balanced batches the cap binds only when the classes differ
    by less than ``AUTO_PASSES / AUTO_MAX_PASSES_LARGEST`` = 10 times; with
    uniform batches it always does: 100 passes over the table), within
    ``AUTO_ITER_RANGE``. (The warm-up, ``n_warmup_iter``, is used as given:
    the range's floor is three times its default of 500, so with the default
    the uncertainty term runs for at least two thirds of an ``"auto"`` fit.)
    """
    if max_iter != "auto":
        return int(max_iter)
    counts = np.asarray(class_counts)
    counts = counts[counts > 0]  # a class absent from y has no rows to pass over
    wanted = min(
        AUTO_PASSES * _draws_per_pass(counts.min(), counts, batch_sampling),
        AUTO_MAX_PASSES_LARGEST * _draws_per_pass(counts.max(), counts, batch_sampling),
    )
    low, high = AUTO_ITER_RANGE
    return int(np.clip(-(-wanted // batch_size), low, high))


def rows_per_epoch(n_samples, max_iter, batch_size):
    """Return the number of real rows one skorch epoch draws.

    Every row, or ``max_iter * batch_size`` when there are more rows than the
    whole training draws (so that a large table trains ``max_iter`` iterations,
    not one pass over all its rows).
    """
    return int(min(n_samples, max_iter * batch_size))


def iterator_params(batch_sampling, y_encoded, seed, n_draws=None):
    """Skorch iterator settings for the real batches (``batch_sampling``).

    The DataLoader always gets a seeded generator: it draws its base seed
    from it, which would otherwise consume the global torch RNG. The
    weighted sampler has a generator of its own, so its draws do not
    depend on how often the DataLoader draws. ``n_draws`` rows make one
    epoch (default: all rows); fewer than all are drawn without
    replacement under ``"uniform"``.
    """
    n_samples = len(y_encoded)
    n_draws = n_samples if n_draws is None else int(n_draws)
    params = {
        "dataset": RowBatchDataset,
        "iterator_train__collate_fn": stacked_batch,
        "iterator_valid__collate_fn": stacked_batch,
        "iterator_train__drop_last": True,
        "iterator_train__generator": torch.Generator().manual_seed(int(seed)),
    }
    if batch_sampling == "balanced":
        counts = np.bincount(y_encoded)
        weights = torch.as_tensor(1.0 / counts[y_encoded], dtype=torch.double)
        sampler = WeightedRandomSampler(
            weights,
            n_draws,
            replacement=True,
            generator=torch.Generator().manual_seed(int(seed)),
        )
        return {**params, "iterator_train__sampler": sampler}
    if n_draws < n_samples:
        sampler = RandomSampler(
            range(n_samples),
            num_samples=n_draws,
            generator=torch.Generator().manual_seed(int(seed)),
        )
        return {**params, "iterator_train__sampler": sampler}
    return {**params, "iterator_train__shuffle": True}
