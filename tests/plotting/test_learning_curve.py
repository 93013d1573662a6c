import sys
from types import SimpleNamespace

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from skactive.plotting import learning_curve_stats, plot_learning_curve


def history(n_labeled, scores, **extra):
    """A history list as an active learner records it (cycle 0 = initial fit)."""
    return [
        {
            "cycle": cycle,
            "n_labeled": n,
            "n_queried": 0 if cycle == 0 else 5,
            "query_time": 0.01,
            "fit_time": 0.1,
            "val_score": score,
            **extra,
        }
        for cycle, (n, score) in enumerate(zip(n_labeled, scores, strict=True))
    ]


# run B stops (early stopping) after two cycles
RUN_A = history([10, 15, 20], [0.5, 0.6, 0.9])
RUN_B = history([10, 16], [0.7, 0.8])


@pytest.fixture
def ax():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def polys(ax):
    from matplotlib.collections import PolyCollection

    return [c for c in ax.collections if isinstance(c, PolyCollection)]


def test_stats_by_hand_with_nan_padding():
    x_mean, y_mean, y_std, n_runs = learning_curve_stats([RUN_A, RUN_B])
    assert_allclose(x_mean, [10, 15.5, 20])
    assert_allclose(y_mean, [0.6, 0.7, 0.9])
    # population std (ddof=0) over the runs that reached the cycle
    assert_allclose(y_std, [0.1, 0.1, 0.0], atol=1e-12)
    assert_array_equal(n_runs, [2, 2, 1])
    assert n_runs.dtype.kind == "i"


def test_stats_one_run_and_custom_keys():
    run = history([10, 20], [0.5, 0.6], agreement=0.9)
    x_mean, y_mean, y_std, n_runs = learning_curve_stats(run, score="agreement", x="cycle")
    assert_allclose(x_mean, [0, 1])
    assert_allclose(y_mean, [0.9, 0.9])
    assert_allclose(y_std, [0, 0])
    assert_array_equal(n_runs, [1, 1])


def test_stats_missing_values_do_not_count():
    run = history([10, 20, 30], [0.5, None, 0.7])
    _, y_mean, _, n_runs = learning_curve_stats([run, RUN_B])
    assert_allclose(y_mean, [0.6, 0.8, 0.7])
    assert_array_equal(n_runs, [2, 1, 1])
    with np.errstate(all="raise"):  # an all-missing cycle is NaN, quietly
        _, y_mean, y_std, n_runs = learning_curve_stats(run)
    assert np.isnan(y_mean[1]) and np.isnan(y_std[1]) and n_runs[1] == 0


def test_stats_accept_fitted_objects_and_raw_lists():
    mixed = learning_curve_stats([SimpleNamespace(history_=RUN_A), RUN_B])
    raw = learning_curve_stats([RUN_A, RUN_B])
    for got, expected in zip(mixed, raw, strict=True):
        assert_allclose(got, expected)
    for one in (RUN_A, [RUN_A], SimpleNamespace(history_=RUN_A)):
        assert_array_equal(learning_curve_stats(one)[3], [1, 1, 1])


def test_one_run_has_no_band(ax):
    plot_learning_curve({"Margin": RUN_A}, ax=ax)
    assert polys(ax) == []
    (line,) = ax.get_lines()
    assert line.get_label() == "Margin"
    assert_allclose(line.get_xdata(), [10, 15, 20])
    assert_allclose(line.get_ydata(), [0.5, 0.6, 0.9])


def test_two_runs_draw_a_band_in_the_line_colour(ax):
    from matplotlib.colors import to_rgba

    # a one-run method first, so the band's colour is not just the next in the cycle
    plot_learning_curve({"Random": RUN_A, "Margin": [RUN_A, RUN_B]}, ax=ax)
    (band,) = polys(ax)
    _, line = ax.get_lines()
    assert_allclose(band.get_alpha(), 0.2)
    assert_allclose(band.get_facecolor()[0][:3], to_rgba(line.get_color())[:3])
    y = band.get_paths()[0].vertices[:, 1]
    assert_allclose([y.min(), y.max()], [0.5, 0.9])  # 0.6 - 0.1 and 0.9 + 0


def test_line_kw_colour_is_shared_by_the_band(ax):
    from matplotlib.colors import to_rgba

    plot_learning_curve({"Margin": [RUN_A, RUN_B]}, ax=ax, color="red", linestyle="--")
    (line,) = ax.get_lines()
    (band,) = polys(ax)
    assert line.get_linestyle() == "--"
    assert_allclose(band.get_facecolor()[0][:3], to_rgba("red")[:3])


def test_show_std_false_has_no_band(ax):
    plot_learning_curve({"Margin": [RUN_A, RUN_B]}, ax=ax, show_std=False)
    assert polys(ax) == []


def test_two_names_two_lines_with_labels_and_data(ax):
    out = plot_learning_curve(
        {"Margin": [RUN_A, RUN_B], "Random": SimpleNamespace(history_=RUN_B)},
        ax=ax,
        marker="o",
    )
    assert out is ax
    margin, random = ax.get_lines()
    assert margin.get_label() == "Margin (n=2)"
    assert random.get_label() == "Random"
    assert_allclose(margin.get_ydata(), [0.6, 0.7, 0.9])
    assert_allclose(random.get_ydata(), [0.7, 0.8])
    assert margin.get_marker() == "o"
    assert margin.get_color() != random.get_color()
    legend = ax.get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Margin (n=2)", "Random"]
    assert ax.get_xlabel() == "labels acquired"
    assert ax.get_ylabel() == "validation score"


def test_cycles_without_any_value_are_not_drawn(ax):
    run = history([10, 20, 30], [0.5, None, 0.7])
    plot_learning_curve({"Margin": run}, ax=ax)
    (line,) = ax.get_lines()
    assert_allclose(line.get_xdata(), [10, 30])
    assert_allclose(line.get_ydata(), [0.5, 0.7])


def test_custom_keys_label_the_axes(ax):
    run = history([10, 20], [0.5, 0.6], agreement=0.9)
    plot_learning_curve({"Margin": run}, score="agreement", x="cycle", ax=ax)
    assert ax.get_xlabel() == "cycle"
    assert ax.get_ylabel() == "agreement"


def test_ax_none_uses_current_axes(ax):
    import matplotlib.pyplot as plt

    plt.sca(ax)
    assert plot_learning_curve({"Margin": RUN_A}) is ax


def test_missing_score_names_run_and_key():
    no_val = [{k: v for k, v in entry.items() if k != "val_score"} for entry in RUN_A]
    with pytest.raises(ValueError, match=r"'Margin' run 1 has no 'val_score'.*X_val="):
        plot_learning_curve({"Margin": [RUN_B, no_val]})
    with pytest.raises(ValueError, match=r"^history of run 0 has no 'agreement'"):
        learning_curve_stats(RUN_A, score="agreement")
    with pytest.raises(ValueError, match=r"has no 'n_seen'"):
        learning_curve_stats(RUN_A, x="n_seen")


def test_run_without_history_is_a_type_error():
    with pytest.raises(TypeError, match=r"'Margin' run 1 is not a run: object has no history_"):
        plot_learning_curve({"Margin": [RUN_A, object()]})
    with pytest.raises(TypeError, match="history_"):
        learning_curve_stats(SimpleNamespace(history_=None))
    with pytest.raises(TypeError, match="mapping"):
        plot_learning_curve([RUN_A])


def test_empty_inputs_are_value_errors():
    with pytest.raises(ValueError, match="results is empty"):
        plot_learning_curve({})
    with pytest.raises(ValueError, match="no runs of 'Margin'"):
        plot_learning_curve({"Margin": []})


def test_import_error_without_matplotlib(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'skactive\[plot\]'"):
        plot_learning_curve({"Margin": RUN_A})
