"""ActiveGANAugmenter on mixed tables: categorical, boolean and integer columns."""

import pickle

import numpy as np
import pytest
from imblearn.pipeline import make_pipeline
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import OneHotEncoder

from skactive import ActiveGANAugmenter
from skactive.query import GAALQuery

pd = pytest.importorskip("pandas")


def _table(n_major=120, n_minor=40, seed=0):
    """Class 0 mostly 'red' / 'paris', class 1 mostly 'blue' / 'rome'."""
    rng = np.random.RandomState(seed)
    y = np.r_[np.zeros(n_major, int), np.ones(n_minor, int)]
    likely = np.where(y == 1, 0.9, 0.1)
    X = pd.DataFrame(
        {
            "size": rng.normal(2.0 * y, 1.0),
            "colour": pd.Categorical(
                np.where(rng.rand(len(y)) < likely, "blue", "red"),
                categories=["blue", "green", "red"],
            ),
            "city": np.where(rng.rand(len(y)) < likely, "rome", "paris").astype(object),
            "flag": rng.rand(len(y)) < 0.3,
            "count": rng.poisson(3 + 4 * y).astype(np.int64),
        }
    )
    return X, y


def test_dataframe_comes_back_with_its_dtypes_and_valid_categories(fast_augmenter):
    X, y = _table()
    aug = fast_augmenter()
    X_res, y_res = aug.fit_resample(X, y)
    np.testing.assert_array_equal(aug.categorical_features_, [1, 2, 3])
    np.testing.assert_array_equal(aug.continuous_features_, [0, 4])
    assert list(X_res.columns) == list(X.columns)
    assert (X_res.dtypes == X.dtypes).all()
    assert len(X_res) == 240 and not X_res.isna().any().any()
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    new = X_res.iloc[len(X) :]
    assert set(new["colour"]) <= {"blue", "red"}  # categories seen in X
    assert set(new["city"]) <= {"rome", "paris"}
    assert new["count"].between(X["count"].min(), X["count"].max()).all()


def test_generated_categories_follow_their_class():
    X, y = _table()
    shares = {}
    for weight in (0.0, 0.1):  # without and with the (default) mode-seeking term
        aug = ActiveGANAugmenter(
            max_iter=600,
            n_warmup_iter=300,
            hidden_layer_sizes=(64, 32),
            gan_params={"latent_dim": 8, "mode_seeking": weight},
            random_state=0,
        )
        aug.fit_resample(X, y)
        X_new, y_new = aug.sample({0: 200, 1: 200}, margin=None, random_state=1)
        blue = (X_new["colour"] == "blue").to_numpy()
        rome = (X_new["city"] == "rome").to_numpy()
        shares[weight] = [(v[y_new == 0].mean(), v[y_new == 1].mean()) for v in (blue, rome)]
        # both values of each column are generated, not one mode
        assert 0.05 < X_new["flag"].mean() < 0.6
    # real shares: 0.1 in class 0, 0.9 in class 1
    for class_0, class_1 in shares[0.0]:
        assert class_0 < 0.35 and class_1 > 0.65
    # the mode-seeking term spreads the continuous columns and blurs the
    # categories' link to the class somewhat (docs/imbalanced.md), not more
    for class_0, class_1 in shares[0.1]:
        assert class_0 < 0.5 and class_1 > 0.6 and class_1 - class_0 > 0.3


def test_ways_of_naming_the_categorical_columns_agree(fast_augmenter):
    X, y = _table()
    ways = [[1, 2], ["colour", "city"], [False, True, True, False, False]]
    results = [fast_augmenter(categorical_features=w).fit_resample(X, y)[0] for w in ways]
    for X_res in results[1:]:
        pd.testing.assert_frame_equal(X_res, results[0])
    # "flag" declared continuous: generated and rounded as a number
    assert results[0]["flag"].dtype == bool


@pytest.mark.parametrize(
    "features, message",
    [
        (["colour"], "needs X to be a pandas DataFrame"),
        ([True, False], "boolean mask of length 2, but X has 3 columns"),
        ([7], "categorical_features=\\[7\\]"),
        ([[0, 1]], "1-d array"),
    ],
)
def test_bad_categorical_features_name_the_parameter(fast_augmenter, features, message):
    X = np.random.RandomState(0).normal(size=(30, 3))
    y = np.r_[np.zeros(20, int), np.ones(10, int)]
    with pytest.raises(ValueError, match=message):
        fast_augmenter(categorical_features=features).fit_resample(X, y)


def test_data_problems_are_named_by_column(fast_augmenter):
    X, y = _table()
    holes = X.assign(city=X["city"].where(np.arange(len(X)) != 3, None))
    with pytest.raises(ValueError, match=r"categorical column\(s\) \['city'\] have missing"):
        fast_augmenter().fit_resample(holes, y)
    words = X.assign(size=X["size"].astype(str).where(np.arange(len(X)) != 5, "big"))
    with pytest.raises(ValueError, match=r"continuous column\(s\) \['size', 'city'\]"):
        fast_augmenter(categorical_features=["colour"]).fit_resample(words, y)
    with pytest.raises(ValueError, match="image_shape"):
        fast_augmenter(image_shape=(1, 4, 4)).fit_resample(X, y)


def test_object_and_bool_arrays(fast_augmenter):
    X, y = _table()
    table = X[["size", "city", "count"]].to_numpy(dtype=object)
    X_res, _ = fast_augmenter().fit_resample(table, y)
    assert X_res.dtype == object and X_res.shape == (240, 3)
    assert set(X_res[len(X) :, 1]) <= {"rome", "paris"}
    assert all(float(v).is_integer() for v in X_res[len(X) :, 2])
    flags = X[["flag"]].to_numpy()
    X_res, _ = fast_augmenter().fit_resample(np.hstack([flags, ~flags]), y)
    assert X_res.dtype == bool


def test_same_seed_same_table_and_pickle_round_trip(fast_augmenter):
    X, y = _table()
    aug = fast_augmenter()
    first = aug.fit_resample(X, y)[0]
    pd.testing.assert_frame_equal(first, fast_augmenter().fit_resample(X, y)[0])
    clone = pickle.loads(pickle.dumps(aug))
    pd.testing.assert_frame_equal(clone.sample(random_state=3)[0], aug.sample(random_state=3)[0])
    rows = aug.generate([1, 1, 0], random_state=0)
    assert isinstance(rows, pd.DataFrame) and (rows.dtypes == X.dtypes).all()
    ratio = aug.informative_ratio(X=X)
    assert ratio.shape == (5,) and np.all((ratio >= 0) & (ratio <= 1))


def test_in_a_pipeline_with_a_one_hot_step(fast_augmenter):
    X, y = _table()
    encode = make_column_transformer(
        (OneHotEncoder(handle_unknown="ignore"), ["colour", "city", "flag"]),
        remainder="passthrough",
    )
    model = make_pipeline(fast_augmenter(), encode, LogisticRegression(max_iter=500))
    model.fit(X, y)
    assert model.score(X, y) > 0.7


def test_gaal_refuses_a_generator_with_categorical_columns(fast_augmenter):
    X, y = _table()
    aug = fast_augmenter()
    aug.fit_resample(X, y)
    numeric = X[["size", "count"]].to_numpy(float)
    # as many features as the generator's rows, so that GAAL gets as far as decoding
    codes = X[["colour", "city", "flag"]].apply(lambda column: column.astype("category").cat.codes)
    estimator = LogisticRegression().fit(np.c_[numeric, codes], y)
    with pytest.raises(ValueError, match="categorical columns"):
        GAALQuery(generator=aug, random_state=0).synthesize(
            estimator=estimator, X_labeled=numeric, y_labeled=y, n_samples=2
        )
