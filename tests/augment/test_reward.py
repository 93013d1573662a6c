import numpy as np
import pytest
from numpy.testing import assert_allclose

from skactive.augment import uncertainty_reward

PROBA = np.array([[0.5, 0.5], [0.9, 0.1], [1.0, 0.0]])


def test_exponential_form_is_eq8():
    u_m = np.array([0.0, 0.8, 1.0])
    u_le = -np.nansum(PROBA * np.log(np.where(PROBA > 0, PROBA, 1)), axis=1)
    expected = 0.3 * np.exp(1 - u_m) + 0.7 * np.exp(u_le)
    assert_allclose(uncertainty_reward(PROBA, alpha=0.3), expected)


def test_reward_grows_with_uncertainty():
    reward = uncertainty_reward(PROBA)
    assert reward[0] > reward[1] > reward[2]


def test_alpha_extremes_select_one_measure():
    assert_allclose(uncertainty_reward(PROBA, alpha=1.0), np.exp(1 - np.array([0, 0.8, 1])))
    assert_allclose(uncertainty_reward(PROBA, alpha=0.0)[2], 1.0)


def test_thresholded_form_of_the_poster():
    reward = uncertainty_reward(PROBA, alpha=1.0, form="thresholded", epsilon=0.5, constant=0.25)
    assert_allclose(reward, [np.exp(-0.0), 0.25, 0.25])
    reward = uncertainty_reward(PROBA, alpha=0.0, form="thresholded", epsilon=0.5, constant=0.25)
    assert_allclose(reward, [np.exp(np.log(2)), 0.25, 0.25])


def test_bad_arguments():
    with pytest.raises(ValueError, match="alpha"):
        uncertainty_reward(PROBA, alpha=1.5)
    with pytest.raises(ValueError, match="form"):
        uncertainty_reward(PROBA, form="linear")
    with pytest.raises(ValueError, match="sum to 1"):
        uncertainty_reward(np.array([[0.3, 0.3]]))


def test_balanced_posteriors_reread_a_classifier_under_equal_priors():
    from skactive.augment._reward import balanced_posteriors, prior_weights

    y = np.r_[np.zeros(90, int), np.ones(10, int)]
    weights = prior_weights(y, 2, "balanced")
    np.testing.assert_allclose(weights, [100 / 90, 100 / 10])
    # a posterior equal to the priors carries no evidence: 0.5 / 0.5 under equal priors
    np.testing.assert_allclose(balanced_posteriors(np.array([[0.9, 0.1]]), weights), [[0.5, 0.5]])
    proba = np.array([[0.5, 0.5], [1.0, 0.0], [0.0, 0.0]])
    np.testing.assert_allclose(
        balanced_posteriors(proba, weights), [[0.1, 0.9], [1.0, 0.0], [0.0, 0.0]]
    )
    assert balanced_posteriors(proba, None) is proba
    assert prior_weights(y, 2, "fitted") is None
    assert prior_weights(np.r_[np.zeros(5, int), np.ones(5, int)], 2, "balanced") is None


@pytest.mark.parametrize("form", ["exponential", "thresholded"])
def test_torch_probabilities_give_the_same_reward_and_a_gradient(form):
    """A tensor in gives the NumPy numbers as a tensor, differentiable in ``proba``
    (through the equal-prior re-reading too), so a generator can climb Eq. 8."""
    import torch

    from skactive.augment._reward import balanced_posteriors

    weights = np.array([100 / 90, 100 / 10])
    proba = np.array([[0.6, 0.4], [0.9, 0.1], [0.2, 0.8]])
    expected = uncertainty_reward(balanced_posteriors(proba, weights), alpha=0.3, form=form)
    tensor = torch.tensor(proba, requires_grad=True)
    reward = uncertainty_reward(balanced_posteriors(tensor, weights), alpha=0.3, form=form)
    assert isinstance(reward, torch.Tensor)
    assert_allclose(reward.detach().numpy(), expected)
    reward.sum().backward()
    assert torch.isfinite(tensor.grad).all() and tensor.grad.abs().sum() > 0
    assert balanced_posteriors(tensor, None) is tensor


def test_balanced_priors_move_the_least_certain_point_to_the_class_boundary():
    """Two unit Gaussians at -1 and +1, 9:1: a fitted classifier is least certain
    inside the small class (where p(minority | x) = 0.5); under equal priors, at the
    midpoint between the classes, where balanced accuracy's boundary lies."""
    from sklearn.linear_model import LogisticRegression

    from skactive.augment._reward import balanced_posteriors, prior_weights
    from skactive.uncertainty import margin

    rng = np.random.RandomState(0)
    y = np.r_[np.zeros(1800, int), np.ones(200, int)]
    X = (rng.normal(size=len(y)) + np.where(y == 1, 1.0, -1.0))[:, None]
    proba_of = LogisticRegression().fit(X, y).predict_proba
    grid = np.linspace(-3, 3, 601)[:, None]
    fitted = grid[np.argmin(margin(proba_of(grid))), 0]
    balanced = grid[
        np.argmin(margin(balanced_posteriors(proba_of(grid), prior_weights(y, 2, "balanced")))), 0
    ]
    assert fitted > 0.8  # log(9) / 2 = 1.1 into the small class
    assert abs(balanced) < 0.15
