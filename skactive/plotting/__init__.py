"""Plots of active-learning runs (needs matplotlib: ``pip install 'skactive[plot]'``).

Public API
----------
plot_learning_curve
    score against labels acquired, mean +/- std over seeds, one line per method.
learning_curve_stats
    the per-cycle statistics behind it, as numpy arrays (no matplotlib needed).
"""

from ._learning_curve import learning_curve_stats, plot_learning_curve

__all__ = ["learning_curve_stats", "plot_learning_curve"]
