"""One rule for drawing seeds from a random state."""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_SEED", "draw_seed"]

#: Upper bound (exclusive) of drawn seeds: what every library here accepts.
MAX_SEED = np.iinfo(np.int32).max


def draw_seed(rng: np.random.RandomState, size=None):
    """``rng.randint(MAX_SEED, size=size)``: one seed (int) or an array of seeds.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive._seeds import draw_seed
    >>> 0 <= draw_seed(np.random.RandomState(0)) < 2**31 - 1
    True
    """
    if size is None:
        return int(rng.randint(MAX_SEED))
    return rng.randint(MAX_SEED, size=size)
