"""Offline readers for IDX files and the (Fashion-)MNIST benchmarks.

Nothing here downloads anything: the loaders read the original IDX gzip files
from a local data folder (see :func:`default_data_home`) and fail with a
:class:`FileNotFoundError` naming the missing path otherwise.

References
----------
.. [1] Y. LeCun, C. Cortes, C. J. C. Burges, "The MNIST database of handwritten
   digits" (IDX file format description).
.. [2] H. Xiao, K. Rasul, R. Vollgraf, "Fashion-MNIST: a Novel Image Dataset for
   Benchmarking Machine Learning Algorithms", arXiv:1708.07747, 2017.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

__all__ = ["default_data_home", "load_fashion_mnist", "load_idx", "load_mnist"]

# IDX type codes (third byte of the magic number) -> big-endian NumPy dtype.
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
MNIST_CLASSES = tuple(str(d) for d in range(10))

_SUBSET_PREFIX = {"train": "train", "test": "t10k"}


def load_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (gzip-compressed or plain) into a NumPy array.

    The header is parsed, not assumed: two zero bytes, a type code
    (``0x08`` uint8, ``0x09`` int8, ``0x0B`` int16, ``0x0C`` int32, ``0x0D``
    float32, ``0x0E`` float64), the number of dimensions, then one big-endian
    uint32 per dimension, followed by the data in C order. Compression is
    detected from the gzip magic bytes, not from the file name.

    Parameters
    ----------
    path : str or os.PathLike
        Path to the IDX file.

    Returns
    -------
    array : ndarray
        Array with the shape given by the header, in native byte order
        (``uint8`` for the (Fashion-)MNIST files).

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not an IDX file (bad magic number or unknown type code)
        or its size does not match the header.

    Examples
    --------
    >>> import struct, tempfile
    >>> from pathlib import Path
    >>> from skactive.datasets import load_idx
    >>> header = bytes([0, 0, 0x08, 2]) + struct.pack(">II", 2, 3)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "tiny-idx2-ubyte"
    ...     _ = path.write_bytes(header + bytes(range(6)))
    ...     load_idx(path)
    array([[0, 1, 2],
           [3, 4, 5]], dtype=uint8)
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == _GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{path} is not a valid gzip-compressed IDX file: {exc}") from exc
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_DTYPES:
        raise ValueError(
            f"{path} is not an IDX file: bad magic number {raw[:4].hex() or '(empty file)'} "
            "(expected 0x0000 followed by a type code in "
            f"{sorted(hex(c) for c in _IDX_DTYPES)} and the number of dimensions)."
        )
    dtype = _IDX_DTYPES[raw[2]]
    ndim = raw[3]
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise ValueError(
            f"{path} is truncated: the header announces {ndim} dimensions but the file "
            f"has only {len(raw)} bytes."
        )
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    actual = len(raw) - header_size
    if actual != expected:
        raise ValueError(
            f"{path} does not match its IDX header: shape {shape} of {dtype.name} needs "
            f"{expected} data bytes but the file has {actual}."
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="), copy=True)


def default_data_home() -> Path:
    """Folder holding the benchmark data sets, like scikit-learn's ``get_data_home``.

    skactive never downloads data. The loaders read files you place in this
    folder, laid out as::

        <data home>/
            mnist/            train-images-idx3-ubyte.gz  train-labels-idx1-ubyte.gz
                              t10k-images-idx3-ubyte.gz   t10k-labels-idx1-ubyte.gz
            fashion_mnist/    the same four file names (Fashion-MNIST's release)
            imblearn_zenodo/  what ``imblearn.datasets.fetch_datasets(data_home=...)``
                              stores there (the imbalanced-learn benchmark sets)

    The MNIST files are the original IDX gzip files of the MNIST database;
    Fashion-MNIST's are those of its GitHub release (zalandoresearch/fashion-mnist);
    the imbalanced-learn sets are fetched once, on a machine with a network, by
    ``fetch_datasets(data_home="<data home>/imblearn_zenodo")``.

    Returns
    -------
    data_home : pathlib.Path
        ``$SKACTIVE_DATA`` when that environment variable is set (and not empty),
        otherwise ``~/skactive_data``. The folder is not created and may not exist.

    Examples
    --------
    >>> from skactive.datasets import default_data_home
    >>> default_data_home().is_absolute()
    True
    """
    env = os.environ.get("SKACTIVE_DATA")
    if env:
        return Path(env).expanduser().resolve()
    return (Path.home() / "skactive_data").resolve()


def _load_idx_pair(
    data_home: str | os.PathLike | None,
    folder: str,
    name: str,
    target_names: tuple[str, ...],
    subset: str,
    return_X_y: bool,
):
    """Shared implementation of :func:`load_fashion_mnist` and :func:`load_mnist`."""
    if subset not in _SUBSET_PREFIX:
        raise ValueError(f"subset must be 'train' or 'test', got {subset!r}.")
    if not isinstance(return_X_y, bool | np.bool_):
        raise TypeError(f"return_X_y must be a bool, got {return_X_y!r}.")
    root = default_data_home() if data_home is None else Path(data_home).expanduser()
    directory = root / folder
    prefix = _SUBSET_PREFIX[subset]
    image_path = directory / f"{prefix}-images-idx3-ubyte.gz"
    label_path = directory / f"{prefix}-labels-idx1-ubyte.gz"
    for path in (directory, image_path, label_path):
        if not path.exists():
            raise FileNotFoundError(
                f"{name} data not found: {path} does not exist. skactive never downloads "
                f"data at run time; place the original IDX gzip files in {directory} "
                "(or point data_home / $SKACTIVE_DATA at the folder that holds "
                f"'{folder}/')."
            )
    images = load_idx(image_path)
    labels = load_idx(label_path)
    if images.ndim != 3 or labels.ndim != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(
            f"{name} files disagree: images {image_path} have shape {images.shape} and "
            f"labels {label_path} have shape {labels.shape}."
        )
    n_samples = images.shape[0]
    X = images.reshape(n_samples, -1).astype(np.float32)
    X /= np.float32(255.0)
    y = labels.astype(np.int64)
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        images=images,
        target_names=np.array(target_names, dtype=object),
        DESCR=f"{name} {subset} subset read from {directory}",
    )


def load_fashion_mnist(
    data_home: str | os.PathLike | None = None,
    *,
    subset: str = "train",
    return_X_y: bool = True,
):
    """Load Fashion-MNIST from its original IDX gzip files (no download).

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        Folder that holds ``fashion_mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz``.
        ``None`` means :func:`default_data_home`.
    subset : {"train", "test"}, default="train"
        ``"train"``: 60,000 images (6,000 per class); ``"test"``: 10,000 images.
    return_X_y : bool, default=True
        If True return ``(X, y)``, otherwise a :class:`~sklearn.utils.Bunch`.

    Returns
    -------
    X : ndarray of shape (n_samples, 784), dtype float32
        Pixel intensities scaled to ``[0, 1]``. Returned when ``return_X_y=True``.
    y : ndarray of shape (n_samples,), dtype int64
        Class labels 0-9. Returned when ``return_X_y=True``.
    data : :class:`~sklearn.utils.Bunch`
        Returned when ``return_X_y=False``, with ``data`` (X), ``target`` (y),
        ``images`` (uint8, shape ``(n_samples, 28, 28)``), ``target_names`` (the
        10 class names: T-shirt/top, Trouser, Pullover, Dress, Coat, Sandal,
        Shirt, Sneaker, Bag, Ankle boot) and ``DESCR``.

    Raises
    ------
    FileNotFoundError
        If the folder or one of the files is missing; the message names the path.

    Examples
    --------
    >>> from skactive.datasets import load_fashion_mnist
    >>> X, y = load_fashion_mnist(subset="test")  # doctest: +SKIP
    >>> X.shape, X.dtype, y.dtype  # doctest: +SKIP
    ((10000, 784), dtype('float32'), dtype('int64'))
    """
    return _load_idx_pair(
        data_home, "fashion_mnist", "Fashion-MNIST", FASHION_MNIST_CLASSES, subset, return_X_y
    )


def load_mnist(
    data_home: str | os.PathLike | None = None,
    *,
    subset: str = "train",
    return_X_y: bool = True,
):
    """Load MNIST from its original IDX gzip files (no download).

    Parameters
    ----------
    data_home : str or os.PathLike, default=None
        Folder that holds ``mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz``.
        ``None`` means :func:`default_data_home`.
    subset : {"train", "test"}, default="train"
        ``"train"``: 60,000 images; ``"test"``: 10,000 images.
    return_X_y : bool, default=True
        If True return ``(X, y)``, otherwise a :class:`~sklearn.utils.Bunch`.

    Returns
    -------
    X : ndarray of shape (n_samples, 784), dtype float32
        Pixel intensities scaled to ``[0, 1]``. Returned when ``return_X_y=True``.
    y : ndarray of shape (n_samples,), dtype int64
        Digit labels 0-9. Returned when ``return_X_y=True``.
    data : :class:`~sklearn.utils.Bunch`
        Returned when ``return_X_y=False``, with ``data`` (X), ``target`` (y),
        ``images`` (uint8, shape ``(n_samples, 28, 28)``), ``target_names``
        (``'0'`` to ``'9'``) and ``DESCR``.

    Raises
    ------
    FileNotFoundError
        If the folder or one of the files is missing; the message names the path.

    Examples
    --------
    >>> from skactive.datasets import load_mnist
    >>> X, y = load_mnist(subset="test")  # doctest: +SKIP
    >>> X.shape, float(X.max()), y[:5]  # doctest: +SKIP
    ((10000, 784), 1.0, array([7, 2, 1, 0, 4]))
    """
    return _load_idx_pair(data_home, "mnist", "MNIST", MNIST_CLASSES, subset, return_X_y)
