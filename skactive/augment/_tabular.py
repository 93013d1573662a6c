"""Mixed tables: the maps between three spaces.

- *caller space*: the rows as the caller gave them (column order, categories
  as their own values, integer columns whole);
- *generator space*: what the nets see, the continuous columns scaled to
  ``[-1, 1]`` (``scaling``; with ``"mode_specific"`` their offsets, then one
  one-hot mode block per continuous column) followed by one one-hot block per
  categorical column (CTGAN's layout, Xu et al. 2019);
- *classifier space*: what the reward classifier sees, the continuous columns
  as given followed by the same one-hot blocks (for a table without
  categorical columns this is the caller's X itself).
"""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import OneHotEncoder

from ._columns import continuous_part, nearest_value
from ._scaling import inverse_scale, mode_sizes

__all__ = ["TabularCodec"]


class TabularCodec:
    """Fitted maps between the caller's, the generator's and the classifier's spaces.

    Parameters
    ----------
    scaler : fitted transformer or None
        :func:`~skactive.augment._scaling.make_scaler` fitted on the continuous
        columns (None when there are none).
    encoder : fitted OneHotEncoder or None
        On the categorical columns, then one code column per one-hot group
        (None when there are neither).
    categorical, continuous : ndarray of int
        Column indices in the caller's X (``categorical``: each generated as
        one category).
    integer : ndarray of bool
        Which caller columns come back rounded to whole numbers.
    groups : list of ndarray of int, default=()
        One-hot groups of numeric flag columns, each generated as one
        category: which of its columns is on.
    group_values : list of (ndarray, ndarray), default=()
        Each group's off and on value per column (a scaled one-hot group
        keeps its scaled values).
    levels : dict, default=None
        Continuous columns returned on their nearest observed value: caller
        column index -> its sorted values.
    numeric_codes : ndarray of int, default=None
        The categorical columns that are numbers (flags): the classifier
        reads them, and the groups, as the numbers they are, so that a table
        of numbers reaches it as the caller's X.
    """

    def __init__(
        self,
        scaler,
        encoder,
        categorical,
        continuous,
        integer,
        groups=(),
        group_values=(),
        levels=None,
        numeric_codes=None,
    ):
        self.scaler = scaler
        self.encoder = encoder
        self.categorical = categorical
        self.continuous = continuous
        self.integer = integer
        self.groups = list(groups)
        self.group_values = list(group_values)
        self.levels = dict(levels or {})
        self.numeric_codes = np.empty(0, np.intp) if numeric_codes is None else numeric_codes

    @classmethod
    def fit(
        cls,
        table,
        categorical,
        continuous,
        integer,
        scaler,
        groups=(),
        levels=(),
        numeric_codes=None,
    ):
        """Fit the scaler and the one-hot encoder on an object or numeric ``table``.

        ``scaler`` on the continuous columns, a one-hot encoder on the
        categorical ones and the one-hot groups' codes; ``levels`` (continuous
        columns) keep their observed values.
        """
        grouped = [np.asarray(group, dtype=np.intp) for group in groups]
        nominal = np.concatenate([np.asarray(categorical, dtype=np.intp), *grouped])
        if continuous.size:
            scaler = scaler.fit(continuous_part(table, nominal, continuous))
        else:
            scaler = None
        group_values = []
        for group in groups:
            values = table[:, group].astype(np.float64)
            group_values.append((values.min(axis=0), values.max(axis=0)))
        observed = {int(c): np.unique(table[:, c].astype(np.float64)) for c in levels}
        codec = cls(
            scaler,
            None,
            categorical,
            continuous,
            integer,
            groups,
            group_values,
            observed,
            numeric_codes,
        )
        if categorical.size or groups:
            codec.encoder = OneHotEncoder(sparse_output=False, dtype=np.float64)
            codec.encoder.fit(codec._category_table(table))
        return codec

    def _category_table(self, table):
        """Return the categorical columns, then each one-hot group's code (its on column)."""
        codes = [
            np.argmax(table[:, group].astype(np.float64) == on, axis=1)[:, None]
            for group, (_, on) in zip(self.groups, self.group_values, strict=True)
        ]
        return (
            np.hstack([table[:, self.categorical], *codes]) if codes else table[:, self.categorical]
        )

    def _continuous(self, table):
        if self.encoder is None:  # no categorical column, no group: the table itself
            return table
        return table[:, self.continuous].astype(np.float64)

    @property
    def n_features(self) -> int:
        """Columns of the caller's X."""
        return self.categorical.size + self.continuous.size + sum(map(len, self.groups))

    @property
    def width(self) -> int:
        """Columns of the generator space."""
        return self.continuous.size + sum(self.categorical_sizes)

    @property
    def categorical_sizes(self) -> tuple:
        """Width of each one-hot block of the generator space.

        The scaler's mode blocks (``scaling="mode_specific"``), then one block
        per categorical column.
        """
        return mode_sizes(self.scaler) + self.category_sizes

    @property
    def category_sizes(self) -> tuple:
        """Width of each one-hot block: the categorical columns', then the groups'."""
        if self.encoder is None:
            return ()
        return tuple(len(c) for c in self.encoder.categories_)

    @property
    def _n_scaled(self) -> int:
        """Leading generator columns that the scaler maps back to the continuous ones."""
        return self.continuous.size + sum(mode_sizes(self.scaler))

    def _one_hot(self, table):
        return self.encoder.transform(self._category_table(table))

    def to_generator(self, table) -> np.ndarray:
        """Caller rows to the generator space (float32)."""
        parts = []
        if self.scaler is not None:
            parts.append(self.scaler.transform(self._continuous(table)))
        if self.encoder is not None:
            parts.append(self._one_hot(table))
        return np.hstack(parts).astype(np.float32)

    @property
    def _numeric_columns(self) -> np.ndarray:
        """Caller columns the classifier reads as numbers, in the caller's order."""
        grouped = [np.asarray(group, dtype=np.intp) for group in self.groups]
        columns = np.concatenate([self.continuous, self.numeric_codes, *grouped])
        return np.sort(columns).astype(np.intp)

    @property
    def _named_blocks(self) -> list:
        """Positions among the encoder's blocks of the categorical columns that are not numbers."""
        numbers = set(self.numeric_codes.tolist())
        return [i for i, column in enumerate(self.categorical) if column not in numbers]

    def _named_one_hot(self, blocks) -> np.ndarray:
        """Stack the named categorical columns' one-hot ``blocks`` (all blocks, in order)."""
        named = [blocks[i] for i in self._named_blocks]
        return np.hstack(named) if named else np.empty((len(blocks[0]), 0))

    def to_classifier(self, table) -> np.ndarray:
        """Caller rows to the classifier space.

        The numeric columns (continuous ones and numeric codes) in the caller's
        order, then one one-hot block per categorical column that is not a
        number: the caller's X itself for a table of numbers.
        """
        if self.encoder is None:
            return table
        numeric = table[:, self._numeric_columns].astype(np.float64)
        if not self._named_blocks:
            return numeric
        one_hot = self._one_hot(table)
        bounds = np.cumsum((0, *self.category_sizes))
        blocks = [one_hot[:, a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        return np.hstack([numeric, self._named_one_hot(blocks)])

    def _split(self, x_gen):
        """Split generator rows into caller-unit columns and category codes.

        Continuous columns in the caller's units (integer ones rounded) and each
        categorical block's category code.
        """
        n_scaled = self._n_scaled
        continuous = x_gen[:, :n_scaled]
        if self.scaler is not None:
            continuous = inverse_scale(self.scaler, continuous)
        for column, values in self.levels.items():
            j = int(np.searchsorted(self.continuous, column))
            continuous[:, j] = nearest_value(continuous[:, j], values)
        integer = self.integer[self.continuous]
        if integer.any():
            # whole numbers before any cast to the caller's dtype, where a
            # float such as 0.4 would become True or 2.9 become 2
            continuous = np.where(integer, np.rint(continuous), continuous)
        bounds = np.cumsum((n_scaled, *self.category_sizes))
        codes = [x_gen[:, a:b].argmax(axis=1) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
        return continuous, codes

    def generated_to_classifier(self, x_gen) -> np.ndarray:
        """Map generator rows (one-hot blocks soft or hard) to the classifier space.

        Each block is made a hard one-hot of its largest entry.
        """
        continuous, codes = self._split(x_gen)
        if self.encoder is None:
            return continuous
        numeric = self._decode_numeric(continuous, codes)
        if not self._named_blocks:
            return numeric
        blocks = [np.eye(size)[code] for size, code in zip(self.category_sizes, codes, strict=True)]
        return np.hstack([numeric, self._named_one_hot(blocks)])

    def generated_to_caller(self, x_gen) -> np.ndarray:
        """Map generator rows to caller rows.

        Float64 when every column is continuous, else an object array holding each
        column's categories.
        """
        continuous, codes = self._split(x_gen)
        if self.encoder is None:
            return continuous
        return self._decode(continuous, codes)

    def _decode_numeric(self, continuous, codes) -> np.ndarray:
        """Return the classifier's numeric columns (float64) from values and codes.

        What ``_decode(...)[:, _numeric_columns]`` gives, without an object array:
        this runs on every training batch, for the reward.
        """
        columns = self._numeric_columns
        out = np.empty((len(continuous), columns.size))
        out[:, np.searchsorted(columns, self.continuous)] = continuous
        n_single = self.categorical.size
        numbers = set(self.numeric_codes.tolist())
        for column, categories, code in zip(
            self.categorical, self.encoder.categories_[:n_single], codes[:n_single], strict=True
        ):
            if column in numbers:
                out[:, np.searchsorted(columns, column)] = categories[code].astype(np.float64)
        for group, values in self._group_columns(codes):
            out[:, np.searchsorted(columns, group)] = values
        return out

    def _group_columns(self, codes):
        """Yield each one-hot group's columns and their values from the group's codes."""
        n_single = self.categorical.size
        for group, (off, on), categories, code in zip(
            self.groups,
            self.group_values,
            self.encoder.categories_[n_single:],
            codes[n_single:],
            strict=True,
        ):
            chosen = categories[code].astype(np.intp)  # the column of the group that is on
            yield group, np.where(np.arange(len(group)) == chosen[:, None], on, off)

    def _decode(self, continuous, codes) -> np.ndarray:
        """Caller rows (an object array) from continuous values and category codes."""
        table = np.empty((len(continuous), self.n_features), dtype=object)
        table[:, self.continuous] = continuous
        n_single = self.categorical.size
        for column, categories, code in zip(
            self.categorical, self.encoder.categories_[:n_single], codes[:n_single], strict=True
        ):
            table[:, column] = categories[code]
        for group, values in self._group_columns(codes):
            table[:, group] = values
        return table
