"""
ActiveGAN versus AC-GAN on digits: generated samples and informative ratio
==========================================================================

Trains :class:`skactive.ActiveGANAugmenter` twice on 300 digits, with the
uncertainty term (``lam=1``) and without it (``lam=0``, plain AC-GAN), then
draws (left) one row of generated digits per class, as in the paper's Fig. 5,
and (right) the informative ratio -- the share of generated samples whose SVM
margin is at most each threshold -- as in the paper's Fig. 3.

Run: ``python examples/plot_activegan_digits.py`` (needs matplotlib).
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skactive import ActiveGANAugmenter
from skactive.augment import PAPER_THRESHOLDS

X, y = load_digits(return_X_y=True)
X, _, y, _ = train_test_split(X, y, train_size=300, stratify=y, random_state=0)
thresholds = np.array(PAPER_THRESHOLDS)

fig, (ax_grid, ax_ratio) = plt.subplots(1, 2, figsize=(10, 4.5))
grid_rows = []
for lam, name in [(0.0, "AC-GAN"), (1.0, "ActiveGAN")]:
    aug = ActiveGANAugmenter(lam=lam, sampling_strategy="all", random_state=0)
    aug.fit_resample(X, y)
    ratio = aug.informative_ratio(thresholds)
    ax_ratio.plot(thresholds, 100 * ratio, marker="o", label=name)
    images = aug.generate(np.arange(10), random_state=0).reshape(10, 8, 8)
    grid_rows.append(np.hstack(images))

ax_grid.imshow(np.vstack(grid_rows), cmap="gray_r")
ax_grid.set_yticks([4, 12], ["AC-GAN", "ActiveGAN"])
ax_grid.set_xticks(np.arange(10) * 8 + 4, [str(c) for c in range(10)])
ax_grid.set_title("one generated digit per class")
ax_ratio.set_xlabel("margin threshold")
ax_ratio.set_ylabel("informative ratio (%)")
ax_ratio.set_title("share of generated samples with margin <= threshold")
ax_ratio.legend()
fig.tight_layout()
plt.show()
