"""Query by committee (QBC): vote entropy, KL to the consensus, disagreement, variance."""

from __future__ import annotations

import numbers

import numpy as np
from scipy.special import xlogy
from sklearn.base import clone
from sklearn.utils import check_random_state, resample
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _num_samples

from .._seeds import draw_seed, seed_if_unset
from ._base import QueryStrategy, check_fitted_estimator, chunked_rows, predict_proba_of

MEASURES = ("vote_entropy", "kl_divergence", "disagreement_ratio", "variance")


def committee_disagreement(member_proba: np.ndarray, measure: str) -> np.ndarray:
    """Disagreement of a committee on each row (larger = more disagreement).

    Parameters
    ----------
    member_proba : ndarray of shape (n_members, n_samples, n_classes)
        Each member's class probabilities, columns aligned on one class list.
        Votes are each member's most probable class.
    measure : {"vote_entropy", "kl_divergence", "disagreement_ratio", "variance"}
        - ``"vote_entropy"``: ``-sum_c (v_c/N) log(v_c/N)``, ``v_c`` the votes for
          class ``c`` among ``N`` members (Dagan & Engelson 1995);
        - ``"kl_divergence"``: mean over members of ``KL(p_i || p_mean)``,
          the divergence to the consensus (McCallum & Nigam 1998);
        - ``"disagreement_ratio"``: ``1 - max_c v_c / N``;
        - ``"variance"``: ``(1/N) sum_i (p_i - p_mean)^2``, averaged over classes.

    Returns
    -------
    disagreement : ndarray of shape (n_samples,)

    References
    ----------
    .. [1] A. Saadallah, lecture "Generative Adversarial Networks and Active
       Learning", query-by-committee slides (vote entropy, KL divergence,
       disagreement ratio, variance).
    .. [2] B. Settles, "Active Learning Literature Survey", 2009, Sec. 3.2.

    Examples
    --------
    >>> import numpy as np
    >>> from skactive.query import committee_disagreement
    >>> p = np.array([[[0.9, 0.1]], [[0.2, 0.8]]])  # 2 members, 1 row
    >>> committee_disagreement(p, "disagreement_ratio")
    array([0.5])
    """
    member_proba = np.asarray(member_proba, dtype=np.float64)
    if member_proba.ndim != 3:
        raise ValueError("member_proba must have shape (n_members, n_samples, n_classes).")
    n_members, n_samples, n_classes = member_proba.shape
    if measure in ("vote_entropy", "disagreement_ratio"):
        votes = member_proba.argmax(axis=2)  # (n_members, n_samples)
        counts = np.zeros((n_samples, n_classes))
        for member_votes in votes:
            counts[np.arange(n_samples), member_votes] += 1
        share = counts / n_members
        if measure == "vote_entropy":
            return 0.0 - xlogy(share, share).sum(axis=1)
        return 1.0 - share.max(axis=1)
    consensus = member_proba.mean(axis=0)
    if measure == "kl_divergence":
        # xlogy(p, p) - xlogy(p, q): 0 log 0 = 0; q > 0 wherever some p_i > 0.
        kl = xlogy(member_proba, member_proba) - xlogy(member_proba, consensus[None])
        return kl.sum(axis=2).mean(axis=0)
    if measure == "variance":
        return ((member_proba - consensus[None]) ** 2).mean(axis=0).mean(axis=1)
    raise ValueError(f"measure must be one of {MEASURES}; got {measure!r}.")


class CommitteeQuery(QueryStrategy):
    """Query by committee: rows on which several models disagree most.

    The committee is refitted on the labeled set at every query (as in the
    active-learning loop of Seung et al.): either ``n_members`` copies of the
    task model on stratified bootstrap samples (bagging, Abe & Mamitsuka
    1998; stratified so every member sees every class), or the given list of
    estimators, each fitted on the whole labeled set. Member probabilities are
    aligned on the classes of ``y_labeled`` and scored by
    :func:`committee_disagreement`.

    Parameters
    ----------
    committee : list of estimators or None, default=None
        Committee members (unfitted; cloned). ``None`` bags the task model
        ``estimator`` ``n_members`` times.
    n_members : int, default=5
        Committee size when bagging.
    measure : {"vote_entropy", "kl_divergence", "disagreement_ratio", \
            "variance"}, default="vote_entropy"
        Disagreement measure, see :func:`committee_disagreement`.
    random_state : int, RandomState instance or None, default=None
        Seeds the bootstrap samples, members' unset ``random_state`` and the
        tie-breaking (vote counts tie often).

    References
    ----------
    .. [1] H. S. Seung, M. Opper, H. Sompolinsky, "Query by committee", COLT 1992.
    .. [2] N. Abe, H. Mamitsuka, "Query learning strategies using boosting and
       bagging", ICML 1998.
    .. [3] A. Saadallah, lecture "Generative Adversarial Networks and Active
       Learning", QBC slides.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skactive.query import CommitteeQuery
    >>> X, y = load_iris(return_X_y=True)
    >>> tree = DecisionTreeClassifier(random_state=0).fit(X[::5], y[::5])
    >>> qbc = CommitteeQuery(n_members=3, random_state=0)
    >>> qbc.query(X, estimator=tree, X_labeled=X[::5], y_labeled=y[::5], batch_size=2).shape
    (2,)
    """

    _needs_labeled = True
    _uses_labels = True
    _needs_estimator = False
    _parameter_constraints = {
        "committee": [list, None],
        "n_members": [Interval(numbers.Integral, 2, None, closed="left")],
        "measure": [StrOptions(set(MEASURES))],
        "random_state": ["random_state"],
    }

    def __init__(self, committee=None, *, n_members=5, measure="vote_entropy", random_state=None):
        self.committee = committee
        self.n_members = n_members
        self.measure = measure
        self.random_state = random_state

    def _fit_committee(self, estimator, X_labeled, y_labeled, rng):
        if self.committee is None:
            check_fitted_estimator(estimator)
            members = []
            for _ in range(self.n_members):
                X_boot, y_boot = resample(
                    X_labeled,
                    y_labeled,
                    stratify=y_labeled,
                    random_state=draw_seed(rng),
                )
                member = seed_if_unset(clone(estimator), rng)
                members.append(member.fit(X_boot, y_boot))
            return members
        if len(self.committee) < 2:
            raise ValueError(f"committee needs at least 2 members; got {len(self.committee)}.")
        return [seed_if_unset(clone(m), rng).fit(X_labeled, y_labeled) for m in self.committee]

    def _utilities(self, X_pool, estimator, X_labeled, y_labeled, batch_size):
        rng = check_random_state(self.random_state)
        classes = np.unique(y_labeled)
        members = self._fit_committee(estimator, X_labeled, y_labeled, rng)

        def score(X):
            aligned = np.zeros((len(members), _num_samples(X), len(classes)))
            for i, member in enumerate(members):
                columns = np.searchsorted(classes, member.classes_)
                aligned[i][:, columns] = predict_proba_of(member, X)
            return committee_disagreement(aligned, self.measure)

        return chunked_rows(score, X_pool)
