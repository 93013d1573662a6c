"""One rule for drawing seeds from a random state."""

from __future__ import annotations

import numpy as np

__all__ = ["MAX_SEED", "draw_seed", "seed_if_unset"]

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


def seed_if_unset(estimator, rng, *, template=None):
    """Give every ``*random_state`` parameter of a clone that is None a seed.

    Nested parameters (pipeline steps, a strategy's task model) included, so a
    seeded loop is reproducible; parameters the user set are kept. Objects the
    clone still shares with ``template`` (the user's object it was cloned
    from; e.g. GAAL's generator, which cloning keeps) are left alone, so the
    user's objects are never modified.
    """
    params = estimator.get_params(deep=True)
    shared = []
    if template is not None:
        original = template.get_params(deep=True)
        shared = [
            name
            for name, value in params.items()
            if hasattr(value, "get_params") and original.get(name) is value
        ]
    unset = sorted(
        name
        for name, value in params.items()
        if (name == "random_state" or name.endswith("__random_state"))
        and value is None
        and not any(name.startswith(owner + "__") for owner in shared)
    )
    if unset:
        estimator.set_params(**{name: draw_seed(rng) for name in unset})
    return estimator
