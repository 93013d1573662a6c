import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

from skactive.uncertainty import check_proba, entropy, least_confidence, margin

PROBA = np.array([[0.5, 0.3, 0.2], [0.9, 0.05, 0.05], [1 / 3, 1 / 3, 1 / 3]])


def test_margin_is_top1_minus_top2():
    assert_allclose(margin(PROBA), [0.2, 0.85, 0.0], atol=1e-12)


def test_entropy_in_nats_with_zero_log_zero():
    assert_allclose(entropy(np.array([[1.0, 0.0]])), [0.0])
    assert_allclose(entropy(PROBA)[2], np.log(3))
    expected = -(0.5 * np.log(0.5) + 0.3 * np.log(0.3) + 0.2 * np.log(0.2))
    assert_allclose(entropy(PROBA)[0], expected)


def test_least_confidence():
    assert_allclose(least_confidence(PROBA), [0.5, 0.1, 2 / 3])


def test_single_column_margin_uses_zero_runner_up():
    assert_allclose(margin(np.array([[1.0], [1.0]])), [1.0, 1.0])


@pytest.mark.parametrize("measure", [margin, entropy, least_confidence])
def test_torch_matches_numpy_and_is_differentiable(measure):
    tensor = torch.tensor(PROBA, dtype=torch.float64, requires_grad=True)
    result = measure(tensor)
    assert isinstance(result, torch.Tensor)
    assert_allclose(result.detach().numpy(), measure(PROBA), atol=1e-12)
    result.sum().backward()
    assert torch.isfinite(tensor.grad).all()


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.array([0.5, 0.5]), "2-D"),
        (np.array([[np.nan, 1.0]]), "NaN"),
        (np.array([[1.5, -0.5]]), r"outside \[0, 1\]"),
        (np.array([[0.2, 0.2]]), "sum to 1"),
        (np.empty((2, 0)), "at least one class"),
    ],
)
@pytest.mark.parametrize("as_tensor", [False, True])
def test_bad_probabilities_raise_clear_errors(bad, match, as_tensor):
    value = torch.tensor(bad) if as_tensor else bad
    with pytest.raises(ValueError, match=match):
        check_proba(value)
    with pytest.raises(ValueError, match=match):
        margin(value)
