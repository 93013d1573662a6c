"""Learning curves of active-learning runs: score against labels acquired.

An active learner records one dict per cycle in ``history_`` (cycle 0 is the
initial fit). :func:`learning_curve_stats` aligns several runs (seeds) of one
method by cycle and averages them; :func:`plot_learning_curve` draws one mean
line per method with a +/- one standard deviation band across runs.

Both functions are duck-typed: a run is anything with a ``history_``
attribute, or such a history list itself, so nothing here imports the
learner. matplotlib is imported only when plotting.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["learning_curve_stats", "plot_learning_curve"]

_MPL_MISSING = "plot_learning_curve needs matplotlib: pip install 'skactive[plot]'"


def _is_history(obj: Any) -> bool:
    """Whether ``obj`` looks like a history list: a non-empty sequence of dicts."""
    return (
        isinstance(obj, Sequence)
        and not isinstance(obj, (str, bytes))
        and len(obj) > 0
        and all(isinstance(entry, Mapping) for entry in obj)
    )


def _as_runs(runs: Any, name: str | None) -> list[Any]:
    """One run or a sequence of runs -> a non-empty list of runs."""
    of = f" of {name!r}" if name is not None else ""
    if hasattr(runs, "history_") or _is_history(runs):
        return [runs]
    if not isinstance(runs, Sequence) or isinstance(runs, (str, bytes)):
        raise TypeError(
            f"runs{of} must be a fitted active learner (with history_), a history "
            f"list of dicts, or a sequence of those; got {type(runs).__name__}"
        )
    runs = list(runs)
    if not runs:
        raise ValueError(f"no runs{of}: got an empty sequence")
    return runs


def _history_of(run: Any, where: str) -> Sequence[Mapping[str, Any]]:
    """Return the history list of one run (an object with ``history_`` or the list)."""
    history = getattr(run, "history_", run)
    if not _is_history(history):
        if history is run:
            raise TypeError(
                f"{where} is not a run: {type(run).__name__} has no history_ "
                "attribute (is it a fitted active learner?) and is not a non-empty "
                "history list of dicts"
            )
        raise TypeError(
            f"history_ of {where} must be a non-empty list of dicts, got {type(history).__name__}"
        )
    return history


def _value(entry: Mapping[str, Any], key: str, param: str, where: str, cycle: int) -> float:
    """``entry[key]`` as a float (None -> NaN), with a helpful error if missing."""
    if key not in entry:
        hint = (
            "fit with a validation set (X_val=, y_val=) to record it, or "
            if key == "val_score"
            else ""
        )
        raise ValueError(
            f"history of {where} has no {key!r} (cycle {cycle}): {hint}pass {param}= one of "
            f"the recorded keys {sorted(map(str, entry))}"
        )
    value = entry[key]
    return np.nan if value is None else float(value)


def _stats(
    runs: Any, *, score: str, x: str, name: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`learning_curve_stats` with ``name`` used in error messages."""
    runs = _as_runs(runs, name)
    prefix = f"{name!r} " if name is not None else ""
    tables = []  # per run: {cycle: (x, y)}
    for i, run in enumerate(runs):
        where = f"{prefix}run {i}"
        table: dict[int, tuple[float, float]] = {}
        for position, entry in enumerate(_history_of(run, where)):
            cycle = entry.get("cycle", position)
            if not isinstance(cycle, numbers.Integral) or cycle < 0:
                raise ValueError(f"history of {where} has an invalid cycle {cycle!r}")
            if cycle in table:
                raise ValueError(f"history of {where} records cycle {cycle} twice")
            table[int(cycle)] = (
                _value(entry, x, "x", where, cycle),
                _value(entry, score, "score", where, cycle),
            )
        tables.append(table)

    n_cycles = 1 + max(max(table) for table in tables)
    xs = np.full((len(tables), n_cycles), np.nan)
    ys = np.full((len(tables), n_cycles), np.nan)
    for i, table in enumerate(tables):
        for cycle, (x_value, y_value) in table.items():
            xs[i, cycle], ys[i, cycle] = x_value, y_value

    # nan-mean / nan-std by hand: all-NaN cycles give NaN without warnings
    def nanmean(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        present = ~np.isnan(values)
        count = present.sum(axis=0)
        total = np.where(present, values, 0.0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / count, np.nan), count

    x_mean, _ = nanmean(xs)
    y_mean, n_runs = nanmean(ys)
    y_var, _ = nanmean((ys - y_mean) ** 2)
    return x_mean, y_mean, np.sqrt(y_var), n_runs.astype(np.intp)


def learning_curve_stats(
    runs: Any, *, score: str = "val_score", x: str = "n_labeled"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Average several active-learning runs cycle by cycle.

    Runs are aligned by cycle (the ``"cycle"`` key of each history entry, or
    its position when absent); a run that stopped early is padded with NaN, so
    every statistic of a cycle is taken over the runs that reached it.

    Parameters
    ----------
    runs : object, list of dict, or sequence of those
        One run or a sequence of runs of the same method. A run is an object
        with a ``history_`` attribute (a fitted active learner) or such a
        history itself: a list of dicts, one per cycle.
    score : str, default="val_score"
        History key averaged on the y axis. ``None`` values count as missing.
    x : str, default="n_labeled"
        History key averaged on the x axis.

    Returns
    -------
    x_mean : ndarray of shape (n_cycles,)
        Mean of ``x`` per cycle over the runs that recorded it (NaN if none).
    y_mean : ndarray of shape (n_cycles,)
        Mean of ``score`` per cycle (NaN where no run has a value).
    y_std : ndarray of shape (n_cycles,)
        Population standard deviation (``ddof=0``) of ``score`` per cycle.
    n_runs_per_cycle : ndarray of int of shape (n_cycles,)
        How many runs have a ``score`` value at each cycle.

    Raises
    ------
    TypeError
        If a run has no ``history_`` and is not a history list.
    ValueError
        If ``runs`` is empty or a history lacks ``score`` or ``x``.

    Examples
    --------
    >>> from skactive.plotting import learning_curve_stats
    >>> run_a = [{"cycle": 0, "n_labeled": 10, "val_score": 0.5},
    ...          {"cycle": 1, "n_labeled": 20, "val_score": 0.7}]
    >>> run_b = [{"cycle": 0, "n_labeled": 10, "val_score": 0.7}]  # stopped early
    >>> x_mean, y_mean, y_std, n_runs = learning_curve_stats([run_a, run_b])
    >>> x_mean
    array([10., 20.])
    >>> y_mean.round(3)
    array([0.6, 0.7])
    >>> y_std.round(3)
    array([0.1, 0. ])
    >>> n_runs
    array([2, 1])
    """
    return _stats(runs, score=score, x=x, name=None)


def plot_learning_curve(
    results: Mapping[Any, Any],
    *,
    score: str = "val_score",
    x: str = "n_labeled",
    ax: Any = None,
    show_std: bool = True,
    **line_kw: Any,
) -> Any:
    """Plot score against labels acquired, one mean line per method.

    For each method the runs are averaged cycle by cycle with
    :func:`learning_curve_stats`; cycles where no run has a score are left
    out. With two or more runs, a band of mean +/- one (population) standard
    deviation is shaded in the colour of the line.

    Parameters
    ----------
    results : mapping
        Method name -> runs, where runs is one run or a sequence of runs
        (e.g. seeds) and a run is an object with a ``history_`` attribute
        (a fitted active learner) or a history list of dicts.
    score : str, default="val_score"
        History key on the y axis.
    x : str, default="n_labeled"
        History key on the x axis.
    ax : matplotlib Axes, default=None
        Axes to draw on; ``None`` uses ``plt.gca()``.
    show_std : bool, default=True
        Whether to shade the standard-deviation band (methods with >= 2 runs).
    **line_kw
        Passed to :meth:`matplotlib.axes.Axes.plot` for every line
        (e.g. ``marker="o"``).

    Returns
    -------
    ax : matplotlib Axes
        The Axes drawn on. Lines are labelled with the method name, plus
        ``" (n=<runs>)"`` when it has several runs; a legend is added.

    Raises
    ------
    ImportError
        If matplotlib is not installed.
    TypeError
        If ``results`` is not a mapping or a run has no history.
    ValueError
        If ``results`` is empty or a history lacks ``score`` or ``x``.

    Examples
    --------
    >>> from skactive.plotting import plot_learning_curve
    >>> seed0 = [{"cycle": 0, "n_labeled": 10, "val_score": 0.5},
    ...          {"cycle": 1, "n_labeled": 20, "val_score": 0.7}]
    >>> seed1 = [{"cycle": 0, "n_labeled": 10, "val_score": 0.6},
    ...          {"cycle": 1, "n_labeled": 20, "val_score": 0.8}]
    >>> ax = plot_learning_curve(  # doctest: +SKIP
    ...     {"Margin": [seed0, seed1], "Random": seed0}, marker="o")
    >>> [line.get_label() for line in ax.get_lines()]  # doctest: +SKIP
    ['Margin (n=2)', 'Random']
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(_MPL_MISSING) from exc

    if not isinstance(results, Mapping):
        raise TypeError(f"results must be a mapping name -> runs, got {type(results).__name__}")
    if not results:
        raise ValueError("results is empty: pass a mapping name -> runs")

    # compute everything first, so a bad run raises before anything is drawn
    curves = []
    for name, runs in results.items():
        n_runs = len(_as_runs(runs, name))
        stats = _stats(runs, score=score, x=x, name=name)
        curves.append((name, n_runs, stats))

    if ax is None:
        ax = plt.gca()
    for name, n_runs, (x_mean, y_mean, y_std, counts) in curves:
        drawn = (counts > 0) & np.isfinite(x_mean)
        label = f"{name} (n={n_runs})" if n_runs > 1 else f"{name}"
        (line,) = ax.plot(x_mean[drawn], y_mean[drawn], **{"label": label, **line_kw})
        if show_std and n_runs >= 2:
            ax.fill_between(
                x_mean[drawn],
                y_mean[drawn] - y_std[drawn],
                y_mean[drawn] + y_std[drawn],
                color=line.get_color(),
                alpha=0.2,
                linewidth=0,
            )
    ax.set_xlabel("labels acquired" if x == "n_labeled" else x)
    ax.set_ylabel("validation score" if score == "val_score" else score)
    ax.legend()
    return ax
