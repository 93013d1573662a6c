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

from .._progress import GANProgress
from .._seeds import draw_seed
from .._torch import check_device, seeded, uses_torch_threads
from .._validation import check_label_kinds, check_value_scale, warn
from ._build import (
    adam_betas,
    check_architecture,
    check_gradient_penalty_options,
    check_mlp_only_options,
    iterator_params,
    module_params,
    rows_per_epoch,
    training_iterations,
)
from ._generate import _GeneratorMixin
from ._net import ActiveGANNet
from ._reward import (
    ClassifierReward,
    default_classifier,
    default_classifier_rows,
    prior_weights,
)
from ._scaling import make_scaler
from ._tabular import (
    TabularCodec,
    categorical_columns,
    continuous_part,
    integer_columns,
    to_object_table,
)

__all__ = ["ActiveGANAugmenter"]

# Summary lines written during a fit with verbose >= 2.
_VERBOSE_LOG_LINES = 10


class ActiveGANAugmenter(_GeneratorMixin, BaseOverSampler):
    """Over-sample with an AC-GAN pushed towards uncertain samples (ActiveGAN).

    A conditional GAN (AC-GAN) is trained on ``(X, y)``; its generator is
    rewarded for samples that a classifier trained on the real data finds
    *uncertain* (Kong et al.). New labeled rows are then drawn per class as
    ``sampling_strategy`` asks, optionally keeping only those whose classifier
    margin is at most ``margin`` (the paper's "+F"). ``lam=0`` is plain AC-GAN.

    Training (Algorithm 1): the reward classifier ``classifier_`` is fitted on
    the real rows; the GAN trains ``n_warmup_iter`` iterations of plain AC-GAN,
    then ``max_iter - n_warmup_iter`` iterations whose generator loss adds
    ``-lam * mean((r - b) * log P(phi(x_hat) | Theta) / d)``: ``r`` is the
    reward of Eq. 8 from ``classifier_``, ``b`` the batch-mean reward
    (``baseline=True``), ``phi`` the discriminator's ``d``-dimensional features
    and ``Theta`` a diagonal GMM refitted every ``gmm_update_every`` iterations
    on the features of the latest ``buffer_size`` generated batches (Eq. 9-10).
    See :class:`~skactive.augment.ActiveGANNet` for the sign conventions.

    Choices where the paper is silent or vague (see
    :ref:`user_guide_activegan`):

    - The log-likelihood is divided by ``d`` so that ``lam`` means the same on
      any feature width; the paper's ``lam=10`` was chosen to match loss scales
      with unnormalised likelihoods.
    - The reward has a REINFORCE mean baseline by default: ``r > 0`` always,
      so without it every sample is pushed towards higher likelihood.
    - X is mapped to ``[-1, 1]`` for the tanh generator (``scaling``), and
      generated rows are mapped back, so they stay inside each feature's
      training range.
    - Categorical columns are one-hot blocks drawn by Gumbel-softmax, as in
      CTGAN (``categorical_features``); the paper has images only.
    - Generated labels are drawn uniformly over classes during training, and
      real batches are class-balanced to match (``batch_sampling``).
    - Rows are drawn from a moving average of the generator's weights
      (``ema_decay``), and the generator loss has MSGAN's mode-seeking term
      (``mode_seeking``): both keep the rows generated for a small class
      from collapsing onto a few points (see :ref:`results_imbalanced`).
    - The training length follows the class sizes (``max_iter="auto"``)
      instead of a fixed count: a small class of a hundred rows needs more
      iterations than one of twenty.

    Read more in the :ref:`User Guide <user_guide_activegan>`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        imbalanced-learn's sampling strategy. A dict ``{class: final count}``
        expresses the paper's setting of adding ``k`` samples per class to a
        balanced set: ``{c: n_c + k for c, n_c in Counter(y).items()}``.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, the noise, the batch order and the
        generation, and torch's global generator while ``classifier`` is
        fitted (so a skorch net passed as ``classifier`` starts from the same
        weights). Equal seeds give identical output on CPU when the
        ``classifier`` is deterministic given torch's seed: give a
        scikit-learn classifier that draws random numbers its own
        ``random_state``.
    classifier : estimator with ``predict_proba``, default=None
        Classifier whose uncertainty defines the reward and the "+F" filter,
        cloned and fitted on the real rows (labels encoded as ``0..K-1``). A
        ``GridSearchCV`` may be passed (Algorithm 1 step 3). ``None`` uses
        ``CalibratedClassifierCV(SVC(), ensemble=False, cv=min(5, n_min))``;
        when a class has a single row it warns and uses
        ``LogisticRegression(max_iter=1000)`` (calibration needs 2 rows per class).
        Above 10,000 rows the default is fitted on a stratified subsample of
        about 10,000 (each class keeping at least ``min(n_class, 500)`` rows):
        an RBF SVC's fit grows with the square of the rows and its
        ``predict_proba`` on every batch with its support vectors
        (see :ref:`results_speed`). A classifier you pass is fitted on every
        row. To keep a step that is already fitted (pretrained features,
        say), wrap it in :class:`sklearn.frozen.FrozenEstimator`: a plain
        fitted step would be cloned and fitted again.
    alpha : float, default=0.5
        Margin-versus-entropy weight of the reward (Eq. 8; paper: 0.5).
    lam : float, default=1.0
        Weight ``lambda`` of the uncertainty loss (Eq. 10). ``0`` is AC-GAN.
    margin : float in (0, 1] or None, default=None
        "+F" filter: keep only generated rows with classifier margin
        ``<= margin`` (Eq. 6; read under ``uncertainty_priors``). Candidates
        are drawn until enough pass (at most 50 per requested row); a warning
        says when a class falls short.
    reward : {"exponential", "thresholded"}, default="exponential"
        Reward form: the paper's ``r_m = exp(1 - u_m)``, ``r_le = exp(u_le)``
        or the poster's thresholded one (see ``reward_epsilon``).
    reward_epsilon : float, default=0.5
        Threshold ``epsilon`` of the thresholded reward.
    reward_constant : float, default=0.0
        Reward ``C`` of the thresholded form past the threshold.
    baseline : bool, default=True
        Subtract the batch-mean reward before weighting the log-likelihood.
    density_weighting : {"none", "reward", "advantage"}, default="none"
        How buffered rows are weighted when ``Theta`` is fitted: equally (the
        paper), by reward, or by ``max(r - mean(r), 0)``. The two weightings
        fit ``Theta`` mostly to the high-reward rows; they are not in the paper
        and off by default (see :ref:`user_guide_activegan`).
    latent_dim : int, default=32
        Dimension of the generator's noise ``z``.
    hidden_layer_sizes : tuple of int, default=(256, 128)
        MLP widths of the discriminator (the generator mirrors them), or with
        ``image_shape`` the channel counts ``(c0, c1)`` of the conv pair
        (exactly two entries).
    image_shape : tuple of int or None, default=None
        ``(C, H, W)`` (or ``(H, W)``) of image rows flattened in X: use the
        DCGAN-style convolutional pair (H and W divisible by 4).
    max_iter : int or "auto", default="auto"
        Training iterations (one discriminator and one generator update
        each), rounded up to whole epochs. An epoch is a pass over the rows,
        or ``max_iter * batch_size`` rows drawn from them when there are
        more: a fixed count does not grow with the table. ``"auto"`` ties
        it to the data: iterations until each row of the smallest class has
        been drawn about 1,000 times (with balanced batches
        ``1000 * n_classes * n_min / batch_size``), but no more than 100
        draws of each row of the largest class
        (``100 * n_classes * n_max / batch_size``; with uniform batches
        both read ``n / batch_size`` and the cap always binds), kept within
        1,500 ... 5,000 (``max_iter_`` says how many ran). So a small table
        gets 1,500 iterations, an imbalanced one trains until its smallest
        class has been seen enough, and a large table whose classes are less
        than 10 times apart about 100 passes over its largest class. Why:
        more iterations help a small class of a hundred rows or more and can
        hurt one of a few dozen, so no fixed count suits every table (see
        :ref:`results_imbalanced`); the cap on the largest class keeps a
        balanced table from training longer than it needs. On a large table
        ``"auto"`` may run up to 5,000 iterations and the fit takes longer
        accordingly (see :ref:`results_speed`); pass an int to bound it. An
        int is used as given (the reproduction of the paper's evaluation
        uses 1,500, see :ref:`results_paper`).
    n_warmup_iter : int, default=500
        Iterations of plain AC-GAN before the uncertainty term starts.
    batch_size : int, default=64
        Real rows per iteration (and as many generated ones).
    batch_sampling : {"balanced", "uniform"}, default="balanced"
        How the real rows of a batch are drawn. ``"balanced"``: with
        replacement, with weight ``1 / n_class``, so every class fills about
        the same share of each batch, as the generated labels (drawn uniformly
        over classes) do; class-balanced batches are what GANs for imbalanced
        data train on (e.g. BAGAN, Mariani et al., 2018). ``"uniform"``: each
        epoch is a shuffled pass over the rows, so a class appears in
        proportion to its count (on a balanced set the two differ only in
        the draw). On imbalanced data the uniform scheme shows the
        discriminator a minority class in about ``n_min / n`` of the real
        rows, and the rows generated for it drift towards the majority
        classes (see :ref:`results_imbalanced`).
    scaling : {"minmax", "quantile", "mode_specific"}, default="minmax"
        How X is mapped to the tanh generator's ``[-1, 1]``: ``"minmax"``
        each feature's training range (the DCGAN / paper convention);
        ``"quantile"`` each feature to normal scores by its empirical
        quantiles, then its range (a cheap stand-in for CTGAN's mode-specific
        normalisation: skewed columns keep their shape, a 0/1 column comes
        back 0/1 for all but a sliver of outputs). Both keep generated values
        inside each feature's training range. ``"quantile"`` suits skewed
        columns (clinical measurements, say); where a feature's tails are
        sparse, the steep inverse of its quantiles can throw generated rows
        far out towards the ends of the range, and ``"minmax"`` is the safer
        choice (see :ref:`results_imbalanced`). ``"mode_specific"``: CTGAN's
        mode-specific normalisation (Xu et al. 2019, Sec. 4.2, with its
        authors' settings): a variational Gaussian mixture per column (at
        most 10 modes), each value represented by its mode -- a one-hot block
        the generator draws by Gumbel-softmax, like a categorical column --
        and its offset from that mode's mean in ``[-1, 1]``; the mixtures are
        fitted on at most 2,000 rows. Not with ``image_shape``.
    categorical_features : "auto" or array-like of int, str or bool, default="auto"
        Columns generated as categories, named as ``SMOTENC``'s parameter
        of that name: column indices, column names (X a DataFrame), a
        boolean mask, or ``"auto"``: a DataFrame's ``category``, ``object``,
        ``string`` and ``bool`` columns, every column of a bool or string
        array, and the columns of an object array holding values that are
        not numbers (a numeric array has none). Each categorical column is
        one-hot encoded for the nets (``categorical_encoder_``), and the
        generator ends in one block per column drawn by Gumbel-softmax
        (temperature 0.2, soft while training, an exact one-hot draw when
        sampling; CTGAN's construction, Xu et al. 2019): generated rows hold
        categories seen in X, never a blend. Other columns are continuous
        (``scaling``); those of integer dtype come back rounded. The reward
        classifier then sees the continuous columns followed by the one-hot
        blocks. Categories are not ordered; missing values in a categorical
        column are refused. Not with ``image_shape``.
    ema_decay : float in [0, 1) or None, default=0.99
        Rows are drawn from an exponential moving average of the generator's
        weights, ``theta_avg <- d * theta_avg + (1 - d) * theta`` after every
        generator step (Yazici et al. 2019; ProGAN / StyleGAN sample from such
        an average): it smooths the oscillation of GAN training, which on
        small classes otherwise returns collapsed, off-manifold rows.
        ``0.99`` averages over about the last 100 iterations. ``None``
        samples from the last generator, as the paper does. Training itself
        (and the reward) uses the current generator either way.
    mode_seeking : float, default=0.1
        Weight of MSGAN's mode-seeking term in the generator loss (Mao et
        al. 2019, Eq. 3): each batch holds pairs of rows with one label and
        two noises, and the generator is penalised by ``1 / (d_x / d_z)``,
        the inverse ratio of their distances, when two noises give nearly
        the same row. Without it the rows generated for a small class tend
        to collapse onto a fraction of the class's spread; the default
        ``0.1`` is the weight whose generated spread came closest to the
        real one (smaller weights spread the rows less, larger ones more),
        see :ref:`results_imbalanced`. On balanced data, unfiltered rows
        (``margin=None``) may cost the downstream classifier a little more
        with it than without (see :ref:`results_paper`). ``0`` is off, as in
        the paper. Not in the paper: it departs from it to make the
        generator cover its class.
    uncertainty_gradient : {"pathwise", "score_function"}, default="pathwise"
        How the generator's gradient is read from Eq. 9-10.
        ``"pathwise"``: ``log P(phi(x_hat) | Theta)`` under the buffer's
        fitted mixture, differentiated through the samples, so each
        high-reward sample is pulled towards the mixture's modes.
        ``"score_function"``: the samples are the actions and held fixed,
        and ``Theta`` is re-estimated from the current batch (one M-step
        with the fitted responsibilities and one pseudo-row per component at
        the fitted parameters), so the gradient moves the batch's
        distribution towards high-reward samples (§4.3: "this sample is
        encouraged to be generated with a high probability"). The paper does
        not say which; see :ref:`user_guide_activegan`.
    learning_rate : float, default=2e-4
        Adam learning rate of both nets (betas 0.5, 0.999; paper: 2e-4).
    buffer_size : int, default=10
        Generated batches kept for the GMM (the paper's ``m``).
    n_components : int, default=10
        Number of GMM components ``K``.
    gmm_update_every : int, default=5
        Iterations between GMM refits (warm-started EM).
    device : str, default="cpu"
        Torch device, e.g. ``"cuda"``.
    n_jobs : int or None, default=None
        Torch threads of this estimator's computations (training and
        generation). ``None`` means 1, unless it runs inside an estimator of
        this package that sets ``n_jobs`` (e.g. the active learner); ``-1``
        means all cores. One thread is the fastest setting for these small
        nets on an idle machine and by far the fastest on a busy one (see
        :ref:`user_guide_performance`); more can help large ``image_shape``
        nets. Under ``GridSearchCV(n_jobs=k)`` or on Dask each worker fits
        with its own ``n_jobs`` threads. torch's global setting is restored
        afterwards.
    callbacks : list of skorch callbacks or None, default=None
        Extra callbacks for the skorch net, called on skorch's epoch and batch
        events and on ``on_grad_computed``, which fires before each of the two
        optimizer steps with that net's parameters (so
        ``skorch.callbacks.GradientNormClipping`` clips the discriminator's and
        the generator's gradients). A ``skorch.callbacks.LRScheduler``
        schedules the generator's optimizer, and the discriminator's follows
        its rate.
        There is no validation split, so callbacks that monitor
        ``valid_loss`` do not apply.
    verbose : int, default=0
        0 silent; 1 one progress bar on stderr for the whole fit (iterations,
        total, ETA, and the latest batch's ``D loss`` -- discriminator, Eq. 4
        --, ``G loss`` -- generator, Eq. 5 plus ``lam * U`` --, ``U`` -- the
        uncertainty term, Eq. 9-10 -- and the mean ``reward``, Eq. 8); 2 also
        10 plain lines with the means of those since the previous line. When
        stderr is not a terminal (a log, CI) there is no bar, only the 10
        lines, at either level. No colour codes.
    twin_auxiliary : bool, default=True
        TAC-GAN's twin auxiliary classifier (Gong et al. 2019): the
        discriminator's class head learns from real rows only, a twin head
        learns to classify the generated rows, and the generator loss
        subtracts the twin's cross-entropy. AC-GAN's generator loss hides a
        term that minimises the class entropy of the generated rows, pulling
        them away from where classes overlap -- where a small class often
        lives; the twin cancels it. The default because it is the unbiased
        form of the class-conditional objective, and the rows generated for
        a small class cover more of it (they recall more held-out rows of
        the class, and their per-feature spread is closer to the real one);
        see :ref:`results_imbalanced`. ``False`` is plain AC-GAN, as in the
        ActiveGAN paper.
    projection : bool, default=False
        Condition the discriminator's real/fake head on the label too, by the
        projection discriminator's term ``<embed(y), phi(x)>`` (Miyato &
        Koyama 2018, Eq. 3) added to its logit: a generated row must then pass
        as a real row *of its class*, not merely as a real row, which the
        class head alone enforces only through the class's decision region.
        The class head (AC-GAN) stays. Off by default; see
        :ref:`results_imbalanced`.
    minibatch_std : bool, default=False
        Give the MLP discriminator's last hidden layer the batch's mean
        feature standard deviation as one more input (ProGAN's minibatch
        standard deviation, Karras et al. 2018), so that a collapsed
        generated batch is told from a real one. Not with ``image_shape``.
        Off by default; see :ref:`results_imbalanced`.
    spectral_norm : bool, default=False
        Spectrally normalise every discriminator layer (SN-GAN, Miyato et al.
        2018), a Lipschitz constraint that keeps the discriminator's
        gradients informative. The losses stay AC-GAN's unless
        ``adversarial_loss="hinge"``. Off by default; see
        :ref:`results_imbalanced`.
    adversarial_loss : {"bce", "hinge", "wasserstein"}, default="bce"
        The real/fake part of both nets' losses: AC-GAN's binary
        cross-entropies (the generator's in the non-saturating form, as in the
        paper); the hinge loss that SN-GAN and BigGAN pair with spectral
        normalisation (Lim & Ye 2017; Miyato et al. 2018, Eq. 16-17):
        ``mean(relu(1 - D(x))) + mean(relu(1 + D(G(z))))`` for the
        discriminator and ``-mean(D(G(z)))`` for the generator; or WGAN-GP's
        (Gulrajani et al. 2017, Eq. 3, the loss CTGAN trains with):
        ``mean(D(G(z))) - mean(D(x)) + 10 * mean((||grad D(x_tilde)|| - 1)^2)``
        on random points ``x_tilde`` between real and generated rows, and
        ``-mean(D(G(z)))`` for the generator (CTGAN's loss, without its
        PacGAN packing). With ``"wasserstein"`` Adam's second moment decays
        faster (``betas=(0.5, 0.9)``, CTGAN's; the WGAN-GP paper's second
        moment decay is 0.9 too), and the discriminator takes one step per
        generator step, as CTGAN's default does (the paper takes five). Not
        with ``minibatch_std=True``: the penalty is defined per row, and a
        batch statistic couples the rows' gradients. The class heads keep
        their cross-entropies in every case (as in the conditional CIFAR-10
        model of [8]_), and the recorded ``d_loss`` includes the penalty.
        The default is ``"bce"``; see :ref:`results_imbalanced` for how the
        three compare.
    uncertainty_priors : {"fitted", "balanced"}, default="fitted"
        The class priors under which the reward classifier's probabilities
        are read, wherever they measure uncertainty: the reward (Eq. 8), the
        "+F" margin and :meth:`informative_ratio`. ``"fitted"``: as the
        classifier gives them, i.e. under the class frequencies it was fitted
        on. ``"balanced"``: re-read under equal priors,
        ``p(c | x) / pi_c`` renormalised (Saerens et al. 2002). On imbalanced
        data a classifier is most uncertain where ``p(minority | x) = 0.5``,
        which lies inside the minority class, not at the boundary that
        balanced accuracy depends on; the GAN itself trains with balanced
        classes (``batch_sampling``, uniform generated labels), and
        ``"balanced"`` makes "uncertain" mean the same. Nothing changes when
        the classifier's classes are equally frequent (the paper's setting).
        It assumes the classifier's probabilities follow the frequencies of
        its training rows: a ``classifier`` that already reweights its
        classes (``class_weight="balanced"``, a resampling pipeline) reads
        under equal priors by itself and should keep ``"fitted"``.

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of rows to generate per class.
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in ``fit_resample``.
    classifier_ : estimator
        The fitted reward classifier (on encoded labels; with categorical
        columns, on the continuous columns followed by their one-hot blocks).
    scaler_ : MinMaxScaler, Pipeline, ModeSpecificNormalizer or None
        Maps the continuous columns to the generator's ``[-1, 1]`` space
        (``scaling``; ``"mode_specific"`` adds a one-hot mode block per
        column); None when every column is categorical.
    categorical_features_ : ndarray of int
        Indices of the columns generated as categories.
    continuous_features_ : ndarray of int
        Indices of the other columns.
    categorical_encoder_ : OneHotEncoder or None
        One-hot encoder of the categorical columns (None without any).
    net_ : ActiveGANNet
        The trained skorch net (``net_.module_`` is the generator).
    max_iter_ : int
        Training iterations asked for (``max_iter``, or what ``"auto"`` chose;
        the net trains whole epochs, so it may run a few more).
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
       Training", ICLR 2019 (``ema_decay``).
    .. [4] Q. Mao, H.-Y. Lee, H.-Y. Tseng, S. Ma, M.-H. Yang, "Mode Seeking
       Generative Adversarial Networks for Diverse Image Synthesis", CVPR
       2019 (``mode_seeking``).
    .. [5] L. Xu, M. Skoularidou, A. Cuesta-Infante, K. Veeramachaneni,
       "Modeling Tabular Data using Conditional GAN", NeurIPS 2019
       (``categorical_features``).
    .. [6] M. Gong, Y. Xu, C. Li, K. Zhang, K. Batmanghelich, "Twin
       Auxiliary Classifiers GAN", NeurIPS 2019 (``twin_auxiliary``).
    .. [7] T. Miyato, M. Koyama, "cGANs with Projection Discriminator", ICLR
       2018 (``projection``).
    .. [8] I. Gulrajani, F. Ahmed, M. Arjovsky, V. Dumoulin, A. Courville,
       "Improved Training of Wasserstein GANs", NeurIPS 2017
       (``adversarial_loss="wasserstein"``).

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
        "margin": [Interval(numbers.Real, 0, 1, closed="right"), None],
        "reward": [StrOptions({"exponential", "thresholded"})],
        "reward_epsilon": [Interval(numbers.Real, 0, None, closed="left")],
        "reward_constant": [Interval(numbers.Real, 0, None, closed="left")],
        "baseline": ["boolean"],
        "density_weighting": [StrOptions({"none", "reward", "advantage"})],
        "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "hidden_layer_sizes": ["array-like"],
        "image_shape": ["array-like", None],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "n_warmup_iter": [Interval(numbers.Integral, 0, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 2, None, closed="left")],
        "batch_sampling": [StrOptions({"uniform", "balanced"})],
        "scaling": [StrOptions({"minmax", "quantile", "mode_specific"})],
        "categorical_features": ["array-like", StrOptions({"auto"})],
        "ema_decay": [Interval(numbers.Real, 0, 1, closed="left"), None],
        "mode_seeking": [Interval(numbers.Real, 0, None, closed="left")],
        "twin_auxiliary": ["boolean"],
        "projection": ["boolean"],
        "minibatch_std": ["boolean"],
        "spectral_norm": ["boolean"],
        "adversarial_loss": [StrOptions({"bce", "hinge", "wasserstein"})],
        "uncertainty_priors": [StrOptions({"fitted", "balanced"})],
        "uncertainty_gradient": [StrOptions({"pathwise", "score_function"})],
        "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
        "buffer_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_components": [Interval(numbers.Integral, 1, None, closed="left")],
        "gmm_update_every": [Interval(numbers.Integral, 1, None, closed="left")],
        "device": [str, torch.device],
        "n_jobs": [numbers.Integral, None],
        "callbacks": [list, None],
        "verbose": ["verbose"],
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
        reward="exponential",
        reward_epsilon=0.5,
        reward_constant=0.0,
        baseline=True,
        density_weighting="none",
        latent_dim=32,
        hidden_layer_sizes=(256, 128),
        image_shape=None,
        max_iter="auto",
        n_warmup_iter=500,
        batch_size=64,
        batch_sampling="balanced",
        scaling="minmax",
        categorical_features="auto",
        ema_decay=0.99,
        mode_seeking=0.1,
        uncertainty_gradient="pathwise",
        learning_rate=2e-4,
        buffer_size=10,
        n_components=10,
        gmm_update_every=5,
        device="cpu",
        n_jobs=None,
        callbacks=None,
        verbose=0,
        twin_auxiliary=True,
        projection=False,
        minibatch_std=False,
        spectral_norm=False,
        adversarial_loss="bce",
        uncertainty_priors="fitted",
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.classifier = classifier
        self.alpha = alpha
        self.lam = lam
        self.margin = margin
        self.reward = reward
        self.reward_epsilon = reward_epsilon
        self.reward_constant = reward_constant
        self.baseline = baseline
        self.density_weighting = density_weighting
        self.latent_dim = latent_dim
        self.hidden_layer_sizes = hidden_layer_sizes
        self.image_shape = image_shape
        self.max_iter = max_iter
        self.n_warmup_iter = n_warmup_iter
        self.batch_size = batch_size
        self.batch_sampling = batch_sampling
        self.scaling = scaling
        self.categorical_features = categorical_features
        self.ema_decay = ema_decay
        self.mode_seeking = mode_seeking
        self.twin_auxiliary = twin_auxiliary
        self.projection = projection
        self.minibatch_std = minibatch_std
        self.spectral_norm = spectral_norm
        self.adversarial_loss = adversarial_loss
        self.uncertainty_priors = uncertainty_priors
        self.uncertainty_gradient = uncertainty_gradient
        self.learning_rate = learning_rate
        self.buffer_size = buffer_size
        self.n_components = n_components
        self.gmm_update_every = gmm_update_every
        self.device = device
        self.n_jobs = n_jobs
        self.callbacks = callbacks
        self.verbose = verbose

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
        categorical, continuous = categorical_columns(X, self.categorical_features)
        self.categorical_features_, self.continuous_features_ = categorical, continuous
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
        codec = self._codec
        image_shape, hidden = check_architecture(
            self.image_shape, self.hidden_layer_sizes, codec.width
        )
        batch_size = min(self.batch_size, n_samples)
        max_iter = training_iterations(
            self.max_iter,
            np.bincount(y_encoded, minlength=n_classes),
            batch_size,
            self.batch_sampling,
        )
        self.max_iter_ = max_iter
        n_draws = rows_per_epoch(n_samples, max_iter, batch_size)
        n_batches = n_draws // batch_size
        reward = None
        if self.lam > 0:
            reward = ClassifierReward(
                self.classifier_,
                codec,
                self.alpha,
                self.reward,
                self.reward_epsilon,
                self.reward_constant,
                self._prior_weights,
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
                self.latent_dim,
                image_shape,
                hidden,
                codec.categorical_sizes,
                self.twin_auxiliary,
                self.projection,
                self.minibatch_std,
                self.spectral_norm,
            ),
            n_classes=n_classes,
            latent_dim=self.latent_dim,
            lam=self.lam,
            reward=reward,
            n_warmup_iter=self.n_warmup_iter,
            buffer_size=self.buffer_size,
            n_components=self.n_components,
            gmm_update_every=self.gmm_update_every,
            baseline=self.baseline,
            density_weighting=self.density_weighting,
            ema_decay=self.ema_decay,
            mode_seeking=self.mode_seeking,
            twin_auxiliary=self.twin_auxiliary,
            uncertainty_gradient=self.uncertainty_gradient,
            adversarial_loss=self.adversarial_loss,
            seed=seeds[0],
            lr=self.learning_rate,
            optimizer__betas=adam_betas(self.adversarial_loss),
            batch_size=batch_size,
            max_epochs=max_epochs,
            train_split=None,
            **iterator_params(self.batch_sampling, y_encoded, seeds[1], n_draws),
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
        device = check_device(self.device)
        continuous = self.continuous_features_
        check_value_scale(continuous_part(X, self.categorical_features_, continuous))
        check_architecture(self.image_shape, self.hidden_layer_sizes, X.shape[1])
        check_mlp_only_options(self.image_shape, self.minibatch_std, self.scaling)
        check_gradient_penalty_options(self.adversarial_loss, self.minibatch_std)
        seeds = draw_seed(check_random_state(self.random_state), size=3)

        scaler = make_scaler(self.scaling, X.shape[0], int(seeds[2]))
        self._codec = TabularCodec.fit(
            X, self.categorical_features_, continuous, self._integer_columns, scaler
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
        self._prior_weights = prior_weights(y_clf, len(self.classes_), self.uncertainty_priors)

        self.net_ = self._build_net(y_encoded, len(self.classes_), seeds, device)
        self.net_.fit(self._codec.to_generator(X), y_encoded.astype(np.int64))
        self.history_ = self.net_.history

        X_new, y_new = self._synthesize(
            self.sampling_strategy_, self.margin, self._torch_generator(seeds[2])
        )
        X_res = np.concatenate([X, X_new.astype(X.dtype, copy=False)])
        return X_res.astype(self._fit_dtype, copy=False), np.concatenate(
            [y, y_new.astype(y.dtype, copy=False)]
        )
