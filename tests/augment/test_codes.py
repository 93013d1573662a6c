"""Numeric columns that are codes: found by "auto", generated as valid codes."""

import numpy as np
import pandas as pd
import pytest
from sklearn.preprocessing import StandardScaler

from skactive import ActiveGANAugmenter
from skactive.augment._codes import coded_columns, column_roles
from skactive.augment._columns import nearest_value


def _coded_table(n=300, seed=0):
    """A measurement, a 3-column one-hot group, a 0/1 flag and a rating 1..5."""
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(n, 2))
    colour = np.eye(3)[rng.randint(3, size=n)]
    flag = rng.randint(2, size=(n, 1))
    rating = rng.randint(1, 6, size=(n, 1))
    X = np.hstack([x, colour, flag, rating]).astype(float)
    y = (x[:, 0] + flag[:, 0] + rng.normal(scale=0.5, size=n) > 1.6).astype(int)
    return X, y


def test_flags_groups_and_levels_are_found_by_their_values_alone():
    X, _ = _coded_table()
    for values in (X, StandardScaler().fit_transform(X), 3 * X - 7):
        flags, groups, levels = coded_columns(values)
        assert flags.tolist() == [5] and [g.tolist() for g in groups] == [[2, 3, 4]]
        assert levels.tolist() == [6]


def test_column_roles_join_named_categories_and_numeric_codes():
    X, _ = _coded_table()
    frame = pd.DataFrame(X, columns=list("abcdefg")).assign(
        h=pd.Categorical(np.where(X[:, 0] > 0, "hi", "lo"))
    )
    roles = column_roles(frame, "auto")
    assert roles.categorical.tolist() == [2, 3, 4, 5, 7]
    assert roles.continuous.tolist() == [0, 1, 6]
    assert roles.flags.tolist() == [5] and [g.tolist() for g in roles.groups] == [[2, 3, 4]]
    assert roles.levels.tolist() == [6] and roles.coded.tolist() == [2, 3, 4, 5, 6]
    plain = column_roles(frame, "auto", find_codes=False)
    assert plain.categorical.tolist() == [7] and plain.continuous.tolist() == list(range(7))
    assert plain.coded.size == 0 and plain.groups == []


def test_what_is_not_a_code():
    rng = np.random.RandomState(0)
    a, b = np.eye(2)[rng.randint(2, size=60)].T
    # on the same side: not adjacent in the caller's table, so two flags, not a group
    flags, groups, _ = coded_columns(np.c_[a, rng.normal(size=60), b])
    assert flags.tolist() == [0, 2] and groups == []
    # a dummy coding without its first level: at most one on per row, not exactly one
    dummies = np.eye(3)[rng.randint(3, size=60)][:, 1:]
    flags, groups, _ = coded_columns(dummies)
    assert flags.tolist() == [0, 1] and groups == []
    # five values over 30 rows may be a sample of a continuum: fewer than 10 rows a value
    few = rng.randint(5, size=(30, 1)).astype(float)
    assert coded_columns(few)[2].size == 0
    assert coded_columns(np.tile(few, (2, 1)))[2].tolist() == [0]
    # a two-valued column with fewer than 10 rows at one value is a level, not a flag
    rare = np.zeros((300, 1))
    rare[:9] = 3.0  # a border pixel: on in nine images
    flags, _, levels = coded_columns(np.c_[rare, rare[::-1]])
    assert flags.size == 0 and levels.tolist() == [0, 1]
    rare[9] = 3.0
    assert coded_columns(rare)[0].tolist() == [0]
    # eleven values are too many for a code; a constant is no code
    assert coded_columns(rng.randint(11, size=(500, 1)))[2].size == 0
    assert [part.size for part in coded_columns(np.ones((50, 1)))[::2]] == [0, 0]


@pytest.mark.parametrize("scaled", [False, True])
def test_generated_rows_hold_valid_codes(scaled):
    X, y = _coded_table()
    if scaled:  # a StandardScaler before the sampler, as in a Pipeline
        X = StandardScaler().fit_transform(X)
    aug = ActiveGANAugmenter(max_iter=200, n_warmup_iter=50, random_state=0)
    X_res, y_res = aug.fit_resample(X, y)
    assert aug.coded_features_.tolist() == [2, 3, 4, 5, 6]
    assert aug.categorical_features_.tolist() == [2, 3, 4, 5]
    assert [g.tolist() for g in aug.one_hot_groups_] == [[2, 3, 4]]
    assert aug.level_features_.tolist() == [6] and X_res.dtype == X.dtype
    new = X_res[len(X) :]
    assert len(new) == np.bincount(y)[0] - np.bincount(y)[1] and np.bincount(y_res)[1] == 251
    for j in (2, 3, 4, 5, 6):
        assert np.isin(new[:, j], np.unique(X[:, j])).all()
    on = new[:, 2:5] == X[:, 2:5].max(axis=0)
    assert (on.sum(axis=1) == 1).all()  # exactly one colour per row
    assert len(np.unique(new[:, 0])) > 100  # the measurements stay continuous
    # every value of each code is generated, not one mode
    assert on.any(axis=0).all() and len(np.unique(new[:, 6])) >= 4
    # sample and informative_ratio read the same codes
    X_more, _ = aug.sample({1: 50}, margin=None, random_state=1)
    assert (X_more[:, 2:5] == X[:, 2:5].max(axis=0)).sum(axis=1).tolist() == [1] * 50
    assert aug.informative_ratio(X=X[:20]).shape == (5,)


def test_the_reward_classifier_reads_the_callers_numbers(fast_augmenter):
    """A classifier fitted on X itself fits the reward's input: codes stay numbers for it."""
    from sklearn.frozen import FrozenEstimator
    from sklearn.linear_model import LogisticRegression

    X, y = _coded_table()
    frozen = FrozenEstimator(LogisticRegression(max_iter=1000).fit(X, y))
    aug = fast_augmenter(classifier=frozen, margin=0.9)
    X_res, _ = aug.fit_resample(X, y)
    assert aug.coded_features_.size == 5 and np.isfinite(X_res).all()


def test_none_a_list_and_image_rows_find_no_codes(fast_augmenter):
    X, y = _coded_table()
    plain = fast_augmenter(categorical_features="none")
    X_res, _ = plain.fit_resample(X, y)
    assert plain.coded_features_.size == 0 and plain.categorical_features_.size == 0
    assert not np.isin(X_res[len(X) :, 5], [0.0, 1.0]).all()  # a flag between its values
    chosen = fast_augmenter(categorical_features=[5])
    chosen.fit_resample(X, y)
    assert chosen.categorical_features_.tolist() == [5] and chosen.coded_features_.size == 0
    images = fast_augmenter(image_shape=(1, 4, 4), hidden_layer_sizes=(4, 8))
    rng = np.random.RandomState(0)
    pixels = rng.randint(2, size=(120, 16)).astype(float)  # every pixel two-valued
    images.fit_resample(pixels, np.r_[np.zeros(90, int), np.ones(30, int)])
    assert images.coded_features_.size == 0


def test_a_data_frame_keeps_its_integer_flags(fast_augmenter):
    X, y = _coded_table()
    frame = pd.DataFrame(X, columns=list("abcdefg")).astype({"f": "int64", "g": "int64"})
    X_res, _ = fast_augmenter().fit_resample(frame, y)
    assert X_res.dtypes.equals(frame.dtypes)
    assert set(X_res["f"]) <= {0, 1} and set(X_res["g"]) <= set(frame["g"])


def test_nearest_value_snaps_to_observed_levels():
    levels = np.array([1.0, 2.0, 5.0])
    out = nearest_value(np.array([-3.0, 1.4, 1.5, 3.4, 3.6, 9.0]), levels)
    assert out.tolist() == [1.0, 1.0, 1.0, 2.0, 5.0, 5.0]
    assert nearest_value(np.array([0.3, 7.0]), np.array([4.0])).tolist() == [4.0, 4.0]


def test_a_table_whose_only_codes_are_one_hot_groups(fast_augmenter):
    X, y = _coded_table()
    X = X[:, :5]  # two measurements and the one-hot group: no flag, no level
    aug = fast_augmenter()
    X_res, _ = aug.fit_resample(X, y)
    assert aug.categorical_features_.tolist() == [2, 3, 4]
    assert aug.continuous_features_.tolist() == [0, 1] and aug.scaler_.n_features_in_ == 2
    assert ((X_res[len(X) :, 2:] == 1).sum(axis=1) == 1).all()


def test_the_rewards_fast_decoding_equals_the_callers_rows(fast_augmenter):
    """The reward reads numeric codes without an object array; the same numbers."""
    X, y = _coded_table()
    frame = pd.DataFrame(X, columns=list("abcdefg"))
    frame["s"] = np.where(X[:, 0] > 0, "u", "v")  # a categorical column that is no number
    for data in (X, frame):
        aug = fast_augmenter()
        aug.fit_resample(data, y)
        codec = aug._codec
        x_gen = np.random.RandomState(0).uniform(-1, 1, size=(200, codec.width))
        continuous, codes = codec._split(x_gen)
        slow = codec._decode(continuous, codes)[:, codec._numeric_columns].astype(float)
        np.testing.assert_array_equal(codec._decode_numeric(continuous, codes), slow)


def test_decode_returns_numeric_codes_as_numbers_and_gaal_searches_them(fast_augmenter):
    """The generator protocol works on a table of numbers whose codes are categories."""
    import torch
    from sklearn.linear_model import LogisticRegression

    from skactive.query import GAALQuery

    X, y = _coded_table()
    aug = fast_augmenter()
    aug.fit_resample(X, y)
    z = aug.sample_latent(50, torch.Generator().manual_seed(0))
    rows = aug.decode(z, torch.zeros(50, dtype=torch.long))
    assert rows.dtype == np.float64 and rows.shape == (50, 7)
    assert ((rows[:, 2:5] == 1).sum(axis=1) == 1).all() and set(rows[:, 5]) <= {0.0, 1.0}
    assert not aug.differentiable_decode_  # categories are drawn, not differentiated
    model = LogisticRegression().fit(X, y)
    X_new = GAALQuery(generator=aug, max_iter=2).synthesize(8, estimator=model)
    assert X_new.shape == (8, 7) and set(X_new[:, 5]) <= {0.0, 1.0}
    frame = pd.DataFrame(X, columns=list("abcdefg"))
    frame["s"] = np.where(X[:, 0] > 0, "u", "v")  # a category that is no number
    named = fast_augmenter()
    named.fit_resample(frame, y)
    with pytest.raises(ValueError, match=r"categorical columns \[7\]"):
        named.decode(z, torch.zeros(50, dtype=torch.long))
