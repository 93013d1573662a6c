"""Offline benchmark data and class-imbalance utilities.

Loaders
-------
load_fashion_mnist, load_mnist
    read the original IDX gzip files from a local folder (never downloaded).
load_idx
    parse any IDX file (gzip-compressed or plain).
default_data_home
    ``$SKACTIVE_DATA``, else ``~/skactive_data`` (like scikit-learn's ``get_data_home``).

Imbalance
---------
make_imbalanced
    sub-sample a data set to a per-class profile, e.g. one of TA-VAAL's.
TAVAAL_PROFILES
    the imbalanced CIFAR-10 profiles of TA-VAAL (Kim et al.), Table 1.
class_entropy
    the class-distribution entropy used to label those profiles.
"""

from ._imbalance import TAVAAL_PROFILES, class_entropy, make_imbalanced
from ._loaders import default_data_home, load_fashion_mnist, load_idx, load_mnist

__all__ = [
    "TAVAAL_PROFILES",
    "class_entropy",
    "default_data_home",
    "load_fashion_mnist",
    "load_idx",
    "load_mnist",
    "make_imbalanced",
]
