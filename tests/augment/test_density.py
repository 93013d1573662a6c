import numpy as np
import torch
from numpy.testing import assert_allclose
from sklearn.mixture import GaussianMixture

from skactive.augment import DiagonalGMM, FeatureBuffer


def _two_blobs(seed=0):
    rng = np.random.default_rng(seed)
    return np.vstack([rng.normal(-3, 0.5, (200, 2)), rng.normal(3, 1.0, (200, 2))])


def test_log_prob_matches_sklearn_for_the_same_parameters():
    X = _two_blobs()
    ref = GaussianMixture(2, covariance_type="diag", random_state=0).fit(X)
    gmm = DiagonalGMM(2)
    gmm.weights_ = torch.tensor(ref.weights_)
    gmm.means_ = torch.tensor(ref.means_)
    gmm.variances_ = torch.tensor(ref.covariances_)
    assert_allclose(gmm.log_prob(torch.tensor(X)).numpy(), ref.score_samples(X), rtol=1e-10)


def test_log_prob_and_its_gradient_match_torch_distributions():
    """The hand-written density is torch.distributions' mixture, written as matrix
    products for speed (see the module docstring)."""
    torch.manual_seed(0)
    gmm = DiagonalGMM(10).fit(torch.randn(640, 64), n_iter=3)
    X = torch.randn(64, 64, dtype=torch.float32, requires_grad=True)
    reference = torch.distributions.MixtureSameFamily(
        torch.distributions.Categorical(probs=gmm.weights_),
        torch.distributions.Independent(
            torch.distributions.Normal(gmm.means_, gmm.variances_.sqrt()), 1
        ),
    )
    (ours,) = torch.autograd.grad(gmm.log_prob(X).sum(), X)
    (theirs,) = torch.autograd.grad(reference.log_prob(X).sum(), X)
    assert_allclose(gmm.log_prob(X).detach(), reference.log_prob(X).detach(), rtol=1e-5)
    assert_allclose(ours, theirs, rtol=1e-4, atol=1e-5)


def test_em_recovers_two_blobs():
    X = torch.tensor(_two_blobs())
    gmm = DiagonalGMM(2).fit(X, n_iter=50, generator=torch.Generator().manual_seed(0))
    means = np.sort(gmm.means_.numpy()[:, 0])
    assert_allclose(means, [-3, 3], atol=0.2)
    assert_allclose(np.sort(gmm.weights_.numpy()), [0.5, 0.5], atol=0.05)


def test_sample_weights_move_the_fit_to_the_weighted_rows():
    X = torch.tensor(_two_blobs())
    weights = torch.cat([torch.full((200,), 1e-6), torch.ones(200)]).double()
    gmm = DiagonalGMM(1).fit(X, sample_weight=weights, n_iter=5)
    assert_allclose(gmm.means_.numpy()[0], [3, 3], atol=0.2)


def test_log_prob_is_differentiable_in_x():
    gmm = DiagonalGMM(2).fit(torch.tensor(_two_blobs()), n_iter=20)
    x = torch.tensor([[2.0, 2.0]], dtype=torch.float64, requires_grad=True)
    gmm.log_prob(x).sum().backward()
    # the gradient points towards the nearer mode, near (3, 3)
    assert (x.grad > 0).all()


def test_buffer_keeps_the_latest_batches():
    buffer = FeatureBuffer(2)
    for value in range(3):
        buffer.add(torch.full((4, 2), float(value)))
    features = buffer.data()
    assert features.shape == (8, 2)
    assert set(features[:, 0].tolist()) == {1.0, 2.0}


def test_batch_log_prob_moves_the_batch_towards_rewarded_rows():
    gen = torch.Generator().manual_seed(0)
    data = torch.randn(400, 2, generator=gen)
    gmm = DiagonalGMM(n_components=1).fit(data, n_iter=5)
    batch = torch.randn(64, 2, generator=gen).requires_grad_(True)
    advantage = torch.where(batch[:, 0] > 0, 1.0, -1.0).detach()
    loss = -(advantage * gmm.batch_log_prob(batch, batch.detach())).mean()
    loss.backward()
    # the rows are held fixed: the gradient reaches the batch only through the
    # re-estimated parameters, and descending it shifts the whole batch (its
    # mean) towards the rewarded side, rows on both sides alike
    step = -batch.grad
    assert step[:, 0].mean() > 0
    assert (step[batch[:, 0] < 0, 0] > 0).float().mean() > 0.9
    # with no gradient the batch's own parameters give finite log-likelihoods
    with torch.no_grad():
        assert torch.isfinite(gmm.batch_log_prob(batch, data)).all()
