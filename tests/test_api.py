"""The public API follows scikit-learn's conventions: keyword-only parameters."""

import inspect

import pytest

import skactive
from skactive import active, augment, metrics, query

PUBLIC = {
    name: obj
    for module in (skactive, query, active, augment, metrics)
    for name in getattr(module, "__all__", [])
    if inspect.isclass(obj := getattr(module, name))
}
ESTIMATORS = {
    name: cls
    for name, cls in PUBLIC.items()
    if hasattr(cls, "get_params") and not hasattr(cls, "forward")  # not torch modules / nets
}


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_at_most_one_positional_parameter(name):
    params = inspect.signature(ESTIMATORS[name].__init__).parameters.values()
    positional = [p.name for p in params if p.kind == p.POSITIONAL_OR_KEYWORD and p.name != "self"]
    assert len(positional) <= 1, f"{name}({', '.join(positional)}, ...)"


def test_the_check_covers_the_estimators():
    for name in ("ActiveGANAugmenter", "ActiveLearningClassifier", "AALUQuery", "TAVAALQuery"):
        assert name in ESTIMATORS
