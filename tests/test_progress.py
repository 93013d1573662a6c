"""Progress output: one bar or a few plain lines per fit / query, named losses, no colours."""

import io
import sys

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from skactive import AALUQuery, ActiveLearningClassifier, TAVAALQuery

ANSI_ESCAPE = "\x1b["


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def imbalanced():
    X = np.random.RandomState(0).normal(size=(60, 3))
    return X, np.r_[np.zeros(40, int), np.ones(20, int)]


def test_silent_by_default(fast_augmenter, imbalanced, capsys):
    fast_augmenter().fit_resample(*imbalanced)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_fit_progress_in_a_log_is_ten_plain_lines(fast_augmenter, imbalanced, capsys):
    aug = fast_augmenter(verbose=1, max_iter=40)
    aug.fit_resample(*imbalanced)
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    total = aug.net_.n_iter_
    assert len(lines) == 10 and "\r" not in captured.err and ANSI_ESCAPE not in captured.err
    assert lines[-1].startswith(f"[ActiveGANAugmenter] {total}/{total} (100%)")
    for name in ("D loss", "G loss", "U ", "reward", "ETA"):
        assert name in lines[0]


def test_fit_progress_on_a_terminal_is_one_bar(fast_augmenter, imbalanced, monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    aug = fast_augmenter(verbose=1, max_iter=40)
    aug.fit_resample(*imbalanced)
    text = terminal.getvalue()
    total = aug.net_.n_iter_
    assert f"{total}/{total}" in text and "D loss=" in text and "G loss=" in text
    assert "[ActiveGANAugmenter]" not in text  # no summary lines at verbose=1
    assert ANSI_ESCAPE not in text

    terminal.seek(0)
    terminal.truncate()
    fast_augmenter(verbose=2, max_iter=40).fit_resample(*imbalanced)
    assert terminal.getvalue().count("[ActiveGANAugmenter]") == 10


@pytest.mark.parametrize("Strategy, phases", [(AALUQuery, 1), (TAVAALQuery, 2)])
def test_slow_strategies_report_each_training_phase(Strategy, phases, capsys):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 4))
    y = (X[:, 0] > 0).astype(int)
    model = LogisticRegression().fit(X[:30], y[:30])
    args = dict(estimator=model, X_labeled=X[:30], y_labeled=y[:30], batch_size=3)
    Strategy(max_iter=20, random_state=0).query(X[30:], **args)
    assert capsys.readouterr().err == ""
    Strategy(max_iter=20, verbose=1, random_state=0).query(X[30:], **args)
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 10 * phases
    assert lines[-1].startswith(f"[{Strategy.__name__} ") and "20/20 (100%)" in lines[-1]


def test_learner_lines_say_what_is_left(capsys):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(100, 4))
    y = (X[:, 0] > 0).astype(int)
    ActiveLearningClassifier(
        LogisticRegression(), n_initial=10, batch_size=10, budget=30, verbose=1, random_state=0
    ).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].endswith("at most 3 more cycles")  # no query timed yet: no ETA
    assert "at most 2 more cycles, ETA" in lines[1]
    assert "at most 1 more cycle, ETA" in lines[2]
    assert "more cycle" not in lines[3]  # the last cycle: nothing left to announce


def test_learner_lines_count_the_pool_and_never_go_negative(capsys):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 4))
    y = (X[:, 0] > 0).astype(int)
    learner = ActiveLearningClassifier(
        LogisticRegression(),
        n_initial=10,
        batch_size=10,
        budget=None,
        max_cycles=50,
        verbose=1,
        random_state=0,
    ).fit(X, y)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].endswith("at most 3 more cycles")  # 30 rows left in the pool
    assert "stopped: pool_exhausted" in lines[-1]

    budgeted = ActiveLearningClassifier(
        LogisticRegression(), n_initial=10, batch_size=5, budget=5, verbose=1, random_state=0
    ).fit(X, y)
    capsys.readouterr()
    picked = budgeted.query(batch_size=5)
    budgeted.teach(picked, y[picked])  # past the budget: nothing "left", nothing negative
    assert "more cycle" not in capsys.readouterr().out
    assert learner.n_cycles_ == 3
