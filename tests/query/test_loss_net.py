"""LossPredictionNet: a skorch task network trained with its loss-prediction module."""

import pickle

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from skorch import NeuralNetClassifier
from torch import nn

from skactive import ActiveLearningClassifier
from skactive.query import LearningLossQuery, LossPredictionNet, TAVAALQuery
from skactive.query._loss_net import checked_losses

from .test_net_features import TinyCNN


def toy(n=300, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 4)).astype(np.float32)
    y = (X[:, 0] + 0.5 * rng.normal(size=n) > 0).astype(np.int64)
    return X, y


def mlp():
    return nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))


def joint_net(net_class=LossPredictionNet, module=None, **params):
    torch.manual_seed(0)
    settings = dict(
        criterion=nn.CrossEntropyLoss,
        max_epochs=20,
        lr=0.1,
        train_split=None,
        iterator_train__shuffle=False,
        verbose=0,
    )
    return net_class(mlp() if module is None else module, **{**settings, **params})


def test_the_module_learns_to_rank_the_task_losses():
    X, y = toy()
    net = joint_net().fit(X, y)
    proba = net.predict_proba(X)
    true_losses = -np.log(proba[np.arange(len(y)), y])
    assert spearmanr(net.predict_loss(X), true_losses).statistic > 0.5
    rankcgan = joint_net(ranking_loss="rankcgan").fit(X, y)
    proba = rankcgan.predict_proba(X)
    true_losses = -np.log(proba[np.arange(len(y)), y])
    assert spearmanr(rankcgan.predict_loss(X), true_losses).statistic > 0.5


def test_stopped_gradient_leaves_the_task_network_as_without_the_module():
    X, y = toy()
    plain = joint_net(net_class=NeuralNetClassifier).fit(X, y)
    stopped = joint_net(stop_gradient_after=0, loss_weight=10.0).fit(X, y)
    for a, b in zip(plain.module_.parameters(), stopped.module_.parameters(), strict=True):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), atol=1e-5)
    flowing = joint_net(stop_gradient_after=1, loss_weight=10.0).fit(X, y)
    assert not np.allclose(
        plain.module_[0].weight.detach().numpy(), flowing.module_[0].weight.detach().numpy()
    )


def test_named_layers_feed_pooled_branches_of_their_width(digits):
    X, y = digits
    X = (X[:200] / 16).astype(np.float32)
    net = LossPredictionNet(
        TinyCNN,
        criterion=nn.CrossEntropyLoss,
        max_epochs=1,
        train_split=None,
        verbose=0,
        loss_layers=["trunk.1", "trunk.5"],  # a 4-channel feature map and the 16-unit layer
    ).fit(X, y[:200].astype(np.int64))
    widths = [branch[0].in_features for branch in net.loss_net_.branches]
    assert widths == [4, 16]
    assert net.predict_loss(X[:7]).shape == (7,)


def test_clone_pickle_and_set_params():
    X, y = toy()
    net = joint_net(max_epochs=3).fit(X, y)
    again = pickle.loads(pickle.dumps(net))
    np.testing.assert_array_equal(again.predict_loss(X), net.predict_loss(X))
    fresh = clone(net).set_params(branch_width=8, loss_weight=0.5)
    assert fresh.branch_width == 8 and not hasattr(fresh, "loss_net_")
    fresh.fit(X, y)
    assert fresh.loss_net_.branches[0][0].out_features == 8


@pytest.mark.parametrize(
    "params, message",
    [
        ({"ranking_loss": "hinge"}, "ranking_loss must be"),
        ({"loss_weight": -1}, "loss_weight must be"),
        ({"stop_gradient_after": 1.5}, r"stop_gradient_after must be in \[0, 1\]"),
        ({"branch_width": 0}, "branch_width must be"),
        ({"loss_layers": "0"}, "loss_layers must be None or a non-empty list"),
        ({"loss_layers": ["nope"]}, "loss_layers names 'nope', which is not a submodule"),
        ({"loss_layers": ["1"]}, "cannot be read from its layers"),  # a ReLU
        ({"ranking_margin": float("nan")}, "ranking_margin must be a finite real number"),
        ({"loss_weight": float("inf")}, "loss_weight must be a finite real number"),
    ],
)
def test_bad_parameters_are_named(params, message):
    X, y = toy(40)
    with pytest.raises(ValueError, match=message):
        joint_net(**params).fit(X, y)


def test_learning_loss_queries_the_largest_predicted_losses():
    X, y = toy()
    net = joint_net().fit(X[:100], y[:100])
    picked, utilities = LearningLossQuery(random_state=0).query(
        X[100:],
        estimator=net,
        X_labeled=X[:100],
        y_labeled=y[:100],
        batch_size=5,
        return_utilities=True,
    )
    np.testing.assert_allclose(utilities, net.predict_loss(X[100:]))
    assert set(picked) == set(np.argsort(-utilities)[:5])
    # a Pipeline ending in the net: the earlier steps transform the rows first
    pipe = make_pipeline(StandardScaler(), joint_net(max_epochs=3)).fit(X[:100], y[:100])
    through = LearningLossQuery(ranker="task_model").query(
        X[100:], estimator=pipe, X_labeled=X[:100], y_labeled=y[:100], batch_size=5
    )
    direct = pipe[-1].predict_loss(pipe[0].transform(X[100:]))
    assert set(through) == set(np.argsort(-direct)[:5])


def test_other_task_models_keep_the_fitted_ranker():
    X, y = toy()
    model = LogisticRegression().fit(X[:100], y[:100])
    args = dict(estimator=model, X_labeled=X[:100], y_labeled=y[:100], batch_size=5)
    auto = LearningLossQuery(max_iter=20, random_state=0).query(X[100:], **args)
    fit = LearningLossQuery(max_iter=20, random_state=0, ranker="fit").query(X[100:], **args)
    np.testing.assert_array_equal(auto, fit)
    with pytest.raises(ValueError, match="ranker='task_model' needs a task model"):
        LearningLossQuery(ranker="task_model").query(X[100:], **args)
    with pytest.raises(ValueError, match="ranker='task_model' needs a task model"):
        TAVAALQuery(ranker="task_model").query(X[100:], **args)


@pytest.mark.parametrize("max_samples", ["auto", 60])
def test_tavaal_reads_the_task_models_ranker(max_samples, monkeypatch):
    X, y = toy()
    net = joint_net().fit(X[:100], y[:100])
    seen = []
    predict_loss = net.predict_loss

    def spy(rows):
        seen.append(len(rows))
        return predict_loss(rows)

    monkeypatch.setattr(net, "predict_loss", spy)
    query = TAVAALQuery(max_iter=10, max_samples=max_samples, random_state=0)
    args = dict(estimator=net, X_labeled=X[:100], y_labeled=y[:100], batch_size=5)
    picked = query.query(X[100:], **args)
    assert len(set(picked)) == 5
    n_train = 200 if max_samples == "auto" else 60
    # the labeled rows and the training rows, plus the scored subset when not whole
    assert seen[:2] == [100, n_train] and len(seen) == (2 if max_samples == "auto" else 3)
    np.testing.assert_array_equal(query.query(X[100:], **args), picked)


def test_diverged_losses_are_refused():
    with pytest.raises(ValueError, match="returned NaN or infinite losses for 1 rows"):
        checked_losses([0.1, np.nan, 0.3])


def test_the_joint_net_runs_in_the_active_learning_loop():
    X, y = toy(400)

    def run():
        torch.manual_seed(0)
        return ActiveLearningClassifier(
            joint_net(max_epochs=5),
            query_strategy=LearningLossQuery(),
            n_initial=60,
            batch_size=20,
            budget=40,
            random_state=0,
        ).fit(X, y)

    learner = run()
    assert [record["n_labeled"] for record in learner.history_] == [60, 80, 100]
    np.testing.assert_array_equal(run().labeled_iter_, learner.labeled_iter_)


def test_taps_follow_loss_layers_order_and_bad_taps_are_named():
    X, y = toy(64)
    deep = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 2))
    net = joint_net(module=deep, loss_layers=["2", "0"], max_epochs=2).fit(X, y)
    assert [branch[0].in_features for branch in net.loss_net_.branches] == [8, 16]
    assert net.predict_loss(X).shape == (64,)

    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.a, self.out = nn.Linear(4, 4), nn.Linear(4, 2)

        def forward(self, X):
            return self.out(self.a(self.a(X)))

    with pytest.raises(ValueError, match="layer 'a' ran 2 times"):
        joint_net(module=Twice(), loss_layers=["a"], max_epochs=1).fit(X, y)
    flat = nn.Sequential(nn.Unflatten(1, (1, 4)), nn.Sequential(nn.Conv1d(1, 3, 1), nn.Flatten()))
    flat.append(nn.Linear(12, 2))
    with pytest.raises(ValueError, match="layer '1' gives 12 features per row"):
        joint_net(module=flat, loss_layers=["1"], max_epochs=1).fit(X, y)


def test_stop_gradient_counts_the_epochs_of_each_fit():
    X, y = toy()
    net = joint_net(max_epochs=5).fit(X, y)
    assert net.epochs_before_fit_ == 0
    net.partial_fit(X, y)
    assert len(net.history) == 10 and net.epochs_before_fit_ == 5
    # the gradient reached the network again in the first epochs of the second call
    stopped = joint_net(max_epochs=5).fit(X, y)
    stopped.set_params(stop_gradient_after=0).partial_fit(X, y)
    assert not np.allclose(
        net.module_[0].weight.detach().numpy(), stopped.module_[0].weight.detach().numpy()
    )


def test_changing_the_module_after_fit_asks_for_a_rebuild():
    X, y = toy(64)
    net = joint_net(max_epochs=1).fit(X, y)
    net.set_params(branch_width=7)
    with pytest.raises(ValueError, match="call fit\\(\\) without warm_start"):
        net.partial_fit(X, y)
    assert net.fit(X, y).loss_net_.branches[0][0].out_features == 7
