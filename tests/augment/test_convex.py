"""GAMO-style convex rows: ``gan_params={"generator_output": "convex"}``."""

import pickle

import numpy as np
import pytest
import torch
from scipy.optimize import linprog

from skactive.augment import MLPGenerator
from skactive.augment._build import MAX_ANCHORS_PER_CLASS, convex_anchors


def in_hull(points, row):
    """Whether ``row`` is a convex combination of ``points`` (a feasibility LP)."""
    n = len(points)
    equalities = np.vstack([points.T, np.ones((1, n))])
    targets = np.r_[row, 1.0]
    result = linprog(np.zeros(n), A_eq=equalities, b_eq=targets, bounds=(0, None))
    return result.status == 0


def two_class_table(n_major=120, n_minor=30, n_features=4, seed=0):
    rng = np.random.RandomState(seed)
    X = np.r_[rng.normal(0, 1, (n_major, n_features)), rng.normal(2, 0.5, (n_minor, n_features))]
    y = np.r_[np.zeros(n_major, int), np.ones(n_minor, int)]
    return X, y


def test_convex_rows_lie_in_their_class_hull(fast_augmenter):
    X, y = two_class_table()
    aug = fast_augmenter(generator_output="convex", max_iter=60)
    X_res, y_res = aug.fit_resample(X, y)
    new, new_y = X_res[len(X) :], y_res[len(X) :]
    assert len(new) == 90 and set(new_y) == {1} and np.isfinite(new).all()
    minority = X[y == 1]
    assert all(in_hull(minority, row) for row in new[:10])
    # the majority rows the generator can draw mix majority rows only
    drawn, _ = aug.sample({0: 5}, random_state=0)
    assert all(in_hull(X[y == 0], row) for row in drawn)


def test_convex_rows_are_seeded_and_survive_pickling(fast_augmenter):
    X, y = two_class_table()
    first, _ = fast_augmenter(generator_output="convex").fit_resample(X, y)
    aug = fast_augmenter(generator_output="convex")
    second, _ = aug.fit_resample(X, y)
    np.testing.assert_array_equal(first, second)
    again = pickle.loads(pickle.dumps(aug))
    np.testing.assert_array_equal(
        again.sample({1: 7}, random_state=3)[0], aug.sample({1: 7}, random_state=3)[0]
    )


def test_convex_rows_on_a_mixed_frame_keep_categories_valid(fast_augmenter):
    pd = pytest.importorskip("pandas")
    X, y = two_class_table()
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    frame["colour"] = pd.Categorical(np.where(X[:, 0] > 1, "red", "blue"))
    X_res, _ = fast_augmenter(generator_output="convex").fit_resample(frame, y)
    new = X_res.iloc[len(frame) :]
    assert list(X_res.dtypes) == list(frame.dtypes)
    assert set(new["colour"]) <= {"red", "blue"} and not new.isna().any().any()
    minority = X[y == 1]
    assert all(in_hull(minority, row) for row in new[["a", "b", "c", "d"]].to_numpy()[:10])


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(scaling="mode_specific"), "scaling='mode_specific'"),
        (dict(image_shape=(4, 4), hidden_layer_sizes=(4, 8)), "image_shape"),
    ],
)
def test_convex_rows_refuse_what_they_cannot_mix(fast_augmenter, params, match):
    X = np.random.RandomState(0).rand(40, 16)
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    aug = fast_augmenter(generator_output="convex", **params)
    with pytest.raises(ValueError, match=f"generator_output.*{match}|{match}.*generator_output"):
        aug.fit_resample(X, y)


def test_convex_rows_need_a_continuous_column(fast_augmenter):
    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    frame = pd.DataFrame({"colour": pd.Categorical(rng.choice(["red", "blue", "green"], 40))})
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    with pytest.raises(ValueError, match="generator_output.*categorical"):
        fast_augmenter(generator_output="convex").fit_resample(frame, y)


def test_bad_generator_output_names_the_option(fast_augmenter):
    X, y = two_class_table()
    with pytest.raises(ValueError, match="generator_output"):
        fast_augmenter(generator_output="hull").fit_resample(X, y)


def test_convex_anchors_cap_a_large_class_and_keep_small_ones_whole():
    n_large = MAX_ANCHORS_PER_CLASS + 250
    y = np.r_[np.zeros(n_large, int), np.ones(7, int)]
    x = np.arange(len(y) * 3, dtype=np.float32).reshape(-1, 3)
    anchors, labels = convex_anchors(x, y, 2, np.random.RandomState(0))
    assert anchors.shape == (MAX_ANCHORS_PER_CLASS + 7, 2)
    assert np.bincount(labels).tolist() == [MAX_ANCHORS_PER_CLASS, 7]
    np.testing.assert_array_equal(anchors[labels == 1], x[y == 1, :2])
    # every anchor is one of its class's rows, none twice
    rows = anchors[:, 0] // 3
    assert len(np.unique(rows)) == len(rows) and np.all(y[rows.astype(int)] == labels)


def test_convex_generator_weights_only_its_class_rows():
    torch.manual_seed(0)
    anchors = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0]], dtype=np.float32)
    labels = np.array([0, 0, 0, 1])
    gen = MLPGenerator(2, 2, 3, (8,), anchors=anchors, anchor_labels=labels)
    z = torch.randn(50, 3)
    out = gen(z, torch.zeros(50, dtype=torch.int64)).detach().numpy()
    # inside the triangle of class 0's anchors
    assert (out >= -1e-6).all() and (out.sum(1) <= 1 + 1e-6).all()
    single = gen(z, torch.ones(50, dtype=torch.int64)).detach().numpy()
    np.testing.assert_allclose(single, np.tile([5.0, 5.0], (50, 1)), rtol=1e-6)
