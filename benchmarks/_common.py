"""How the benchmark scripts run and print: command line, clocks, child processes, tables.

The scripts run as ``python benchmarks/<name>.py``, which puts this folder first
on ``sys.path``, and import from here with ``from _common import ...``; what
they evaluate (data, sampler settings, the paper's SVM, scores) is in
``_evaluation``. This module imports only NumPy and pandas: the scaling
benchmarks report each child process's ``ru_maxrss``, which starts at the
resident size of the parent it was forked from.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd
from _results import (
    add_results_argument,
    record,
    record_table,
    recorded_run,
    results_path,
    slug,
)

# Command line and clocks


def benchmark_parser(doc, quick_help=None):
    """Return an argument parser described by the first line of ``doc``.

    With ``quick_help``, the parser has the ``--quick`` flag with that help.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    add_results_argument(parser)
    if quick_help is not None:
        parser.add_argument("--quick", action="store_true", help=quick_help)
    return parser


def add_data_home(parser):
    """Add ``--data-home``, the folder that holds the local data sets."""
    parser.add_argument("--data-home", help="default: skactive.datasets.default_data_home()")


def use_data_home(args):
    """Make ``--data-home`` the loaders' default (``$SKACTIVE_DATA``) for this process."""
    if getattr(args, "data_home", None):
        os.environ["SKACTIVE_DATA"] = str(args.data_home)


def iterations(value):
    """Parse a ``--max-iter`` value: an int, or ``"auto"`` (ActiveGANAugmenter's max_iter)."""
    return value if value == "auto" else int(value)


def add_paper_gan_arguments(parser):
    """Add the paper protocol's GAN options, ``--extra`` to ``--warmup``."""
    parser.add_argument(
        "--extra",
        type=float,
        default=0.5,
        help="rows added per class, as a fraction of its labeled count",
    )
    parser.add_argument("--lam", type=float, default=1.0)
    parser.add_argument("--alpha", type=float, default=0.5)
    parser.add_argument(
        "--max-iter",
        type=iterations,
        default=1500,
        help="an int, or 'auto' (ActiveGANAugmenter(max_iter='auto'))",
    )
    parser.add_argument("--warmup", type=int, default=500)


def add_adversarial_loss_argument(parser, default):
    """Add ``--adversarial-loss``: ``gan_params={"adversarial_loss": ...}``."""
    parser.add_argument(
        "--adversarial-loss",
        choices=["bce", "wasserstein"],
        default=default,
        help="ActiveGANAugmenter's gan_params adversarial_loss; default: the package's",
    )


def add_generator_arguments(parser, defaults):
    """Add the generator options that became package defaults over time, and the loss.

    ``--ema-decay``, ``--mode-seeking``, ``--twin-auxiliary``,
    ``--adversarial-loss`` and ``--uncertainty-gradient`` default to
    ``defaults`` (the package's ``gan_params`` defaults). ``gan_options(args)``
    turns them into ``ActiveGANAugmenter``'s ``gan_params``.
    """
    parser.add_argument(
        "--ema-decay",
        type=lambda v: None if v == "none" else float(v),
        default=defaults["ema_decay"],
        help="gan_params ema_decay, 'none' for no weight average; default: the package's",
    )
    parser.add_argument(
        "--mode-seeking",
        type=float,
        default=defaults["mode_seeking"],
        help="gan_params mode_seeking; default: the package's",
    )
    parser.add_argument(
        "--twin-auxiliary",
        choices=["on", "off"],
        default="on" if defaults["twin_auxiliary"] else "off",
        help="gan_params twin_auxiliary; default: the package's",
    )
    parser.add_argument(
        "--uncertainty-gradient",
        choices=["pathwise", "score_function"],
        default=defaults["uncertainty_gradient"],
        help="gan_params uncertainty_gradient; default: the package's",
    )
    add_adversarial_loss_argument(parser, defaults["adversarial_loss"])


def gan_options(args):
    """Return the :func:`add_generator_arguments` options as ``gan_params``."""
    return dict(
        ema_decay=args.ema_decay,
        mode_seeking=args.mode_seeking,
        twin_auxiliary=args.twin_auxiliary == "on",
        uncertainty_gradient=args.uncertainty_gradient,
        adversarial_loss=args.adversarial_loss,
    )


def augmenter(**params):
    """``ActiveGANAugmenter(**params)``, where ``gan_params`` options may be given by name.

    The benchmarks' variants read as one flat list of settings; the options
    of ``gan_params`` among them are moved into it.
    """
    from skactive import ActiveGANAugmenter
    from skactive.augment._gan_params import GAN_PARAMS_DEFAULTS

    options = {key: params.pop(key) for key in list(params) if key in GAN_PARAMS_DEFAULTS}
    if options:
        params["gan_params"] = {**(params.get("gan_params") or {}), **options}
    return ActiveGANAugmenter(**params)


class Stopwatch:
    """Time a ``with`` block: ``seconds`` holds its wall time once the block ends."""

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc_info):
        self.seconds = time.perf_counter() - self._start


def recorded(args, name, seeds=()):
    """Record the run as ``benchmarks/results/<name>.json`` (see ``_results.recorded_run``).

    ``--results PATH`` writes elsewhere; a ``--quick`` run writes nothing
    unless ``--results`` is given. The wall time is printed as the last line.
    """
    return recorded_run(name, vars(args), seeds=seeds, path=results_path(args))


def repeat_times(function, repeats):
    """Call ``function()`` ``repeats`` times; return the seconds of each call."""
    times = []
    for _ in range(repeats):
        with Stopwatch() as clock:
            function()
        times.append(clock.seconds)
    return times


# Child processes


def run_child(code, *argv):
    """Run ``python -c code *argv`` in a fresh process; return the JSON object it prints last.

    The process runs in the temporary folder (its ``import skactive`` is the
    caller's, not a ``skactive`` folder in the working directory) with one
    OpenMP thread unless ``OMP_NUM_THREADS`` says otherwise. A failed process
    gives ``{"error": <its last line on stderr>}``.
    """
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, argv)],
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")},
        check=False,
        cwd=tempfile.gettempdir(),
    )
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["?"])[-1][:160]}
    return json.loads(out.stdout.strip().splitlines()[-1])


# Tables


def mean_std(values, decimals=2):
    """Format the mean and the standard deviation of ``values`` as ``"mean +- std"``."""
    return f"{np.mean(values):.{decimals}f} +- {np.std(values):.{decimals}f}"


def print_table(frame, decimals=2, column_decimals=None, *, title=None, key=None):
    """Print every row and column of ``frame``, under ``title`` when given.

    Floats get ``decimals`` decimals, or those ``column_decimals`` gives their
    column; missing cells print blank. In a :func:`_results.recorded_run` the
    table is stored in the results file as printed (``key``: its name there,
    default from the title).
    """
    formatters = {column: f"{{:.{d}f}}".format for column, d in (column_decimals or {}).items()}
    float_format = f"{{:.{decimals}f}}".format
    text = frame.to_string(
        formatters=formatters,
        float_format=float_format,
        na_rep="",
        sparsify=False,
    )
    if title is not None:
        print(f"\n{title}")
    print(text)
    record_table(title or key or "table", frame, key, formatters, float_format)


# the scores of a (macro-F1, balanced accuracy[, ROC AUC]) tuple, in order
SCORE_NAMES = ("macro-F1", "balanced accuracy", "ROC AUC")


def score_cell(scores, metric):
    """Format one sampler's scores on one data set: ``"mean +- std"`` or ``"crash k/n"``.

    ``scores`` holds a ``(macro-F1, balanced accuracy[, ROC AUC])`` tuple per
    fold or seed, None where the sampler raised; ``metric`` indexes
    ``SCORE_NAMES``.
    """
    crashes = sum(s is None for s in scores)
    if crashes:
        return f"crash {crashes}/{len(scores)}"
    return mean_std([s[metric] for s in scores], decimals=1)


def print_score_tables(title, rows):
    """Print a table per score: a row per data set, a column per sampler.

    ``rows`` maps a data set to ``{sampler: scores}`` (as :func:`score_cell`
    takes them). The scores are macro-F1 and balanced accuracy, and the ROC
    AUC where every score tuple carries a third value. Below the sets: each
    sampler's mean over the sets where it never crashed (with their count)
    and, with a ``none`` column, on how many of them it beats ``none``. Column
    names are cut to 12 characters.
    """
    names = list(dict.fromkeys(n for r in rows.values() for n in r))
    scored = (len(s) for r in rows.values() for v in r.values() for s in v if s is not None)
    n_scores = min(scored, default=2)  # every fit crashed: the two tables of crashes
    for metric, metric_name in enumerate(SCORE_NAMES[:n_scores]):
        means = {n: {} for n in names}  # sampler -> {data set: mean}, where it never crashed
        for data, r in rows.items():
            for n, scores in r.items():
                if all(s is not None for s in scores):
                    means[n][data] = np.mean([s[metric] for s in scores])
        table = {data: {n: score_cell(r[n], metric) for n in r} for data, r in rows.items()}
        table["mean over sets"] = {
            n: f"{np.mean(list(m.values())):.1f} ({len(m)})" if m else "-" for n, m in means.items()
        }
        if "none" in names:
            table["sets above none"] = {
                n: sum(v > means["none"][data] for data, v in m.items()) for n, m in means.items()
            }
        frame = pd.DataFrame(list(table.values()), index=list(table), columns=names)
        frame.index.name = "data set"
        print_table(
            frame,
            title=f"{title}: {metric_name} (%), mean +- std",
            key=f"{slug(title)}_{slug(metric_name)}",
        )
    record(
        slug(title),
        [
            {"data set": data, "sampler": n, "repeat": i, "crashed": s is None}
            | ({} if s is None else dict(zip(SCORE_NAMES, map(float, s), strict=False)))
            for data, r in rows.items()
            for n, scores in r.items()
            for i, s in enumerate(scores)
        ],
    )
