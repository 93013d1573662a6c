import pytest
from sklearn.datasets import load_digits

from skactive import ActiveGANAugmenter

# Settings that train a small GAN in well under a second: enough for the
# contract tests; behaviour tests that need a trained GAN set their own.
FAST = dict(
    max_iter=30,
    n_warmup_iter=10,
    hidden_layer_sizes=(32, 16),
    latent_dim=8,
    batch_size=32,
    buffer_size=3,
    n_components=3,
)


@pytest.fixture
def fast_augmenter():
    def make(**params):
        return ActiveGANAugmenter(**{**FAST, "random_state": 0, **params})

    return make


@pytest.fixture(scope="session")
def digits():
    return load_digits(return_X_y=True)
