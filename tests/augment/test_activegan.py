"""Behaviour of ActiveGANAugmenter: semantics, reproducibility, errors."""

import pickle
from collections import Counter

import numpy as np
import pytest
import torch
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.datasets import load_digits, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, TunedThresholdClassifierCV
from sklearn.svm import SVC
from skorch.callbacks import Callback

from skactive import ActiveGANAugmenter
from skactive.uncertainty import margin


@pytest.fixture(scope="module")
def small_digits():
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    keep = np.isin(y, [0, 1, 2])
    return X[keep][:240], y[keep][:240]


@pytest.fixture
def imbalanced(small_digits):
    X, y = small_digits
    rows = np.concatenate(
        [np.where(y == 0)[0][:60], np.where(y == 1)[0][:20], np.where(y == 2)[0][:10]]
    )
    return X[rows], y[rows]


def test_auto_strategy_balances_and_keeps_originals_first(fast_augmenter, imbalanced):
    X, y = imbalanced
    X_res, y_res = fast_augmenter().fit_resample(X, y)
    assert Counter(y_res) == {0: 60, 1: 60, 2: 60}
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert np.isfinite(X_res).all()


def test_dict_strategy_adds_k_per_class_to_a_balanced_set(fast_augmenter, small_digits):
    X, y = small_digits
    counts = Counter(y)
    strategy = {c: n + 7 for c, n in counts.items()}
    _, y_res = fast_augmenter(sampling_strategy=strategy).fit_resample(X, y)
    assert Counter(y_res) == {c: n + 7 for c, n in counts.items()}


def test_generated_rows_stay_in_the_training_range(fast_augmenter, imbalanced):
    X, y = imbalanced
    X_res, _ = fast_augmenter().fit_resample(X, y)
    synthetic = X_res[len(X) :]
    assert (synthetic >= X.min(axis=0) - 1e-9).all()
    assert (synthetic <= X.max(axis=0) + 1e-9).all()


def test_string_labels_and_pandas_round_trip(fast_augmenter, imbalanced):
    pd = pytest.importorskip("pandas")
    X, y = imbalanced
    names = np.array(["zero", "one", "two"], dtype=object)[y]
    X_df = pd.DataFrame(X, columns=[f"px{i}" for i in range(X.shape[1])])
    X_res, y_res = fast_augmenter().fit_resample(X_df, pd.Series(names, name="digit"))
    assert isinstance(X_res, pd.DataFrame) and list(X_res.columns) == list(X_df.columns)
    assert y_res.name == "digit"
    assert Counter(y_res) == {"zero": 60, "one": 60, "two": 60}


def test_same_random_state_same_output_and_global_rng_untouched(fast_augmenter, imbalanced):
    X, y = imbalanced
    torch.manual_seed(1234)
    state = torch.get_rng_state()
    first = fast_augmenter(random_state=3).fit_resample(X, y)[0]
    assert torch.equal(torch.get_rng_state(), state)
    second = fast_augmenter(random_state=3).fit_resample(X, y)[0]
    other = fast_augmenter(random_state=4).fit_resample(X, y)[0]
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first[len(X) :], other[len(X) :])


def test_pickle_round_trip_of_a_fitted_sampler(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter().fit(X, y)  # fit only validates
    aug.fit_resample(X, y)
    clone = pickle.loads(pickle.dumps(aug))
    labels = np.array([0, 1, 2] * 5)
    np.testing.assert_array_equal(
        aug.generate(labels, random_state=0), clone.generate(labels, random_state=0)
    )
    np.testing.assert_allclose(aug.informative_ratio(), clone.informative_ratio())


def test_history_and_skorch_callbacks(fast_augmenter, imbalanced):
    from skorch.callbacks import Callback

    class CountEpochs(Callback):
        def initialize(self):
            self.n_epochs = 0
            return self

        def on_epoch_end(self, net, **kwargs):
            self.n_epochs += 1

    X, y = imbalanced
    counter = CountEpochs()
    aug = fast_augmenter(callbacks=[counter], lam=1.0)
    aug.fit_resample(X, y)
    assert aug.net_.n_iter_ >= aug.max_iter
    assert len(aug.history_) == dict(aug.net_.callbacks_)["CountEpochs"].n_epochs
    batches = [b for epoch in aug.history_ for b in epoch["batches"]]
    assert {"d_loss", "g_loss", "u_loss", "reward"} <= set(batches[-1])
    # the uncertainty term is zero during warm-up and active afterwards
    assert batches[0]["u_loss"] == 0.0
    assert any(b["u_loss"] != 0.0 for b in batches[aug.n_warmup_iter + 1 :])


class BatchLabels(Callback):
    """Keeps the labels of every real training batch."""

    def initialize(self):
        self.labels = []
        return self

    def on_batch_begin(self, net, batch=None, training=False, **kwargs):
        self.labels.append(np.asarray(batch[1]))


@pytest.mark.parametrize(
    "mode, minority_share", [("uniform", (0.05, 0.17)), ("balanced", (0.25, 0.42))]
)
def test_batch_sampling_sets_the_class_mix_of_real_batches(
    fast_augmenter, imbalanced, mode, minority_share
):
    X, y = imbalanced  # 60 / 20 / 10 rows: class 2 is 1/9 of the rows
    aug = fast_augmenter(batch_sampling=mode, max_iter=60, callbacks=[BatchLabels()])
    X_res, _ = aug.fit_resample(X, y)
    labels = np.concatenate(dict(aug.net_.callbacks_)["BatchLabels"].labels)
    low, high = minority_share
    assert low < np.mean(labels == 2) < high
    assert np.isfinite(X_res).all()


def test_balanced_batches_are_reproducible(fast_augmenter, imbalanced):
    X, y = imbalanced
    first, _ = fast_augmenter(batch_sampling="balanced").fit_resample(X, y)
    again, _ = fast_augmenter(batch_sampling="balanced").fit_resample(X, y)
    np.testing.assert_array_equal(first, again)


def test_lam_zero_never_calls_the_reward(fast_augmenter, imbalanced, monkeypatch):
    from skactive.augment import _activegan

    def fail(*args, **kwargs):
        raise AssertionError("reward computed with lam=0")

    monkeypatch.setattr(_activegan.ClassifierReward, "__call__", fail)
    X, y = imbalanced
    aug = fast_augmenter(lam=0.0)
    aug.fit_resample(X, y)
    assert aug.net_.reward is None


def test_margin_filter_bounds_the_kept_margins(fast_augmenter, imbalanced):
    X, y = imbalanced
    # 0.8: the tiny GAN's rows are mostly confidently classified; a third pass
    aug = fast_augmenter(margin=0.8, max_iter=60)
    X_res, y_res = aug.fit_resample(X, y)
    synthetic = X_res[len(X) :]
    assert len(synthetic) > 0
    margins = margin(aug.classifier_.predict_proba(synthetic))
    assert (margins <= 0.8).all()


def test_margin_band_keeps_rows_between_its_ends(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter(margin=(0.2, 0.9), max_iter=60)
    X_res, _ = aug.fit_resample(X, y)
    margins = margin(aug.classifier_.predict_proba(X_res[len(X) :]))
    assert len(margins) > 0 and ((0.2 <= margins) & (margins <= 0.9)).all()
    # a band from 0 is the paper's threshold: the same rows
    X_t, _ = aug.sample({1: 6}, margin=0.9, random_state=0)
    X_b, _ = aug.sample({1: 6}, margin=(0, 0.9), random_state=0)
    np.testing.assert_array_equal(X_t, X_b)


@pytest.mark.parametrize(
    "band", [(0.5, 0.2), (0.3, 0.3), (-0.1, 0.5), (0.1, 1.5), (0.1,), (0.1, 0.2, 0.3), ("a", 1)]
)
def test_bad_margin_band_is_refused_before_training(fast_augmenter, imbalanced, band):
    X, y = imbalanced
    aug = fast_augmenter(margin=band)
    with pytest.raises(ValueError, match="margin must be .* a pair"):
        aug.fit_resample(X, y)
    assert not hasattr(aug, "net_")


def test_filter_that_keeps_too_few_warns_and_never_lies(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter(margin=1e-6)
    with pytest.warns(UserWarning, match="passed the filter"):
        X_res, y_res = aug.fit_resample(X, y)
    synthetic = X_res[len(X) :]
    if len(synthetic):
        assert (margin(aug.classifier_.predict_proba(synthetic)) <= 1e-6).all()
    assert len(y_res) == len(X_res)


def test_class_conditional_generation_is_faithful(small_digits):
    X, y = small_digits
    # pixel intensities, not codes (a few rare pixels take two values)
    aug = ActiveGANAugmenter(
        max_iter=400, n_warmup_iter=200, categorical_features="none", random_state=0
    )
    aug.fit_resample(X, y)
    labels = np.repeat([0, 1, 2], 100)
    predicted = aug.classifier_.predict(aug.generate(labels, random_state=0))
    for c in (0, 1, 2):
        assert np.mean(predicted[labels == c] == c) > 0.8


def test_conv_nets_for_image_shaped_rows(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter(image_shape=(1, 8, 8), hidden_layer_sizes=(8, 4))
    X_res, y_res = aug.fit_resample(X, y)
    assert type(aug.net_.module_).__name__ == "ConvGenerator"
    assert np.isfinite(X_res).all() and Counter(y_res) == {0: 60, 1: 60, 2: 60}


def test_grid_search_over_alpha_lam_margin_in_a_pipeline(fast_augmenter, small_digits):
    X, y = small_digits
    pipe = Pipeline([("aug", fast_augmenter(sampling_strategy="all")), ("svc", SVC())])
    grid = {
        "aug__alpha": [0.0, 1.0],
        "aug__lam": [0.0, 5.0],
        "aug__margin": [None, 0.9],
    }
    search = GridSearchCV(pipe, grid, cv=2).fit(X[::2], y[::2])
    assert len(search.cv_results_["params"]) == 8
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    assert search.score(X[1::2], y[1::2]) > 0.8


def test_threshold_tuned_for_balanced_accuracy_around_a_pipeline(fast_augmenter, imbalanced):
    # What docs/imbalanced.md recommends where balanced accuracy is the score: the
    # sampler inside scikit-learn's TunedThresholdClassifierCV. The pipeline it
    # refits on all rows is the one a plain fit gives (seeded), and its predictions
    # are that pipeline's decision values cut at the tuned threshold.
    X, y = imbalanced
    y = (y == 2).astype(int)  # binary: 10 minority rows against 80
    pipe = Pipeline([("aug", fast_augmenter()), ("svc", SVC())])
    tuned = TunedThresholdClassifierCV(pipe, scoring="balanced_accuracy", cv=2).fit(X, y)
    decision = tuned.estimator_.decision_function(X)
    np.testing.assert_array_equal(decision, clone(pipe).fit(X, y).decision_function(X))
    assert np.isfinite(tuned.best_threshold_)
    np.testing.assert_array_equal(tuned.predict(X), (decision >= tuned.best_threshold_).astype(int))


def test_singleton_class(fast_augmenter, imbalanced):
    X, y = imbalanced
    X1, y1 = np.vstack([X, X[:1] + 1]), np.append(y, 3)
    # The default reward classifier falls back to LogisticRegression, with a warning.
    with pytest.warns(UserWarning, match="single sample"):
        X_res, y_res = fast_augmenter().fit_resample(X1, y1)
    assert Counter(y_res)[3] == 60 and np.isfinite(X_res).all()
    assert np.array_equal(X_res[: len(X1)], X1) and np.array_equal(y_res[: len(y1)], y1)
    X_res, y_res = fast_augmenter(classifier=LogisticRegression(max_iter=200)).fit_resample(X1, y1)
    assert Counter(y_res)[3] == 60 and np.isfinite(X_res).all()


@pytest.mark.parametrize(
    "params, match",
    [
        ({"lam": -1.0}, "'lam' parameter"),
        ({"alpha": 1.5}, "'alpha' parameter"),
        ({"margin": 0.0}, "'margin' parameter"),
        ({"margin": 1.2}, "'margin' parameter"),
        ({"classifier": SVC()}, "'classifier' parameter"),
        ({"hidden_layer_sizes": (0, 4)}, "hidden_layer_sizes"),
        ({"batch_size": 1}, "'batch_size' parameter"),
        ({"batch_sampling": "stratified"}, "'batch_sampling' parameter"),
        ({"image_shape": (8, 8), "hidden_layer_sizes": (4, 4, 4)}, "exactly two"),
        ({"image_shape": (1, 4, 4)}, "image_shape"),
        ({"image_shape": (1, 2, 32)}, "divisible by 4"),
    ],
)
def test_bad_parameters_are_named(fast_augmenter, imbalanced, params, match):
    X, y = imbalanced
    with pytest.raises(ValueError, match=match):
        fast_augmenter(**params).fit_resample(X, y)


def test_bad_data(fast_augmenter, imbalanced):
    X, y = imbalanced
    X_nan = X.astype(float)
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fast_augmenter().fit_resample(X_nan, y)
    X_inf = X.astype(float)
    X_inf[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        fast_augmenter().fit_resample(X_inf, y)
    with pytest.raises(ValueError, match="class"):
        fast_augmenter().fit_resample(X, np.zeros(len(y)))


def test_methods_after_fit_validate_their_input(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter()
    with pytest.raises(Exception, match="not fitted"):
        aug.generate([0])
    aug.fit_resample(X, y)
    with pytest.raises(ValueError, match="features"):
        aug.informative_ratio(X=X[:, :10])
    with pytest.raises(ValueError, match="not seen"):
        aug.generate([7])
    with pytest.raises(ValueError, match="thresholds"):
        aug.informative_ratio([0.0])
    ratio = aug.informative_ratio([0.5, 1.0], X=X)
    assert ratio[1] == 1.0 and 0 <= ratio[0] <= 1


@pytest.mark.skipif(torch.cuda.is_available(), reason="tests the no-GPU error")
def test_cuda_requested_without_gpu(fast_augmenter, imbalanced):
    X, y = imbalanced
    expected = "CPU-only build" if torch.version.cuda is None else "finds no usable GPU"
    with pytest.raises(ValueError, match=expected):
        fast_augmenter(device="cuda").fit_resample(X, y)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a GPU")
def test_cuda_path(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter(device="cuda", lam=1.0)
    X_res, _ = aug.fit_resample(X, y)
    assert next(aug.net_.module_.parameters()).is_cuda
    assert np.isfinite(X_res).all()


def test_uncertainty_term_changes_generation_only_once_active(fast_augmenter, imbalanced):
    # Same seed: before the warm-up ends ActiveGAN *is* AC-GAN; afterwards the
    # uncertainty term changes what the generator produces. (Whether it raises
    # the informative ratio is measured in benchmarks/, see docs/activegan.md.)
    X, y = imbalanced
    labels = np.array([0, 1, 2] * 20)

    def generated(lam, max_iter):
        aug = fast_augmenter(lam=lam, max_iter=max_iter, n_warmup_iter=10)
        aug.fit_resample(X, y)
        return aug.generate(labels, random_state=0)

    np.testing.assert_array_equal(generated(0.0, 10), generated(5.0, 10))
    assert np.abs(generated(0.0, 60) - generated(5.0, 60)).mean() > 1e-3


def test_both_nets_are_registered_skorch_modules(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter()
    aug.fit_resample(X, y)
    # registered modules follow `device`, train/eval mode and checkpoints
    assert aug.net_._modules == ["module", "discriminator", "module_ema"]
    plain = fast_augmenter(ema_decay=None)
    plain.fit_resample(X, y)
    assert plain.net_._modules == ["module", "discriminator"]
    assert aug.net_._optimizers == ["optimizer", "optimizer_discriminator"]
    assert "discriminator_" in aug.net_.cuda_dependent_attributes_


def test_integer_input_gets_rounded_not_truncated_rows(fast_augmenter, imbalanced):
    X, y = imbalanced
    X_int = X.astype(np.int64)
    # lam=0: no reward, whose classifier sees the rounded rows of integer X
    aug = fast_augmenter(lam=0)
    X_res, _ = aug.fit_resample(X_int, y)
    assert X_res.dtype == np.int64
    aug_float = fast_augmenter(lam=0)
    X_float, _ = aug_float.fit_resample(X_int.astype(float), y)
    np.testing.assert_array_equal(X_res[len(X) :], np.rint(X_float[len(X) :]))


def test_generate_needs_1d_labels(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter()
    aug.fit_resample(X, y)
    with pytest.raises(ValueError, match="1d"):
        aug.generate(np.zeros((2, 2), dtype=int))
    assert aug.generate(np.array([], dtype=int)).shape == (0, X.shape[1])


def test_sample_redraws_without_retraining(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter(margin=0.8)
    X_res, y_res = aug.fit_resample(X, y)
    state = {k: v.clone() for k, v in aug.net_.module_.state_dict().items()}
    # Default: the fitted strategy and margin, the same counts as fit_resample.
    X_new, y_new = aug.sample(random_state=1)
    assert Counter(y_new.tolist()) == Counter(y_res[len(X) :].tolist()) and len(y_new) > 0
    assert (margin(aug.classifier_.predict_proba(X_new)) <= 0.8).all()
    # Several "+F" thresholds on one trained GAN: each bound holds.
    for t in (0.3, 0.8):
        X_t, y_t = aug.sample({0: 5, 2: 7}, margin=t, random_state=0)
        assert set(y_t.tolist()) <= {0, 2} and len(X_t) == len(y_t) <= 12
        assert 0 < len(X_t) and (margin(aug.classifier_.predict_proba(X_t)) <= t).all()
    X_all, y_all = aug.sample({1: 4}, margin=None, random_state=0)
    assert X_all.shape == (4, X.shape[1]) and y_all.tolist() == [1] * 4
    np.testing.assert_array_equal(X_all, aug.sample({1: 4}, margin=None, random_state=0)[0])
    # Drawing never touches the trained nets.
    for key, value in aug.net_.module_.state_dict().items():
        assert torch.equal(value, state[key])


def test_sample_rejects_bad_requests(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter()
    with pytest.raises(Exception, match="fit"):
        aug.sample()
    aug.fit_resample(X, y)
    with pytest.raises(ValueError, match="not seen in fit_resample"):
        aug.sample({7: 3})
    with pytest.raises(ValueError, match="non-negative ints"):
        aug.sample({0: -1})
    with pytest.raises(TypeError, match="dict"):
        aug.sample([0, 1])
    with pytest.raises(ValueError, match="margin must be"):
        aug.sample({0: 2}, margin=1.5)


def test_quantile_scaling_keeps_each_columns_marginal(fast_augmenter):
    """A skewed column and a 0/1 column: quantile scaling returns values inside
    the training range that follow the observed marginal (binary stays binary
    for all but a sliver of outputs)."""
    rng = np.random.RandomState(0)
    n = 300
    X = np.column_stack([rng.lognormal(0, 1.5, n), rng.binomial(1, 0.2, n), rng.normal(size=n)])
    y = np.r_[np.zeros(200, int), np.ones(100, int)]
    aug = fast_augmenter(scaling="quantile", sampling_strategy={0: 400, 1: 400}, max_iter=200)
    X_res, _ = aug.fit_resample(X, y)
    new = X_res[n:]
    assert np.all(new >= X.min(axis=0)) and np.all(new <= X.max(axis=0))
    assert np.mean(np.isin(new[:, 1], [0.0, 1.0])) > 0.95
    assert aug.scaler_.named_steps["quantile"].output_distribution == "normal"


def test_gaal_gradient_refuses_a_quantile_generator(fast_augmenter):
    from sklearn.svm import LinearSVC

    from skactive import GAALQuery

    X = np.random.RandomState(0).normal(size=(60, 3))
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    gan = fast_augmenter(scaling="quantile", lam=0)
    gan.fit_resample(X, y)
    model = LinearSVC().fit(X, y)
    with pytest.raises(ValueError, match="scaling='quantile'"):
        GAALQuery(gan, method="gradient", max_iter=2).synthesize(2, estimator=model)
    rows = GAALQuery(gan, method="search", max_iter=2).synthesize(2, estimator=model)
    assert rows.shape == (2, 3)


def test_rows_come_from_the_weight_average(fast_augmenter, imbalanced):
    X, y = imbalanced
    aug = fast_augmenter(max_iter=60)
    aug.fit_resample(X, y)
    net = aug.net_
    assert net.generator_for_sampling() is net.module_ema_
    average = dict(net.module_ema_.named_parameters())
    current = dict(net.module_.named_parameters())
    assert any(not torch.equal(average[k], current[k]) for k in current)
    # ema_decay=0 keeps the last weights: the same rows as no average at all
    rows = [fast_augmenter(ema_decay=d).fit_resample(X, y)[0] for d in (0.0, None)]
    np.testing.assert_array_equal(rows[0], rows[1])
    with pytest.raises(ValueError, match="ema_decay"):
        fast_augmenter(ema_decay=1.0).fit_resample(X, y)


def test_bool_columns_come_back_as_rounded_bools(fast_augmenter):
    rng = np.random.RandomState(0)
    X = rng.rand(60, 3) < 0.33
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    for scaling in ("quantile", "minmax"):
        X_res, _ = fast_augmenter(scaling=scaling).fit_resample(X, y)
        new = X_res[len(X) :]
        assert X_res.dtype == bool and len(new) == 20
        # each cell is its generated value rounded, not "any non-zero float is True"
        assert new.mean() < 0.9


def test_huge_values_are_named_by_column(fast_augmenter):
    X = np.random.RandomState(0).normal(size=(60, 3))
    X[5, 2] = 1e300
    y = np.r_[np.zeros(40, int), np.ones(20, int)]
    with pytest.raises(ValueError, match=r"X column\(s\) \[2\] hold values up to 1e\+300"):
        fast_augmenter().fit_resample(X, y)


@pytest.mark.parametrize("batch_sampling", ["balanced", "uniform"])
def test_a_large_table_trains_max_iter_iterations_not_a_full_pass(fast_augmenter, batch_sampling):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(2000, 3))
    y = (rng.rand(2000) < 0.2).astype(int)
    # batch 32: 62 batches in a pass over the rows, but only 30 iterations asked
    aug = fast_augmenter(max_iter=30, batch_sampling=batch_sampling, lam=0)
    aug.fit_resample(X, y)
    assert aug.net_.n_iter_ == 30


class _CountingLR(LogisticRegression):
    def fit(self, X, y):
        self.n_rows_ = len(X)
        return super().fit(X, y)


def test_default_reward_classifier_is_fitted_on_a_stratified_subsample(fast_augmenter, monkeypatch):
    from skactive.augment import _reward

    monkeypatch.setattr(_reward, "DEFAULT_CLASSIFIER_MAX_ROWS", 5000)
    rng = np.random.RandomState(0)
    y = np.r_[np.zeros(5700, int), np.ones(300, int)]
    X = rng.normal(size=(6000, 2)) + y[:, None]
    aug = fast_augmenter(max_iter=5, n_warmup_iter=2)
    aug.fit_resample(X, y)
    svc = aug.classifier_.calibrated_classifiers_[0].estimator
    # 5000 * 0.95 majority rows and every one of the 300 minority rows
    assert svc.shape_fit_[0] == 4750 + 300
    custom = fast_augmenter(max_iter=5, n_warmup_iter=2, classifier=_CountingLR())
    custom.fit_resample(X, y)
    assert custom.classifier_.n_rows_ == 6000


def test_frozen_step_of_the_reward_classifier_is_not_refitted(fast_augmenter, imbalanced):
    """A pretrained step wrapped in FrozenEstimator keeps its fit; the rest is cloned and fitted."""
    from sklearn.decomposition import PCA
    from sklearn.frozen import FrozenEstimator
    from sklearn.pipeline import make_pipeline

    X, y = imbalanced
    other = np.random.RandomState(1).normal(size=(50, X.shape[1]))
    features = PCA(5).fit(other)
    components = features.components_.copy()
    classifier = make_pipeline(FrozenEstimator(features), LogisticRegression(max_iter=200))
    aug = fast_augmenter(max_iter=5, n_warmup_iter=2, classifier=classifier)
    aug.fit_resample(X, y)
    assert aug.classifier_ is not classifier
    assert not hasattr(classifier[-1], "coef_")
    assert aug.classifier_[-1].coef_.shape == (len(np.unique(y)), 5)
    assert aug.classifier_[0].estimator is features
    np.testing.assert_array_equal(features.components_, components)
    unfrozen = make_pipeline(features, LogisticRegression(max_iter=200))
    refitted = fast_augmenter(max_iter=5, n_warmup_iter=2, classifier=unfrozen)
    refitted.fit_resample(X, y)
    assert not np.allclose(refitted.classifier_[0].components_, components)


def test_mode_seeking_loss_punishes_pairs_that_collapse():
    from skactive.augment._losses import mode_seeking_loss

    z = torch.randn(8, 4, generator=torch.Generator().manual_seed(0))
    same = torch.ones(8, 3)
    spread = torch.cat([torch.zeros(4, 3), torch.ones(4, 3)])
    assert mode_seeking_loss(same, z) > 1e4 > mode_seeking_loss(spread, z) > 0
    x = spread.clone().requires_grad_(True)
    mode_seeking_loss(x, z).backward()
    # descending the loss moves each pair's rows apart
    assert torch.all(x.grad[:4] > 0) and torch.all(x.grad[4:] < 0)


def test_mode_seeking_spreads_a_collapsed_small_class():
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(0, 1, (200, 5)), rng.normal(2, 1, (20, 5))]
    y = np.r_[np.zeros(200, int), np.ones(20, int)]
    spread = {}
    for weight in (0.0, 0.1):
        aug = ActiveGANAugmenter(
            max_iter=400,
            n_warmup_iter=100,
            hidden_layer_sizes=(64, 32),
            gan_params={"latent_dim": 8, "mode_seeking": weight},
            random_state=0,
        )
        aug.fit_resample(X, y)
        X_new, _ = aug.sample({1: 300}, margin=None, random_state=0)
        spread[weight] = X_new.std(axis=0).mean()
    real = X[y == 1].std(axis=0).mean()
    # without the term the 20-row class collapses to about a quarter of its spread
    assert spread[0.0] < 0.5 * real < spread[0.1] < 2 * real


def test_score_function_reading_trains_and_reproduces(fast_augmenter, imbalanced):
    X, y = imbalanced
    rows = [
        fast_augmenter(uncertainty_gradient=g, max_iter=40).fit_resample(X, y)[0]
        for g in ("score_function", "score_function", "pathwise")
    ]
    np.testing.assert_array_equal(rows[0], rows[1])
    assert np.isfinite(rows[0]).all() and not np.array_equal(rows[0], rows[2])
    with pytest.raises(ValueError, match="uncertainty_gradient"):
        fast_augmenter(uncertainty_gradient="reinforce").fit_resample(X, y)


def test_twin_auxiliary_keeps_generated_rows_where_classes_overlap():
    """AC-GAN's class loss pushes generated rows away from the other class (Gong et
    al. 2019); TAC-GAN's twin classifier cancels that pull."""
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(0, 1, (400, 2)), rng.normal(1.0, 1, (400, 2))]
    y = np.repeat([0, 1], 400)

    def beyond_the_boundary(rows):  # equal priors: the Bayes boundary is x1 + x2 = 1
        return np.mean(rows.sum(axis=1) < 1.0)

    real = beyond_the_boundary(X[y == 1])  # 0.23
    shares = {}
    for twin in (False, True):
        aug = ActiveGANAugmenter(
            lam=0,
            max_iter=600,
            n_warmup_iter=100,
            hidden_layer_sizes=(64, 32),
            gan_params={"latent_dim": 8, "twin_auxiliary": twin},
            random_state=0,
        )
        aug.fit_resample(X, y)
        shares[twin] = beyond_the_boundary(aug.sample({1: 1000})[0])
    assert shares[False] < 0.2 * real  # AC-GAN: almost none on the other side (0.004)
    assert shares[True] > 10 * shares[False] and abs(shares[True] - real) < real  # TAC: 0.12


def test_twin_head_exists_only_when_asked_for():
    from skactive.augment import ConvDiscriminator, MLPDiscriminator

    plain = MLPDiscriminator(4, 3, (8,))
    assert plain.heads.twin is None
    with pytest.raises(RuntimeError, match="twin_auxiliary=False"):
        plain.twin_logits(torch.zeros(2, 8))
    twin = ConvDiscriminator((1, 8, 8), 3, (4, 2), twin_auxiliary=True)
    _, _, features = twin(torch.zeros(2, 64))
    assert twin.twin_logits(features).shape == (2, 3)


def test_auto_iterations_follow_passes_over_the_smallest_class():
    from skactive.augment._build import training_iterations

    # balanced batches: a row of the smallest class is drawn with prob 1 / (K * n_min)
    assert training_iterations("auto", [900, 100, 60], 64, "balanced") == 2813
    # ... but each row of the largest class at most 100 times (1 / (K * n_max)):
    # classes less than 10x apart, a balanced table of 10 x 100 rows
    assert training_iterations("auto", [1000, 400], 64, "balanced") == 3125
    assert training_iterations("auto", [100] * 10, 64, "balanced") == 1563
    # uniform batches: 1 / n for every row, so the cap (100 passes) always binds
    assert training_iterations("auto", [2000, 200], 64, "uniform") == 3438
    # within 1500 ... 5000: never shorter than the fixed default
    assert training_iterations("auto", [269, 31], 64, "balanced") == 1500
    assert training_iterations("auto", [30] * 10, 64, "balanced") == 1500
    assert training_iterations("auto", [5000, 400], 64, "balanced") == 5000
    # a class absent from y (a zero count) has no rows to pass over
    assert training_iterations("auto", [0, 900, 100, 60], 64, "balanced") == 2813
    # an int is used as given
    assert training_iterations(1500, [269, 31], 64, "balanced") == 1500


def test_auto_iterations_train_that_long(fast_augmenter, imbalanced):
    X, y = imbalanced
    # a warm-up the caller sets is kept (it was once capped at a third under "auto")
    aug = fast_augmenter(max_iter="auto", batch_size=32, n_warmup_iter=700)
    aug.fit_resample(X, y)
    assert aug.net_.n_warmup_iter == 700
    counts = np.unique(y, return_counts=True)[1]
    wanted = min(1000 * counts.min(), 100 * counts.max()) * len(counts) / 32
    expected = min(max(int(np.ceil(wanted)), 1500), 5000)
    assert aug.max_iter_ == expected and aug.net_.n_iter_ >= expected
    with pytest.raises(ValueError, match="max_iter"):
        fast_augmenter(max_iter="long").fit_resample(X, y)


def test_mode_specific_scaling_on_a_mixed_frame(fast_augmenter):
    """CTGAN's mode-specific normalisation: the generator draws each continuous
    column's mode as a one-hot block; rows come back in the caller's form, inside
    the training range, integer columns whole, categories valid; seeded."""
    import pickle

    pd = pytest.importorskip("pandas")
    rng = np.random.RandomState(0)
    n = 240
    left = rng.rand(n) < 0.4
    X = pd.DataFrame(
        {
            "bimodal": np.where(left, rng.normal(-10, 0.5, n), rng.normal(10, 1.0, n)),
            "count": rng.poisson(3, n).astype(np.int64),
            "colour": pd.Categorical(rng.choice(["red", "blue"], n)),
        }
    )
    y = np.r_[np.zeros(180, int), np.ones(60, int)]
    aug = fast_augmenter(scaling="mode_specific", max_iter=150)
    X_res, y_res = aug.fit_resample(X, y)
    assert list(X_res.dtypes) == list(X.dtypes)
    new = X_res.iloc[n:]
    assert len(new) == 120 and set(new["colour"]) <= {"red", "blue"}
    assert new["bimodal"].between(X["bimodal"].min(), X["bimodal"].max()).all()
    assert (new["count"] >= 0).all()
    modes = aug.scaler_.block_sizes_
    assert modes[0] >= 2  # the bimodal column has its two modes
    assert aug.net_.module_.categorical_sizes == (*modes, 2)
    again = pickle.loads(pickle.dumps(aug))
    np.testing.assert_array_equal(
        again.sample({1: 5}, random_state=0)[0]["bimodal"],
        aug.sample({1: 5}, random_state=0)[0]["bimodal"],
    )
    X_again, _ = fast_augmenter(scaling="mode_specific", max_iter=150).fit_resample(X, y)
    pd.testing.assert_frame_equal(X_again, X_res)


def test_mode_specific_scaling_refuses_image_nets(fast_augmenter):
    X = np.random.RandomState(0).rand(40, 16)
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    aug = fast_augmenter(scaling="mode_specific", image_shape=(4, 4), hidden_layer_sizes=(4, 8))
    with pytest.raises(ValueError, match="scaling='mode_specific'"):
        aug.fit_resample(X, y)


def test_wasserstein_losses_values():
    from skactive.augment._losses import critic_generator_loss, wasserstein_discriminator_loss

    real = torch.tensor([2.0, 0.5, -1.0])
    fake = torch.tensor([-2.0, 0.0])
    assert float(wasserstein_discriminator_loss(real, fake)) == pytest.approx(-1.0 - 0.5)
    assert float(critic_generator_loss(fake)) == pytest.approx(1.0)


def test_gradient_penalty_of_a_linear_critic_is_its_weight_norm_minus_one_squared():
    from skactive.augment._losses import gradient_penalty

    weight = torch.tensor([[3.0], [4.0]], requires_grad=True)  # gradient norm 5 everywhere
    real, fake = torch.randn(6, 2), torch.randn(6, 2)
    penalty = gradient_penalty(lambda X: (X @ weight).squeeze(1), real, fake)
    assert float(penalty.detach()) == pytest.approx(16.0)
    # the penalty reaches the critic's weights: d/dw (|w| - 1)^2 = 2 (|w| - 1) w / |w|
    (grad,) = torch.autograd.grad(penalty, weight)
    np.testing.assert_allclose(grad.numpy().ravel(), [8 * 3 / 5, 8 * 4 / 5], rtol=1e-5)


def test_gradient_penalty_is_taken_per_row_between_each_real_and_generated_row():
    from skactive.augment._losses import gradient_penalty

    real, fake = torch.randn(8, 3), torch.randn(8, 3, requires_grad=True)
    seen = []

    def critic(X):  # gradient of 0.5 |x|^2 is x itself
        seen.append(X)
        return 0.5 * (X**2).sum(1)

    penalty = gradient_penalty(critic, real, fake, torch.Generator().manual_seed(3))
    mix = torch.rand(8, 1, generator=torch.Generator().manual_seed(3))
    between = mix * real + (1 - mix) * fake.detach()
    torch.testing.assert_close(seen[0].detach(), between)  # one mix per row, in [0, 1]
    assert len(torch.unique(mix)) == 8
    expected = ((between.norm(dim=1) - 1) ** 2).mean()
    assert float(penalty.detach()) == pytest.approx(float(expected), rel=1e-6)
    assert not seen[0].grad_fn  # the rows are detached: nothing reaches fake's producer
    penalty.backward()
    assert fake.grad is None


def test_adam_betas_follow_the_adversarial_loss():
    from skactive.augment._build import adam_betas

    assert adam_betas("bce") == (0.5, 0.999)
    assert adam_betas("wasserstein") == (0.5, 0.9)


def test_wasserstein_loss_trains_differently_and_stays_valid(fast_augmenter):
    X, y = make_classification(n_samples=120, weights=[0.75, 0.25], random_state=0)
    rows = {}
    for loss in ("bce", "wasserstein"):
        aug = fast_augmenter(adversarial_loss=loss)
        X_res, y_res = aug.fit_resample(X, y)
        assert np.isfinite(X_res).all() and np.bincount(y_res).tolist() == [90, 90]
        rows[loss] = X_res[len(X) :]
        betas = aug.net_.optimizer_discriminator_.param_groups[0]["betas"]
        assert tuple(betas) == ((0.5, 0.9) if loss == "wasserstein" else (0.5, 0.999))
    assert not np.allclose(rows["bce"], rows["wasserstein"])
    again, _ = fast_augmenter(adversarial_loss="wasserstein").fit_resample(X, y)
    np.testing.assert_array_equal(again[len(X) :], rows["wasserstein"])


@pytest.mark.parametrize("loss", ["bce", "wasserstein"])
def test_the_gradient_penalty_enters_every_step_of_the_wasserstein_loss_only(
    fast_augmenter, monkeypatch, loss
):
    from skactive.augment._net import ActiveGANNet

    calls = []
    penalty = ActiveGANNet._gradient_penalty

    def spy(self, *args):
        calls.append(1)
        return penalty(self, *args)

    monkeypatch.setattr(ActiveGANNet, "_gradient_penalty", spy)
    X, y = make_classification(n_samples=120, weights=[0.75, 0.25], random_state=0)
    aug = fast_augmenter(adversarial_loss=loss)
    aug.fit_resample(X, y)
    assert len(calls) == (aug.net_.n_iter_ if loss == "wasserstein" else 0)


def test_wasserstein_loss_trains_the_convolutional_pair(fast_augmenter):
    X, y = load_digits(return_X_y=True)
    X = X[:60].reshape(-1, 8, 8)[:, ::2, ::2].reshape(60, 16)
    aug = fast_augmenter(
        adversarial_loss="wasserstein", image_shape=(1, 4, 4), hidden_layer_sizes=(4, 8)
    )
    X_res, y_res = aug.fit_resample(X, (y[:60] < 3).astype(int))  # 18 of 60 rows
    assert np.isfinite(X_res).all() and len(X_res) > len(X)


def test_uncertainty_priors_balanced_reads_the_reward_and_the_filter_under_equal_priors(
    fast_augmenter,
):
    X, y = make_classification(n_samples=200, weights=[0.85, 0.15], random_state=0)
    rows, ratios = {}, {}
    for priors in ("fitted", "balanced"):
        aug = fast_augmenter(uncertainty_priors=priors)
        rows[priors] = aug.fit_resample(X, y)[0][len(X) :]
        ratios[priors] = aug.informative_ratio((0.5, 0.7, 0.9, 0.99), random_state=0)
        if priors == "balanced":
            counts = np.bincount(y)
            np.testing.assert_allclose(aug.net_.reward.prior_weights, counts.sum() / counts)
            # the filter's margins are the balanced ones: every kept row passes them
            kept = aug.sample({1: 20}, margin=0.9, random_state=0)[0]
            proba = aug.classifier_.predict_proba(kept) * (counts.sum() / counts)
            proba /= proba.sum(axis=1, keepdims=True)
            assert len(kept) and np.all(np.abs(proba[:, 1] - proba[:, 0]) <= 0.9 + 1e-12)
        else:
            assert aug.net_.reward.prior_weights is None
    assert not np.allclose(rows["fitted"], rows["balanced"])
    assert not np.allclose(ratios["fitted"], ratios["balanced"])
    # the ratio of given rows is read under the same priors
    counts = np.bincount(y)
    proba = aug.classifier_.predict_proba(X) * (counts.sum() / counts)
    proba /= proba.sum(axis=1, keepdims=True)
    expected = [np.mean(np.abs(proba[:, 1] - proba[:, 0]) <= t) for t in (0.3, 0.6, 0.9)]
    np.testing.assert_allclose(aug.informative_ratio((0.3, 0.6, 0.9), X=X), expected)


def test_uncertainty_priors_change_nothing_when_classes_are_equally_frequent(fast_augmenter):
    X, y = make_classification(n_samples=120, random_state=0)
    assert np.bincount(y)[0] == np.bincount(y)[1]
    X_fitted, _ = fast_augmenter().fit_resample(X, y)
    X_balanced, _ = fast_augmenter(uncertainty_priors="balanced").fit_resample(X, y)
    np.testing.assert_array_equal(X_fitted, X_balanced)


def test_mode_specific_scaling_when_no_row_is_generated(fast_augmenter):
    """Mode blocks are generator columns, not caller columns: zero new rows keep X's width."""
    pd = pytest.importorskip("pandas")
    X, y = make_classification(n_samples=60, n_features=4, random_state=0)
    aug = fast_augmenter(scaling="mode_specific")
    X_res, y_res = aug.fit_resample(X, y)  # balanced already: nothing to add
    np.testing.assert_array_equal(X_res, X)
    assert aug.sample({1: 0})[0].shape == (0, 4)
    frame = pd.DataFrame(X, columns=list("abcd"))
    frame_res, _ = fast_augmenter(scaling="mode_specific").fit_resample(frame, y)
    pd.testing.assert_frame_equal(frame_res, frame)
