"""Probes that re-draw a fitted ActiveGANAugmenter's rows for one class (not package options).

Each takes ``(aug, real_rows, n_rows, class_index)`` (``REDRAW``) and returns
``n_rows`` rows in the caller's units, drawn from ``DRS_CANDIDATES`` times as
many candidates of the fitted GAN. Used by ``gan_fidelity.py`` (``--modes drs
knn cells anchor...``) and ``imbalanced.py`` (the anchored probe as a sampler);
docs/imbalanced.md reports what each measured.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import torch
from sklearn.base import clone
from sklearn.metrics import pairwise_distances
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from skactive.augment._reward import balanced_posteriors
from skactive.metrics._fidelity import _kth_neighbour_radius

DRS_CANDIDATES = 8


def candidates(aug, n_rows, class_index):
    """``DRS_CANDIDATES * n_rows`` rows of the class from the fitted GAN (generator space)."""
    return aug._draw(np.full(DRS_CANDIDATES * n_rows, class_index), None)


def rejection_resampled(aug, _real_rows, n_rows, class_index, seed=0):
    """Minority rows re-drawn from ``DRS_CANDIDATES`` x as many by the nets' density ratio.

    A probe of the fitted ``aug`` (TAC-GAN heads): candidates are generated,
    scored by ``adversarial + log C(c | x) - log C_twin(c | x)`` and the top
    ``n_rows`` of score + Gumbel noise are kept, which samples without
    replacement with probabilities proportional to the estimated ratio.
    """
    drawn = candidates(aug, n_rows, class_index)
    disc = aug.net_.discriminator_.eval()
    with torch.no_grad():
        x = torch.as_tensor(drawn, dtype=torch.float32, device=aug.net_.device)
        adversarial, logits, features = disc(x)
        score = (
            adversarial
            + torch.log_softmax(logits, 1)[:, class_index]
            - torch.log_softmax(disc.twin_logits(features), 1)[:, class_index]
        )
    key = score.cpu().numpy() + np.random.default_rng(seed).gumbel(size=len(drawn))
    return aug._codec.generated_to_caller(drawn[np.argsort(-key)[:n_rows]])


def manifold_filtered(aug, real_rows, n_rows, class_index, k=5, seed=0):
    """Minority rows kept from ``DRS_CANDIDATES`` x as many if inside the real class's manifold.

    A probe (not a package option): a candidate is kept when it lies in the
    k-NN ball of at least one real training row of its class (the ball that
    defines precision in Kynkaanniemi et al. 2019); ``n_rows`` are drawn at
    random from those kept, and a shortfall is filled with the candidates
    nearest to a ball (smallest distance / radius).
    """
    drawn = aug._codec.generated_to_caller(candidates(aug, n_rows, class_index)).astype(float)
    radii = _kth_neighbour_radius(real_rows, min(k, len(real_rows) - 1))
    ratio = (pairwise_distances(drawn, real_rows) / np.maximum(radii, 1e-12)).min(axis=1)
    rng = np.random.default_rng(seed)
    inside = rng.permutation(np.flatnonzero(ratio <= 1))
    outside = np.flatnonzero(ratio > 1)[np.argsort(ratio[ratio > 1])]
    print(f"    knn: {len(inside)} of {len(drawn)} candidates inside")
    return drawn[np.concatenate([inside, outside])[:n_rows]]


def _cells(drawn, real_rows, n_rows, seed=0):
    """Return indices of ``n_rows`` of ``drawn`` spread evenly over the real rows, and their cells.

    Each candidate belongs to the cell of its nearest real row; rows are taken
    one cell at a time, round-robin in random order, so every real row's cell
    gets about ``n_rows / n_real`` of them. A cell without a candidate gets the
    unused candidate nearest to its real row.
    """
    rng = np.random.default_rng(seed)
    distances = pairwise_distances(drawn, real_rows)
    cell = distances.argmin(axis=1)
    moved = np.zeros(len(drawn), dtype=bool)
    for i in np.setdiff1d(np.arange(len(real_rows)), cell):  # empty cells: nearest unmoved one
        j = int(np.argmin(np.where(moved, np.inf, distances[:, i])))
        cell[j], moved[j] = i, True
    queues = [list(rng.permutation(np.flatnonzero(cell == i))) for i in range(len(real_rows))]
    taken = []
    while len(taken) < n_rows:  # ends: there are DRS_CANDIDATES x n_rows candidates
        for i in rng.permutation(len(real_rows)):
            if queues[i] and len(taken) < n_rows:
                taken.append(queues[i].pop())
    return np.array(taken), cell[taken]


def cell_balanced(aug, real_rows, n_rows, class_index, seed=0):
    """Minority rows re-drawn from ``DRS_CANDIDATES`` x as many, spread evenly over the real rows.

    A probe (not a package option): :func:`_cells` takes about ``n_rows /
    n_real`` candidates from each real training row's cell, as many as
    RandomOverSampler's copies.
    """
    drawn = aug._codec.generated_to_caller(candidates(aug, n_rows, class_index)).astype(float)
    taken, _ = _cells(drawn, real_rows, n_rows, seed)
    return drawn[taken]


def anchored(aug, real_rows, n_rows, class_index, shrink, seed=0):
    """Return the ``cells`` rows pulled towards their cell's real row, ``r + shrink * (x - r)``.

    A probe of rows tied to real ones (not a package option): ``shrink=0``
    would be RandomOverSampler's copies, ``shrink=1`` the ``cells`` rows. It
    measures how much of the balanced-accuracy gap comes back, and how much of
    the distance to the training rows (DCR) it costs, along that path.
    """
    drawn = aug._codec.generated_to_caller(candidates(aug, n_rows, class_index)).astype(float)
    taken, cell = _cells(drawn, real_rows, n_rows, seed)
    anchor = real_rows[cell]
    return anchor + shrink * (drawn[taken] - anchor)


def signed_margin(proba, class_index):
    """Return the class's probability minus the largest other one (< 0: on the wrong side)."""
    return proba[:, class_index] - np.delete(proba, class_index, axis=1).max(axis=1)


def quantile_matched(values, target, n_rows, seed=0, n_bins=10):
    """Return indices of ``n_rows`` of ``values`` whose distribution follows ``target``'s.

    The target's quantiles cut ``n_bins`` bins, each given an equal share of
    the rows; a bin takes candidates at random from those that fall in it, and
    a bin short of candidates takes the unused ones nearest its median.
    """
    rng = np.random.default_rng(seed)
    n_bins = max(1, min(n_bins, len(target)))
    edges = np.quantile(target, np.linspace(0, 1, n_bins + 1)[1:-1])
    centres = np.quantile(target, (np.arange(n_bins) + 0.5) / n_bins)
    quota = np.full(n_bins, n_rows // n_bins)
    quota[rng.choice(n_bins, n_rows % n_bins, replace=False)] += 1
    in_bin = np.searchsorted(edges, values)
    used = np.zeros(len(values), dtype=bool)
    for b in range(n_bins):
        taken = rng.permutation(np.flatnonzero(in_bin == b))[: quota[b]]
        used[taken] = True
        quota[b] -= len(taken)
    for b in np.flatnonzero(quota):
        free = np.flatnonzero(~used)
        used[free[np.argsort(np.abs(values[free] - centres[b]))[: quota[b]]]] = True
    return np.flatnonzero(used)


def held_out_proba(aug, X, y):
    """Out-of-fold posteriors of the reward classifier on ``(X, y)`` (3 stratified folds)."""
    folds = StratifiedKFold(3, shuffle=True, random_state=0)
    proba = cross_val_predict(clone(aug.classifier_), X, y, cv=folds, method="predict_proba")
    return balanced_posteriors(proba, aug._prior_weights)  # as the reward reads them


def margin_matched(aug, real_rows, n_rows, class_index, X_fit, y_fit, seed=0):
    """Minority rows re-drawn from ``DRS_CANDIDATES`` x as many, as uncertain as new real rows.

    A probe (not a package option) of "rows at the boundary": the reward
    classifier's signed margin (:func:`signed_margin`) of the candidates is
    matched, by :func:`quantile_matched`, to the out-of-fold signed margins of
    the real training rows of the class (:func:`held_out_proba`), so the
    generated rows sit as near the boundary, by the classifier's reading, as
    rows it has not seen do.
    """
    drawn = candidates(aug, n_rows, class_index)
    proba = aug._uncertainty_proba(aug._codec.generated_to_classifier(drawn))
    values = signed_margin(proba, class_index)
    target = signed_margin(held_out_proba(aug, X_fit, y_fit), class_index)
    target = target[np.searchsorted(aug.classes_, y_fit) == class_index]
    taken = quantile_matched(values, target, n_rows, seed)
    return aug._codec.generated_to_caller(drawn[taken])


# the probes that also read the real training rows of every class: (..., X_fit=, y_fit=)
NEEDS_FIT_ROWS = ("matched",)
# the probes that re-draw a fitted GAN's minority rows: (aug, real rows, n, class index) -> rows
REDRAW = {
    "drs": rejection_resampled,
    "knn": manifold_filtered,
    "cells": cell_balanced,
    "anchor0.25": partial(anchored, shrink=0.25),
    "anchor0.5": partial(anchored, shrink=0.5),
    "anchor0.75": partial(anchored, shrink=0.75),
    "matched": margin_matched,
}
