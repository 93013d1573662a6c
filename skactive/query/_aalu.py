"""AALU: deep adversarial active learning with model uncertainty (Zhu & Wang)."""

from __future__ import annotations

import numbers

from sklearn.utils._param_validation import Interval

from .._docstrings import DEVICE_DOC, QUERY_VERBOSE_DOC, TORCH_N_JOBS_DOC, shared_docs
from ._base import FEATURE_EXTRACTOR_CONSTRAINT, chunked_rows, predict_proba_of
from ._nets import TorchQueryStrategy, margin_ranking_loss
from ._task_loss import task_losses
from ._training import adversarial_vae_game


@shared_docs(device=DEVICE_DOC, torch_n_jobs=TORCH_N_JOBS_DOC, verbose=QUERY_VERBOSE_DOC)
class AALUQuery(TorchQueryStrategy):
    """AALU: an adversarial VAE plus an active assistant that sees the model's predictions.

    A VAE encodes task features ``f`` (AALU Eq. 1); the *active assistant*
    ``A`` sees ``m = [z, p]`` -- the latent code and the task model's class
    probabilities ``p`` (Sec. 2.2) -- and learns labeled -> 0, unlabeled -> 1
    (Eq. 7) while the VAE tries to make every row look labeled (Eq. 5-6).
    ``A`` is also trained with the ranked hinge loss on labeled pairs
    (Eq. 8): rows with a larger task loss must get a larger ``A``. Total
    assistant loss ``L_A = L_adv + lam * L_loss`` (Eq. 9). The pool rows with
    the **largest** ``A(m)`` are queried (Sec. 2.3).

    Conventions: ``z`` is the VAE mean ``mu`` (VAAL's reference code; the
    paper does not say); ``A(m)`` in Eq. 8 is the assistant's probability;
    the task losses ``l_i`` are out-of-fold cross-entropies of the fitted
    estimator (see :class:`LearningLossQuery`), since a fitted sklearn
    model's training losses are optimistic; probabilities ``p`` come from
    ``predict_proba`` (or a softmax of ``decision_function``).

    Parameters
    ----------
    feature_extractor : callable, transformer, "penultimate" or None, default=None
        Task features ``f`` (the paper: ResNet-18 features before the fully
        connected layer; ``None``: X itself;
        ``"penultimate"``: the fitted task model's penultimate layer, a skorch
        net's; :func:`net_features`).
    beta : float, default=1.0
        Weight of the VAE's adversarial loss (Eq. 3 and 6; the paper's 1).
    xi : float, default=0.1
        Margin of the ranked loss (Eq. 8; the paper's 0.1).
    lam : float, default=10.0
        Weight of the ranked loss in ``L_A`` (Eq. 9; the paper's 10).
    cv : int or None, default=5
        Folds of the out-of-fold task losses; ``None``: in-sample losses.
    latent_dim : int, default=32
    hidden_layer_sizes : tuple of int, default=(128, 128)
        Hidden layers of the encoder, decoder and ``A`` (3-layer MLPs, as in
        the paper).
    max_iter : int, default=500
        Training iterations (one labeled and one unlabeled mini-batch each).
    train_batch_size : int, default=128
        The paper's 128.
    learning_rate : float, default=5e-4
        Adam, the paper's 5e-4.
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

    Notes
    -----
    Utilities are ``A(m)`` of every pool row.

    References
    ----------
    .. [1] J.-J. Zhu, J. Wang (AALU), "Deep adversarial active learning with
       model uncertainty", Eq. (1)-(9), Alg. 1.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive import AALUQuery
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X[::3], y[::3])
    >>> aalu = AALUQuery(max_iter=20, random_state=0)
    >>> aalu.query(X, estimator=model, X_labeled=X[::3], y_labeled=y[::3], batch_size=2).shape
    (2,)
    """

    _parameter_constraints = {
        **TorchQueryStrategy._parameter_constraints,
        "feature_extractor": FEATURE_EXTRACTOR_CONSTRAINT,
        "beta": [Interval(numbers.Real, 0, None, closed="left")],
        "xi": [Interval(numbers.Real, 0, None, closed="left")],
        "lam": [Interval(numbers.Real, 0, None, closed="left")],
        "cv": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_samples": TorchQueryStrategy._max_samples_constraint,
    }

    def __init__(
        self,
        *,
        feature_extractor=None,
        beta=1.0,
        xi=0.1,
        lam=10.0,
        cv=5,
        latent_dim=32,
        hidden_layer_sizes=(128, 128),
        max_iter=500,
        train_batch_size=128,
        learning_rate=5e-4,
        device="cpu",
        random_state=None,
        n_jobs=None,
        verbose=0,
        max_samples="auto",
    ):
        self.feature_extractor = feature_extractor
        self.beta = beta
        self.xi = xi
        self.lam = lam
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

    def _utilities(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        pool, labeled, run = self._setup(X_pool, X_labeled, estimator)
        p_labeled = run.tensor(predict_proba_of(estimator, X_labeled))

        def proba(X):
            return predict_proba_of(estimator, X)

        p_train = run.tensor(chunked_rows(proba, pool.raw_training_rows()))
        losses = run.tensor(
            task_losses(estimator, X_labeled, y_labeled, cv=self.cv, random_state=run.init_seed)
        )

        def ranked_loss(logits_labeled, index):  # Eq. 8, weighted by lam (Eq. 9)
            return self.lam * margin_ranking_loss(logits_labeled.sigmoid(), losses[index], self.xi)

        score = adversarial_vae_game(
            run,
            labeled,
            pool.train,
            latent_dim=self.latent_dim,
            hidden=self.hidden_layer_sizes,
            n_iter=self.max_iter,
            labeled_target=0.0,
            adversary_weight=self.beta,
            side_labeled=p_labeled,
            side_pool=p_train,
            discriminator_loss=ranked_loss,
        )
        return pool.score(score, side=p_train, side_of=proba)
