"""Device resolution and seeding helpers shared by all torch code."""

from __future__ import annotations

import contextlib

import torch

__all__ = ["check_device", "seeded"]


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
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"device={device!r} is not a torch device name (e.g. 'cpu', 'cuda')."
        ) from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available on this "
            "machine (torch.cuda.is_available() is False); use device='cpu'."
        )
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
    devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(int(seed))
        yield
