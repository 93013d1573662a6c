"""A skorch net's penultimate layer as features, and a skorch CNN in the active-learning loop."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer
from skorch import NeuralNetClassifier
from torch import nn

from skactive import ActiveLearningClassifier
from skactive.query import (
    BADGEQuery,
    CoreSetQuery,
    DensityWeightedQuery,
    NetFeatures,
    VAALQuery,
    net_features,
)


class TinyCNN(nn.Module):
    """8x8 one-channel images (digits) -> 10 classes; 16 penultimate features."""

    def __init__(self):
        super().__init__()
        self.trunk = nn.Sequential(
            nn.Unflatten(1, (1, 8, 8)),
            nn.Conv2d(1, 4, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(64, 16),
            nn.ReLU(),
        )
        self.head = nn.Linear(16, 10)

    def forward(self, X):
        return self.head(self.trunk(X))


def cnn(**params):
    torch.manual_seed(0)
    settings = dict(max_epochs=3, lr=0.05, batch_size=64, train_split=None, verbose=0)
    return NeuralNetClassifier(TinyCNN, criterion=nn.CrossEntropyLoss, **{**settings, **params})


@pytest.fixture(scope="module")
def images(digits):
    X, y = digits
    return (X / 16.0).astype(np.float32), y.astype(np.int64)


def test_penultimate_features_are_the_input_of_the_last_linear_layer(images):
    X, y = images
    net = cnn().fit(X[:300], y[:300])
    features = net_features(net, X[:50])
    with torch.no_grad():
        expected = net.module_.trunk(torch.as_tensor(X[:50])).numpy()
    assert features.shape == (50, 16) and features.dtype == np.float64
    np.testing.assert_allclose(features, expected, rtol=1e-6)
    # float64 rows (e.g. generated ones) are cast to the net's float32 weights
    np.testing.assert_allclose(net_features(net, X[:50].astype(np.float64)), features)
    conv = net_features(net, X[:5], layer="trunk.1")  # a named layer's output, flattened
    assert conv.shape == (5, 4 * 8 * 8)
    with pytest.raises(ValueError, match="layer names 'nope', which is not a submodule"):
        net_features(net, X[:5], layer="nope")
    with pytest.raises(TypeError, match="fitted skorch net"):
        net_features(object(), X[:5])


def test_net_features_reads_through_a_pipeline(images):
    X, y = images
    scale = FunctionTransformer(lambda Z: (Z * 2.0).astype(np.float32))
    pipeline = make_pipeline(scale, cnn()).fit(X[:300], y[:300])
    np.testing.assert_allclose(
        net_features(pipeline, X[:20]), net_features(pipeline[-1], X[:20] * 2.0)
    )


def test_net_features_transformer_trains_saves_and_loads(tmp_path, images):
    X, y = images
    features = NetFeatures(cnn()).fit(X[:300], y[:300])
    out = features.transform(X[300:340])
    path = tmp_path / "cnn.pt"
    features.save_params(path)
    loaded = NetFeatures(cnn()).load_params(path)  # no training
    np.testing.assert_allclose(loaded.transform(X[300:340]), out)
    np.testing.assert_allclose(pickle.loads(pickle.dumps(features)).transform(X[300:340]), out)
    assert clone(features).get_params()["layer"] is None


def test_strategies_measure_in_the_task_models_penultimate_layer(images):
    X, y = images
    net = cnn().fit(X[:200], y[:200])
    pool = X[200:700]
    on_features = CoreSetQuery(random_state=0).query(
        net_features(net, pool), X_labeled=net_features(net, X[:200]), batch_size=10
    )
    by_name = CoreSetQuery(feature_extractor="penultimate", random_state=0).query(
        pool, estimator=net, X_labeled=X[:200], batch_size=10
    )
    np.testing.assert_array_equal(by_name, on_features)
    for strategy in (
        DensityWeightedQuery(feature_extractor="penultimate", random_state=0),
        BADGEQuery(feature_extractor="penultimate", random_state=0),
        VAALQuery(feature_extractor="penultimate", max_iter=5, random_state=0),
    ):
        picked = strategy.query(
            pool, estimator=net, X_labeled=X[:200], y_labeled=y[:200], batch_size=5
        )
        assert len(set(picked)) == 5
    with pytest.raises(ValueError, match='feature_extractor="penultimate" reads the task model'):
        VAALQuery(feature_extractor="penultimate", max_iter=5).query(
            pool, X_labeled=X[:200], batch_size=5
        )


def test_a_skorch_cnn_runs_in_the_active_learning_loop(images):
    X, y = images

    def run():
        return ActiveLearningClassifier(
            cnn(max_epochs=30, lr=0.01, optimizer=torch.optim.Adam),
            query_strategy=CoreSetQuery(feature_extractor="penultimate", random_state=0),
            n_initial=100,
            batch_size=50,
            budget=100,
            random_state=0,
        ).fit(X[:800], y[:800])

    learner = run()
    assert [record["n_labeled"] for record in learner.history_] == [100, 150, 200]
    # a 4-channel CNN, 30 epochs on 200 images; chance is 0.1
    assert learner.score(X[800:], y[800:]) > 0.6
    again = run()
    np.testing.assert_array_equal(again.labeled_iter_, learner.labeled_iter_)


def test_a_skorch_net_missing_a_class_gets_a_clear_error_for_task_losses(images):
    from skactive.query import task_losses

    X, y = images
    keep = y != 9  # the labeled set misses a class; the net still has 10 outputs
    net = cnn().fit(X[:300][keep[:300]], y[:300][keep[:300]])
    with pytest.raises(ValueError, match="pass classes=<every label> to the net"):
        task_losses(net, X[:100][keep[:100]], y[:100][keep[:100]], cv=None)
    named = cnn(classes=list(range(10))).fit(X[:300][keep[:300]], y[:300][keep[:300]])
    assert task_losses(named, X[:100][keep[:100]], y[:100][keep[:100]], cv=None).shape == (
        keep[:100].sum(),
    )
    # out of fold too: each fold's net has 10 outputs while the labels hold 9 classes
    losses = task_losses(named, X[:300][keep[:300]], y[:300][keep[:300]], cv=3, random_state=0)
    assert losses.shape == (keep[:300].sum(),) and np.isfinite(losses).all()
