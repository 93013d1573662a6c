"""scikit-learn's and imbalanced-learn's estimator checks on every estimator."""

from imblearn.utils.estimator_checks import (
    parametrize_with_checks as imblearn_parametrize_with_checks,
)
from sklearn.linear_model import LogisticRegression
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as sklearn_parametrize_with_checks,
)

from skactive import ActiveGANAugmenter, ActiveLearningClassifier
from skactive.query import UncertaintyQuery

from .conftest import FAST

SAMPLERS = [ActiveGANAugmenter(**FAST, random_state=0)]
# The default missing_label="auto" reads the checks' -1 / 1 labels as two
# classes (no oracle, one label besides -1), so the default constructor passes.
ESTIMATORS = SAMPLERS + [
    ActiveLearningClassifier(
        LogisticRegression(), query_strategy=UncertaintyQuery("margin"), random_state=0
    )
]


def _expected_failed_checks(estimator):
    return {
        "check_samplers_pandas_sparse": (
            "dense only: the GAN trains on dense tensors, so sparse input "
            "(pandas sparse columns included) is rejected with a clear error"
        ),
    }


@sklearn_parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@imblearn_parametrize_with_checks(SAMPLERS, expected_failed_checks=_expected_failed_checks)
def test_imblearn_compatible(estimator, check):
    check(estimator)


def test_every_public_estimator_is_checked():
    """Public classes that fit (scikit-learn / imbalanced-learn estimators) are
    discovered from the subpackages' __all__; each must be in the checks above.
    ActiveGANNet (a skorch net, not a scikit-learn estimator), DiagonalGMM
    (a torch helper with fit), NetFeatures (its wrapped net fixes the input
    width the checks vary; tests/query/test_net_features.py) and
    LossPredictionNet (a skorch net; tests/query/test_loss_net.py) are the known
    exceptions."""
    import importlib
    import inspect

    found = set()
    for module in ("skactive", "skactive.augment", "skactive.active", "skactive.query"):
        mod = importlib.import_module(module)
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isclass(obj) and (hasattr(obj, "fit") or hasattr(obj, "fit_resample")):
                found.add(obj.__name__)
    checked = {type(estimator).__name__ for estimator in ESTIMATORS}
    assert found - checked == {"ActiveGANNet", "DiagonalGMM", "LossPredictionNet", "NetFeatures"}
