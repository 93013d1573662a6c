"""Progress output a person can read: one bar per fit or query, named losses.

Everything goes to ``sys.stderr``: on a terminal one tqdm bar with the total
and an ETA; when stderr is a file or a pipe (a log, CI) no bar but ten plain
lines, so a log gets a few lines, not thousands of carriage returns. Neither
uses colour codes.
"""

from __future__ import annotations

import math
import sys
import time

from skorch.callbacks import Callback
from tqdm import tqdm

__all__ = ["GANProgress", "Progress", "progress_range"]

# Progress lines per fit when stderr is not a terminal.
_LOG_LINES = 10


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Progress:
    """Progress of one fit or query: a bar on a terminal, plain lines otherwise.

    On a terminal, one tqdm bar shows the steps done, the total, the rate,
    the ETA and the latest named ``values``. With ``n_lines > 0`` -- and
    always when stderr is not a terminal, where a bar would fill a log with
    carriage returns -- ``n_lines`` (at least 10) plain lines give the step,
    the elapsed time, the ETA and the mean of each value over the steps since
    the previous line. No colour codes.

    Parameters
    ----------
    total : int
        Number of steps.
    desc : str
        Name shown before the bar and the lines (the estimator's class name).
    n_lines : int, default=0
        Summary lines on a terminal.
    """

    def __init__(self, total, desc, *, n_lines=0):
        terminal = _is_terminal(sys.stderr)
        self.total = int(total)
        self.desc = desc
        self.bar = None
        if terminal:
            self.bar = tqdm(total=self.total, desc=desc, file=sys.stderr, dynamic_ncols=True)
        n_lines = n_lines if terminal else max(n_lines, _LOG_LINES)
        self.every = max(1, math.ceil(self.total / n_lines)) if n_lines else 0
        self.sums, self.count, self.done = {}, 0, 0
        self.start = time.perf_counter()

    def update(self, values=None):
        """One step done; ``values``: ``{name: number}`` to show (optional)."""
        values = values or {}
        for name, value in values.items():
            self.sums[name] = self.sums.get(name, 0.0) + float(value)
        self.count += 1
        self.done += 1
        if self.bar is not None:
            if values:
                self.bar.set_postfix({k: f"{v:.3g}" for k, v in values.items()}, refresh=False)
            self.bar.update(1)
        if self.every and (self.done % self.every == 0 or self.done == self.total):
            self._write_line()

    def _write_line(self):
        means = "".join(f"  {name} {total / self.count:.4g}" for name, total in self.sums.items())
        elapsed = time.perf_counter() - self.start
        eta = elapsed / self.done * max(self.total - self.done, 0)
        tqdm.write(
            f"[{self.desc}] {self.done}/{self.total} ({100 * self.done / self.total:.0f}%)"
            f"{means}  {elapsed:.1f} s, ETA {eta:.1f} s",
            file=sys.stderr,
        )
        self.sums, self.count = {}, 0

    def close(self):
        if self.bar is not None:
            self.bar.close()


def progress_range(n, desc, *, enabled):
    """``range(n)``, reported through :class:`Progress` when ``enabled``."""
    if not enabled:
        yield from range(n)
        return
    progress = Progress(n, desc)
    try:
        for step in range(n):
            yield step
            progress.update()
    finally:
        progress.close()


# Names of the ActiveGAN net's per-batch records, as shown to the user.
_GAN_COLUMNS = (
    ("d_loss", "D loss"),  # discriminator, Eq. 4 (minimised form)
    ("g_loss", "G loss"),  # generator: Eq. 5 + lam * U
    ("u_loss", "U"),  # uncertainty term, Eq. 9-10 (0 before warm-up ends)
    ("reward", "reward"),  # batch-mean reward, Eq. 8 (0 when not computed)
)


class GANProgress(Callback):
    """skorch callback reporting a GAN fit through :class:`Progress`.

    The values shown are the net's per-batch records under readable names:
    ``D loss`` (discriminator, Eq. 4), ``G loss`` (generator, Eq. 5 plus
    ``lam * U``), ``U`` (the uncertainty term, Eq. 9-10, 0 before the
    warm-up ends) and the mean ``reward`` (Eq. 8, 0 when not computed).

    Parameters
    ----------
    total : int
        Training iterations of the fit.
    desc : str, default="ActiveGANAugmenter"
    n_lines : int, default=0
        Summary lines per fit on a terminal.
    """

    def __init__(self, total, desc="ActiveGANAugmenter", n_lines=0):
        self.total = total
        self.desc = desc
        self.n_lines = n_lines

    def on_train_begin(self, net, **kwargs):
        self.progress_ = Progress(self.total, self.desc, n_lines=self.n_lines)

    def on_batch_end(self, net, **kwargs):
        latest = net.history[-1, "batches", -1]
        self.progress_.update({name: latest.get(key, 0.0) for key, name in _GAN_COLUMNS})

    def on_train_end(self, net, **kwargs):
        self.progress_.close()
