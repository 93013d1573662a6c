"""Labels and string tables the augmenter must name or round-trip."""

import numpy as np
import pandas as pd
import pytest

from skactive import ActiveGANAugmenter

FAST = dict(
    max_iter=10,
    n_warmup_iter=2,
    hidden_layer_sizes=(8,),
    batch_size=16,
    gan_params={"latent_dim": 4},
)


@pytest.mark.parametrize(
    "y",
    [
        [0] * 20 + ["a"] * 10,
        ["a"] * 20 + [0] * 10,
        np.array([1] * 20 + ["b"] * 10, dtype=object),
        pd.Series([1] * 20 + ["b"] * 10),
    ],
    ids=["list ints first", "list strings first", "object array", "object series"],
)
def test_labels_mixing_numbers_and_strings_are_named(y):
    X = np.random.default_rng(0).normal(size=(30, 3))
    with pytest.raises(ValueError, match="mixes number labels .* and string labels"):
        ActiveGANAugmenter(**FAST, random_state=0).fit_resample(X, y)


def test_a_table_of_strings_keeps_its_dtype():
    rng = np.random.default_rng(0)
    X = rng.choice(["a", "b", "c"], size=(40, 2))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    X_res, y_res = ActiveGANAugmenter(**FAST, random_state=0).fit_resample(X, y)
    assert X_res.dtype == X.dtype
    assert set(np.unique(X_res)) <= {"a", "b", "c"}
    assert len(X_res) == 60 and np.bincount(y_res).tolist() == [30, 30]


def test_a_failed_fit_resample_leaves_the_sampler_as_it_was():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    aug = ActiveGANAugmenter(**FAST, random_state=0)
    aug.fit_resample(X, y)
    fitted = dict(vars(aug))
    # a table with a categorical column fails later, after columns were inspected
    bad = pd.DataFrame({"a": rng.normal(size=40), "b": pd.Categorical(["u"] * 40)})
    with pytest.raises(ValueError):
        aug.set_params(image_shape=(1, 1, 2)).fit_resample(bad, y)
    aug.set_params(image_shape=None)
    assert vars(aug).keys() == fitted.keys()
    assert all(vars(aug)[k] is fitted[k] for k in fitted if k != "image_shape")
    unfitted = ActiveGANAugmenter(**FAST, image_shape=(1, 1, 2))
    with pytest.raises(ValueError):
        unfitted.fit_resample(bad, y)
    assert not hasattr(unfitted, "categorical_features_")
