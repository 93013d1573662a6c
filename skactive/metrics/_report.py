"""Per-class report: synthetic rows next to a real sample of the same size."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array, check_consistent_length, column_or_1d

from .._seeds import draw_seed
from .._validation import check_count
from ._fidelity import (
    classifier_two_sample_auc,
    distance_to_closest_record,
    precision_recall_density_coverage,
)

__all__ = ["class_probability", "synthetic_quality_report"]


def class_probability(classifier, X, y):
    """Mean probability a fitted classifier gives each row's own label, per label.

    "Class-likeness": rows generated for class ``c`` should get about the
    probability of class ``c`` that real rows of ``c`` get.

    Parameters
    ----------
    classifier : fitted classifier with ``predict_proba`` and ``classes_``
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Labels among ``classifier.classes_``.

    Returns
    -------
    probability : dict
        ``{label: mean P(label | x) over the rows labeled so}``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skactive.metrics import class_probability
    >>> X, y = np.array([[0.0], [1.0], [9.0], [10.0]]), np.array([0, 0, 1, 1])
    >>> p = class_probability(LogisticRegression().fit(X, y), X, y)
    >>> sorted(p) == [0, 1] and min(p.values()) > 0.9
    True
    """
    y = column_or_1d(y)
    check_consistent_length(X, y)
    proba = classifier.predict_proba(X)
    classes = list(classifier.classes_)
    unknown = set(np.unique(y).tolist()) - set(classes)
    if unknown:
        raise ValueError(f"y holds labels the classifier was not fitted on: {sorted(unknown)}.")
    return {label: float(proba[y == label, classes.index(label)].mean()) for label in np.unique(y)}


def _draw(X, n, rng):
    return X if X.shape[0] <= n else X[rng.choice(X.shape[0], n, replace=False)]


def synthetic_quality_report(
    X_train,
    y_train,
    X_test,
    y_test,
    X_synthetic,
    y_synthetic,
    *,
    classifier=None,
    k=5,
    max_rows=10_000,
    random_state=None,
):
    """How good synthetic rows are, per class, next to what real rows get.

    For each class ``c`` of ``y_synthetic``, the synthetic rows of ``c`` and,
    as the reference, the training rows of ``c`` are each compared with the
    held-out (test) rows of ``c``. Both sides are drawn down to the same size
    ``m = min(n_synthetic_c, n_train_c)``, so the reference is "a real sample
    of the same size": a synthetic set is as good as real when its numbers
    match the ``*_real`` ones. ``max_rows`` caps ``m`` and the test rows of a
    class (a seeded draw): the k-NN metrics cost time in proportion to the
    product of the two sides' sizes.

    Per class:

    - ``precision``, ``recall``, ``density``, ``coverage`` against the test
      rows (:func:`precision_recall_density_coverage`, with
      ``k_used = min(k, m - 1, n_test_c - 1)``), and ``*_real`` for the
      training rows;
    - ``c2st_auc`` / ``c2st_auc_real``: classifier two-sample AUC against the
      test rows (:func:`classifier_two_sample_auc`; 0.5 = indistinguishable);
    - ``dcr`` / ``dcr_real``: median distance to the closest *training* row of
      ``c`` of the synthetic rows / of the test rows
      (:func:`distance_to_closest_record`); ``dcr < dcr_real`` means the
      synthetic rows sit closer to the training rows than new real rows do
      (copying);
    - ``p_class`` / ``p_class_real``: mean probability of ``c`` that a
      classifier fitted on the training rows gives the synthetic rows / the
      test rows of ``c`` (:func:`class_probability`).

    Parameters
    ----------
    X_train, y_train : array-like
        Rows the generator was trained on.
    X_test, y_test : array-like
        Held-out real rows (not seen by the generator).
    X_synthetic, y_synthetic : array-like
        Generated rows and the labels they were generated for.
    classifier : classifier or None, default=None
        Cloned and fitted on ``(X_train, y_train)`` for ``p_class``; ``None``:
        ``HistGradientBoostingClassifier`` seeded from ``random_state``.
    k : int, default=5
    max_rows : int, default=10_000
        At most this many rows per side and class (Naeem et al. use 10,000).
    random_state : int, RandomState instance or None, default=None
        Seeds the draws and the default classifiers.

    Returns
    -------
    report : dict
        ``{class: {metric: float}}`` with the keys above plus ``n_synthetic``,
        ``n_train``, ``n_test``, ``m`` and ``k_used``. Metrics that the class
        is too small for (fewer than 2 rows on a side) are NaN.

    See Also
    --------
    skactive.metrics.precision_recall_density_coverage : The k-NN manifold metrics.
    skactive.metrics.classifier_two_sample_auc : Real-versus-synthetic AUC.
    skactive.metrics.distance_to_closest_record : The copying check.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.metrics import synthetic_quality_report
    >>> rng = np.random.RandomState(0)
    >>> X, y = rng.normal(size=(300, 2)), np.repeat([0, 1], 150)
    >>> X[y == 1] += 4
    >>> X_train, y_train, X_test, y_test = X[::2], y[::2], X[1::2], y[1::2]
    >>> copies = X_train[y_train == 0] + 0.01  # noisy copies of training rows
    >>> report = synthetic_quality_report(X_train, y_train, X_test, y_test,
    ...                                   copies, np.zeros(len(copies), int), random_state=0)
    >>> r = report[0]
    >>> r["dcr"] < r["dcr_real"]  # the copying check catches them
    True
    """
    X_train = check_array(X_train, dtype=np.float64, input_name="X_train")
    X_test = check_array(X_test, dtype=np.float64, input_name="X_test")
    X_synthetic = check_array(X_synthetic, dtype=np.float64, input_name="X_synthetic")
    y_train, y_test, y_synthetic = (column_or_1d(v) for v in (y_train, y_test, y_synthetic))
    for X, y, name in (
        (X_train, y_train, "train"),
        (X_test, y_test, "test"),
        (X_synthetic, y_synthetic, "synthetic"),
    ):
        check_consistent_length(X, y)
        if X.shape[1] != X_train.shape[1]:
            raise ValueError(
                f"X_{name} has {X.shape[1]} features but X_train has {X_train.shape[1]}."
            )
    check_count(k, "k")
    check_count(max_rows, "max_rows", minimum=2)
    rng = check_random_state(random_state)
    if classifier is None:
        classifier = HistGradientBoostingClassifier(random_state=draw_seed(rng))
    fitted = clone(classifier).fit(X_train, y_train)
    p_synthetic = class_probability(fitted, X_synthetic, y_synthetic)
    p_test = class_probability(fitted, X_test, y_test)

    report = {}
    for label in np.unique(y_synthetic):
        synthetic = X_synthetic[y_synthetic == label]
        train, test = X_train[y_train == label], X_test[y_test == label]
        test = _draw(test, max_rows, rng)
        m = min(synthetic.shape[0], train.shape[0], max_rows)
        row = {
            "n_synthetic": synthetic.shape[0],
            "n_train": train.shape[0],
            "n_test": test.shape[0],
            "m": m,
            "p_class": p_synthetic[label],
            "p_class_real": p_test.get(label, np.nan),
        }
        k_used = min(k, m - 1, test.shape[0] - 1)
        row["k_used"] = k_used
        syn_m, train_m = _draw(synthetic, m, rng), _draw(train, m, rng)
        for suffix, sample in (("", syn_m), ("_real", train_m)):
            if k_used >= 1:
                scores = precision_recall_density_coverage(test, sample, k=k_used)
            else:
                scores = dict.fromkeys(("precision", "recall", "density", "coverage"), np.nan)
            row.update({f"{name}{suffix}": value for name, value in scores.items()})
            folds = min(5, sample.shape[0], test.shape[0])
            row[f"c2st_auc{suffix}"] = (
                classifier_two_sample_auc(test, sample, cv=folds, random_state=rng)
                if folds >= 2
                else np.nan
            )
        if train.shape[0] and test.shape[0]:
            row["dcr"] = float(np.median(distance_to_closest_record(train, synthetic)))
            row["dcr_real"] = float(np.median(distance_to_closest_record(train, test)))
        else:
            row["dcr"] = row["dcr_real"] = np.nan
        report[label.item() if hasattr(label, "item") else label] = row
    return report
