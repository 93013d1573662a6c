"""The advanced options of ActiveGANAugmenter, passed as one dict: ``gan_params``.

One place for their names, defaults, constraints and documentation. Every
option here is one a user may want for a reason the docs give (the paper's
exact setting, a loss variant, the architecture); options measured flat or
harmful are not offered (see the changelog).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping

from sklearn.utils._param_validation import (
    Interval,
    StrOptions,
    validate_parameter_constraints,
)

__all__ = ["GAN_PARAMS_DEFAULTS", "GAN_PARAMS_DOC", "resolve_gan_params"]

GAN_PARAMS_DEFAULTS = {
    "latent_dim": 32,
    "ema_decay": 0.99,
    "mode_seeking": 0.1,
    "twin_auxiliary": True,
    "adversarial_loss": "bce",
    "batch_sampling": "balanced",
    "uncertainty_gradient": "pathwise",
    "uncertainty_priors": "fitted",
    "buffer_size": 10,
    "n_components": 10,
}

_CONSTRAINTS = {
    "latent_dim": [Interval(numbers.Integral, 1, None, closed="left")],
    "ema_decay": [Interval(numbers.Real, 0, 1, closed="left"), None],
    "mode_seeking": [Interval(numbers.Real, 0, None, closed="left")],
    "twin_auxiliary": ["boolean"],
    "adversarial_loss": [StrOptions({"bce", "wasserstein"})],
    "batch_sampling": [StrOptions({"balanced", "uniform"})],
    "uncertainty_gradient": [StrOptions({"pathwise", "score_function"})],
    "uncertainty_priors": [StrOptions({"fitted", "balanced"})],
    "buffer_size": [Interval(numbers.Integral, 1, None, closed="left")],
    "n_components": [Interval(numbers.Integral, 1, None, closed="left")],
}

GAN_PARAMS_DOC = """\
gan_params : dict or None, default=None
        Advanced options of the GAN, by name; ``None`` or a missing key means
        the default. Tune them like any parameter, e.g.
        ``GridSearchCV(aug, {"gan_params": [None, {"ema_decay": None}]})``.
        The :ref:`User Guide <user_guide_activegan_defaults>` explains each.

        - ``latent_dim`` (int, 32): dimension of the generator's noise.
        - ``ema_decay`` (float in [0, 1) or None, 0.99): rows are drawn from an
          exponential moving average of the generator's weights [3]_; ``None``
          draws from the last generator, as the paper does.
        - ``mode_seeking`` (float, 0.1): weight of MSGAN's mode-seeking term
          [4]_ (Eq. 3), which keeps the rows of a small class from
          collapsing; ``0`` is off, as in the paper.
        - ``twin_auxiliary`` (bool, True): TAC-GAN's twin auxiliary
          classifier [5]_, which removes AC-GAN's pull of generated rows away
          from where classes overlap; ``False`` is the paper's AC-GAN.
        - ``adversarial_loss`` ("bce" or "wasserstein", "bce"): AC-GAN's
          cross-entropies, or WGAN-GP's loss [6]_ (Eq. 3; the loss CTGAN
          trains with, with its Adam betas ``(0.5, 0.9)``).
        - ``batch_sampling`` ("balanced" or "uniform", "balanced"): real rows
          drawn with weight ``1 / n_class``, so each class fills the same
          share of a batch as its generated labels do; ``"uniform"`` is a
          shuffled pass over the rows, as in the paper.
        - ``uncertainty_gradient`` ("pathwise" or "score_function",
          "pathwise"): how the generator's gradient is read from Eq. 9-10
          (the paper does not say; the User Guide compares the two).
        - ``uncertainty_priors`` ("fitted" or "balanced", "fitted"): read the
          reward classifier's probabilities under the class frequencies it
          was fitted on, or under equal priors (``p(c | x) / pi_c``
          renormalised), wherever uncertainty is measured (reward, "+F",
          :meth:`informative_ratio`).
        - ``buffer_size`` (int, 10): generated batches kept for the mixture
          of Eq. 9 (the paper's ``m``).
        - ``n_components`` (int, 10): components ``K`` of that mixture."""


def resolve_gan_params(gan_params):
    """Return every advanced option: the defaults updated by ``gan_params``.

    Raises
    ------
    ValueError
        For a key that is not an option (the message lists the options) or
        a value outside an option's range (the message names the option).
    """
    if gan_params is None:
        return dict(GAN_PARAMS_DEFAULTS)
    if not isinstance(gan_params, Mapping):
        raise TypeError(
            f"gan_params must be a dict of options or None; got {type(gan_params).__name__}."
        )
    unknown = sorted(set(gan_params) - set(GAN_PARAMS_DEFAULTS), key=str)
    if unknown:
        raise ValueError(
            f"gan_params has no option {', '.join(map(repr, unknown))}; "
            f"the options are {', '.join(GAN_PARAMS_DEFAULTS)}."
        )
    params = {**GAN_PARAMS_DEFAULTS, **gan_params}
    validate_parameter_constraints(
        _CONSTRAINTS, params, caller_name="ActiveGANAugmenter's gan_params"
    )
    return params
