"""Drawing rows from a trained ActiveGAN generator (shared by fit_resample and users)."""

from __future__ import annotations

import numbers

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from .._seeds import draw_seed
from .._torch import uses_torch_threads
from .._validation import check_count, warn
from ..uncertainty import margin as margin_of
from ._columns import to_object_table
from ._reward import balanced_posteriors
from ._scaling import inverse_scale, is_min_max

# The "+F" filter draws at most this many candidates per requested sample.
_MAX_CANDIDATES_PER_SAMPLE = 50
PAPER_THRESHOLDS = (0.1, 0.15, 0.2, 0.25, 0.3)
"""Margin thresholds ``t`` of ActiveGAN's informative ratio (Kong et al., Fig. 3 and Table 3).

The default of :meth:`~skactive.ActiveGANAugmenter.informative_ratio`, and the
thresholds that :ref:`results_paper` and the gallery report.
"""
# Rows generated per forward pass when drawing samples after training.
_GENERATION_CHUNK = 4096


def _check_threshold(margin, name="margin"):
    """Return the "+F" band ``(low, high)`` of ``margin``, or None for no filter.

    A float ``t`` in (0, 1] is the paper's threshold, the band ``(0, t)``; a
    pair ``(low, high)`` with ``0 <= low < high <= 1`` keeps the rows whose
    margin lies between them (both ends included).
    """
    if margin is None:
        return None
    if isinstance(margin, numbers.Real) and not isinstance(margin, bool):
        if not 0 < margin <= 1:
            raise ValueError(
                f"{name} must be a float in (0, 1], a pair (low, high) or None; got {margin!r}."
            )
        return 0.0, float(margin)
    pair = tuple(margin) if isinstance(margin, (tuple, list)) else ()
    numbers_only = all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in pair)
    if len(pair) != 2 or not numbers_only or not 0 <= pair[0] < pair[1] <= 1:
        raise ValueError(
            f"{name} must be a float in (0, 1], a pair (low, high) with "
            f"0 <= low < high <= 1, or None; got {margin!r}."
        )
    return float(pair[0]), float(pair[1])


def _band_text(band):
    """Write the band as the caller wrote it: ``t`` for the threshold, else ``(low, high)``."""
    low, high = band
    return f"{high}" if low == 0 else f"({low}, {high})"


class _GeneratorMixin:
    """``generate``, ``sample`` and ``informative_ratio`` of a fitted ActiveGANAugmenter.

    Needs ``net_``, ``_codec``, ``classifier_``, ``classes_``, the column
    attributes and ``n_features_in_`` (set by ``fit_resample``). Rows are
    drawn in the generator's space and mapped to the classifier's (margins,
    "+F") or the caller's (output) by the codec.
    """

    def _is_mixed(self):
        return self.categorical_features_.size > 0

    def _torch_generator(self, seed):
        return torch.Generator(device=self.net_.device).manual_seed(int(seed))

    def _draw(self, y_encoded, generator):
        """Generate rows for encoded labels, in the generator's space (float64)."""
        if len(y_encoded) == 0:
            return np.empty((0, self._codec.width))
        labels = torch.as_tensor(np.asarray(y_encoded), dtype=torch.long)
        X = np.concatenate(
            [
                self.net_.generate(chunk, generator).cpu().numpy().astype(np.float64)
                for chunk in torch.split(labels, _GENERATION_CHUNK)
            ]
        )
        if not np.isfinite(X).all():
            raise RuntimeError(
                "The generator produced NaN or infinite values: GAN training "
                "diverged. Lower learning_rate or lam, or standardise X."
            )
        return X

    def _uncertainty_proba(self, X):
        """Return the reward classifier's posteriors of rows X, read as the reward reads them.

        Under equal class priors with ``uncertainty_priors="balanced"``.
        """
        return balanced_posteriors(self.classifier_.predict_proba(X), self._prior_weights)

    def _margins(self, x_gen):
        X = self._codec.generated_to_classifier(x_gen)
        return margin_of(self._uncertainty_proba(X))

    def _caller_table(self, X):
        """Validate caller rows (``reset=False``) into the form the codec reads."""
        if not self._is_mixed():
            return validate_data(self, X, reset=False)
        validate_data(self, X, reset=False, skip_check_array=True)
        return to_object_table(X, self.categorical_features_, self.continuous_features_)

    def _as_caller_output(self, X_new):
        """Return generated rows in the form ``fit_resample`` returned.

        The fit's array dtype, or a DataFrame with its columns and dtypes.
        """
        X_new = X_new.astype(self._fit_dtype, copy=False)
        if self._fit_frame is None:
            return X_new
        import pandas as pd

        columns, dtypes = self._fit_frame
        return pd.DataFrame(X_new, columns=columns).astype(dtypes)

    def _draw_class(self, class_index, n_samples, band, generator):
        """Draw ``n_samples`` rows of one class, kept in the "+F" ``band`` if one is given."""
        labels = np.full(n_samples, class_index)
        if band is None or n_samples == 0:
            return self._draw(labels, generator)
        low, high = band
        kept, n_kept, n_drawn = [], 0, 0
        max_candidates = _MAX_CANDIDATES_PER_SAMPLE * n_samples
        while n_kept < n_samples and n_drawn < max_candidates:
            n_batch = min(max(2 * (n_samples - n_kept), 256), max_candidates - n_drawn)
            X = self._draw(np.full(n_batch, class_index), generator)
            margins = self._margins(X)
            X = X[(low <= margins) & (margins <= high)]
            kept.append(X)
            n_kept += len(X)
            n_drawn += n_batch
        X = np.concatenate(kept)[:n_samples]
        if len(X) < n_samples:
            warn(
                f"margin={_band_text(band)}: only {len(X)} of {n_samples} generated rows "
                f"of class {self.classes_[class_index].tolist()!r} passed the filter after "
                f"{n_drawn} candidates; returning {len(X)}. Widen `margin` (a looser "
                "filter) or use margin=None.",
            )
        return X

    def _synthesize(self, counts, margin, generator):
        """Generate rows for ``{label: n_samples}``, in the order of ``counts``.

        Returned in the caller's space (float64, or objects for a mixed table).
        """
        X_new, y_new = [np.empty((0, self._codec.width))], [self.classes_[:0]]
        for label, n_samples in counts.items():
            class_index = int(np.searchsorted(self.classes_, label))
            X_new.append(self._draw_class(class_index, int(n_samples), margin, generator))
            y_new.append(np.full(len(X_new[-1]), label, dtype=self.classes_.dtype))
        return self._codec.generated_to_caller(np.concatenate(X_new)), np.concatenate(y_new)

    # -- generator protocol: latent codes in, rows out ------------------------
    @property
    def latent_device_(self) -> torch.device:
        """Device of the latent codes (the trained generator's)."""
        check_is_fitted(self, "net_")
        return torch.device(self.net_.device)

    @property
    def differentiable_decode_(self) -> bool:
        """Whether :meth:`decode_differentiable` is available.

        True when the map from the generator's output to the caller's
        features is affine (``scaling="minmax"``) and every column is
        continuous.
        """
        check_is_fitted(self, "net_")
        return self.scaler_ is not None and is_min_max(self.scaler_) and not self._is_mixed()

    def sample_latent(self, n_samples, generator=None) -> torch.Tensor:
        """Latent codes ``z ~ N(0, I)`` for :meth:`decode`.

        Part of the generator protocol that :class:`~skactive.query.GAALQuery`
        uses: ``sample_latent`` (whose width is the latent dimension),
        :meth:`decode`, :meth:`decode_differentiable`, ``classes_``,
        ``n_features_in_``, ``latent_device_`` and ``differentiable_decode_``.

        Parameters
        ----------
        n_samples : int
        generator : torch.Generator or None, default=None
            Source of the draw, on ``latent_device_`` (None: the net's own).

        Returns
        -------
        z : torch.Tensor of shape (n_samples, latent_dim)
        """
        check_is_fitted(self, "net_")
        return self.net_.draw_noise(n_samples, generator)

    def _check_numeric_decode(self):
        check_is_fitted(self, "net_")
        named = np.setdiff1d(self.categorical_features_, self.coded_features_)
        if named.size:
            raise ValueError(
                f"decode maps latent codes to numeric rows; this generator was fitted with "
                f"categorical columns {named.tolist()}, which are not numbers. Fit it on "
                "numeric features (one-hot encode the categories first) or with "
                'categorical_features="none".'
            )
        module = self.net_.generator_for_sampling()
        module.eval()
        return module

    def decode(self, z, y) -> np.ndarray:
        """Rows in the caller's feature space for latent codes and encoded labels.

        The weight-averaged generator (if any) in eval mode, then the inverse
        of ``scaler_`` clipped to each feature's training range, as
        :meth:`generate` does; no gradient. Numeric tables only: numeric
        codes (``coded_features_``) come back as the numbers they are, as
        :meth:`generate` returns them.

        Parameters
        ----------
        z : torch.Tensor of shape (n, latent_dim)
            Latent codes (e.g. from :meth:`sample_latent`).
        y : torch.Tensor of int64, shape (n,)
            Class indices into ``classes_``.

        Returns
        -------
        X : ndarray of shape (n, n_features)
        """
        module = self._check_numeric_decode()
        with torch.no_grad():
            x_scaled = module(z, y).cpu().numpy().astype(np.float64)
        if self._is_mixed():  # every categorical column a numeric code
            return self._codec.generated_to_classifier(x_scaled)
        return inverse_scale(self.scaler_, x_scaled)

    def decode_differentiable(self, z, y) -> torch.Tensor:
        """:meth:`decode` as a differentiable torch computation (not clipped).

        Available when ``differentiable_decode_`` is True (min-max scaling):
        ``MinMaxScaler.inverse_transform`` written in torch, so a loss on the
        rows can be back-propagated to ``z`` (GAAL's gradient search).

        Parameters
        ----------
        z : torch.Tensor of shape (n, latent_dim)
        y : torch.Tensor of int64, shape (n,)

        Returns
        -------
        X : torch.Tensor of shape (n, n_features)
        """
        module = self._check_numeric_decode()
        if not self.differentiable_decode_:
            raise ValueError(
                "decode_differentiable needs the generator's min-max output map; this one "
                f"was fitted with scaling={self.scaling!r}. Use decode, or refit with "
                "scaling='minmax'."
            )
        x_scaled = module(z, y)
        offset = torch.as_tensor(self.scaler_.min_, dtype=x_scaled.dtype, device=x_scaled.device)
        scale = torch.as_tensor(self.scaler_.scale_, dtype=x_scaled.dtype, device=x_scaled.device)
        return (x_scaled - offset) / scale

    # -- after fitting ------------------------------------------------------
    @uses_torch_threads
    def sample(self, n_samples=None, *, margin="fit", random_state=None):
        """Draw a new labeled synthetic set from the trained generator.

        The synthetic part of :meth:`fit_resample` again, without retraining:
        use it to try several "+F" thresholds on one trained GAN (the paper
        tunes the threshold over {0.1, ..., 0.3}, Sec. 5.2).

        Parameters
        ----------
        n_samples : dict {label: int} or None, default=None
            Rows to draw per class. ``None`` draws what ``sampling_strategy``
            resolved to in :meth:`fit_resample` (``sampling_strategy_``).
        margin : float in (0, 1], (low, high), None or "fit", default="fit"
            "+F" filter: keep only rows whose ``classifier_`` margin (Eq. 6,
            read under ``uncertainty_priors``) is at most ``margin``, or lies
            in the band ``low <= margin <= high``; fewer rows than asked come
            back (with a ``UserWarning``) when too few candidates pass.
            ``None`` keeps every row; ``"fit"`` uses the estimator's
            ``margin``.
        random_state : int, RandomState instance or None, default=None
            Seed of the noise.

        Returns
        -------
        X_new : ndarray or DataFrame of shape (n_new, n_features)
            Generated rows as ``fit_resample`` returns them: the dtype of
            the X it saw (integer columns rounded, categorical columns
            holding their categories), a DataFrame with its columns and
            dtypes when it saw one.
        y_new : ndarray of shape (n_new,)
            Their labels.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from skactive import ActiveGANAugmenter
        >>> X, y = load_iris(return_X_y=True)
        >>> aug = ActiveGANAugmenter(sampling_strategy={0: 60, 1: 60, 2: 60},
        ...                          max_iter=20, n_warmup_iter=10, random_state=0)
        >>> _ = aug.fit_resample(X, y)
        >>> X_new, y_new = aug.sample({0: 5, 2: 3}, margin=None, random_state=0)
        >>> X_new.shape, y_new.tolist()
        ((8, 4), [0, 0, 0, 0, 0, 2, 2, 2])
        """
        check_is_fitted(self, "net_")
        if n_samples is None:
            n_samples = self.sampling_strategy_
        if not isinstance(n_samples, dict):
            raise TypeError(
                f"n_samples must be a dict {{label: int}} or None; got {type(n_samples).__name__}."
            )
        unknown = [label for label in n_samples if label not in set(self.classes_.tolist())]
        if unknown:
            raise ValueError(
                f"n_samples holds labels not seen in fit_resample: {unknown!r}; "
                f"known classes are {self.classes_.tolist()!r}."
            )
        bad = {k: v for k, v in n_samples.items() if not isinstance(v, numbers.Integral) or v < 0}
        if bad:
            raise ValueError(f"n_samples must map labels to non-negative ints; got {bad!r}.")
        threshold = self.margin if isinstance(margin, str) and margin == "fit" else margin
        threshold = _check_threshold(threshold)
        seed = draw_seed(check_random_state(random_state))
        X_new, y_new = self._synthesize(n_samples, threshold, self._torch_generator(seed))
        return self._as_caller_output(X_new), y_new

    @uses_torch_threads
    def generate(self, y, *, random_state=None) -> np.ndarray:
        """Draw new rows from the trained generator, one per label in ``y``.

        No filter is applied; score them with :meth:`informative_ratio` or
        :func:`skactive.uncertainty.margin` on ``classifier_``.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            Labels (from ``classes_``) to generate.
        random_state : int, RandomState instance or None, default=None
            Seed of the noise.

        Returns
        -------
        X : ndarray or DataFrame of shape (n_samples, n_features)
            Generated rows in the caller's form, as :meth:`sample` returns them.
        """
        check_is_fitted(self, "net_")
        y = column_or_1d(y)
        unknown = np.setdiff1d(y, self.classes_)
        if unknown.size:
            raise ValueError(
                f"y holds labels not seen in fit_resample: {unknown.tolist()!r}; "
                f"known classes are {self.classes_.tolist()!r}."
            )
        seed = draw_seed(check_random_state(random_state))
        x_gen = self._draw(np.searchsorted(self.classes_, y), self._torch_generator(seed))
        return self._as_caller_output(self._codec.generated_to_caller(x_gen))

    @uses_torch_threads
    def informative_ratio(
        self, thresholds=PAPER_THRESHOLDS, *, X=None, n_samples=1000, random_state=0
    ) -> np.ndarray:
        """Share of samples whose classifier margin is at most each threshold.

        The paper's Fig. 3 measure: the ratio of "informative" generated
        samples (margin ``<= t``, Eq. 6, read under ``uncertainty_priors``)
        at every threshold ``t``.

        Parameters
        ----------
        thresholds : sequence of float in (0, 1], default=(0.1, 0.15, 0.2, 0.25, 0.3)
            Margin thresholds (the paper's).
        X : array-like of shape (n, n_features), default=None
            Rows to score. ``None`` draws ``n_samples`` rows from the generator,
            spread evenly over the classes.
        n_samples : int, default=1000
            Rows to draw when ``X`` is None.
        random_state : int, RandomState instance or None, default=0
            Seed of the draw when ``X`` is None.

        Returns
        -------
        ratio : ndarray of shape (len(thresholds),)
        """
        check_is_fitted(self, "net_")
        thresholds = np.asarray(thresholds, dtype=float).ravel()
        if thresholds.size == 0 or np.any((thresholds <= 0) | (thresholds > 1)):
            raise ValueError(f"thresholds must lie in (0, 1]; got {thresholds!r}.")
        if X is None:
            check_count(n_samples, "n_samples")
            seed = draw_seed(check_random_state(random_state))
            labels = np.arange(n_samples) % len(self.classes_)
            margins = self._margins(self._draw(labels, self._torch_generator(seed)))
        else:
            X = self._codec.to_classifier(self._caller_table(X))
            margins = margin_of(self._uncertainty_proba(X))
        return (margins[:, None] <= thresholds[None, :]).mean(axis=0)
