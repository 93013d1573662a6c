"""A fitted neural network's intermediate layer as features (skorch nets).

The deep active-learning papers measure distances, densities and gradient
embeddings in the task network's own representation, its penultimate layer
(Sener & Savarese 2018; Yoo & Kweon 2019; Ash et al. 2020). :func:`net_features`
reads it from a fitted skorch net; ``feature_extractor="penultimate"`` makes a
strategy read it from the task model it is given; :class:`NetFeatures` is the
same as a scikit-learn transformer whose net is trained by ``fit`` (e.g. on
another data set, as a stand-in for an ImageNet-pretrained CNN) and whose
weights can be saved and loaded.
"""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import torch
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import HasMethods
from torch import nn

__all__ = ["NetFeatures", "net_features"]


def feature_layer(module: nn.Module, layer, param="layer"):
    """Return ``(submodule, read_input)``: where the features are read.

    ``layer=None``: the input of the last ``nn.Linear`` (the penultimate
    representation); a name: that submodule's output. ``param`` names the
    caller's parameter in error messages.
    """
    if layer is None:
        linears = [m for m in module.modules() if isinstance(m, nn.Linear)]
        if not linears:
            raise ValueError(
                f"{type(module).__name__} has no nn.Linear layer to read the penultimate "
                f"features from; name the layer whose output to read with {param}=..."
            )
        return linears[-1], True  # the input of the last linear layer
    named = dict(module.named_modules())
    if layer not in named:
        raise ValueError(
            f"{param} names {layer!r}, which is not a submodule of {type(module).__name__}; "
            f"its submodules are {[n for n in named if n][:20]}."
        )
    return named[layer], False


@contextmanager
def captured_values(target: nn.Module, read_input: bool, keep=None):
    """Collect what ``target`` sees while the block runs: its input, or else its output.

    Yields the list the values (one tensor per call of ``target``, passed
    through ``keep`` when given) are appended to; the hook is removed when the
    block ends.
    """
    values = []
    store = values.append if keep is None else (lambda value: values.append(keep(value)))
    if read_input:
        handle = target.register_forward_pre_hook(lambda _m, inputs: store(inputs[0]))
    else:
        handle = target.register_forward_hook(lambda _m, _i, output: store(output))
    try:
        yield values
    finally:
        handle.remove()


def pipeline_end(estimator):
    """Return ``(prepare, last)``: a Pipeline's earlier steps as one map, and its last step.

    Any other estimator is its own last step, with the identity map.
    """
    if isinstance(estimator, Pipeline):
        return estimator[:-1].transform, estimator[-1]
    return (lambda X: X), estimator


def in_net_dtype(net, X):
    """Return a float NumPy ``X`` cast to the dtype of a fitted net's weights (else ``X``)."""
    parameter = next(net.module_.parameters(), None)
    if parameter is not None and isinstance(X, np.ndarray) and X.dtype.kind == "f":
        return X.astype(torch.empty((), dtype=parameter.dtype).numpy().dtype, copy=False)
    return X


def net_features(net, X, layer=None) -> np.ndarray:
    """Return a fitted skorch net's intermediate features of ``X``.

    Parameters
    ----------
    net : fitted skorch ``NeuralNet``, or a fitted Pipeline ending in one
        The network (its earlier pipeline steps transform ``X`` first).
    X : array-like
        Rows the net accepts; a float NumPy array is cast to the dtype of
        the net's weights (generated float64 rows into a float32 net).
    layer : str or None, default=None
        Name of the submodule (``net.module_.named_modules()``) whose output
        is read. ``None``: the input of the last ``nn.Linear`` layer -- the
        penultimate representation of a classifier.

    Returns
    -------
    features : ndarray of shape (n_samples, n_features_out)
        Float64, flattened per row; computed in eval mode, without gradients,
        in the net's batches.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetClassifier
    >>> from skactive.query import net_features
    >>> X = np.random.RandomState(0).normal(size=(40, 4)).astype(np.float32)
    >>> y = (X[:, 0] > 0).astype(np.int64)
    >>> module = torch.nn.Sequential(
    ...     torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    >>> net = NeuralNetClassifier(module, max_epochs=2, train_split=None,
    ...                           criterion=torch.nn.CrossEntropyLoss, verbose=0).fit(X, y)
    >>> net_features(net, X).shape
    (40, 8)
    """
    prepare, net = pipeline_end(net)
    X = prepare(X)
    if not hasattr(net, "module_") or not hasattr(net, "forward"):
        raise TypeError(
            "net_features reads a fitted skorch net (or a Pipeline ending in one); "
            f"got {type(net).__name__}."
        )
    X = in_net_dtype(net, X)
    target, read_input = feature_layer(net.module_, layer)

    def to_host(value):  # each batch leaves the device as it comes
        return value.detach().flatten(1).cpu()

    with captured_values(target, read_input, keep=to_host) as captured, torch.no_grad():
        net.forward(X, training=False)
    return torch.cat(captured).numpy().astype(np.float64)


class NetFeatures(TransformerMixin, BaseEstimator):
    """Transformer: a skorch net's intermediate layer, after training the net in ``fit``.

    ``fit(X, y)`` trains a clone of ``net`` on ``X, y``; ``transform(X)``
    returns :func:`net_features`. Trained on one data set and applied to
    another, it is the analogue of the papers' ImageNet-pretrained features
    where weights cannot be downloaded (e.g. a CNN trained on MNIST giving
    features for Fashion-MNIST). :meth:`save_params` / :meth:`load_params`
    store and restore the trained weights (skorch's own format), so the net
    is trained once for any number of runs.

    Parameters
    ----------
    net : skorch ``NeuralNet``
        The network to train (unfitted; cloned by ``fit``).
    layer : str or None, default=None
        Submodule whose output is read; ``None``: the input of the last
        linear layer (the penultimate features).

    Attributes
    ----------
    net_ : skorch ``NeuralNet``
        The trained (or loaded) network.

    Notes
    -----
    Not run through scikit-learn's estimator checks: the wrapped network
    fixes its input shape, which those checks vary.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skorch import NeuralNetClassifier
    >>> from skactive.query import NetFeatures
    >>> X = np.random.RandomState(0).normal(size=(40, 4)).astype(np.float32)
    >>> y = (X[:, 0] > 0).astype(np.int64)
    >>> module = torch.nn.Sequential(
    ...     torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    >>> net = NeuralNetClassifier(module, max_epochs=2, train_split=None,
    ...                           criterion=torch.nn.CrossEntropyLoss, verbose=0)
    >>> NetFeatures(net).fit(X, y).transform(X).shape
    (40, 8)
    """

    _parameter_constraints: dict = {
        "net": [HasMethods(["fit", "forward"])],
        "layer": [str, None],
    }

    def __init__(self, net, *, layer=None):
        self.net = net
        self.layer = layer

    def fit(self, X, y=None):
        """Train a clone of ``net`` on ``X`` (and ``y``)."""
        self._validate_params()
        self.net_ = clone(self.net).fit(X, y)
        return self

    def transform(self, X):
        """Return the features of ``X`` (:func:`net_features`)."""
        if not hasattr(self, "net_"):
            raise NotFittedError("NetFeatures is not fitted: call fit or load_params first.")
        return net_features(self.net_, X, self.layer)

    def save_params(self, f_params):
        """Save the trained net's weights to ``f_params`` (skorch ``save_params``)."""
        self.net_.save_params(f_params=f_params)
        return self

    def load_params(self, f_params):
        """Build ``net`` and load weights saved by :meth:`save_params`; no training."""
        self._validate_params()
        net = clone(self.net).initialize()
        net.load_params(f_params=f_params)
        self.net_ = net
        return self
