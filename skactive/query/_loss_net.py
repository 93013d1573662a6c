"""A skorch classifier trained jointly with a loss-prediction module (Yoo & Kweon 2019).

Learning loss and TA-VAAL attach a small *loss-prediction module* to the task
network: it reads the network's intermediate features, is trained on every
mini-batch to rank the per-sample losses of that batch, and its predicted
losses rank the pool. :class:`LossPredictionNet` is that task network as a
skorch ``NeuralNetClassifier``; :class:`~skactive.query.LearningLossQuery`
and :class:`~skactive.query.TAVAALQuery` read its ``predict_loss`` instead of
training a separate ranker after the fact.
"""

from __future__ import annotations

import math
import numbers
from contextlib import ExitStack

import numpy as np
import torch
from skorch import NeuralNetClassifier
from skorch.dataset import unpack_data
from torch import nn

from ._net_features import captured_values, feature_layer, in_net_dtype, pipeline_end
from ._nets import margin_ranking_loss, rankcgan_loss

__all__ = [
    "RANKER_OPTIONS",
    "LossPredictionNet",
    "checked_losses",
    "loss_predictor",
    "resolve_ranker",
]

_WIDTH_ATTRIBUTES = ("out_channels", "out_features", "num_features")


def _output_width(module: nn.Module, name: str) -> int:
    """Channels (or units) of a submodule's output, read from its last sized layer."""
    for sub in reversed(list(module.modules())):
        for attribute in _WIDTH_ATTRIBUTES:
            if isinstance(getattr(sub, attribute, None), int):
                return getattr(sub, attribute)
    raise ValueError(
        f"loss_layers names {name!r} ({type(module).__name__}), whose output width cannot be "
        "read from its layers (no Conv, Linear or BatchNorm inside it). Name a layer of one "
        "of those types, or a block that ends in one."
    )


def _taps(module: nn.Module, loss_layers):
    """Return ``[(submodule, read_input, width)]``: where the features are read."""
    taps = []
    for name in [None] if loss_layers is None else loss_layers:
        target, read_input = feature_layer(module, name, param="loss_layers")
        width = target.in_features if read_input else _output_width(target, name)
        taps.append((target, read_input, width))
    return taps


def _pooled(tensor: torch.Tensor) -> torch.Tensor:
    """Global average pooling over every axis after the channels (feature maps -> vector)."""
    return tensor.flatten(2).mean(2) if tensor.dim() > 2 else tensor.flatten(1)


class _LossPredictionModule(nn.Module):
    """Yoo & Kweon's module: per tapped layer (pooled) FC -> ReLU, concatenated, FC -> loss."""

    def __init__(self, widths, width):
        super().__init__()
        self.branches = nn.ModuleList(nn.Sequential(nn.Linear(w, width), nn.ReLU()) for w in widths)
        self.out = nn.Linear(width * len(widths), 1)

    def forward(self, features):
        """Map the taps' pooled features (one ``(n, width)`` tensor each) to one loss per row."""
        hidden = [branch(f) for branch, f in zip(self.branches, features, strict=True)]
        return self.out(torch.cat(hidden, dim=1)).squeeze(1)


class LossPredictionNet(NeuralNetClassifier):
    """A skorch classifier with a jointly trained loss-prediction module.

    The module reads the task network's intermediate features (each tapped
    layer globally average-pooled, then a fully connected layer and a ReLU,
    the branches concatenated and mapped to one number: Yoo & Kweon, Fig. 3)
    and is trained on each training mini-batch to rank the batch's per-sample
    task losses. The batch's loss is ``L_task + loss_weight * L_rank``
    (Yoo & Kweon Eq. 3; TA-VAAL Eq. 5), with ``L_rank`` the pairwise hinge
    (Yoo & Kweon Eq. 2) or RankCGAN's logistic loss (TA-VAAL Eq. 4) on the
    pairs formed by the batch's two halves; the target losses are detached.
    After ``stop_gradient_after * max_epochs`` epochs the features are
    detached before the module, so the ranking loss no longer shapes the
    task network (Yoo & Kweon stop that gradient after epoch 120 of 200).

    :meth:`predict_loss` returns the predicted losses;
    :class:`~skactive.query.LearningLossQuery` and
    :class:`~skactive.query.TAVAALQuery` use them when given this net (or a
    Pipeline ending in it) as the task model. Everything else is skorch's
    ``NeuralNetClassifier``: the module's ``forward`` returns the class
    scores, and the criterion's per-sample losses are the ranking targets.

    Parameters
    ----------
    module : torch.nn.Module class or instance
        The task network, as for ``NeuralNetClassifier``.
    *args
        ``NeuralNetClassifier``'s other positional arguments.
    loss_layers : list of str or None, default=None
        Names of the submodules (``module_.named_modules()``) whose outputs
        feed the loss-prediction module; a feature map's spatial axes are
        averaged. ``None``: the input of the last ``nn.Linear``, the
        penultimate representation (one branch). Yoo & Kweon tap the output
        of every ResNet stage.
    ranking_loss : {"margin", "rankcgan"}, default="margin"
        ``"margin"``: the hinge ``max(0, -sign(l_i - l_j)(l^_i - l^_j) +
        ranking_margin)`` of Yoo & Kweon (Eq. 2); ``"rankcgan"``: TA-VAAL's
        logistic ranking loss (its Eq. 4, which it found more stable).
    ranking_margin : float, default=1.0
        The hinge's margin (the paper's 1.0).
    loss_weight : float, default=1.0
        Weight of the ranking loss (Yoo & Kweon's lambda, TA-VAAL's eta; both
        papers use 1).
    stop_gradient_after : float in [0, 1], default=0.6
        Fraction of ``max_epochs`` after which the module's gradient stops at
        the task network (the paper's 120 of 200 epochs), counted from the
        start of each ``fit`` / ``partial_fit`` call (a warm-started refit
        starts the count again). ``0`` never lets it through, ``1`` always
        does.
    branch_width : int, default=128
        Units of each branch's fully connected layer (the paper's 128).
    **kwargs
        Any other ``NeuralNetClassifier`` argument (``criterion``,
        ``optimizer``, ``max_epochs``, ``device``, ``classes`` ...).

    Attributes
    ----------
    loss_net_ : torch.nn.Module
        The loss-prediction module (skorch trains it with ``module_``, by the
        same optimizer, and saves it with ``save_params``).
    epochs_before_fit_ : int
        Epochs in ``history`` before the current (or last) fit began.

    Notes
    -----
    ``train_loss`` in the history includes the weighted ranking loss;
    ``valid_loss`` (with a ``train_split``) is the task loss alone.

    References
    ----------
    .. [1] D. Yoo, I. S. Kweon, "Learning Loss for Active Learning", CVPR
       2019, Eq. (2)-(3), Fig. 3.
    .. [2] K. Kim, D. Park, K. I. Kim, S. Y. Chun, "Task-Aware Variational
       Adversarial Active Learning", CVPR 2021, Eq. (4)-(5).

    Examples
    --------
    >>> import numpy as np, torch
    >>> from skactive.query import LossPredictionNet
    >>> X = np.random.RandomState(0).normal(size=(64, 4)).astype(np.float32)
    >>> y = (X[:, 0] > 0).astype(np.int64)
    >>> module = torch.nn.Sequential(
    ...     torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))
    >>> net = LossPredictionNet(module, criterion=torch.nn.CrossEntropyLoss,
    ...                         max_epochs=3, train_split=None, verbose=0).fit(X, y)
    >>> net.predict_loss(X).shape
    (64,)
    """

    def __init__(
        self,
        module,
        *args,
        loss_layers=None,
        ranking_loss="margin",
        ranking_margin=1.0,
        loss_weight=1.0,
        stop_gradient_after=0.6,
        branch_width=128,
        **kwargs,
    ):
        super().__init__(module, *args, **kwargs)
        self.loss_layers = loss_layers
        self.ranking_loss = ranking_loss
        self.ranking_margin = ranking_margin
        self.loss_weight = loss_weight
        self.stop_gradient_after = stop_gradient_after
        self.branch_width = branch_width

    def _check_loss_params(self):
        if self.ranking_loss not in ("margin", "rankcgan"):
            raise ValueError(
                f"ranking_loss must be 'margin' or 'rankcgan'; got {self.ranking_loss!r}."
            )
        for name in ("ranking_margin", "loss_weight"):
            value = getattr(self, name)
            if (
                not isinstance(value, numbers.Real)
                or isinstance(value, bool)
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(f"{name} must be a finite real number >= 0; got {value!r}.")
        fraction = self.stop_gradient_after
        if not isinstance(fraction, numbers.Real) or isinstance(fraction, bool):
            raise ValueError(f"stop_gradient_after must be a number in [0, 1]; got {fraction!r}.")
        if not 0 <= fraction <= 1:
            raise ValueError(f"stop_gradient_after must be in [0, 1]; got {fraction!r}.")
        width = self.branch_width
        if not isinstance(width, numbers.Integral) or isinstance(width, bool) or width < 1:
            raise ValueError(f"branch_width must be an int >= 1; got {width!r}.")
        if self.loss_layers is not None and (
            isinstance(self.loss_layers, str) or not len(self.loss_layers)
        ):
            raise ValueError(
                "loss_layers must be None or a non-empty list of submodule names; got "
                f"{self.loss_layers!r}."
            )

    def initialize_module(self):
        """Build the task network (skorch) and the loss-prediction module on its taps."""
        self._check_loss_params()
        super().initialize_module()
        widths = [width for _, _, width in _taps(self.module_, self.loss_layers)]
        module = _LossPredictionModule(widths, self.branch_width)
        self.loss_net_ = module.to(self.device)
        return self

    def _infer_with_features(self, x, **fit_params):
        """Return ``(y_pred, features)``: the net's output and each tap's pooled value.

        Features come in ``loss_layers`` order, whatever order the layers run
        in; a tapped layer must run exactly once per forward pass, and its
        pooled width must be the one its branch was built for.
        """
        taps = _taps(self.module_, self.loss_layers)
        with ExitStack() as stack:
            captured = [
                stack.enter_context(captured_values(target, read_input))
                for target, read_input, _ in taps
            ]
            y_pred = self.infer(x, **fit_params)
        names = [None] * len(taps) if self.loss_layers is None else list(self.loss_layers)
        features = []
        for name, slot, (_, _, width) in zip(names, captured, taps, strict=True):
            where = "the input of the last nn.Linear" if name is None else f"layer {name!r}"
            if len(slot) != 1:
                raise ValueError(
                    f"loss_layers: {where} ran {len(slot)} times in one forward pass; tap a "
                    "layer that runs exactly once."
                )
            pooled = _pooled(slot[0])
            if pooled.shape[1] != width:
                raise ValueError(
                    f"loss_layers: {where} gives {pooled.shape[1]} features per row after "
                    f"pooling, but its width was read as {width} from its last sized layer. "
                    "Tap the Conv / Linear / BatchNorm layer itself (feature maps must be "
                    "channels-first)."
                )
            features.append(pooled)
        return y_pred, features

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        """Check the module's settings and note where this fit's epochs start."""
        super().on_train_begin(net, X=X, y=y, **kwargs)
        self._check_loss_params()
        widths = [width for _, _, width in _taps(self.module_, self.loss_layers)]
        built = [branch[0].in_features for branch in self.loss_net_.branches]
        if widths != built or self.loss_net_.branches[0][0].out_features != self.branch_width:
            raise ValueError(
                "loss_layers or branch_width changed after the loss-prediction module was "
                "built; call fit() without warm_start (or initialize()) to rebuild it."
            )
        # partial_fit and warm_start keep the history: count this fit's epochs only
        self.epochs_before_fit_ = len(self.history)

    def _gradient_reaches_task_net(self) -> bool:
        epoch = len(self.history) - getattr(self, "epochs_before_fit_", 0)  # from 1
        return epoch <= math.floor(self.stop_gradient_after * self.max_epochs)

    def _ranking(self, predicted, target):
        if predicted.shape[0] < 2:  # no pair in a one-row batch
            return predicted.sum() * 0.0
        if self.ranking_loss == "rankcgan":
            return rankcgan_loss(predicted, target)
        if self.ranking_loss == "margin":
            return margin_ranking_loss(predicted, target, self.ranking_margin)
        raise ValueError(f"ranking_loss must be 'margin' or 'rankcgan'; got {self.ranking_loss!r}.")

    def _per_sample_loss(self, y_pred, y_true, X):
        """Return the criterion's loss of each row (its ``reduction`` set to "none")."""
        reduction = getattr(self.criterion_, "reduction", None)
        if reduction is None:
            raise TypeError(
                f"LossPredictionNet needs per-sample losses from its criterion; "
                f"{type(self.criterion_).__name__} has no 'reduction' attribute."
            )
        self.criterion_.reduction = "none"
        try:
            losses = self.get_loss(y_pred, y_true, X=X, training=True)
        finally:
            self.criterion_.reduction = reduction
        return losses.reshape(len(losses), -1).mean(1)

    def train_step_single(self, batch, **fit_params):
        """Compute the task loss plus the weighted ranking loss and backpropagate both."""
        self._set_training(True)
        Xi, yi = unpack_data(batch)
        y_pred, features = self._infer_with_features(Xi, **fit_params)
        task_loss = self.get_loss(y_pred, yi, X=Xi, training=True)  # as the criterion reduces
        losses = self._per_sample_loss(y_pred, yi, Xi)
        if not self._gradient_reaches_task_net():
            features = [f.detach() for f in features]
        predicted = self.loss_net_(features)
        loss = task_loss + self.loss_weight * self._ranking(predicted, losses.detach())
        loss.backward()
        return {"loss": loss, "y_pred": y_pred}

    def predict_loss(self, X) -> np.ndarray:
        """Return the module's predicted loss of each row (larger = harder; any scale).

        Parameters
        ----------
        X : array-like
            Rows the net accepts (float arrays are cast to the net's dtype).

        Returns
        -------
        losses : ndarray of shape (n_samples,), float64
        """
        self.check_is_fitted()
        X = in_net_dtype(self, X)
        dataset = self.get_dataset(X)
        self._set_training(False)
        out = []
        with torch.no_grad():
            for batch in self.get_iterator(dataset, training=False):
                Xi = unpack_data(batch)[0]
                _, features = self._infer_with_features(Xi)
                out.append(self.loss_net_(features).detach().cpu())
        return torch.cat(out).numpy().astype(np.float64)


def loss_predictor(estimator):
    """Return ``predict_loss`` of a task model that has one (or of a Pipeline's last step).

    Returns ``None`` when the model predicts no losses.
    """
    prepare, last = pipeline_end(estimator)
    if not hasattr(last, "predict_loss"):
        return None
    return lambda X: last.predict_loss(prepare(X))


RANKER_OPTIONS = ("auto", "task_model", "fit")


def resolve_ranker(ranker: str, estimator):
    """Return the task model's ``predict_loss`` to rank by, or ``None`` to fit a ranker.

    ``"auto"``: the task model's own loss-prediction module when it has one
    (a :class:`LossPredictionNet`, or a Pipeline ending in one), else ``None``;
    ``"task_model"``: that module, or a clear error; ``"fit"``: ``None``.
    """
    if ranker == "fit":
        return None
    predict = loss_predictor(estimator)
    if predict is None and ranker == "task_model":
        raise ValueError(
            "ranker='task_model' needs a task model with a loss-prediction module (a "
            f"LossPredictionNet, or a Pipeline ending in one); got {type(estimator).__name__}. "
            "Use ranker='fit' to train a ranker on out-of-fold losses instead."
        )
    return predict


def checked_losses(losses) -> np.ndarray:
    """Return predicted losses as float64, refusing NaN or infinite values by name."""
    losses = np.asarray(losses, dtype=np.float64)
    if not np.all(np.isfinite(losses)):
        raise ValueError(
            "The task model's loss-prediction module returned NaN or infinite losses for "
            f"{int(np.sum(~np.isfinite(losses)))} rows: its training diverged (try a smaller "
            "learning rate or loss_weight)."
        )
    return losses
