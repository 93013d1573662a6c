"""Smoke test of an installed skactive (run from outside the source tree by ``make wheel-smoke``).

Imports the package, resamples, queries and fits a learner, and checks that the
package was imported from site-packages, not from a checkout.
"""

import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC

import skactive
from skactive import ActiveGANAugmenter, ActiveLearningClassifier
from skactive.datasets import default_data_home
from skactive.query import UncertaintyQuery


def main():
    """Import, resample, query and fit; fail on an installation from a checkout."""
    where = Path(skactive.__file__).resolve()
    assert "site-packages" in where.parts, f"skactive imported from {where}, not an installation"
    assert "site-packages" not in default_data_home().parts, default_data_home()

    X, y = load_digits(return_X_y=True)
    X, y = X[:300], y[:300]
    X_res, y_res = ActiveGANAugmenter(max_iter=20, n_warmup_iter=5, random_state=0).fit_resample(
        X[y < 3], y[y < 3]
    )
    assert len(X_res) >= (y < 3).sum() and np.isfinite(X_res).all()

    model = LogisticRegression(max_iter=1000).fit(X[:100], y[:100])
    picked = UncertaintyQuery("margin").query(X[100:], estimator=model, batch_size=5)
    assert len(set(picked)) == 5

    learner = ActiveLearningClassifier(
        SVC(), n_initial=30, batch_size=10, budget=20, random_state=0
    )
    learner.fit(X, y)
    assert learner.history_[-1]["n_labeled"] == 50

    print(
        f"skactive {skactive.__version__} from {where.parent}: import, fit_resample, query, fit OK"
    )


if __name__ == "__main__":
    main()
    sys.exit(0)
