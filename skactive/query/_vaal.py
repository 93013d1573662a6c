"""VAAL: variational adversarial active learning (Sinha, Ebrahimi, Darrell 2019)."""

from __future__ import annotations

import numbers

from sklearn.utils._param_validation import Interval

from .._docstrings import DEVICE_DOC, QUERY_VERBOSE_DOC, TORCH_N_JOBS_DOC, shared_docs
from ._base import FEATURE_EXTRACTOR_CONSTRAINT
from ._nets import TorchQueryStrategy
from ._training import adversarial_vae_game


@shared_docs(device=DEVICE_DOC, torch_n_jobs=TORCH_N_JOBS_DOC, verbose=QUERY_VERBOSE_DOC)
class VAALQuery(TorchQueryStrategy):
    """VAAL: query the rows a labeled-vs-unlabeled discriminator finds least "labeled".

    A VAE learns a latent space of labeled and pool rows together while a
    discriminator ``D`` on the latent mean ``mu`` learns to tell labeled
    (target 1) from unlabeled (target 0) rows; the VAE is also trained to fool
    ``D`` (VAAL Eq. 3-4). The pool rows with the lowest ``D(mu)`` -- the least
    like the labeled set -- are queried. The task model is not used.

    Conventions follow the authors' reference code: labeled = 1, ``D`` sees
    ``mu`` (not a sampled ``z``), VAE and ``D`` are created afresh at every
    query. Rows are standardised features (an MLP VAE, not the paper's conv
    VAE on raw images); the reference alternates 2 VAE steps with 1 ``D``
    step, we alternate 1:1.

    Parameters
    ----------
    feature_extractor : callable, transformer, "penultimate" or None, default=None
        Input of the VAE (``None``: X itself;
        ``"penultimate"``: the fitted task model's penultimate layer, a skorch
        net's, :func:`net_features`; VAAL uses the task model for nothing else).
    latent_dim : int, default=32
        VAE latent size (the reference's 32).
    hidden_layer_sizes : tuple of int, default=(128, 128)
        Hidden layers of the encoder, decoder (reversed) and ``D``.
    kl_weight : float, default=1.0
        Weight of the KL term (the reference's ``beta``).
    adversary_weight : float, default=1.0
        Weight of the VAE's fooling loss (the reference's ``adversary_param``).
    max_iter : int, default=500
        Training iterations (one labeled and one unlabeled mini-batch each).
    train_batch_size : int, default=64
        Mini-batch size of each side.
    learning_rate : float, default=5e-4
        Adam learning rate of both nets (the reference's 5e-4).
    {device}
    random_state : int, RandomState instance or None, default=None
        Seeds weights, mini-batches, VAE noise and tie-breaking.
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

    Notes
    -----
    Utilities are ``1 - D(mu)`` (the probability of "unlabeled").

    References
    ----------
    .. [1] S. Sinha, S. Ebrahimi, T. Darrell, "Variational Adversarial Active
       Learning", ICCV 2019, Eq. (1)-(4) and Sec. 3.3 (sampling).

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.query import VAALQuery
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(60, 4))
    >>> vaal = VAALQuery(max_iter=20, random_state=0)
    >>> vaal.query(X[10:], X_labeled=X[:10], batch_size=3).shape
    (3,)
    """

    _needs_estimator = False
    _uses_labels = False
    _parameter_constraints = {
        **TorchQueryStrategy._parameter_constraints,
        "feature_extractor": FEATURE_EXTRACTOR_CONSTRAINT,
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_samples": TorchQueryStrategy._max_samples_constraint,
        "kl_weight": [Interval(numbers.Real, 0, None, closed="left")],
        "adversary_weight": [Interval(numbers.Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        feature_extractor=None,
        latent_dim=32,
        hidden_layer_sizes=(128, 128),
        kl_weight=1.0,
        adversary_weight=1.0,
        max_iter=500,
        train_batch_size=64,
        learning_rate=5e-4,
        device="cpu",
        random_state=None,
        n_jobs=None,
        verbose=0,
        max_samples="auto",
    ):
        self.feature_extractor = feature_extractor
        self.latent_dim = latent_dim
        self.hidden_layer_sizes = hidden_layer_sizes
        self.kl_weight = kl_weight
        self.adversary_weight = adversary_weight
        self.max_iter = max_iter
        self.train_batch_size = train_batch_size
        self.learning_rate = learning_rate
        self.device = device
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.max_samples = max_samples

    def _utilities(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        pool, labeled, run = self._setup(X_pool, X_labeled, estimator)
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
        )
        return 1.0 - pool.score(score)
