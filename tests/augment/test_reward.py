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
