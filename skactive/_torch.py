"""Device resolution, seeding and thread helpers shared by all torch code.

torch is imported only by the device and seed helpers: the thread helpers
wrap estimators that may never use torch (a scikit-learn classifier in the
active learner), and leave torch unloaded for them.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import itertools
import numbers
import sys
import threading
from typing import TYPE_CHECKING

from joblib import cpu_count

if TYPE_CHECKING:
    import torch

__all__ = ["check_device", "resolve_n_jobs", "seeded", "torch_threads", "uses_torch_threads"]

# Torch threads of the innermost active :func:`torch_threads` block (None outside
# any block). A context variable, so every Python thread starts outside.
_ACTIVE_THREADS: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "skactive_torch_threads", default=None
)


# The torch_threads blocks open in any Python thread, in the order they were
# entered: torch's thread count is process-wide, so one list decides it for all.
_LOCK = threading.Lock()
_OPEN_BLOCKS: dict[int, int] = {}  # block id -> torch threads it asked for
_BLOCK_IDS = itertools.count()
_CALLER_THREADS: list[int] = []  # torch's setting before the open blocks changed it


def _apply_threads() -> None:
    """Give torch the newest open block's threads, or the caller's back (under _LOCK).

    While torch is not loaded there is nothing to set; the first call that
    finds it loaded (a block opened or closed after something imported
    torch) records the caller's setting and applies the newest block's.
    """
    torch = sys.modules.get("torch")
    if torch is None:
        return
    if _OPEN_BLOCKS:
        if not _CALLER_THREADS:
            _CALLER_THREADS.append(torch.get_num_threads())
        wanted = next(reversed(_OPEN_BLOCKS.values()))
    elif _CALLER_THREADS:
        wanted = _CALLER_THREADS.pop()
    else:
        return
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)


def check_device(device) -> torch.device:
    """Return ``device`` as a :class:`torch.device`, with a clear error.

    Parameters
    ----------
    device : str or torch.device
        ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``...

    Returns
    -------
    device : torch.device

    Raises
    ------
    ValueError
        If the string is not a device name, or the device is not available
        on this machine.
    """
    import torch

    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a torch device name (e.g. 'cpu', 'cuda')."
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(cuda_unavailable_message(device))
    if resolved.type == "mps" and not torch.backends.mps.is_available():
        raise ValueError(f"device={device!r} was requested but MPS is not available.")
    return resolved


@contextlib.contextmanager
def seeded(seed: int, device: torch.device):
    """Run a block with torch's global RNG seeded, then restore its state.

    Module constructors draw their initial weights from torch's global
    generator; this context makes that draw reproducible without leaving the
    caller's global seed changed (``torch.random.fork_rng`` saves and restores
    it).

    Parameters
    ----------
    seed : int
        Seed for the block.
    device : torch.device
        Device whose CUDA generator is forked too when it is a GPU.
    """
    import torch

    devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(int(seed))
        yield


def cuda_unavailable_message(device) -> str:
    """Why ``device`` (a CUDA device) cannot be used here, and what to do.

    Tells a CPU-only torch build (``torch.version.cuda is None``, the wheel
    that ``requirements/cpu.txt`` installs) apart from a CUDA build that
    finds no GPU or driver.
    """
    import torch

    if torch.version.cuda is None:
        return (
            f"device={device!r} was requested but the installed torch "
            f"{torch.__version__} is a CPU-only build (torch.version.cuda is None). "
            "Install a CUDA build of torch (README, 'The two commands', or "
            "docs/install.rst, 'CPU or GPU PyTorch') or use device='cpu'."
        )
    return (
        f"device={device!r} was requested but torch {torch.__version__} (built for "
        f"CUDA {torch.version.cuda}) finds no usable GPU: torch.cuda.is_available() "
        "is False. Check nvidia-smi and that the driver supports this CUDA version, "
        "or use device='cpu'."
    )


def resolve_n_jobs(n_jobs) -> int:
    """Return the number of torch threads that ``n_jobs`` asks for.

    ``None`` means 1 (or, inside an enclosing :func:`torch_threads` block,
    that block's number), ``-1`` every core this process may use
    (:func:`joblib.cpu_count`, which respects CPU affinity and container
    limits), ``-2`` all but one, and so on; a positive number is taken as
    it is. The scikit-learn convention for ``n_jobs``, applied to torch's
    intra-op threads of this process (a joblib ``parallel_config`` does not
    change it: its backends count workers, possibly on other machines).

    Parameters
    ----------
    n_jobs : int or None

    Returns
    -------
    n_threads : int
        At least 1.

    Raises
    ------
    ValueError
        If ``n_jobs`` is 0 or not an integer.

    Examples
    --------
    >>> from skactive._torch import resolve_n_jobs
    >>> resolve_n_jobs(None), resolve_n_jobs(3)
    (1, 3)
    """
    if n_jobs is None:
        active = _ACTIVE_THREADS.get()
        return 1 if active is None else active
    if not isinstance(n_jobs, numbers.Integral) or isinstance(n_jobs, bool) or n_jobs == 0:
        raise ValueError(
            f"n_jobs must be None, a positive integer or a negative one (-1 = all "
            f"cores); got {n_jobs!r}."
        )
    if n_jobs < 0:
        return max(1, cpu_count() + 1 + int(n_jobs))
    return int(n_jobs)


@contextlib.contextmanager
def torch_threads(n_jobs):
    """Run a block with torch using ``resolve_n_jobs(n_jobs)`` intra-op threads.

    The caller's thread setting is restored on exit, whatever happens in the
    block. Blocks nest: an inner ``n_jobs=None`` keeps the outer block's
    number, so a learner's ``n_jobs`` reaches the strategy and the augmenter
    it runs unless they set their own.

    Why one thread by default: the nets trained here are small MLPs whose
    operations are too short to split well over threads. More threads rarely
    make such a fit faster, and when another process keeps a core busy,
    torch's threads wait for each other at every operation and a fit becomes
    much slower (see :ref:`user_guide_performance`).

    torch's thread count belongs to the process, so blocks open in several
    Python threads at once (``GridSearchCV`` under joblib's threading backend)
    share it: the newest open block's count applies, and the setting from
    before the first block comes back when the last one closes. The rows a
    seed gives do not depend on the thread count, only the speed does.

    A block leaves torch unloaded: while torch is not imported there is
    nothing to set. If torch is imported inside a block, the block's count
    applies from the next block that opens or closes.

    Parameters
    ----------
    n_jobs : int or None
        See :func:`resolve_n_jobs`.
    """
    n_threads = resolve_n_jobs(n_jobs)
    token = _ACTIVE_THREADS.set(n_threads)
    with _LOCK:
        block = next(_BLOCK_IDS)
        _OPEN_BLOCKS[block] = n_threads
        _apply_threads()
    try:
        yield n_threads
    finally:
        _ACTIVE_THREADS.reset(token)
        with _LOCK:
            del _OPEN_BLOCKS[block]
            _apply_threads()


def uses_torch_threads(method):
    """Decorate a method so that it runs inside ``torch_threads(self.n_jobs)``."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with torch_threads(self.n_jobs):
            return method(self, *args, **kwargs)

    return wrapper
