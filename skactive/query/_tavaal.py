"""TA-VAAL: task-aware variational adversarial active learning (Kim et al. 2021)."""

from __future__ import annotations

import numbers

import numpy as np
from scipy.special import expit
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _num_samples

from .._docstrings import DEVICE_DOC, QUERY_VERBOSE_DOC, TORCH_N_JOBS_DOC, shared_docs
from ._base import FEATURE_EXTRACTOR_CONSTRAINT, take_rows, top_k
from ._loss_net import RANKER_OPTIONS, checked_losses, resolve_ranker
from ._nets import TorchQueryStrategy, rankcgan_loss
from ._training import adversarial_vae_game, fit_loss_ranker


@shared_docs(device=DEVICE_DOC, torch_n_jobs=TORCH_N_JOBS_DOC, verbose=QUERY_VERBOSE_DOC)
class TAVAALQuery(TorchQueryStrategy):
    """TA-VAAL: VAAL whose latent space is shaped by a learned loss ranking.

    1. A *ranker* ``R`` (an MLP on the row's features) is trained to rank the
       task model's per-sample losses on the labeled set with the RankCGAN
       ranking loss (TA-VAAL Eq. 4); its outputs give each row a rank
       variable ``r = sigmoid(standardised R(x))``.
    2. A conditional VAE whose decoder sees ``[z, r]`` (Eq. 6) and a
       discriminator ``D(r, mu)`` play VAAL's game: ``D`` learns labeled -> 1,
       unlabeled -> 0 (Eq. 8), the VAE tries to make every row look labeled
       (Eq. 7).
    3. ``subset_size`` pool rows are drawn at random and the ``batch_size``
       with the **lowest** ``D(r, mu)`` are queried (Eq. 9 with the paper's
       subset method).

    Conventions: the paper trains ``R`` jointly with the deep task model
    (Eq. 5): a :class:`LossPredictionNet` task model does that (with
    ``ranking_loss="rankcgan"`` for TA-VAAL's Eq. 4), and its
    ``predict_loss`` is ``R`` (``ranker``). For any other fitted model ``R``
    is trained afterwards on out-of-fold losses (see
    :class:`LearningLossQuery`). As in the authors'
    code the rank variable of both sides is the ranker's (detached) output,
    and ``D`` sees the VAE mean ``mu``.

    Parameters
    ----------
    feature_extractor : callable, transformer, "penultimate" or None, default=None
        Input of the ranker and the VAE (``None``: X itself;
        ``"penultimate"``: the fitted task model's penultimate layer, a skorch
        net's; :func:`net_features`).
    subset_size : int or None, default=None
        Pool rows drawn at random per query; ``None`` is ``10 * batch_size``
        (the paper's), capped at the pool size.
    kl_weight : float, default=1.0
        The ``lambda`` of Eq. 6.
    adversary_weight : float, default=1.0
        Weight of the VAE's fooling loss (Eq. 7).
    cv : int or None, default=5
        Folds of the out-of-fold task losses; ``None``: in-sample losses.
    latent_dim : int, default=32
    hidden_layer_sizes : tuple of int, default=(128, 128)
    max_iter : int, default=500
        Training iterations of the ranker and of the VAE game each.
    train_batch_size : int, default=64
    learning_rate : float, default=5e-4
    {device}
    random_state : int, RandomState instance or None, default=None
    {torch_n_jobs}
    {verbose}
    max_samples : "auto", int or float, default="auto"
        Pool rows the nets train on (and the features are standardised on):
        a uniform sample without replacement, drawn at each query. ``"auto"``
        takes ``max_iter * train_batch_size`` rows, as many as the training
        draws, so a pool up to that size is used whole (the picks are those
        of training on every row); an int is a count, a float a fraction of
        the pool. Every pool row is scored, in chunks, so a pool larger than
        memory (a NumPy memmap, or a Dask array scored by Dask) can be
        queried. A smaller sample holds less of the pool in memory; see
        :ref:`results_speed` for what its size does to the picks.
    ranker : {"auto", "task_model", "fit"}, default="auto"
        Where ``R`` comes from: ``"task_model"`` the task model's own
        loss-prediction module (its ``predict_loss``, e.g. a
        :class:`LossPredictionNet`, trained with it as in Eq. 5 when its
        ``ranking_loss="rankcgan"``); ``"fit"`` an
        MLP fitted on out-of-fold losses; ``"auto"`` the first when the task
        model has one, else the second.

    Notes
    -----
    Utilities are ``1 - D(r, mu)`` for the rows of the random subset and NaN
    for the rows outside it (they were not scored).

    References
    ----------
    .. [1] K. Kim, D. Park, K. I. Kim, S. Y. Chun, "Task-Aware Variational
       Adversarial Active Learning", CVPR 2021, Eq. (4)-(9).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import TAVAALQuery
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X[::3], y[::3])
    >>> tavaal = TAVAALQuery(max_iter=20, random_state=0)
    >>> tavaal.query(X, estimator=model, X_labeled=X[::3], y_labeled=y[::3], batch_size=2).shape
    (2,)
    """

    _parameter_constraints = {
        **TorchQueryStrategy._parameter_constraints,
        "feature_extractor": FEATURE_EXTRACTOR_CONSTRAINT,
        "subset_size": [Interval(numbers.Integral, 1, None, closed="left"), None],
        "kl_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "adversary_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "cv": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_samples": TorchQueryStrategy._max_samples_constraint,
        "ranker": [StrOptions(set(RANKER_OPTIONS))],
    }

    def __init__(
        self,
        *,
        feature_extractor=None,
        subset_size=None,
        kl_weight=1.0,
        adversary_weight=1.0,
        cv=5,
        latent_dim=32,
        hidden_layer_sizes=(128, 128),
        max_iter=500,
        train_batch_size=64,
        learning_rate=5e-4,
        device="cpu",
        random_state=None,
        n_jobs=None,
        verbose=0,
        max_samples="auto",
        ranker="auto",
    ):
        self.feature_extractor = feature_extractor
        self.subset_size = subset_size
        self.kl_weight = kl_weight
        self.adversary_weight = adversary_weight
        self.cv = cv
        self.latent_dim = latent_dim
        self.hidden_layer_sizes = hidden_layer_sizes
        self.max_iter = max_iter
        self.train_batch_size = train_batch_size
        self.learning_rate = learning_rate
        self.device = device
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.max_samples = max_samples
        self.ranker = ranker

    def _select(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        pool, labeled, run = self._setup(X_pool, X_labeled, estimator)
        n_pool = _num_samples(X_pool)
        subset_size = 10 * batch_size if self.subset_size is None else self.subset_size
        if subset_size < batch_size:
            raise ValueError(f"subset_size={subset_size} is smaller than batch_size={batch_size}.")
        rng = check_random_state(run.init_seed)
        subset = np.sort(rng.choice(n_pool, min(subset_size, n_pool), replace=False))

        predict_loss = resolve_ranker(self.ranker, estimator)
        if predict_loss is None:
            rank = fit_loss_ranker(
                run,
                estimator,
                X_labeled,
                y_labeled,
                labeled,
                cv=self.cv,
                random_state=rng,
                hidden=self.hidden_layer_sizes,
                n_iter=self.max_iter,
                ranking_loss=rankcgan_loss,
            )
            rank_labeled, rank_train = rank(labeled), rank(pool.train)

            def rank_rows(positions):
                return rank(pool.rows(positions))

        else:  # the task model's own ranker, trained with it (Eq. 5)

            def rank_rows(positions):
                return checked_losses(predict_loss(take_rows(X_pool, positions)))

            rank_labeled = checked_losses(predict_loss(X_labeled))
            rank_train = checked_losses(predict_loss(pool.raw_training_rows()))
        both = np.concatenate([rank_labeled, rank_train])
        scale = both.std() if both.std() > 0 else 1.0

        def rank_variable(values):
            return run.tensor(expit((values - both.mean()) / scale))[:, None]

        r_labeled, r_train = rank_variable(rank_labeled), rank_variable(rank_train)
        score = adversarial_vae_game(
            run,
            labeled,
            pool.train,
            latent_dim=self.latent_dim,
            hidden=self.hidden_layer_sizes,
            n_iter=self.max_iter,
            labeled_target=1.0,
            kl_weight=self.kl_weight,
            adversary_weight=self.adversary_weight,
            side_labeled=r_labeled,
            side_pool=r_train,
            condition_decoder=True,
        )
        utilities = np.full(n_pool, np.nan)
        if pool.is_whole:
            x_subset, r_subset = pool.train[subset], r_train[subset]
        else:
            x_subset, r_subset = pool.rows(subset), rank_variable(rank_rows(subset))
        utilities[subset] = 1.0 - score(x_subset, r_subset)
        chosen = top_k(utilities[subset], batch_size, rng)
        return subset[chosen], utilities
