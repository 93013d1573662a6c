"""The maps between the caller's features and the generator's [-1, 1] space."""

import numpy as np
import pytest

from skactive.augment._scaling import inverse_scale, make_scaler


@pytest.mark.parametrize("kind", ["minmax", "quantile"])
def test_inverse_scale_is_the_scalers_inverse_clipped_to_the_training_range(kind):
    rng = np.random.RandomState(0)
    X = rng.lognormal(size=(200, 5))
    X[:, 2] = 3.0  # a constant column sits at one end of [-1, 1]
    scaler = make_scaler(kind, len(X), 0).fit(X)
    x_scaled = rng.uniform(-1.2, 1.2, size=(50, 5))
    expected = np.clip(scaler.inverse_transform(x_scaled), X.min(0), X.max(0))
    # the min-max case skips sklearn's validation: the same arithmetic, bit for bit
    np.testing.assert_array_equal(inverse_scale(scaler, x_scaled), expected)
