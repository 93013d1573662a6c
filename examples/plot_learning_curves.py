"""
Active-learning curves on digits: random vs margin vs core-set
==============================================================

Fits :class:`skactive.ActiveLearningClassifier` in simulation mode (labels are
revealed only for queried rows) with three query strategies and three seeds,
scores the held-out split after every cycle (``fit(..., X_val=, y_val=)``) and
draws accuracy against the number of labels with mean +- std bands
(:func:`skactive.plotting.plot_learning_curve`).

Run: ``python examples/plot_learning_curves.py`` (needs matplotlib).
"""

import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from sklearn.svm import SVC

from skactive import ActiveLearningClassifier
from skactive.plotting import plot_learning_curve
from skactive.query import CoreSetQuery, RandomQuery, UncertaintyQuery

X, y = load_digits(return_X_y=True)
strategies = {
    "Random": RandomQuery(),
    "Margin": UncertaintyQuery("margin"),
    "Core-set": CoreSetQuery(),
}
runs = {name: [] for name in strategies}
for seed in range(3):
    X_pool, X_test, y_pool, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed
    )
    for name, strategy in strategies.items():
        learner = ActiveLearningClassifier(
            SVC(),
            query_strategy=strategy,
            n_initial=30,
            batch_size=30,
            budget=300,
            random_state=seed,
        )
        runs[name].append(learner.fit(X_pool, y_pool, X_val=X_test, y_val=y_test))

fig, ax = plt.subplots(figsize=(6, 4))
plot_learning_curve(runs, ax=ax)
ax.set_title("digits, SVC: test accuracy vs labels (3 seeds)")
fig.tight_layout()
plt.show()
