"""Warnings point at the caller's line and stay quiet on the documented paths."""

import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression

from skactive import ActiveGANAugmenter, ActiveLearningClassifier


def test_warning_points_at_the_users_call():
    X = np.random.default_rng(0).normal(size=(21, 3))
    y = np.r_[np.zeros(20, int), np.ones(1, int)]  # a one-row class: the fallback warns
    aug = ActiveGANAugmenter(
        max_iter=5, n_warmup_iter=1, gan_params={"latent_dim": 2}, random_state=0
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        aug.fit_resample(X, y)
    ours = [w for w in caught if "single sample" in str(w.message)]
    assert ours and ours[0].filename == __file__


def test_query_and_teach_with_an_explicit_marker_is_quiet(digits):
    X, y = digits
    X, y = X[:200], y[:200]
    y_partial = np.full(len(y), -1)
    y_partial[:40] = y[:40]
    learner = ActiveLearningClassifier(
        LogisticRegression(max_iter=200), batch_size=5, missing_label=-1, random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        learner.fit(X, y_partial)
        rows = learner.query()
        learner.teach(rows, y[rows])
    assert learner.history_[-1]["n_labeled"] == 45


def test_verbose_lines_show_times_with_units(digits, capsys):
    X, y = digits
    ActiveLearningClassifier(
        LogisticRegression(max_iter=200), n_initial=20, batch_size=10, budget=10, verbose=1
    ).fit(X[:200], y[:200])
    out = capsys.readouterr().out
    assert "fit_time=" in out and (" ms" in out or " s" in out)
    assert "fit_time=0.0" not in out
