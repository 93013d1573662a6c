"""Parameter descriptions shared by several estimators, written once.

:func:`shared_docs` puts them into a class docstring, as imbalanced-learn's
``Substitution`` does, but by plain replacement of ``{name}`` markers, so a
docstring's other braces (sets, dicts) need no escaping.
"""

from __future__ import annotations

__all__ = ["DEVICE_DOC", "TORCH_N_JOBS_DOC", "QUERY_VERBOSE_DOC", "shared_docs"]

DEVICE_DOC = """\
device : str or torch.device, default="cpu"
        Torch device of the nets, e.g. ``"cuda"``."""

TORCH_N_JOBS_DOC = """\
n_jobs : int or None, default=None
        Torch threads of this estimator's computations: ``None`` means 1
        (or the enclosing learner's ``n_jobs``), ``-1`` all cores. One
        thread is the fastest for these small nets, above all on a busy
        machine (see :ref:`user_guide_performance`); under
        ``GridSearchCV(n_jobs=k)`` or on Dask each worker uses its own
        ``n_jobs`` threads. torch's global setting is restored afterwards."""

QUERY_VERBOSE_DOC = """\
verbose : int, default=0
        When > 0, each training phase shows its progress on stderr (a bar
        with ETA on a terminal, a few plain lines otherwise)."""


def shared_docs(**snippets):
    """Class decorator: replace each ``{name}`` in the docstring by ``snippets[name]``.

    A snippet's first line takes the marker's place and indentation; its
    other lines are written for the numpydoc ``Parameters`` section of a
    class (8 spaces). Under ``python -OO`` there is no docstring, and
    nothing is done.
    """

    def decorate(cls):
        if cls.__doc__:
            doc = cls.__doc__
            for name, text in snippets.items():
                marker = "{" + name + "}"
                if marker not in doc:
                    raise ValueError(f"{cls.__name__}'s docstring has no {marker}.")
                doc = doc.replace(marker, text)
            cls.__doc__ = doc
        return cls

    return decorate
