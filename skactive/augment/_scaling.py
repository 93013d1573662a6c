"""Maps between the caller's features and the generator's ``[-1, 1]`` output space."""

from __future__ import annotations

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler, QuantileTransformer

__all__ = ["feature_bounds", "inverse_scale", "is_min_max", "make_scaler"]

# Quantiles of QuantileTransformer: sklearn's default, or one per row when fewer.
_MAX_QUANTILES = 1000


def make_scaler(kind: str, n_samples: int, random_state=None):
    """Unfitted transformer from the caller's features to ``[-1, 1]``.

    - ``"minmax"``: each feature's training range onto ``[-1, 1]``
      (``MinMaxScaler``), what DCGAN-style tanh generators expect.
    - ``"quantile"``: each feature first to normal scores by its empirical
      quantiles (``QuantileTransformer(output_distribution="normal")``), then
      min-max onto ``[-1, 1]``. Skewed or heavy-tailed columns no longer
      squeeze most rows into a sliver of the tanh range, and the inverse maps
      any generator output to a value between the training quantiles, so
      generated values follow each column's observed marginal (a cheap
      stand-in for CTGAN's mode-specific normalisation, Xu et al. 2019).

    Parameters
    ----------
    kind : {"minmax", "quantile"}
    n_samples : int
        Training rows (caps the number of quantiles).
    random_state : int or None
        Seeds the quantile transformer's subsampling (used above 10,000 rows).
    """
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
    raise ValueError(f"scaling must be 'minmax' or 'quantile'; got {kind!r}.")


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
    if is_min_max(scaler):
        # MinMaxScaler.inverse_transform's arithmetic without its input
        # validation, which cost more than the rest of the reward together on
        # every training batch (docs/activegan.md, "Speed")
        original = (np.asarray(x_scaled, dtype=np.float64) - scaler.min_) / scaler.scale_
    else:
        original = scaler.inverse_transform(x_scaled)
    return np.clip(original, low, high)
