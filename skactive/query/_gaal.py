"""GAAL: query synthesis in the latent space of a trained generator (Zhu & Bento 2017)."""

from __future__ import annotations

import numbers

import numpy as np
import torch
from sklearn.base import BaseEstimator, clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _num_samples, column_or_1d

from .._seeds import draw_seed
from .._torch import uses_torch_threads
from .._validation import check_count
from ..augment import ActiveGANAugmenter
from ..uncertainty import margin as margin_of
from ._base import check_fitted_estimator, predict_proba_of


def linear_boundary_distance(scores: torch.Tensor) -> torch.Tensor:
    """How far decision scores are from a linear model's boundary (differentiable).

    ``|w.x + b|`` for one binary score column (GAAL's objective, Zhu & Bento
    Eq. 3); for one-vs-rest scores the gap between the two largest scores,
    which is 0 on the boundary between the two most likely classes.

    Parameters
    ----------
    scores : Tensor of shape (n,) or (n, n_classes)

    Returns
    -------
    distance : Tensor of shape (n,)

    Examples
    --------
    >>> import torch
    >>> from skactive.query._gaal import linear_boundary_distance
    >>> linear_boundary_distance(torch.tensor([[3.0, 1.0, 2.5]]))
    tensor([0.5000])
    """
    if scores.ndim == 1 or scores.shape[1] == 1:
        return scores.reshape(-1).abs()
    top2 = torch.topk(scores, 2, dim=1).values
    return top2[:, 0] - top2[:, 1]


def _latent_radius(augmenter) -> float:
    """Norm bound of the searched codes: a standard normal's norm is almost never above it."""
    width = augmenter.sample_latent(0).shape[1]  # draws nothing
    return float(np.sqrt(width) + 3.0)


class GAALQuery(BaseEstimator):
    """GAAL: synthesise new rows on the task model's decision boundary.

    Query *synthesis* rather than selection: instead of indices into a pool,
    :meth:`synthesize` returns new rows ``G(z, y)`` of a trained conditional
    generator (the AC-GAN that :class:`~skactive.ActiveGANAugmenter` trains)
    whose latent codes ``z`` were searched for points where the task model
    is least certain. The oracle then labels those rows (the generator's
    condition ``y`` is only a steering input, not a label).

    - ``method="gradient"`` (Zhu & Bento's Alg. 1): gradient descent on ``z``
      of the distance to a *linear* model's boundary, ``|w.G(z) + b|``
      (:func:`linear_boundary_distance`), through the generator; needs an
      estimator with ``coef_`` and ``intercept_`` (``LinearSVC``,
      ``LogisticRegression``...) fitted on the same features.
    - ``method="search"``: any classifier, treated as a black box: for each
      row ``n_candidates`` codes are drawn, the one with the smallest
      ``predict_proba`` margin (ActiveGAN Eq. 6) is kept, then refined for
      ``max_iter`` rounds of Gaussian perturbations with a shrinking step (a
      (1+lambda) evolution strategy). Non-linear models such as an RBF
      ``SVC`` need this.
    - ``method="auto"``: gradient when the estimator has ``coef_`` and the
      generator maps to features by min-max (``scaling="minmax"``), else
      search.

    Codes stay in the bulk of the prior: their norm is projected onto
    ``sqrt(latent_dim) + 3`` (a standard normal's norm exceeds that with
    negligible probability), so rows stay realistic.

    How the active-learning loop uses it: each cycle it calls
    ``synthesize(batch_size, estimator=model, X_labeled=..., y_labeled=...)``,
    asks the oracle to label the returned rows, appends them to the labeled
    set and refits -- no pool is consumed.

    Parameters
    ----------
    generator : ActiveGANAugmenter or None, default=None
        A *fitted* augmenter is searched as it is (fit one once and reuse it
        across cycles, as GAAL trains G once). An unfitted one is cloned and
        fitted at every call on ``X_labeled`` plus ``X_pool`` pseudo-labeled
        by the estimator (the labels only condition the GAN), with every
        column numeric (``categorical_features="auto"`` becomes ``"none"``:
        latent codes decode to numbers); ``None`` does the same with
        ``ActiveGANAugmenter(lam=0, scaling="minmax")``, an AC-GAN
        (``method="gradient"`` needs the min-max output map). GAAL
        reads a fitted generator only through the generator protocol of
        :class:`~skactive.ActiveGANAugmenter` (``sample_latent``, ``decode``,
        ``decode_differentiable``, ``classes_``,
        ``n_features_in_``, ``latent_device_``, ``differentiable_decode_``),
        so another sampler that implements it can be searched too.
    method : {"auto", "gradient", "search"}, default="auto"
    n_candidates : int, default=64
        Codes drawn per row (both methods start from the best of them).
    max_iter : int, default=50
        Gradient steps, or refinement rounds of the search.
    learning_rate : float, default=0.05
        Adam step on ``z`` (gradient), or initial perturbation scale (search).
    device : str or torch.device, default="cpu"
        Device of the latent search (the generator's own device is used when
        ``generator`` is given).
    random_state : int, RandomState instance or None, default=None
        Seeds the conditioning labels, codes and perturbations.
    n_jobs : int or None, default=None
        Torch threads of the search (and of the AC-GAN fit when ``generator``
        is not fitted): ``None`` means 1 (or the enclosing learner's
        ``n_jobs``), ``-1`` all cores; see :ref:`user_guide_performance`.

    References
    ----------
    .. [1] J.-J. Zhu, J. Bento, "Generative Adversarial Active Learning",
       arXiv:1702.07956, 2017, Alg. 1 and Eq. (3).
    .. [2] A. Saadallah, lecture "Generative Adversarial Networks and Active
       Learning", GAAL slides.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.svm import LinearSVC
    >>> from skactive import ActiveGANAugmenter
    >>> from skactive.query import GAALQuery
    >>> X, y = load_iris(return_X_y=True)
    >>> gan = ActiveGANAugmenter(lam=0, max_iter=50, random_state=0)
    >>> _ = gan.fit_resample(X, y)
    >>> model = LinearSVC().fit(X, y)
    >>> GAALQuery(generator=gan, max_iter=10, random_state=0).synthesize(
    ...     3, estimator=model).shape
    (3, 4)
    """

    _parameter_constraints = {
        "generator": [HasMethods(["fit_resample", "sample_latent", "decode"]), None],
        "method": [StrOptions({"auto", "gradient", "search"})],
        "n_candidates": [Interval(numbers.Integral, 1, None, closed="left")],
        "max_iter": [Interval(numbers.Integral, 0, None, closed="left")],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "device": [str, torch.device],
        "n_jobs": [numbers.Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        generator=None,
        *,
        method="auto",
        n_candidates=64,
        max_iter=50,
        learning_rate=0.05,
        device="cpu",
        random_state=None,
        n_jobs=None,
    ):
        self.generator = generator
        self.method = method
        self.n_candidates = n_candidates
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.device = device
        self.random_state = random_state
        self.n_jobs = n_jobs

    # -- public ---------------------------------------------------------------
    @uses_torch_threads
    def synthesize(
        self,
        n_samples: int = 1,
        *,
        estimator,
        X_labeled=None,
        y_labeled=None,
        X_pool=None,
        return_utilities: bool = False,
    ):
        """Generate ``n_samples`` rows near the estimator's decision boundary.

        Parameters
        ----------
        n_samples : int, default=1
            Rows to synthesise (the query batch size).
        estimator : fitted classifier
            The task model, fitted on the caller's feature space.
        X_labeled, y_labeled : array-like, default=None
            The labeled set; needed only when ``generator`` is None (to train
            the AC-GAN).
        X_pool : array-like, default=None
            Unlabeled rows, pseudo-labeled by the estimator and added to the
            AC-GAN's training data when ``generator`` is None.
        return_utilities : bool, default=False
            Also return each row's utility: ``1 - margin`` (search) or
            ``-distance`` to the linear boundary (gradient); larger = closer.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
            Unlabeled synthetic rows for the oracle, most informative first.
        utilities : ndarray of shape (n_samples,)
            Returned when ``return_utilities=True``.
        """
        self._validate_params()
        check_count(n_samples, "n_samples")
        check_fitted_estimator(estimator)
        rng = check_random_state(self.random_state)
        # a generator whose rows are not all numbers refuses to decode (its error
        # names the columns) before the search hands anything to the estimator
        augmenter = self._generator(estimator, X_labeled, y_labeled, X_pool, rng)
        n_features = getattr(estimator, "n_features_in_", None)
        if n_features is not None and n_features != augmenter.n_features_in_:
            raise ValueError(
                f"The estimator was fitted on {n_features} features but the generator "
                f"produces {augmenter.n_features_in_}; fit both on the same feature space."
            )
        method = self.method
        if method == "auto":
            linear = hasattr(estimator, "coef_")
            method = "gradient" if linear and augmenter.differentiable_decode_ else "search"
        if method == "gradient" and not (
            hasattr(estimator, "coef_") and hasattr(estimator, "intercept_")
        ):
            raise ValueError(
                f"method='gradient' needs a linear estimator with coef_ and intercept_; "
                f"{type(estimator).__name__} has none. Use method='search'."
            )
        device = augmenter.latent_device_
        torch_rng = torch.Generator(device=device).manual_seed(draw_seed(rng))
        labels = torch.as_tensor(
            rng.randint(len(augmenter.classes_), size=n_samples), dtype=torch.long, device=device
        )
        search = self._gradient if method == "gradient" else self._search
        X_new, utilities = search(augmenter, estimator, labels, torch_rng, device)
        order = np.argsort(-utilities, kind="stable")
        X_new, utilities = X_new[order], utilities[order]
        if not np.isfinite(X_new).all():
            raise RuntimeError("The generator produced NaN or infinite rows.")
        return (X_new, utilities) if return_utilities else X_new

    # -- internals ------------------------------------------------------------
    def _generator(self, estimator, X_labeled, y_labeled, X_pool, rng):
        if self.generator is not None and hasattr(self.generator, "classes_"):
            return self.generator  # fitted: reuse it
        if X_labeled is None or y_labeled is None:
            raise ValueError(
                "GAALQuery trains its generator on the labeled set when it is not "
                "fitted: pass X_labeled and y_labeled, or a fitted ActiveGANAugmenter "
                "as generator."
            )
        X_train = np.asarray(X_labeled, dtype=np.float64)
        y_train = column_or_1d(y_labeled)
        if X_pool is not None and _num_samples(X_pool) > 0:
            X_pool = np.asarray(X_pool, dtype=np.float64)
            X_train = np.concatenate([X_train, X_pool])
            y_train = np.concatenate([y_train, estimator.predict(X_pool)])
        if self.generator is None:
            # min-max output map: the gradient method differentiates through it
            augmenter = ActiveGANAugmenter(
                lam=0, scaling="minmax", categorical_features="none", device=self.device
            )
        else:
            augmenter = clone(self.generator)
            if augmenter.get_params().get("categorical_features") == "auto":
                # latent codes decode to numbers: every column numeric
                augmenter.set_params(categorical_features="none")
        # Final count = current count: train the GAN, generate nothing yet.
        counts = dict(zip(*np.unique(y_train, return_counts=True), strict=True))
        augmenter.set_params(sampling_strategy=counts, random_state=draw_seed(rng))
        augmenter.fit_resample(X_train, y_train)
        return augmenter

    @staticmethod
    def _project(z, radius):
        norms = z.norm(dim=1, keepdim=True).clamp_min(1e-12)
        return z * torch.clamp(radius / norms, max=1.0)

    def _margins(self, estimator, X):
        return margin_of(predict_proba_of(estimator, X))

    def _gradient(self, augmenter, estimator, labels, torch_rng, device):
        if not augmenter.differentiable_decode_:
            scaling = getattr(augmenter, "scaling", None)
            fitted = f", fitted with scaling={scaling!r}," if scaling is not None else ""
            raise ValueError(
                "GAALQuery(method='gradient') differentiates through the generator's "
                f"output map, and this generator's{fitted} is not differentiable "
                "(differentiable_decode_ is False: an ActiveGANAugmenter needs "
                "scaling='minmax' and continuous columns only). Use method='search'."
            )
        radius = _latent_radius(augmenter)
        weight = torch.as_tensor(np.asarray(estimator.coef_), dtype=torch.float32, device=device)
        bias = torch.as_tensor(
            np.atleast_1d(estimator.intercept_), dtype=torch.float32, device=device
        )

        def distance(z, y):
            return linear_boundary_distance(augmenter.decode_differentiable(z, y) @ weight.T + bias)

        z = self._best_start(augmenter, labels, torch_rng, distance, radius)
        z.requires_grad_(True)
        optimizer = torch.optim.Adam([z], lr=self.learning_rate)
        for _ in range(self.max_iter):
            optimizer.zero_grad()
            distance(z, labels).sum().backward()
            optimizer.step()
            with torch.no_grad():
                z.copy_(self._project(z, radius))
        with torch.no_grad():
            final = distance(z, labels).cpu().numpy().astype(np.float64)
        X = augmenter.decode(z, labels)
        return X, -final

    def _best_start(self, augmenter, labels, torch_rng, objective, radius):
        """For each label, the best of ``n_candidates`` prior draws under ``objective``."""
        n, k = labels.shape[0], self.n_candidates
        with torch.no_grad():
            z = self._project(augmenter.sample_latent(n * k, torch_rng), radius)
            repeated = labels.repeat_interleave(k)
            values = torch.as_tensor(objective(z, repeated)).reshape(n, k)
            best = values.argmin(dim=1)
            return z.reshape(n, k, -1)[torch.arange(n), best.to(z.device)].clone()

    def _search(self, augmenter, estimator, labels, torch_rng, device):
        radius = _latent_radius(augmenter)

        def margins(z, y):
            X = augmenter.decode(z, y)
            return torch.as_tensor(self._margins(estimator, X), device=z.device)

        z = self._best_start(augmenter, labels, torch_rng, margins, radius)
        best = margins(z, labels)
        n, k = z.shape[0], self.n_candidates
        for step in range(self.max_iter):
            scale = self.learning_rate * (1.0 - step / max(self.max_iter, 1)) + 1e-3
            noise = augmenter.sample_latent(n * k, torch_rng)
            trial = self._project(z.repeat_interleave(k, dim=0) + scale * noise, radius)
            values = margins(trial, labels.repeat_interleave(k)).reshape(n, k)
            value, index = values.min(dim=1)
            improved = value < best
            chosen = trial.reshape(n, k, -1)[torch.arange(n), index]
            z = torch.where(improved[:, None], chosen, z)
            best = torch.where(improved, value, best)
        X = augmenter.decode(z, labels)
        return X, 1.0 - best.cpu().numpy().astype(np.float64)

    def __sklearn_clone__(self):
        # A fitted generator is a reusable resource, not a hyper-parameter to
        # reset: clone keeps it (like a prefit estimator) instead of refitting.
        params = self.get_params(deep=False)
        return type(self)(**params)
