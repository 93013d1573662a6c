"""
Is my synthetic data any good?
==============================

Over-samplers add rows to a small class. Whether those rows help depends on
three questions, which :mod:`skactive.metrics` answers against real rows the
generator never saw (a held-out split):

- **fidelity**: do the rows lie where real rows of the class lie
  (*precision*, *density*, and the classifier two-sample AUC, 0.5 meaning a
  classifier cannot tell them from real rows)?
- **diversity**: do they cover the class, or collapse onto a few points
  (*coverage*, *recall*)?
- **copying**: are they closer to the training rows than new real rows are
  (*distance to closest record*, DCR)? A sampler that returns noisy copies
  scores well on fidelity and is no better than RandomOverSampler.

:func:`~skactive.metrics.synthetic_quality_report` puts each number next to
what a *real* sample of the same size gets against the same held-out rows:
that pair, not the number alone, says whether the rows are as good as real.
"""

import matplotlib.pyplot as plt
import numpy as np
from imblearn.over_sampling import SMOTE, RandomOverSampler
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split

from skactive import ActiveGANAugmenter
from skactive.metrics import synthetic_quality_report

# %%
# An imbalanced two-moons problem
# -------------------------------
#
# 600 rows of one moon and 60 of the other; a stratified half is held out.
rng = np.random.RandomState(0)
X_all, y_all = make_moons(n_samples=1200, noise=0.15, random_state=0)
keep = np.r_[np.flatnonzero(y_all == 0)[:600], np.flatnonzero(y_all == 1)[:60]]
X, y = X_all[keep], y_all[keep]
X_train, X_test, y_train, y_test = train_test_split(
    X, y, train_size=0.5, stratify=y, random_state=0
)

# %%
# Three samplers balance the training half
# ----------------------------------------
#
# The GAN trains far shorter than the default (so that the example runs in a
# few seconds) and without the uncertainty term (``lam=0``).
samplers = {
    "RandomOverSampler": RandomOverSampler(random_state=0),
    "SMOTE": SMOTE(random_state=0),
    "ActiveGANAugmenter (lam=0)": ActiveGANAugmenter(
        lam=0,
        max_iter=800,
        hidden_layer_sizes=(64, 32),
        gan_params={"latent_dim": 8},
        random_state=0,
    ),
}
generated = {}
for name, sampler in samplers.items():
    X_res, y_res = sampler.fit_resample(X_train, y_train)
    generated[name] = X_res[len(X_train) :][y_res[len(y_train) :] == 1]

# %%
# The report for the small class
# ------------------------------
#
# ``*_real``: a real training sample of the same size against the same
# held-out rows. Duplicated rows (RandomOverSampler) have a DCR of 0;
# interpolated ones (SMOTE) sit between training rows; a GAN's rows should
# be about as far from the training rows as held-out rows are.
columns = ["coverage", "recall", "precision", "c2st_auc", "dcr"]
print(f"{'sampler':<28}" + "".join(f"{c + ' (real)':>22}" for c in columns))
for name, rows in generated.items():
    report = synthetic_quality_report(
        X_train, y_train, X_test, y_test, rows, np.ones(len(rows), int), random_state=0
    )[1]
    cells = "".join(f"{report[c]:>12.2f} ({report[c + '_real']:.2f})" for c in columns)
    print(f"{name:<28}{cells}")

# %%
# What the numbers mean on the plot
# ---------------------------------
fig, axes = plt.subplots(1, 3, figsize=(12, 4), sharex=True, sharey=True)
for ax, (name, rows) in zip(axes, generated.items(), strict=True):
    ax.scatter(*X_train[y_train == 0].T, s=4, c="0.8", label="majority (train)")
    ax.scatter(*X_test[y_test == 1].T, s=18, c="tab:blue", label="minority (held out)")
    ax.scatter(*rows[:150].T, s=6, c="tab:red", alpha=0.6, label="generated minority")
    ax.set_title(name)
axes[0].legend(loc="lower left", fontsize=8)
fig.tight_layout()
plt.show()

# %%
# Reading it: RandomOverSampler and SMOTE cover the held-out minority as well
# as a real sample does, but their rows are the training rows (DCR 0) or lie
# on segments between them (DCR below the real rows'). The GAN's rows are new
# (DCR above the real rows') but, after this short training, cover far less
# of the class than a real sample and are easy to tell from real rows (AUC
# well above 0.5). This run keeps the defaults that counter such collapse
# (rows drawn from a moving average of the generator's weights, ``ema_decay``,
# and the mode-seeking term, ``mode_seeking``) but trains far shorter than
# ``max_iter="auto"`` would, with smaller nets. :ref:`results_imbalanced`
# compares the defaults with the over-samplers on real imbalanced tables.
