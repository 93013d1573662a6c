"""Maps between the caller's features and the generator's ``[-1, 1]`` output space."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, QuantileTransformer
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_is_fitted

__all__ = [
    "ModeSpecificNormalizer",
    "feature_bounds",
    "inverse_scale",
    "is_min_max",
    "make_scaler",
    "mode_sizes",
]

# Quantiles of QuantileTransformer: sklearn's default, or one per row when fewer.
_MAX_QUANTILES = 1000


def make_scaler(kind: str, n_samples: int, random_state=None):
    """Unfitted transformer from the caller's features to ``[-1, 1]``.

    - ``"minmax"``: each feature's training range onto ``[-1, 1]``
      (``MinMaxScaler``), what DCGAN-style tanh generators expect.
    - ``"mode_specific"``: CTGAN's mode-specific normalisation
      (:class:`ModeSpecificNormalizer`): each feature becomes a value in
      ``[-1, 1]`` within one mode of a Gaussian mixture fitted to it, plus a
      one-hot block naming the mode.
    - ``"quantile"``: each feature first to normal scores by its empirical
      quantiles (``QuantileTransformer(output_distribution="normal")``), then
      min-max onto ``[-1, 1]``. Skewed or heavy-tailed columns do not
      squeeze most rows into a sliver of the tanh range, and the inverse maps
      any generator output to a value between the training quantiles, so
      generated values follow each column's observed marginal (a cheap
      stand-in for CTGAN's mode-specific normalisation, Xu et al. 2019).

    Parameters
    ----------
    kind : {"minmax", "quantile", "mode_specific"}
    n_samples : int
        Training rows (caps the number of quantiles).
    random_state : int or None
        Seeds the quantile transformer's subsampling (used above 10,000 rows).
    """
    if kind == "mode_specific":
        return ModeSpecificNormalizer(random_state=random_state)
    minmax = MinMaxScaler(feature_range=(-1, 1))
    if kind == "minmax":
        return minmax
    if kind == "quantile":
        quantile = QuantileTransformer(
            n_quantiles=int(min(_MAX_QUANTILES, n_samples)),
            output_distribution="normal",
            random_state=random_state,
        )
        return Pipeline([("quantile", quantile), ("minmax", minmax)])
    raise ValueError(f"scaling must be 'minmax', 'quantile' or 'mode_specific'; got {kind!r}.")


def is_min_max(scaler) -> bool:
    """Tell whether a fitted :func:`make_scaler` is the plain min-max map.

    Its inverse is then affine, so it can be written in torch and differentiated.
    """
    return isinstance(scaler, MinMaxScaler)


def feature_bounds(scaler):
    """Per-feature ``(low, high)`` training range of a fitted :func:`make_scaler`."""
    if isinstance(scaler, Pipeline):
        quantiles = scaler.named_steps["quantile"].quantiles_
        return quantiles[0], quantiles[-1]
    return scaler.data_min_, scaler.data_max_


def inverse_scale(scaler, x_scaled: np.ndarray) -> np.ndarray:
    """Map generator output back to the caller's features, inside the training range.

    tanh keeps rows inside ``[-1, 1]``, except that constant features sit at
    one end of it: values are clipped to each feature's training range.
    """
    low, high = feature_bounds(scaler)
    if not len(x_scaled):  # the caller's width (mode blocks are not columns of X)
        return np.empty((0, len(low)))
    if is_min_max(scaler):
        # MinMaxScaler.inverse_transform's arithmetic without its input
        # validation, which cost more than the rest of the reward together on
        # every training batch
        original = (np.asarray(x_scaled, dtype=np.float64) - scaler.min_) / scaler.scale_
    else:
        original = scaler.inverse_transform(x_scaled)
    return np.clip(original, low, high)


def mode_sizes(scaler) -> tuple:
    """Widths of the one-hot mode blocks a fitted scaler adds after its values (or ``()``)."""
    return tuple(getattr(scaler, "block_sizes_", ()))


# CTGAN's settings (Xu et al. 2019, Sec. 4.2, and the authors' ctgan / rdt code):
# at most 10 modes per column, a Dirichlet-process prior that switches unneeded
# ones off, modes with weight <= 0.005 dropped, offsets in units of 4 std.
_MAX_MODES = 10
_WEIGHT_PRIOR = 1e-3
_WEIGHT_THRESHOLD = 5e-3
_STD_MULTIPLIER = 4.0
_MAX_OFFSET = 0.99
# The mixtures are fitted on at most this many rows (a seeded subsample).
_MAX_MIXTURE_ROWS = 2000


class ModeSpecificNormalizer(TransformerMixin, BaseEstimator):
    """CTGAN's mode-specific normalisation of continuous columns.

    Each column gets a variational Gaussian mixture (at most 10 modes, a
    Dirichlet-process weight prior of 0.001, modes of weight ``<= 0.005``
    dropped). A value ``x`` is represented by a mode ``k`` drawn from its
    posterior over the kept modes and its offset ``(x - mu_k) / (4 sigma_k)``
    clipped to ``[-0.99, 0.99]`` (Xu et al. 2019, Sec. 4.2: the value ``alpha``
    and the one-hot ``beta``). :meth:`transform` returns the offsets of all
    columns followed by one one-hot block per column (``block_sizes_``), the
    layout the generator's tanh outputs and Gumbel-softmax blocks produce;
    :meth:`inverse_transform` takes each block's largest entry as the mode and
    maps the offset back. A multi-modal or skewed column keeps its shape
    instead of being squeezed into part of ``[-1, 1]``.

    The mixtures are fitted on a seeded subsample of at most 2,000 rows (the
    fit of a mixture per column is the cost of this representation), each on
    its column standardised so that the result does not depend on the
    column's units; a column with fewer distinct values than 10 gets at most
    that many modes. Values whose offset would pass ``4 sigma`` of their mode
    are clipped there, and :func:`inverse_scale` clips generated values to the
    column's training range, as for the other scalings.

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Seeds the mixtures, the subsample and the draw of each row's mode.

    Attributes
    ----------
    block_sizes_ : tuple of int
        Modes kept per column.
    means_, stds_ : list of ndarray
        Per column, the kept modes' means and standard deviations (in the
        column's units).
    data_min_, data_max_ : ndarray of shape (n_features,)
        Each column's training range.

    References
    ----------
    .. [1] L. Xu, M. Skoularidou, A. Cuesta-Infante, K. Veeramachaneni,
       "Modeling Tabular Data using Conditional GAN", NeurIPS 2019, Sec. 4.2.
    """

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y=None):
        X = check_array(X, dtype=np.float64)
        rng = check_random_state(self.random_state)
        rows = np.arange(len(X))
        if len(X) > _MAX_MIXTURE_ROWS:
            rows = np.sort(rng.choice(len(X), _MAX_MIXTURE_ROWS, replace=False))
        self.mixtures_, self.kept_, self.means_, self.stds_ = [], [], [], []
        # each mixture is fitted on its column standardised, so that the
        # mixture's variance floor (reg_covar) is relative to the column's spread
        sample = X[rows]
        self.centers_ = sample.mean(axis=0)
        spread = sample.std(axis=0)
        self.spreads_ = np.where(spread > 0, spread, 1.0)
        standardised = (sample - self.centers_) / self.spreads_
        for j, column in enumerate(standardised.T):
            mixture, kept = _fit_modes(column[:, None], rng)
            self.mixtures_.append(mixture)
            self.kept_.append(kept)
            self.means_.append(mixture.means_[kept, 0] * self.spreads_[j] + self.centers_[j])
            self.stds_.append(np.sqrt(mixture.covariances_[kept, 0, 0]) * self.spreads_[j])
        self.block_sizes_ = tuple(int(k.sum()) for k in self.kept_)
        self.data_min_, self.data_max_ = X.min(axis=0), X.max(axis=0)
        self.n_features_in_ = X.shape[1]
        self._seed = rng.randint(np.iinfo(np.int32).max)
        return self

    def transform(self, X):
        """Offsets of every column, then one one-hot mode block per column.

        Each row's mode is drawn from its posterior (seeded: the same rows give
        the same draw).
        """
        check_is_fitted(self, "block_sizes_")
        X = check_array(X, dtype=np.float64)
        rng = np.random.RandomState(self._seed)
        offsets, blocks = np.empty_like(X), []
        for j, column in enumerate(X.T):
            standardised = (column - self.centers_[j]) / self.spreads_[j]
            proba = self.mixtures_[j].predict_proba(standardised[:, None])[:, self.kept_[j]]
            proba = _normalised_rows(proba)
            mode = (proba.cumsum(axis=1) > rng.uniform(size=(len(X), 1))).argmax(axis=1)
            scale = _STD_MULTIPLIER * self.stds_[j][mode]
            offsets[:, j] = np.clip(
                (column - self.means_[j][mode]) / scale, -_MAX_OFFSET, _MAX_OFFSET
            )
            blocks.append(np.eye(self.block_sizes_[j])[mode])
        return np.hstack([offsets, *blocks])

    def inverse_transform(self, Xt):
        """Values from offsets and mode blocks (each block's largest entry is the mode)."""
        check_is_fitted(self, "block_sizes_")
        Xt = np.asarray(Xt, dtype=np.float64)
        n = self.n_features_in_
        starts = n + np.cumsum((0, *self.block_sizes_))
        X = np.empty((len(Xt), n))
        for j in range(n):
            mode = Xt[:, starts[j] : starts[j + 1]].argmax(axis=1)
            offset = np.clip(Xt[:, j], -1.0, 1.0)
            X[:, j] = offset * _STD_MULTIPLIER * self.stds_[j][mode] + self.means_[j][mode]
        return X


def _fit_modes(column, rng):
    """Fit a variational mixture to a column; return it and the mask of its kept modes."""
    n_modes = int(min(_MAX_MODES, len(np.unique(column))))
    mixture = BayesianGaussianMixture(
        n_components=n_modes,
        weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=_WEIGHT_PRIOR,
        max_iter=100,
        random_state=rng.randint(np.iinfo(np.int32).max),
    )
    with warnings.catch_warnings():
        # a column of a few distinct values does not "converge" in the
        # variational sense; its modes are still right
        warnings.simplefilter("ignore", ConvergenceWarning)
        mixture.fit(column)
    kept = mixture.weights_ > _WEIGHT_THRESHOLD
    if not kept.any():
        kept[np.argmax(mixture.weights_)] = True
    return mixture, kept


def _normalised_rows(proba):
    """Rows scaled to sum to 1 (a row with no mass becomes uniform)."""
    total = proba.sum(axis=1, keepdims=True)
    uniform = np.full_like(proba, 1.0 / proba.shape[1])
    return np.where(total > 0, proba / np.where(total > 0, total, 1.0), uniform)
