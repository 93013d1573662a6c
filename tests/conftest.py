import pytest
from sklearn.datasets import load_digits

from skactive import ActiveGANAugmenter
from skactive.augment._gan_params import GAN_PARAMS_DEFAULTS

# Settings that train a small GAN in well under a second: enough for the
# contract tests; behaviour tests that need a trained GAN set their own.
FAST = dict(
    max_iter=30,
    n_warmup_iter=10,
    hidden_layer_sizes=(32, 16),
    batch_size=32,
    gan_params=dict(latent_dim=8, buffer_size=3, n_components=3),
)


def split_gan_params(params):
    """Return ``params`` with the keys of ``gan_params`` options moved into ``gan_params``."""
    options = {key: params.pop(key) for key in list(params) if key in GAN_PARAMS_DEFAULTS}
    return {**params, "gan_params": {**(params.get("gan_params") or {}), **options}}


@pytest.fixture
def fast_augmenter():
    """``ActiveGANAugmenter`` with FAST settings; ``gan_params`` options may be given by name."""

    def make(**params):
        params = split_gan_params({**FAST, "random_state": 0, **params})
        return ActiveGANAugmenter(**params)

    return make


@pytest.fixture(scope="session")
def digits():
    return load_digits(return_X_y=True)
