"""
A skorch CNN in the active-learning loop, core-set on its penultimate layer
===========================================================================

The deep active-learning papers query with the task network's own
representation: core-set (Sener & Savarese 2018) covers the pool in the
network's penultimate-layer space. Here the task model is a small
convolutional network trained through skorch, cloned and refitted on the
labeled images at every cycle by :class:`skactive.ActiveLearningClassifier`,
and ``CoreSetQuery(feature_extractor="penultimate")`` measures distances in
the current cycle's network (:func:`skactive.query.net_features`). Random
queries are the reference. Digits are 8x8 images, so this runs on a CPU in
seconds; on a GPU pass ``device="cuda"`` to the skorch net.

This is a demonstration of the plumbing, not a benchmark: two seeds, a tiny
network and short training.

Run: ``python examples/plot_cnn_active_learning.py`` (needs matplotlib).
"""

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from skorch import NeuralNetClassifier
from torch import nn

from skactive import ActiveLearningClassifier
from skactive.plotting import plot_learning_curve
from skactive.query import CoreSetQuery, RandomQuery


class SmallCNN(nn.Module):
    """8x8 grey images -> 10 classes; the 32 features before the head are the penultimate layer."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Unflatten(1, (1, 8, 8)),
            nn.Conv2d(1, 8, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(8 * 4 * 4, 32),
            nn.ReLU(),
        )
        self.head = nn.Linear(32, 10)

    def forward(self, X):
        return self.head(self.features(X))


def small_cnn():
    return NeuralNetClassifier(
        SmallCNN,
        criterion=nn.CrossEntropyLoss,
        optimizer=torch.optim.Adam,
        lr=0.01,
        max_epochs=30,
        batch_size=64,
        train_split=None,
        verbose=0,
    )


X, y = load_digits(return_X_y=True)
X, y = (X / 16.0).astype(np.float32), y.astype(np.int64)
strategies = {
    "Random": RandomQuery(),
    "Core-set on the CNN's penultimate layer": CoreSetQuery(feature_extractor="penultimate"),
}
runs = {name: [] for name in strategies}
for seed in range(2):
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed
    )
    for name, strategy in strategies.items():
        torch.manual_seed(seed)  # skorch initialises the weights from torch's global seed
        learner = ActiveLearningClassifier(
            small_cnn(),
            query_strategy=strategy,
            n_initial=50,
            batch_size=50,
            budget=250,
            random_state=seed,
        )
        runs[name].append(learner.fit(X_pool, y_pool, X_val=X_test, y_val=y_test))

fig, ax = plt.subplots(figsize=(6, 4))
plot_learning_curve(runs, ax=ax)
ax.set_title("digits, skorch CNN: test accuracy vs labels (2 seeds)")
fig.tight_layout()
plt.show()
