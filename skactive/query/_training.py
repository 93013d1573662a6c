"""Training loops shared by the adversarial strategies.

:func:`adversarial_vae_game` is the labeled/unlabeled game of VAAL, AALU and
TA-VAAL -- they differ only in what the discriminator sees besides the VAE
mean, which side counts as "labeled", and extra discriminator losses.
:func:`train_ranker` fits a loss-ranking head (learning loss, TA-VAAL's ranker).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from ._nets import VAE, TrainingRun, mlp, score_chunks, vae_loss
from ._task_loss import task_losses


def train_ranker(run: TrainingRun, features, losses, *, hidden, n_iter, ranking_loss):
    """Fit an MLP ``features -> scalar`` that ranks rows like ``losses``.

    Parameters
    ----------
    run : TrainingRun
    features : Tensor of shape (n_labeled, n_features)
    losses : Tensor of shape (n_labeled,)
        Target losses (only their order matters to the ranking losses).
    hidden : tuple of int
    n_iter : int
        Mini-batch iterations.
    ranking_loss : callable
        ``(predicted, target) -> loss`` on a batch split into two halves of
        pairs, e.g. :func:`~skactive.query._nets.margin_ranking_loss`.

    Returns
    -------
    ranker : torch.nn.Module in eval mode
    """
    (ranker,), (optimizer,) = run.build(lambda: mlp(features.shape[1], hidden, 1))
    for _ in run.iterations(n_iter, "loss ranker"):
        index = run.batch(features.shape[0])
        run.step(optimizer, ranking_loss(ranker(features[index]).squeeze(1), losses[index]))
    return ranker.eval()


def fit_loss_ranker(
    run: TrainingRun,
    estimator,
    X_labeled,
    y_labeled,
    labeled,
    *,
    cv,
    random_state,
    hidden,
    n_iter,
    ranking_loss,
):
    """Rank the task model's losses: :func:`task_losses` then :func:`train_ranker`.

    Returns
    -------
    rank : callable
        ``rank(X) -> ndarray``: the ranker's score of feature rows ``X``
        (chunked, no gradients); larger = larger predicted loss.
    """
    losses = task_losses(estimator, X_labeled, y_labeled, cv=cv, random_state=random_state)
    ranker = train_ranker(
        run, labeled, run.tensor(losses), hidden=hidden, n_iter=n_iter, ranking_loss=ranking_loss
    )
    return lambda X: score_chunks(lambda x: ranker(x).squeeze(1), X)


def adversarial_vae_game(
    run: TrainingRun,
    labeled,
    pool,
    *,
    latent_dim,
    hidden,
    n_iter,
    labeled_target,
    kl_weight=1.0,
    adversary_weight=1.0,
    side_labeled=None,
    side_pool=None,
    condition_decoder=False,
    discriminator_loss=None,
):
    """Train a VAE and a discriminator in the labeled/unlabeled adversarial game.

    Each iteration draws a labeled and an unlabeled mini-batch, then

    1. updates the VAE on ``vae_loss(labeled) + vae_loss(unlabeled)
       + adversary_weight * [BCE(D(l), t) + BCE(D(u), t)]`` with
       ``t = labeled_target`` -- the VAE tries to make every row look labeled
       (VAAL Eq. 3, AALU Eq. 5-6, TA-VAAL Eq. 6-7);
    2. updates the discriminator on ``BCE(D(l), t) + BCE(D(u), 1 - t)``
       (VAAL Eq. 4, AALU Eq. 7, TA-VAAL Eq. 8), plus
       ``discriminator_loss(labeled_logits, labeled_index)`` if given (AALU's
       ranked loss, Eq. 8-9).

    The discriminator sees the VAE mean ``mu`` (as VAAL's reference code
    does), concatenated with ``side`` information when given (AALU: task
    probabilities ``p``; TA-VAAL: rank ``r``). With ``condition_decoder`` the
    decoder also sees ``side`` (TA-VAAL's conditional VAE).

    Returns
    -------
    score : callable
        ``score(X, side) -> ndarray``: the discriminator's probability of
        "label 1" for rows ``X`` (chunked, no gradients).
    """
    n_side = 0 if side_labeled is None else side_labeled.shape[1]
    n_features = labeled.shape[1]
    (vae, disc), (vae_optimizer, disc_optimizer) = run.build(
        lambda: VAE(n_features, latent_dim, hidden, n_side if condition_decoder else 0),
        lambda: mlp(latent_dim + n_side, hidden, 1),
    )

    def logits(mu, side):
        return disc(mu if side is None else torch.cat([mu, side], dim=1)).squeeze(1)

    def take(side, index):
        return None if side is None else side[index]

    target = torch.full((run.batch_size,), float(labeled_target), device=run.device)
    for _ in run.iterations(n_iter, "VAE game"):
        index_l, index_u = run.batch(labeled.shape[0]), run.batch(pool.shape[0])
        x_l, x_u = labeled[index_l], pool[index_u]
        s_l, s_u = take(side_labeled, index_l), take(side_pool, index_u)
        c_l, c_u = (s_l, s_u) if condition_decoder else (None, None)

        rec_l, mu_l, logvar_l = vae(x_l, c_l, generator=run.noise_rng)
        rec_u, mu_u, logvar_u = vae(x_u, c_u, generator=run.noise_rng)
        fool = F.binary_cross_entropy_with_logits(
            logits(mu_l, s_l), target
        ) + F.binary_cross_entropy_with_logits(logits(mu_u, s_u), target)
        vae_total = (
            vae_loss(x_l, rec_l, mu_l, logvar_l, kl_weight)
            + vae_loss(x_u, rec_u, mu_u, logvar_u, kl_weight)
            + adversary_weight * fool
        )
        run.step(vae_optimizer, vae_total)

        with torch.no_grad():
            mu_l, mu_u = vae.encode(x_l)[0], vae.encode(x_u)[0]
        logits_l = logits(mu_l, s_l)
        disc_total = F.binary_cross_entropy_with_logits(
            logits_l, target
        ) + F.binary_cross_entropy_with_logits(logits(mu_u, s_u), 1.0 - target)
        if discriminator_loss is not None:
            disc_total = disc_total + discriminator_loss(logits_l, index_l)
        run.step(disc_optimizer, disc_total)

    vae.eval()
    disc.eval()

    def score(X, side=None):
        if side is None:
            return score_chunks(lambda x: torch.sigmoid(logits(vae.encode(x)[0], None)), X)
        joined = torch.cat([X, side], dim=1)
        return score_chunks(
            lambda c: torch.sigmoid(logits(vae.encode(c[:, :n_features])[0], c[:, n_features:])),
            joined,
        )

    return score
