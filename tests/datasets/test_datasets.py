import gzip
import struct

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_digits

from skactive.datasets import (
    TAVAAL_PROFILES,
    class_entropy,
    default_data_home,
    load_fashion_mnist,
    load_idx,
    load_mnist,
    make_imbalanced,
)

# TA-VAAL (Kim et al.) Table 1: images per class x 100, out of 50 (5,000 per class).
PAPER_COUNTS = {
    1.65: (30, 30, 40, 50, 0.5, 1, 1, 1, 2, 10),
    1.89: (30, 30, 40, 50, 5, 5, 2, 3, 5, 20),
    2.11: (30, 30, 40, 50, 10, 10, 10, 10, 10, 30),
}


def _idx_bytes(array, type_code=0x08):
    header = bytes([0, 0, type_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


# --------------------------------------------------------------------------- IDX


@pytest.mark.parametrize("compress", [False, True])
def test_idx_round_trip_uint8(tmp_path, compress):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(5, 4, 3), dtype=np.uint8)
    raw = _idx_bytes(images)
    path = tmp_path / ("x-idx3-ubyte.gz" if compress else "x-idx3-ubyte")
    path.write_bytes(gzip.compress(raw) if compress else raw)
    out = load_idx(path)
    assert out.dtype == np.uint8
    assert out.shape == (5, 4, 3)
    assert_array_equal(out, images)
    out[0, 0, 0] = 1  # the result is a writable array, not a view on the bytes


def test_idx_labels_and_wider_dtypes(tmp_path):
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    (tmp_path / "l").write_bytes(_idx_bytes(labels))
    assert_array_equal(load_idx(tmp_path / "l"), labels)

    ints = np.array([[-70000, 2], [3, 70000]], dtype=np.int32)
    (tmp_path / "i").write_bytes(_idx_bytes(ints, 0x0C))
    out = load_idx(str(tmp_path / "i"))
    assert out.dtype == np.int32 and out.dtype.isnative
    assert_array_equal(out, ints)

    floats = np.array([0.5, -2.25], dtype=np.float64)
    (tmp_path / "f").write_bytes(gzip.compress(_idx_bytes(floats, 0x0E)))
    assert_array_equal(load_idx(tmp_path / "f"), floats)


@pytest.mark.parametrize(
    "payload",
    [
        b"\x01\x00\x08\x01\x00\x00\x00\x01\x07",  # first byte not zero
        b"\x00\x00\x07\x01\x00\x00\x00\x01\x07",  # unknown type code
        b"PK\x03\x04 not an idx file",
        b"",
    ],
)
def test_idx_bad_magic(tmp_path, payload):
    path = tmp_path / "bad.idx"
    path.write_bytes(payload)
    with pytest.raises(ValueError, match="is not an IDX file") as info:
        load_idx(path)
    assert str(path) in str(info.value)


def test_idx_truncated_or_too_long(tmp_path):
    raw = _idx_bytes(np.zeros((3, 2, 2), dtype=np.uint8))
    path = tmp_path / "trunc-idx3-ubyte.gz"
    path.write_bytes(gzip.compress(raw[:-1]))
    with pytest.raises(ValueError, match="does not match its IDX header") as info:
        load_idx(path)
    assert str(path) in str(info.value)

    path.write_bytes(raw + b"\x00")
    with pytest.raises(ValueError, match="does not match its IDX header"):
        load_idx(path)

    path.write_bytes(raw[:9])  # header cut inside the dimension sizes
    with pytest.raises(ValueError, match="truncated"):
        load_idx(path)

    path.write_bytes(gzip.compress(raw)[:-12])  # damaged gzip stream
    with pytest.raises(ValueError, match=str(path.name)):
        load_idx(path)


# ------------------------------------------------------------- data home / loaders


def test_default_data_home(monkeypatch, tmp_path):
    monkeypatch.delenv("SKACTIVE_DATA", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # like sklearn's get_data_home: a folder in the user's home, never the source tree
    assert default_data_home() == (tmp_path / "home" / "skactive_data").resolve()
    monkeypatch.setenv("SKACTIVE_DATA", "")
    assert default_data_home() == (tmp_path / "home" / "skactive_data").resolve()
    monkeypatch.setenv("SKACTIVE_DATA", str(tmp_path))
    assert default_data_home() == tmp_path.resolve()


@pytest.mark.parametrize("loader", [load_fashion_mnist, load_mnist])
def test_missing_data_error_names_path(tmp_path, loader):
    with pytest.raises(FileNotFoundError, match="not.*download") as info:
        loader(tmp_path / "nowhere")
    assert str(tmp_path / "nowhere") in str(info.value)


def test_missing_file_error_names_file(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    with pytest.raises(FileNotFoundError) as info:
        load_mnist(tmp_path, subset="test")
    assert "t10k-images-idx3-ubyte.gz" in str(info.value)


def test_loader_on_tiny_fake_files(tmp_path):
    folder = tmp_path / "fashion_mnist"
    folder.mkdir()
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(6, 28, 28), dtype=np.uint8)
    images[0, 0, 0], images[0, 0, 1] = 0, 255
    labels = np.array([0, 9, 3, 3, 1, 2], dtype=np.uint8)
    (folder / "t10k-images-idx3-ubyte.gz").write_bytes(gzip.compress(_idx_bytes(images)))
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx_bytes(labels)))

    X, y = load_fashion_mnist(tmp_path, subset="test")
    assert X.shape == (6, 784) and X.dtype == np.float32
    assert y.dtype == np.int64
    assert_array_equal(y, labels)
    assert_allclose(X, images.reshape(6, -1) / 255.0, rtol=1e-6)
    assert X.min() == 0.0 and X.max() == 1.0

    bunch = load_fashion_mnist(tmp_path, subset="test", return_X_y=False)
    assert_array_equal(bunch.images, images)
    assert_array_equal(bunch.data, X)
    assert_array_equal(bunch.target, y)
    assert bunch.target_names[0] == "T-shirt/top" and bunch.target_names[9] == "Ankle boot"
    assert len(bunch.target_names) == 10

    with pytest.raises(FileNotFoundError, match="train-images"):
        load_fashion_mnist(tmp_path, subset="train")
    with pytest.raises(ValueError, match="subset"):
        load_fashion_mnist(tmp_path, subset="validation")


def _require(folder):
    path = default_data_home() / folder
    if not path.is_dir():
        pytest.skip(f"{path} is absent (data are never downloaded)")


@pytest.mark.parametrize(
    "loader, folder", [(load_fashion_mnist, "fashion_mnist"), (load_mnist, "mnist")]
)
@pytest.mark.parametrize("subset, n", [("train", 60000), ("test", 10000)])
def test_real_data(loader, folder, subset, n):
    _require(folder)
    bunch = loader(subset=subset, return_X_y=False)
    X, y = bunch.data, bunch.target
    assert X.shape == (n, 784) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert bunch.images.shape == (n, 28, 28) and bunch.images.dtype == np.uint8
    assert_array_equal(np.unique(y), np.arange(10))
    counts = np.bincount(y, minlength=10)
    if folder == "fashion_mnist":
        assert_array_equal(counts, np.full(10, n // 10))
        assert bunch.target_names[7] == "Sneaker"
    else:
        assert counts.sum() == n and counts.min() > n // 20
        assert list(bunch.target_names) == [str(d) for d in range(10)]


# ------------------------------------------------------------------- imbalance


@pytest.mark.parametrize("key", sorted(PAPER_COUNTS))
def test_tavaal_profile_entropies(key):
    counts = (np.array(PAPER_COUNTS[key]) * 100).astype(int)
    y = np.repeat(np.arange(10), counts)
    h = class_entropy(y)
    # The paper quotes the entropies truncated to two decimals (exact: 1.657, 1.900, 2.115).
    assert int(h * 100) == round(key * 100)
    assert abs(h - key) < 0.011
    assert_allclose(TAVAAL_PROFILES[key], np.array(PAPER_COUNTS[key]) / 50)
    assert max(TAVAAL_PROFILES[key]) == 1.0


@pytest.mark.parametrize("key", sorted(PAPER_COUNTS))
def test_make_imbalanced_reproduces_paper_counts(key):
    y = np.repeat(np.arange(10), 5000)
    X = np.arange(y.size)
    _, y_sub = make_imbalanced(X, y, key, random_state=0)
    expected = (np.array(PAPER_COUNTS[key]) * 100).astype(int)
    assert_array_equal(np.bincount(y_sub), expected)
    assert round(class_entropy(y_sub), 2) == round(
        class_entropy(np.repeat(np.arange(10), expected)), 2
    )


def test_make_imbalanced_counts_relative_to_smallest_class():
    # classes of size 20, 30, 40: n_min = 20
    y = np.array(["b"] * 30 + ["a"] * 20 + ["c"] * 40)
    X = np.arange(y.size * 2).reshape(-1, 2)
    X_sub, y_sub = make_imbalanced(X, y, (1.0, 0.5, 0.01), random_state=1)
    labels, counts = np.unique(y_sub, return_counts=True)
    assert_array_equal(labels, ["a", "b", "c"])
    assert_array_equal(counts, [20, 10, 1])  # round(0.2) = 0 -> at least one row
    assert_array_equal(X_sub[:, 0] // 2, np.flatnonzero(np.isin(X[:, 0], X_sub[:, 0])))
    assert_array_equal(y[X_sub[:, 0] // 2], y_sub)


def test_make_imbalanced_on_digits():
    X, y = load_digits(return_X_y=True)
    n_min = np.bincount(y).min()
    profile = TAVAAL_PROFILES[2.11]
    X_sub, y_sub = make_imbalanced(X, y, profile, random_state=0)
    expected = [max(1, round(f * n_min)) for f in profile]
    assert_array_equal(np.bincount(y_sub), expected)
    # every kept row is a row of X with its own label, in the original order
    rows = {r.tobytes(): i for i, r in enumerate(X)}
    idx = np.array([rows[r.tobytes()] for r in X_sub])
    assert np.all(np.diff(idx) > 0)
    assert_array_equal(y[idx], y_sub)


def test_make_imbalanced_reproducible_and_random():
    y = np.repeat(np.arange(3), 50)
    X = np.arange(y.size)
    a = make_imbalanced(X, y, (0.5, 0.3, 0.1), random_state=42)
    b = make_imbalanced(X, y, (0.5, 0.3, 0.1), random_state=42)
    c = make_imbalanced(X, y, (0.5, 0.3, 0.1), random_state=7)
    assert_array_equal(a[0], b[0])
    assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert np.all(np.diff(a[0]) > 0)
    # full profile keeps every row (balanced input)
    X_all, y_all = make_imbalanced(X, y, (1, 1, 1), random_state=0)
    assert_array_equal(X_all, X)
    assert_array_equal(y_all, y)


def test_make_imbalanced_pandas():
    pd = pytest.importorskip("pandas")
    y = pd.Series(np.repeat([0, 1], 10), index=np.arange(100, 120), name="label")
    X = pd.DataFrame({"f": np.arange(20.0)}, index=y.index)
    X_sub, y_sub = make_imbalanced(X, y, (1.0, 0.3), random_state=0)
    assert isinstance(X_sub, pd.DataFrame) and isinstance(y_sub, pd.Series)
    assert y_sub.value_counts().sort_index().tolist() == [10, 3]
    assert list(X_sub.index) == list(y_sub.index)
    assert X_sub.index.is_monotonic_increasing
    assert_array_equal(X_sub["f"].to_numpy(), X_sub.index.to_numpy() - 100.0)


@pytest.mark.parametrize(
    "profile, match",
    [
        ((1.0, 0.5), "3 classes"),
        ((1.0, 0.5, 0.2, 0.1), "3 classes"),
        ((1.0, 0.0, 0.5), r"\(0, 1\]"),
        ((1.0, 1.5, 0.5), r"\(0, 1\]"),
        ((1.0, -0.1, 0.5), r"\(0, 1\]"),
        ((1.0, np.nan, 0.5), r"\(0, 1\]"),
        (1.7, "TAVAAL_PROFILES"),
        (((1.0,), (0.5,), (0.2,)), "one-dimensional"),
    ],
)
def test_make_imbalanced_bad_profile(profile, match):
    y = np.repeat(np.arange(3), 4)
    with pytest.raises(ValueError, match=match):
        make_imbalanced(np.zeros((12, 2)), y, profile)


def test_make_imbalanced_tavaal_key_needs_ten_classes():
    y = np.repeat(np.arange(3), 4)
    with pytest.raises(ValueError, match="10 fractions but y has 3 classes"):
        make_imbalanced(np.zeros((12, 2)), y, 1.65)


def test_make_imbalanced_length_mismatch():
    with pytest.raises(ValueError):
        make_imbalanced(np.zeros((5, 2)), np.zeros(4), (1.0,))


@pytest.mark.parametrize("k", [1, 2, 3, 10])
def test_class_entropy_uniform_is_log_k(k):
    y = np.repeat(np.arange(k), 7)
    assert_allclose(class_entropy(y), np.log(k), atol=1e-12)
    assert isinstance(class_entropy(y), float)


def test_class_entropy_values_and_errors():
    assert class_entropy(["x"]) == 0.0
    p = np.array([3, 1]) / 4
    assert_allclose(class_entropy([0, 0, 0, 1]), -(p * np.log(p)).sum())
    with pytest.raises(ValueError, match="empty"):
        class_entropy([])
