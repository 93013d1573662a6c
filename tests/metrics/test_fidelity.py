import numpy as np
import pytest
import sklearn
from scipy.spatial.distance import cdist

from skactive.metrics import (
    class_probability,
    classifier_two_sample_auc,
    distance_to_closest_record,
    precision_recall_density_coverage,
    synthetic_quality_report,
)


def brute_force(real, fake, k):
    """Naeem et al.'s definitions written out on the full distance matrices."""
    d_rr, d_ff, d_fr = cdist(real, real), cdist(fake, fake), cdist(fake, real)
    r = np.sort(d_rr, axis=1)[:, k]  # column 0 is the row itself
    s = np.sort(d_ff, axis=1)[:, k]
    inside = d_fr <= r[None, :]
    return {
        "precision": inside.any(axis=1).mean(),
        "recall": (d_fr.T <= s[None, :]).any(axis=1).mean(),
        "density": inside.sum(axis=1).mean() / k,
        "coverage": (d_fr.min(axis=0) <= r).mean(),
    }


@pytest.mark.parametrize("shift", [0.0, 0.7])
def test_chunked_metrics_equal_the_definitions(shift):
    rng = np.random.RandomState(0)
    real, fake = rng.normal(size=(300, 4)), rng.normal(size=(250, 4)) + shift
    with sklearn.config_context(working_memory=0.1):  # forces many row blocks
        chunked = precision_recall_density_coverage(real, fake, k=5)
    for name, value in brute_force(real, fake, 5).items():
        assert chunked[name] == pytest.approx(value, abs=1e-12), name


def test_metrics_tell_good_collapsed_and_stray_rows_apart():
    rng = np.random.RandomState(1)
    real = rng.normal(size=(400, 3))
    same = precision_recall_density_coverage(real, rng.normal(size=(400, 3)))
    collapsed = precision_recall_density_coverage(real, 0.05 * rng.normal(size=(400, 3)))
    stray = precision_recall_density_coverage(real, rng.normal(size=(400, 3)) + 10)
    assert same["coverage"] > 0.9 and same["recall"] > 0.9 and 0.8 < same["density"] < 1.2
    # collapsed onto the centre: realistic (precise, dense) but not diverse
    assert collapsed["precision"] == 1.0 and collapsed["density"] > same["density"]
    assert collapsed["coverage"] < 0.3 and collapsed["recall"] < 0.3
    assert stray == {"precision": 0.0, "recall": 0.0, "density": 0.0, "coverage": 0.0}


def test_metric_input_errors():
    X = np.zeros((10, 2))
    with pytest.raises(ValueError, match="k must be"):
        precision_recall_density_coverage(X, X, k=0)
    with pytest.raises(ValueError, match="lower k"):
        precision_recall_density_coverage(X, X[:5], k=5)
    with pytest.raises(ValueError, match="X_synthetic has 3"):
        precision_recall_density_coverage(X, np.zeros((10, 3)))
    with pytest.raises(ValueError, match="NaN"):
        distance_to_closest_record(X, np.full((2, 2), np.nan))
    with pytest.raises(ValueError, match="cv=5"):
        classifier_two_sample_auc(X, X[:3])


def test_distance_to_closest_record_flags_copies():
    rng = np.random.RandomState(0)
    train, held_out = rng.normal(size=(200, 5)), rng.normal(size=(50, 5))
    copies = train[:50] + 1e-3
    assert np.median(distance_to_closest_record(train, copies)) < 0.01
    assert np.median(distance_to_closest_record(train, held_out)) > 0.5


def test_two_sample_auc():
    rng = np.random.RandomState(0)
    real = rng.normal(size=(400, 3))
    same = classifier_two_sample_auc(real, rng.normal(size=(400, 3)), random_state=0)
    assert abs(same - 0.5) < 0.1
    assert classifier_two_sample_auc(real, 0.3 * rng.normal(size=(400, 3)), random_state=0) > 0.8
    small = classifier_two_sample_auc(real, real + 1, max_rows=50, random_state=0)
    assert small == classifier_two_sample_auc(real, real + 1, max_rows=50, random_state=0)


def test_class_probability():
    from sklearn.linear_model import LogisticRegression

    X, y = np.r_[np.zeros(20), np.ones(20) * 5][:, None], np.repeat([3, 7], 20)
    clf = LogisticRegression().fit(X, y)
    p = class_probability(clf, X, y)
    assert set(p) == {3, 7} and min(p.values()) > 0.9
    with pytest.raises(ValueError, match="not fitted on"):
        class_probability(clf, X, np.full(40, 5))


def split_blobs(seed=0):
    rng = np.random.RandomState(seed)
    X = np.r_[rng.normal(size=(400, 3)), rng.normal(size=(100, 3)) + 3]
    y = np.r_[np.zeros(400, int), np.ones(100, int)]
    order = rng.permutation(len(y))
    X, y = X[order], y[order]
    return X[::2], y[::2], X[1::2], y[1::2], rng


def test_report_puts_real_samples_next_to_synthetic_ones():
    X_tr, y_tr, X_te, y_te, rng = split_blobs()
    # "synthetic" rows that are a fresh real sample: as good as the reference
    fresh = np.r_[rng.normal(size=(150, 3)) + 3]
    good = synthetic_quality_report(
        X_tr, y_tr, X_te, y_te, fresh, np.ones(150, int), random_state=0
    )[1]
    assert good["m"] == good["n_train"] < 150 and good["k_used"] == 5
    assert good["coverage"] >= 0.8 * good["coverage_real"]
    assert good["dcr"] >= 0.8 * good["dcr_real"]
    assert good["p_class"] >= 0.5 * good["p_class_real"]
    # collapsed onto the class mean: coverage falls, copying check is not fooled
    collapsed = 3 + 0.05 * rng.normal(size=(150, 3))
    bad = synthetic_quality_report(
        X_tr, y_tr, X_te, y_te, collapsed, np.ones(150, int), random_state=0
    )[1]
    assert bad["coverage"] < 0.5 * bad["coverage_real"]
    assert bad["c2st_auc"] > bad["c2st_auc_real"]
    # majority-looking rows labeled as the minority: class-likeness catches it
    wrong = rng.normal(size=(150, 3))
    assert (
        synthetic_quality_report(X_tr, y_tr, X_te, y_te, wrong, np.ones(150, int), random_state=0)[
            1
        ]["p_class"]
        < 0.2
    )


def test_report_on_a_class_too_small_for_the_metrics():
    X_tr, y_tr, X_te, y_te, _ = split_blobs()
    keep = (y_te == 0) | (np.cumsum(y_te == 1) <= 1)  # a single test row of class 1
    report = synthetic_quality_report(
        X_tr,
        y_tr,
        X_te[keep],
        y_te[keep],
        X_tr[y_tr == 1] + 0.1,
        np.ones(int((y_tr == 1).sum()), int),
        random_state=0,
    )
    row = report[1]
    assert row["n_test"] == 1 and row["k_used"] == 0
    assert np.isnan(row["coverage"]) and np.isnan(row["c2st_auc"])
    assert np.isfinite(row["dcr"]) and np.isfinite(row["p_class"])


def test_report_caps_the_rows_it_compares():
    X_tr, y_tr, X_te, y_te, rng = split_blobs()
    fresh = rng.normal(size=(150, 3)) + 3
    row = synthetic_quality_report(
        X_tr, y_tr, X_te, y_te, fresh, np.ones(150, int), max_rows=20, random_state=0
    )[1]
    assert row["m"] == 20 and row["n_test"] == 20 and row["k_used"] == 5
    with pytest.raises(ValueError, match="max_rows"):
        synthetic_quality_report(X_tr, y_tr, X_te, y_te, fresh, np.ones(150, int), max_rows=1)
