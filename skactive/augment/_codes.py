"""Numeric columns that are codes: 0/1 flags, one-hot groups and few-level columns.

Many tables arrive already encoded, every column a float: a flag holds two
values, a one-hot group of flags holds exactly one "on" per row, a level
column a handful of values (an ordinal rating, a count of a few). A
continuous generator puts rows between those values, which never occur, and
lets a group's flags disagree. With ``categorical_features="auto"`` flags and
one-hot groups are generated as categories (they are nominal: nothing lies
between two of their values), and level columns as numbers returned on their
nearest observed level (they are most often ordinal, and a number keeps
their order). A value needs enough rows to be told from chance, as a level
column's do: a two-valued column whose rarer value has fewer rows (a pixel
on in one image of 300) is returned on its nearest observed value too. The
rule reads only how many distinct values a column holds and how often, so it
finds the codes after an affine scaling too (a ``StandardScaler`` before the
sampler in a Pipeline keeps two values two).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._columns import categorical_columns, finite_numbers

__all__ = [
    "MAX_CODE_LEVELS",
    "MIN_ROWS_PER_LEVEL",
    "ColumnRoles",
    "coded_columns",
    "column_roles",
    "numeric_codes",
]

# A column with 3 or more distinct values is a code when it has at most
# MAX_CODE_LEVELS of them, each backed by MIN_ROWS_PER_LEVEL rows on average:
# a sample of a continuum has nearly as many values as rows.
MAX_CODE_LEVELS = 10
MIN_ROWS_PER_LEVEL = 10


# rows read first, to rule out the columns with many values cheaply
_HEAD_ROWS = 1000


def _n_unique(column) -> int:
    return np.unique(column).size


def _is_code(n_levels: int, n_rows: int) -> bool:
    """Whether a column with ``n_levels`` distinct values over ``n_rows`` rows is a code."""
    if n_levels == 2:
        return True  # a flag: no value lies between its two
    return 3 <= n_levels <= min(MAX_CODE_LEVELS, n_rows // MIN_ROWS_PER_LEVEL)


def _one_hot_groups(values, flags, positions):
    """Return the runs of adjacent flag columns whose "on" values sum to one per row.

    A flag is "on" at its larger value (an encoder's 1; positive scaling keeps
    it the larger). Each group is the shortest run from its first column on
    that covers every row exactly once (one-hot encoders and
    ``pandas.get_dummies`` write a variable's columns side by side).
    """
    on = {j: values[:, j] == values[:, j].max() for j in flags}
    groups, i = [], 0
    while i < len(flags):
        total, end = on[flags[i]].astype(np.int64), None
        for k in range(i + 1, len(flags)):
            if positions[flags[k]] != positions[flags[k - 1]] + 1:
                break
            total = total + on[flags[k]]
            if total.max() > 1:
                break
            if total.min() == 1:
                end = k
                break
        if end is None:
            i += 1
        else:
            groups.append(np.asarray(flags[i : end + 1]))
            i = end + 1
    return groups


def coded_columns(values, positions=None):
    """Find the columns of a numeric table that are codes.

    Parameters
    ----------
    values : ndarray of shape (n_samples, n_columns)
        Finite numbers.
    positions : array-like of int, default=None
        Each column's place in the caller's table (one-hot groups are runs
        of adjacent columns there); default ``0, 1, ...``.

    Returns
    -------
    flags : ndarray of int
        Two-valued columns outside any one-hot group, each value in at least
        ``MIN_ROWS_PER_LEVEL`` rows.
    groups : list of ndarray of int
        One-hot groups: runs of adjacent flags of which exactly one is on in
        every row.
    levels : ndarray of int
        Columns with 3 to ``MAX_CODE_LEVELS`` values, at least
        ``MIN_ROWS_PER_LEVEL`` rows per value on average, and two-valued
        columns outside the groups whose rarer value is in fewer rows.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.augment._codes import coded_columns
    >>> rng = np.random.RandomState(0)
    >>> colour = np.eye(3)[rng.randint(3, size=40)]        # a one-hot group
    >>> flag = rng.randint(2, size=(40, 1))                # a 0/1 flag
    >>> x = rng.normal(size=(40, 1))                       # a measurement
    >>> level = rng.randint(1, 4, size=(40, 1))            # a rating 1..3
    >>> flags, groups, levels = coded_columns(np.hstack([x, colour, flag, level]))
    >>> flags.tolist(), [g.tolist() for g in groups], levels.tolist()
    ([4], [[1, 2, 3]], [5])
    """
    values = np.asarray(values, dtype=np.float64)
    n_rows = len(values)
    # more values than a code has among the first rows: no code (a large table
    # is then not sorted whole, column by column)
    head = values[:_HEAD_ROWS]
    candidates = [j for j in range(values.shape[1]) if _n_unique(head[:, j]) <= MAX_CODE_LEVELS]
    n_levels = {j: _n_unique(values[:, j]) for j in candidates}
    codes = [j for j, k in n_levels.items() if _is_code(k, n_rows)]
    flags = [j for j in codes if n_levels[j] == 2]
    positions = np.arange(values.shape[1]) if positions is None else np.asarray(positions)
    groups = _one_hot_groups(values, flags, positions)
    grouped = set(np.concatenate(groups).tolist()) if groups else set()
    lone = [j for j in flags if j not in grouped]
    # a lone flag needs MIN_ROWS_PER_LEVEL rows at each value, as a level column
    # does; rarer, it may be a near-constant number (an image's border pixel):
    # returned on its nearest observed value, as a level column is
    rare = [j for j in lone if _rarer_count(values[:, j]) < MIN_ROWS_PER_LEVEL]
    lone = np.array([j for j in lone if j not in rare], dtype=np.intp)
    levels = np.array(sorted(rare + [j for j in codes if n_levels[j] > 2]), dtype=np.intp)
    return lone, groups, levels


def _rarer_count(column) -> int:
    """Rows holding the rarer of a two-valued column's values."""
    n_on = int(np.count_nonzero(column == column.max()))
    return min(n_on, len(column) - n_on)


def numeric_codes(X, continuous):
    """Return ``(flags, groups, levels)`` of :func:`coded_columns` among ``X``'s numbers.

    ``continuous`` holds the numeric columns' numbers in ``X``; the returned
    columns are numbers in ``X`` too. None are found when a value there is
    not a finite number: the table's own check names that column.
    """
    none = np.empty(0, dtype=np.intp)
    values = finite_numbers(X, continuous) if len(continuous) else None
    if values is None:
        return none, [], none
    flags, groups, levels = coded_columns(values, positions=continuous)
    return continuous[flags], [continuous[group] for group in groups], continuous[levels]


class ColumnRoles(NamedTuple):
    """How each column of a table is generated: column numbers in the table."""

    categorical: np.ndarray  # categories: named ones, flags and one-hot groups
    continuous: np.ndarray  # numbers (level columns among them)
    flags: np.ndarray  # numeric 0/1 columns generated as categories
    groups: list  # numeric one-hot groups, each generated as one category
    levels: np.ndarray  # numbers returned on their nearest observed level
    coded: np.ndarray  # flags, group members and levels together


def column_roles(X, categorical_features, find_codes=True) -> ColumnRoles:
    """Return the :class:`ColumnRoles` of ``X`` under ``categorical_features``.

    With ``find_codes`` (``categorical_features="auto"`` on a table, not on
    images) the numeric columns that are codes (:func:`numeric_codes`) join
    the categories (flags, one-hot groups) or are marked as levels.
    """
    categorical, continuous = categorical_columns(X, categorical_features)
    none = np.empty(0, dtype=np.intp)
    flags, groups, levels = numeric_codes(X, continuous) if find_codes else (none, [], none)
    nominal = np.concatenate([flags, *groups]).astype(np.intp)
    return ColumnRoles(
        categorical=np.union1d(categorical, nominal).astype(np.intp),
        continuous=np.setdiff1d(continuous, nominal).astype(np.intp),
        flags=flags,
        groups=groups,
        levels=levels,
        coded=np.union1d(nominal, levels).astype(np.intp),
    )
