"""skactive: generative-adversarial active learning for scikit-learn.

Public API
----------
ActiveGANAugmenter
    imbalanced-learn over-sampler that trains ActiveGAN (Kong et al.).
skactive.uncertainty
    margin, entropy and least-confidence measures shared by every component.
"""

from . import uncertainty
from .augment import ActiveGANAugmenter

__version__ = "0.1.0"

__all__ = ["ActiveGANAugmenter", "__version__", "uncertainty"]
