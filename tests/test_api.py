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


def test_the_augmenter_has_at_most_20_parameters_and_the_rest_in_gan_params():
    from skactive.augment._gan_params import GAN_PARAMS_DEFAULTS

    params = skactive.ActiveGANAugmenter().get_params(deep=False)
    assert len(params) <= 20 and params["gan_params"] is None
    assert not set(params) & set(GAN_PARAMS_DEFAULTS)  # each option in one place only


def test_gan_params_errors_name_the_option(fast_augmenter):
    import numpy as np

    X = np.random.RandomState(0).normal(size=(40, 3))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    cases = [
        ({"projection": True}, "gan_params has no option 'projection'; the options are latent_dim"),
        ({"ema_decay": 1.0}, "'ema_decay' parameter of ActiveGANAugmenter's gan_params"),
        ({"adversarial_loss": "hinge"}, "'adversarial_loss' parameter"),
    ]
    for options, message in cases:
        with pytest.raises(ValueError, match=message):
            fast_augmenter(gan_params=options).fit_resample(X, y)
    with pytest.raises(ValueError, match="'gan_params' parameter"):
        skactive.ActiveGANAugmenter(gan_params=[("ema_decay", None)]).fit_resample(X, y)


def test_gan_params_are_tuned_like_any_parameter(fast_augmenter):
    import numpy as np
    from imblearn.pipeline import make_pipeline
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV

    X = np.random.RandomState(0).normal(size=(90, 3))
    y = np.r_[np.zeros(70, int), np.ones(20, int)]
    aug = fast_augmenter(gan_params={"latent_dim": 4})
    fitted = clone(aug)
    X_a, _ = fitted.fit_resample(X, y)
    assert fitted.gan_params_["latent_dim"] == 4 and fitted.gan_params_["ema_decay"] == 0.99
    X_b, _ = (
        clone(aug).set_params(gan_params={"latent_dim": 4, "ema_decay": None}).fit_resample(X, y)
    )
    assert not np.array_equal(X_a, X_b)
    grid = {
        "activeganaugmenter__gan_params": [{"latent_dim": 4}, {"latent_dim": 4, "mode_seeking": 0}]
    }
    search = GridSearchCV(make_pipeline(aug, LogisticRegression()), grid, cv=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 2


def test_importing_the_package_and_the_sklearn_strategies_does_not_load_torch():
    """The torch-backed classes load torch when they are first asked for."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np; import skactive\n"
        "from skactive.query import UncertaintyQuery, RandomQuery\n"
        "from skactive import ActiveLearningClassifier\n"
        "from sklearn.linear_model import LogisticRegression\n"
        "X = np.random.RandomState(0).normal(size=(60, 3)); y = (X[:, 0] > 0).astype(int)\n"
        "ActiveLearningClassifier(LogisticRegression(), query_strategy=UncertaintyQuery(),\n"
        "    n_initial=10, budget=10, random_state=0).fit(X, y)\n"
        "assert 'torch' not in sys.modules, 'torch loaded'\n"
        "assert 'ActiveGANAugmenter' in dir(skactive) and 'VAALQuery' in dir(skactive.query)\n"
        "skactive.ActiveGANAugmenter, skactive.query.VAALQuery\n"
        "assert 'torch' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_shared_parameter_docs_are_written_once_and_filled_in():
    from skactive._docstrings import TORCH_N_JOBS_DOC, shared_docs

    for name in ("ActiveGANAugmenter", "VAALQuery", "TAVAALQuery", "AALUQuery"):
        doc = ESTIMATORS[name].__doc__
        assert TORCH_N_JOBS_DOC in doc and "{torch_n_jobs}" not in doc
    with pytest.raises(ValueError, match="has no {device}"):

        @shared_docs(device="device : str")
        class Undocumented:
            """No marker here."""
