"""ActiveGANAugmenter: an imbalanced-learn over-sampler that trains ActiveGAN."""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from scipy import sparse
from sklearn.base import clone
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_consistent_length, validate_data

from .._docstrings import DEVICE_DOC, TORCH_N_JOBS_DOC, shared_docs
from .._progress import GANProgress
from .._seeds import draw_seed
from .._torch import check_device, seeded, uses_torch_threads
from .._validation import check_label_kinds, check_value_scale, warn
from ._build import (
    adam_betas,
    check_architecture,
    check_mlp_only_options,
    iterator_params,
    module_params,
    rows_per_epoch,
    training_iterations,
)
from ._codes import column_roles
from ._columns import (
    continuous_part,
    integer_columns,
    to_object_table,
)
from ._gan_params import GAN_PARAMS_DOC, resolve_gan_params
from ._generate import _check_threshold, _GeneratorMixin
from ._net import ActiveGANNet
from ._reward import (
    ClassifierReward,
    default_classifier,
    default_classifier_rows,
    prior_weights,
)
from ._scaling import make_scaler
from ._tabular import TabularCodec

__all__ = ["ActiveGANAugmenter"]

# Summary lines written during a fit with verbose >= 2.
_VERBOSE_LOG_LINES = 10


@shared_docs(
    sampling_strategy=BaseOverSampler._sampling_strategy_docstring,
    device=DEVICE_DOC,
    torch_n_jobs=TORCH_N_JOBS_DOC,
    gan_params=GAN_PARAMS_DOC,
)
class ActiveGANAugmenter(_GeneratorMixin, BaseOverSampler):
    """Over-sample with an AC-GAN pushed towards uncertain samples (ActiveGAN).

    A conditional GAN (AC-GAN [2]_) is trained on ``(X, y)``, and its
    generator is rewarded for rows that a classifier fitted on the real rows
    finds *uncertain* (ActiveGAN [1]_). New labeled rows are then drawn per
    class as ``sampling_strategy`` asks, optionally keeping only those whose
    classifier margin is at most ``margin`` (the paper's "+F").

    Training follows the paper's Algorithm 1: the reward classifier
    ``classifier_`` is fitted on the real rows; the GAN trains
    ``n_warmup_iter`` iterations of plain AC-GAN, then adds to the generator's
    loss ``-lam * mean((r - b) * log P(phi(x_hat) | Theta) / d)``, where ``r``
    is the reward of Eq. 8 (``alpha`` weighs its margin and entropy parts),
    ``b`` the batch-mean reward, ``phi`` the discriminator's ``d`` features
    and ``Theta`` a diagonal Gaussian mixture fitted on the features of the
    latest generated batches (Eq. 9-10). ``lam=0`` switches that term off.

    Where the paper is silent, or where small and imbalanced classes need
    it, the defaults depart from it; each departure is one option of
    ``gan_params``, and the :ref:`User Guide <user_guide_activegan>` says why
    and how to get the paper's exact setting. Categorical columns are
    generated as categories, as in CTGAN [7]_.

    Read more in the :ref:`User Guide <user_guide_activegan>`.

    Parameters
    ----------
    {sampling_strategy}

        A dict ``{class: final count}`` expresses the paper's setting of
        adding ``k`` rows per class to a balanced set:
        ``{c: n_c + k for c, n_c in Counter(y).items()}``.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the noise, the batch order and the
        generation, and torch's global generator while ``classifier`` is
        fitted (so a skorch net passed as ``classifier`` starts from the same
        weights). Equal seeds give identical rows on CPU when the
        ``classifier`` is deterministic given torch's seed: give a
        scikit-learn classifier that draws random numbers its own
        ``random_state``.
    classifier : estimator with ``predict_proba``, default=None
        Classifier whose uncertainty defines the reward and the "+F" filter,
        cloned and fitted on the real rows (labels encoded as ``0..K-1``); a
        ``GridSearchCV`` may be passed (Algorithm 1, step 3). ``None`` uses
        ``CalibratedClassifierCV(SVC(), ensemble=False, cv=min(5, n_min))``,
        fitted on a stratified subsample of about 10,000 rows on larger
        tables; when a class has a single row it warns and uses
        ``LogisticRegression(max_iter=1000)``. To keep a step that is already
        fitted, wrap it in :class:`sklearn.frozen.FrozenEstimator`.
    alpha : float in [0, 1], default=0.5
        Weight of the margin reward against the entropy reward (Eq. 8).
    lam : float >= 0, default=1.0
        Weight ``lambda`` of the uncertainty loss (Eq. 10); ``0`` switches it
        off (an AC-GAN with the other defaults). The log-likelihood is
        divided by ``d``, so ``lam`` means the same for any feature width
        (the paper's ``lambda = 10`` matched an unnormalised likelihood).
    margin : float in (0, 1], (low, high) or None, default=None
        "+F" filter: keep only generated rows whose classifier margin (Eq. 6)
        is at most ``margin`` (the paper's threshold), or, for a pair, lies
        in the band ``low <= margin <= high``: a band with ``low > 0`` keeps
        rows near the boundary without keeping the rows that sit on it,
        which the classifier cannot tell apart. Candidates are drawn until
        enough pass (at most 50 per requested row); a warning says when a
        class falls short.
    max_iter : int or "auto", default="auto"
        Training iterations (one discriminator and one generator step each).
        ``"auto"`` trains until each row of the smallest class has been drawn
        about 1,000 times, but no more than 100 draws of each row of the
        largest class, within 1,500 to 5,000 iterations (``max_iter_`` says
        how many): a small class needs more passes than a large one, and no
        fixed count suits every table. An int is used as given.
    n_warmup_iter : int, default=500
        Iterations of plain AC-GAN before the uncertainty term starts
        (Algorithm 1).
    batch_size : int, default=64
        Real rows per iteration (and as many generated ones).
    hidden_layer_sizes : tuple of int, default=(256, 128)
        Widths of the discriminator's hidden layers (the generator mirrors
        them), or with ``image_shape`` the channel counts ``(c0, c1)`` of the
        convolutional pair.
    learning_rate : float, default=2e-4
        Adam learning rate of both nets (the paper's; betas 0.5, 0.999).
    image_shape : tuple of int or None, default=None
        ``(C, H, W)`` or ``(H, W)`` of image rows flattened in X: use the
        DCGAN-style convolutional pair (H and W divisible by 4).
    categorical_features : "auto", "none" or array-like of int, str or bool, default="auto"
        Columns generated as categories, given as for ``SMOTENC``: indices,
        names (X a DataFrame), a boolean mask, ``"none"``, or ``"auto"``: a
        DataFrame's category, object, string and bool columns, every column
        of a bool or string array, and the numeric columns that are codes
        (``coded_features_``, see the :ref:`User Guide
        <user_guide_activegan_codes>`): two-valued flags (10 rows a value or
        more) and one-hot groups of them, found after any scaling too. Each
        is drawn as one category seen in X, by a Gumbel-softmax block of the
        generator [7]_ (a one-hot group as one category: exactly one of its
        flags on). The other columns are continuous: integer columns come
        back rounded, and with ``"auto"`` a numeric column of 3 to 10 values,
        or of two values with fewer than 10 rows at one, comes back on its
        nearest observed value. Missing values in a categorical column are
        refused. With ``image_shape``, ``"auto"`` finds no numeric codes.
    scaling : {"minmax", "quantile", "mode_specific"}, default="minmax"
        How continuous columns are mapped to the tanh generator's
        ``[-1, 1]``: each column's training range (the paper's);
        ``"quantile"``, normal scores of each column's quantiles, for skewed
        columns; ``"mode_specific"``, CTGAN's mode-specific normalisation
        [7]_ (Sec. 4.2). Generated values stay inside each column's training
        range.
    {device}
    {torch_n_jobs}
    callbacks : list of skorch callbacks or None, default=None
        Extra callbacks of the skorch net: called on skorch's epoch and batch
        events, and on ``on_grad_computed`` before each of the two optimizer
        steps with that net's parameters (so
        ``skorch.callbacks.GradientNormClipping`` clips both nets). A
        ``skorch.callbacks.LRScheduler`` schedules the generator's optimizer
        and the discriminator's follows its rate. There is no validation
        split: callbacks that monitor ``valid_loss`` do not apply, and an
        epoch's ``train_loss`` is the mean generator loss (which
        ``EarlyStopping(monitor="train_loss")`` can watch). ``Checkpoint``
        and ``LoadInitState`` are not supported: the net is only part of the
        fitted sampler (with its scaler, encoder and classifier), so save and
        load the whole sampler with pickle or joblib.
    verbose : int, default=0
        ``1``: one progress bar on stderr for the whole fit, with the latest
        losses (``D loss``, Eq. 4; ``G loss``, Eq. 5 plus ``lam * U``; ``U``,
        Eq. 9-10; the mean ``reward``, Eq. 8); ``2``: also 10 summary lines.
        When stderr is not a terminal, only the 10 lines.
    {gan_params}

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of rows to generate per class.
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in ``fit_resample``.
    classifier_ : estimator
        The fitted reward classifier (on encoded labels; with categorical
        columns that are not numbers, on the numeric columns followed by
        their one-hot blocks).
    gan_params_ : dict
        Every advanced option used: the defaults updated by ``gan_params``.
    scaler_ : MinMaxScaler, Pipeline, ModeSpecificNormalizer or None
        Maps the continuous columns to the generator's space (``scaling``);
        None when every column is categorical.
    categorical_features_ : ndarray of int
        Indices of the columns generated as categories.
    continuous_features_ : ndarray of int
        Indices of the other columns.
    coded_features_ : ndarray of int
        Numeric columns that ``categorical_features="auto"`` found to be
        codes: flags, one-hot groups and level columns (empty otherwise).
    one_hot_groups_ : list of ndarray of int
        One-hot groups among them, each generated as one category.
    level_features_ : ndarray of int
        Level columns among them (and two-valued columns with a rare value),
        generated as numbers and returned on their nearest observed value.
    categorical_encoder_ : OneHotEncoder or None
        One-hot encoder of the categorical columns (None without any).
    net_ : ActiveGANNet
        The trained skorch net (``net_.module_`` is the generator).
    max_iter_ : int
        Training iterations asked for (``max_iter``, or what ``"auto"``
        chose; the net trains whole epochs, so it may run a few more).
    history_ : skorch.History
        Training history: per batch ``d_loss``, ``g_loss``, ``u_loss``,
        ``reward``.
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of shape (n_features,)
        Names of features seen, when X has string column names.

    See Also
    --------
    imblearn.over_sampling.SMOTE : Interpolating over-sampler.
    skactive.uncertainty.margin : The margin used by the reward and the filter.

    References
    ----------
    .. [1] Q. Kong, B. Tong, M. Klinkigt, Y. Watanabe, N. Akira, T. Murakami,
       "Active Generative Adversarial Network for Image Classification",
       IPSJ SIG CVIM 2018 and AAAI 2019 (poster).
    .. [2] A. Odena, C. Olah, J. Shlens, "Conditional Image Synthesis with
       Auxiliary Classifier GANs", ICML 2017.
    .. [3] Y. Yazici, C.-S. Foo, S. Winkler, K.-H. Yap, G. Piliouras,
       V. Chandrasekhar, "The Unusual Effectiveness of Averaging in GAN
       Training", ICLR 2019.
    .. [4] Q. Mao, H.-Y. Lee, H.-Y. Tseng, S. Ma, M.-H. Yang, "Mode Seeking
       Generative Adversarial Networks for Diverse Image Synthesis", CVPR
       2019.
    .. [5] M. Gong, Y. Xu, C. Li, K. Zhang, K. Batmanghelich, "Twin
       Auxiliary Classifiers GAN", NeurIPS 2019.
    .. [6] I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin, A. Courville,
       "Improved Training of Wasserstein GANs", NeurIPS 2017.
    .. [7] L. Xu, M. Skoularidou, A. Cuesta-Infante, K. Veeramachaneni,
       "Modeling Tabular Data using Conditional GAN", NeurIPS 2019.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from skactive import ActiveGANAugmenter
    >>> X, y = make_classification(n_samples=200, weights=[0.8, 0.2],
    ...                            random_state=0)
    >>> aug = ActiveGANAugmenter(max_iter=100, n_warmup_iter=50, random_state=0)
    >>> X_res, y_res = aug.fit_resample(X, y)
    >>> sorted(Counter(y.tolist()).items())
    [(0, 159), (1, 41)]
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 159), (1, 159)]
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "classifier": [HasMethods(["fit", "predict_proba"]), None],
        "alpha": [Interval(numbers.Real, 0, 1, closed="both")],
        "lam": [Interval(numbers.Real, 0, None, closed="left")],
        "margin": [Interval(numbers.Real, 0, 1, closed="right"), tuple, list, None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "n_warmup_iter": [Interval(numbers.Integral, 0, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 2, None, closed="left")],
        "hidden_layer_sizes": ["array-like"],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "image_shape": ["array-like", None],
        "categorical_features": ["array-like", StrOptions({"auto", "none"})],
        "scaling": [StrOptions({"minmax", "quantile", "mode_specific"})],
        "device": [str, torch.device],
        "n_jobs": [numbers.Integral, None],
        "callbacks": [list, None],
        "verbose": ["verbose"],
        "gan_params": [dict, None],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        classifier=None,
        alpha=0.5,
        lam=1.0,
        margin=None,
        max_iter="auto",
        n_warmup_iter=500,
        batch_size=64,
        hidden_layer_sizes=(256, 128),
        learning_rate=2e-4,
        image_shape=None,
        categorical_features="auto",
        scaling="minmax",
        device="cpu",
        n_jobs=None,
        callbacks=None,
        verbose=0,
        gan_params=None,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.classifier = classifier
        self.alpha = alpha
        self.lam = lam
        self.margin = margin
        self.max_iter = max_iter
        self.n_warmup_iter = n_warmup_iter
        self.batch_size = batch_size
        self.hidden_layer_sizes = hidden_layer_sizes
        self.learning_rate = learning_rate
        self.image_shape = image_shape
        self.categorical_features = categorical_features
        self.scaling = scaling
        self.device = device
        self.n_jobs = n_jobs
        self.callbacks = callbacks
        self.verbose = verbose
        self.gan_params = gan_params

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        return tags

    def fit_resample(self, X, y, **params):
        """Resample the data set: the original rows first, then the generated ones.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            The rows; a DataFrame keeps its columns and dtypes.
        y : array-like of shape (n_samples,)
            Their labels, all numbers or all strings.
        **params : dict
            Passed on to imbalanced-learn's ``fit_resample``.

        Returns
        -------
        X_resampled : {ndarray, DataFrame} of shape (n_samples_new, n_features)
            The original rows, then the generated ones.
        y_resampled : ndarray of shape (n_samples_new,)
            Their labels.

        Raises
        ------
        ValueError
            For bad parameters or data; the sampler is then left as it was
            before the call.
        """
        # a call that raises leaves the sampler as it was (fitted or not)
        state = dict(vars(self))
        try:
            # before imbalanced-learn's target check, which cannot name a mixture
            check_label_kinds(y)
            return super().fit_resample(X, y, **params)
        except BaseException:
            vars(self).clear()
            vars(self).update(state)
            raise

    def _check_X_y(self, X, y, accept_sparse=None):
        if not (sparse.issparse(X) or hasattr(X, "dtypes")):
            X = np.asarray(X) if not hasattr(X, "shape") else X
        if sparse.issparse(X) or X.ndim != 2:
            # sklearn's errors name the problem ("Sparse data was passed for
            # X, but dense data is required", "Expected 2D array")
            return super()._check_X_y(X, y, accept_sparse=False)
        auto = isinstance(self.categorical_features, str) and self.categorical_features == "auto"
        # image rows (image_shape) are intensities, not codes
        roles = column_roles(X, self.categorical_features, auto and self.image_shape is None)
        categorical, continuous = roles.categorical, roles.continuous
        self.categorical_features_, self.continuous_features_ = categorical, continuous
        self.one_hot_groups_, self.level_features_ = roles.groups, roles.levels
        self._flag_features, self.coded_features_ = roles.flags, roles.coded
        self._integer_columns = integer_columns(X)
        self._fit_frame = (list(X.columns), X.dtypes) if hasattr(X, "dtypes") else None
        if not categorical.size:
            X, y, binarize_y = super()._check_X_y(X, y, accept_sparse=False)
            self._fit_dtype = X.dtype
            return X, y, binarize_y
        # the caller's array dtype for the output (a string array comes back
        # as objects: its continuous columns hold floats a fixed width may cut)
        dtype = getattr(X, "dtype", np.dtype(object))
        # (a table of strings only keeps its dtype: every value is a level it holds)
        mixed = dtype.kind in "US" and continuous.size
        self._fit_dtype = np.dtype(object) if mixed else dtype
        if self.image_shape is not None:
            raise ValueError(
                f"image_shape={self.image_shape!r} cannot be used with categorical columns "
                f"(categorical_features gave columns {categorical.tolist()})."
            )
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        validate_data(self, X=X, y=y, reset=True, skip_check_array=True)
        table = to_object_table(X, categorical, continuous)
        check_consistent_length(table, y)
        return table, np.asarray(y), binarize_y

    # -- building blocks ----------------------------------------------------
    def _build_net(self, y_encoded, n_classes, seeds, device):
        n_samples = len(y_encoded)
        codec, options = self._codec, self.gan_params_
        image_shape, hidden = check_architecture(
            self.image_shape, self.hidden_layer_sizes, codec.width
        )
        batch_size = min(self.batch_size, n_samples)
        max_iter = training_iterations(
            self.max_iter,
            np.bincount(y_encoded, minlength=n_classes),
            batch_size,
            options["batch_sampling"],
        )
        self.max_iter_ = max_iter
        n_draws = rows_per_epoch(n_samples, max_iter, batch_size)
        n_batches = n_draws // batch_size
        reward = None
        if self.lam > 0:
            reward = ClassifierReward(
                self.classifier_, codec, self.alpha, prior_weights=self._prior_weights
            )
            if self.n_warmup_iter >= max_iter:
                warn(
                    f"n_warmup_iter={self.n_warmup_iter} >= max_iter={max_iter}: "
                    "the uncertainty term never starts and this trains a plain "
                    "AC-GAN.",
                )
        max_epochs = math.ceil(max_iter / n_batches)
        callbacks = list(self.callbacks or [])
        if self.verbose:
            n_lines = _VERBOSE_LOG_LINES if self.verbose > 1 else 0
            progress = GANProgress(max_epochs * n_batches, n_lines=n_lines)
            callbacks.append(("skactive_progress", progress))
        return ActiveGANNet(
            **module_params(
                codec.width,
                n_classes,
                options["latent_dim"],
                image_shape,
                hidden,
                codec.categorical_sizes,
                options["twin_auxiliary"],
            ),
            n_classes=n_classes,
            latent_dim=options["latent_dim"],
            lam=self.lam,
            reward=reward,
            n_warmup_iter=self.n_warmup_iter,
            buffer_size=options["buffer_size"],
            n_components=options["n_components"],
            ema_decay=options["ema_decay"],
            mode_seeking=options["mode_seeking"],
            twin_auxiliary=options["twin_auxiliary"],
            uncertainty_gradient=options["uncertainty_gradient"],
            adversarial_loss=options["adversarial_loss"],
            seed=seeds[0],
            lr=self.learning_rate,
            optimizer__betas=adam_betas(options["adversarial_loss"]),
            batch_size=batch_size,
            max_epochs=max_epochs,
            train_split=None,
            **iterator_params(options["batch_sampling"], y_encoded, seeds[1], n_draws),
            callbacks=callbacks,
            device=device,
            verbose=0,
        )

    # -- imbalanced-learn API -------------------------------------------------
    @uses_torch_threads
    def _fit_resample(self, X, y):
        self.classes_, y_encoded = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                "ActiveGANAugmenter needs at least 2 classes in y; got 1 class "
                f"({self.classes_[0]!r})."
            )
        self.gan_params_ = resolve_gan_params(self.gan_params)  # first: names a bad option
        band = _check_threshold(self.margin)
        device = check_device(self.device)
        continuous = self.continuous_features_
        check_value_scale(continuous_part(X, self.categorical_features_, continuous))
        check_architecture(self.image_shape, self.hidden_layer_sizes, X.shape[1])
        check_mlp_only_options(self.image_shape, self.scaling)
        seeds = draw_seed(check_random_state(self.random_state), size=3)

        scaler = make_scaler(self.scaling, X.shape[0], int(seeds[2]))
        grouped = np.concatenate([np.empty(0, np.intp), *self.one_hot_groups_])
        self._codec = TabularCodec.fit(
            X,
            np.setdiff1d(self.categorical_features_, grouped),
            continuous,
            self._integer_columns,
            scaler,
            self.one_hot_groups_,
            self.level_features_,
            numeric_codes=self._flag_features,
        )
        self.scaler_, self.categorical_encoder_ = self._codec.scaler, self._codec.encoder
        X_clf, y_clf = self._codec.to_classifier(X), y_encoded
        classifier = self.classifier
        if classifier is None:
            rows = default_classifier_rows(y_encoded, np.random.RandomState(seeds[2]))
            if rows is not None:
                X_clf, y_clf = X_clf[rows], y_encoded[rows]
            classifier = default_classifier(y_clf)
        # `classifier` is checked for predict_proba by _parameter_constraints. A torch
        # classifier (a skorch net) draws its weights and batches from torch's global
        # generator: seeded here, so random_state fixes them too.
        with seeded(int(seeds[2]), device):
            self.classifier_ = clone(classifier).fit(X_clf, y_clf)
        self._prior_weights = prior_weights(
            y_clf, len(self.classes_), self.gan_params_["uncertainty_priors"]
        )

        self.net_ = self._build_net(y_encoded, len(self.classes_), seeds, device)
        self.net_.fit(self._codec.to_generator(X), y_encoded.astype(np.int64))
        self.history_ = self.net_.history

        X_new, y_new = self._synthesize(
            self.sampling_strategy_, band, self._torch_generator(seeds[2])
        )
        X_res = np.concatenate([X, X_new.astype(X.dtype, copy=False)])
        return X_res.astype(self._fit_dtype, copy=False), np.concatenate(
            [y, y_new.astype(y.dtype, copy=False)]
        )
