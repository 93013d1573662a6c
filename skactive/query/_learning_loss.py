"""Learning loss for active learning (Yoo & Kweon 2019)."""

from __future__ import annotations

import numbers

from sklearn.utils._param_validation import Interval, StrOptions

from .._docstrings import DEVICE_DOC, QUERY_VERBOSE_DOC, TORCH_N_JOBS_DOC, shared_docs
from ._base import FEATURE_EXTRACTOR_CONSTRAINT
from ._loss_net import RANKER_OPTIONS, checked_losses, resolve_ranker
from ._nets import TorchQueryStrategy, margin_ranking_loss, rankcgan_loss
from ._training import fit_loss_ranker


def ranking_loss_function(name: str, margin: float):
    """``(predicted, target) -> loss`` for ``"margin"`` (Yoo & Kweon) or ``"rankcgan"``."""
    if name == "margin":
        return lambda predicted, target: margin_ranking_loss(predicted, target, margin)
    return rankcgan_loss


@shared_docs(device=DEVICE_DOC, torch_n_jobs=TORCH_N_JOBS_DOC, verbose=QUERY_VERBOSE_DOC)
class LearningLossQuery(TorchQueryStrategy):
    """Query the rows whose task-model loss a learned module predicts to be largest.

    A loss-prediction module *ranks* the task model's per-sample losses; the
    pool rows with the largest predicted loss are queried. Where it comes
    from (``ranker``):

    - **the task model's own module**, as in the paper: a
      :class:`LossPredictionNet` (a skorch classifier) trains it jointly with
      the network on every mini-batch's losses, reading the network's
      intermediate features (Yoo & Kweon, Fig. 3 and Eq. 3);
    - **a module fitted after the fact** for any other (scikit-learn) model:
      an MLP on the row's features trained to rank out-of-fold losses. A
      fitted model's training losses are optimistic, so the targets are
      **out-of-fold** cross-entropies (:func:`task_losses` with ``cv``
      stratified folds on a clone of the estimator): a fitted model cannot
      provide the mini-batch losses the paper trains on.

    Parameters
    ----------
    feature_extractor : callable, transformer, "penultimate" or None, default=None
        Input of the module (the paper feeds task-network feature maps;
        ``None`` uses X;
        ``"penultimate"``: the fitted task model's penultimate layer, a skorch
        net's; :func:`net_features`).
    ranking_loss : {"margin", "rankcgan"}, default="margin"
        ``"margin"``: the paper's pairwise hinge ``max(0, -sign(l_i - l_j)
        (l^_i - l^_j) + margin)`` (Yoo & Kweon Eq. 2); ``"rankcgan"``: the
        logistic ranking loss TA-VAAL found more stable (TA-VAAL Eq. 4, its
        "learning loss_v2").
    margin : float, default=1.0
        Margin of the hinge (the paper's 1.0).
    cv : int or None, default=5
        Folds of the out-of-fold losses; ``None``: in-sample losses.
    hidden_layer_sizes : tuple of int, default=(128, 128)
    max_iter : int, default=500
        Training iterations of the module.
    train_batch_size : int, default=128
        Even sizes pair all rows (pairs are the two halves of a batch).
    learning_rate : float, default=5e-4
    {device}
    random_state : int, RandomState instance or None, default=None
    {torch_n_jobs}
    {verbose}
    ranker : {"auto", "task_model", "fit"}, default="auto"
        ``"task_model"``: the task model's own loss-prediction module (its
        ``predict_loss``, e.g. a :class:`LossPredictionNet`); ``"fit"``: a
        module fitted on out-of-fold losses (the parameters above shape it);
        ``"auto"``: the first when the task model has one, else the second.

    Notes
    -----
    Utilities are the predicted losses (arbitrary scale, only order matters).

    References
    ----------
    .. [1] D. Yoo, I. S. Kweon, "Learning Loss for Active Learning", CVPR
       2019, Eq. (2).
    .. [2] K. Kim, D. Park, K. I. Kim, S. Y. Chun, "Task-Aware Variational
       Adversarial Active Learning", CVPR 2021, Eq. (4).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive.query import LearningLossQuery
    >>> X, y = load_iris(return_X_y=True)
    >>> model = LogisticRegression(max_iter=500).fit(X[::3], y[::3])
    >>> ll = LearningLossQuery(max_iter=20, random_state=0)
    >>> ll.query(X, estimator=model, X_labeled=X[::3], y_labeled=y[::3], batch_size=2).shape
    (2,)
    """

    _parameter_constraints = {
        **TorchQueryStrategy._parameter_constraints,
        "feature_extractor": FEATURE_EXTRACTOR_CONSTRAINT,
        "ranking_loss": [StrOptions({"margin", "rankcgan"})],
        "margin": [Interval(numbers.Real, 0, None, closed="left")],
        "cv": [Interval(numbers.Integral, 2, None, closed="left"), None],
        "ranker": [StrOptions(set(RANKER_OPTIONS))],
    }

    def __init__(
        self,
        *,
        feature_extractor=None,
        ranking_loss="margin",
        margin=1.0,
        cv=5,
        hidden_layer_sizes=(128, 128),
        max_iter=500,
        train_batch_size=128,
        learning_rate=5e-4,
        device="cpu",
        random_state=None,
        n_jobs=None,
        verbose=0,
        ranker="auto",
    ):
        self.feature_extractor = feature_extractor
        self.ranking_loss = ranking_loss
        self.margin = margin
        self.cv = cv
        self.hidden_layer_sizes = hidden_layer_sizes
        self.max_iter = max_iter
        self.train_batch_size = train_batch_size
        self.learning_rate = learning_rate
        self.device = device
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose
        self.ranker = ranker

    def _utilities(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        predict_loss = resolve_ranker(self.ranker, estimator)
        if predict_loss is not None:
            return checked_losses(predict_loss(X_pool))
        pool, labeled, run = self._setup(X_pool, X_labeled, estimator)
        rank = fit_loss_ranker(
            run,
            estimator,
            X_labeled,
            y_labeled,
            labeled,
            cv=self.cv,
            random_state=run.init_seed,
            hidden=self.hidden_layer_sizes,
            n_iter=self.max_iter,
            ranking_loss=ranking_loss_function(self.ranking_loss, self.margin),
        )
        return pool.score(lambda features, side: rank(features))
