"""
Real versus generated digits in a 2-D embedding (Fig. 4)
========================================================

Fig. 4 of the ActiveGAN paper (Kong et al.) projects training images and
generated images with PCA to see where the generated ones fall; its Table 2
reports that ActiveGAN's samples lie farther from the training images than
AC-GAN's. This example draws the same picture for scikit-learn's 8x8 digits:
a PCA fitted on the real digits, real and generated digits colored by class,
one panel for AC-GAN (``lam=0``) and one for ActiveGAN (``lam=1``).
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.model_selection import train_test_split

from skactive import ActiveGANAugmenter

# %%
# Train both GANs and generate 30 digits per class
# ------------------------------------------------
#
# The two runs share the seed, the data and the schedule (and are identical
# during the ``n_warmup_iter`` iterations of plain AC-GAN), so they differ only
# by the uncertainty term. The schedule is short and the learning rate larger
# than the paper's 2e-4 so that the example runs in seconds. The paper's
# Fig. 4 panels are "+F"-filtered; here the unfiltered samples are shown
# (``sample(margin=t)`` would filter them).
X, y = load_digits(return_X_y=True)
X, _, y, _ = train_test_split(X, y, train_size=500, stratify=y, random_state=0)
labels = np.repeat(np.arange(10), 30)

generated = {}
for name, lam in [("AC-GAN (lam=0)", 0.0), ("ActiveGAN (lam=1)", 1.0)]:
    aug = ActiveGANAugmenter(
        lam=lam, max_iter=1500, n_warmup_iter=1100, learning_rate=1e-3, random_state=0
    )
    aug.fit_resample(X, y)
    generated[name] = aug.generate(labels, random_state=0)

# %%
# Project with PCA and draw
# -------------------------
#
# The PCA is fitted on the real digits only, so both panels share the same
# axes. Dots are real digits, crosses generated ones. The printed distance
# between the centroid of the generated digits and that of the real ones (in
# pixel space) is the "centroid" column of the paper's Table 2.
pca = PCA(n_components=2, random_state=0).fit(X)
real_2d = pca.transform(X)
fig, axes = plt.subplots(1, 2, figsize=(11, 5), sharex=True, sharey=True)
for ax, (name, X_gen) in zip(axes, generated.items(), strict=True):
    gen_2d = pca.transform(X_gen)
    ax.scatter(*real_2d.T, c=y, cmap="tab10", vmin=-0.5, vmax=9.5, s=12, alpha=0.4)
    points = ax.scatter(*gen_2d.T, c=labels, cmap="tab10", vmin=-0.5, vmax=9.5, s=25, marker="x")
    ax.set_title(name)
    ax.set_xlabel("PC 1")
    distance = np.linalg.norm(X_gen.mean(axis=0) - X.mean(axis=0))
    print(f"{name}: centroid distance to the real digits = {distance:.2f}")
axes[0].set_ylabel("PC 2")
fig.colorbar(points, ax=axes, ticks=range(10), label="class")
fig.suptitle("digits: real (dots) and generated (crosses), PCA of the real digits")

# %%
# Generated digits of a class land near the real digits of that class, a sign
# that the conditional generator follows its label. Compare the two panels for
# how far the crosses spread into the regions between classes (where the
# classifier is uncertain), which is what the uncertainty term rewards.

plt.show()
