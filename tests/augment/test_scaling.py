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


def _bimodal(n=400, seed=0):
    rng = np.random.RandomState(seed)
    left = rng.rand(n) < 0.3
    return np.where(left, rng.normal(-10, 0.5, n), rng.normal(10, 1.0, n)), left


def test_mode_specific_finds_the_modes_and_inverts_its_transform():
    from skactive.augment._scaling import ModeSpecificNormalizer

    column, left = _bimodal()
    X = np.column_stack([column, np.random.RandomState(1).lognormal(size=len(column))])
    normalizer = ModeSpecificNormalizer(random_state=0).fit(X)
    assert normalizer.block_sizes_[0] == 2  # two modes kept of the ten allowed
    np.testing.assert_allclose(np.sort(normalizer.means_[0]), [-10, 10], atol=0.2)
    Xt = normalizer.transform(X)
    n_blocks = sum(normalizer.block_sizes_)
    assert Xt.shape == (len(X), 2 + n_blocks)
    assert np.all(np.abs(Xt[:, :2]) <= 0.99)
    blocks = Xt[:, 2:]
    assert set(np.unique(blocks)) <= {0.0, 1.0}
    # each row's mode is the one its value belongs to
    mode = Xt[:, 2 : 2 + normalizer.block_sizes_[0]].argmax(axis=1)
    np.testing.assert_array_equal(normalizer.means_[0][mode] < 0, left)
    # the offsets stay inside 4 std of the mode: the round trip is exact
    np.testing.assert_allclose(normalizer.inverse_transform(Xt), X, rtol=1e-10, atol=1e-10)
    # seeded: the same rows give the same draw of modes
    np.testing.assert_array_equal(normalizer.transform(X), Xt)


def test_mode_specific_inverse_keeps_generator_output_inside_the_training_range():
    from skactive.augment._scaling import ModeSpecificNormalizer

    column, _ = _bimodal()
    X = column[:, None]
    scaler = make_scaler("mode_specific", len(X), 0).fit(X)
    assert isinstance(scaler, ModeSpecificNormalizer)
    rng = np.random.RandomState(0)
    # tanh offsets anywhere in [-1, 1] and soft mode blocks (Gumbel-softmax output)
    x_gen = np.column_stack([rng.uniform(-1, 1, 500), rng.dirichlet([1, 1], 500)])
    values = inverse_scale(scaler, x_gen)
    assert values.min() >= X.min() and values.max() <= X.max()
    # every value lies within 4 (fitted) std of one of the two modes, none in the
    # middle of the empty gap between them, where a min-max map puts many
    low, high = (
        np.sort(scaler.means_[0])
        + 4 * np.array([1, -1]) * scaler.stds_[0][np.argsort(scaler.means_[0])]
    )
    assert low < high and np.all((values <= low) | (values >= high))


def test_mode_specific_does_not_depend_on_the_columns_units():
    """A column in tiny units gets the same modes, scaled (the mixture's variance floor is
    relative to the column's spread, not an absolute 1e-6)."""
    from skactive.augment._scaling import ModeSpecificNormalizer

    column, _ = _bimodal()
    X = column[:, None]
    unit = ModeSpecificNormalizer(random_state=0).fit(X)
    tiny = ModeSpecificNormalizer(random_state=0).fit(X * 1e-5)
    assert tiny.block_sizes_ == unit.block_sizes_
    np.testing.assert_allclose(tiny.means_[0], unit.means_[0] * 1e-5, rtol=1e-6)
    np.testing.assert_allclose(tiny.stds_[0], unit.stds_[0] * 1e-5, rtol=1e-6)
    np.testing.assert_allclose(tiny.transform(X * 1e-5), unit.transform(X), atol=1e-9)
