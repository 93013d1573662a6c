"""Results as data: what a benchmark run measured, with where and how it was measured.

A benchmark opens a :func:`recorded_run`; every table it prints through
``_common.print_table`` and every list of raw measurements it hands to
:func:`record` is stored, and when the run ends one JSON file is written to
``benchmarks/results/<name>.json`` with the run's provenance: the command,
the package version, the commit, the date, the machine, the seeds and the
wall time. The docs render their tables and figures from these files
(``docs/_ext/results_directives.py``), the README's results block is
rendered from them (``python benchmarks/render_results.py``), and the tests
check that the rendered text and the files agree.

This module needs only the standard library, so that the docs build and the
tests can read results without importing torch.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS_DIR = REPO / "benchmarks" / "results"
SCHEMA = 1
# every results file's provenance holds these keys
PROVENANCE_KEYS = (
    "command",
    "skactive_version",
    "commit",
    "dirty",
    "date",
    "machine",
    "seeds",
    "wall_time_s",
)
MACHINE_KEYS = ("platform", "python", "cpu", "cpu_count", "torch", "torch_threads", "gpu")

_ACTIVE = None  # the RunRecorder of the run in progress, if any


# Writing


class RunRecorder:
    """Collect the tables and raw records of one benchmark run."""

    def __init__(self, name, options, seeds):
        self.name = name
        self.options = options
        self.seeds = list(seeds)
        self.tables = {}
        self.records = {}

    def add_table(self, key, title, frame_text_rows, columns, index_name):
        """Store one printed table (its cells as the strings that were printed)."""
        key = _unique_key(key, self.tables)
        self.tables[key] = {
            "title": title,
            "index_name": index_name,
            "columns": columns,
            "rows": frame_text_rows,
        }
        return key

    def add_records(self, key, rows):
        """Store raw measurements: a list of flat dicts (one per fit, seed, set, ...)."""
        self.records.setdefault(key, []).extend(_jsonable(r) for r in rows)


def _unique_key(key, taken):
    if key not in taken:
        return key
    k = 2
    while f"{key}_{k}" in taken:
        k += 1
    return f"{key}_{k}"


def slug(text):
    """Return a file- and key-friendly form of ``text``: lower case, ``_`` between words."""
    out = "".join(c.lower() if c.isalnum() else "_" for c in text)
    return "_".join(filter(None, out.split("_")))


def active_run():
    """Return the recorder of the run in progress, or None."""
    return _ACTIVE


def record(key, rows):
    """Add raw measurements (a list of flat dicts) to the run in progress, if any."""
    if _ACTIVE is not None:
        _ACTIVE.add_records(key, rows)


def record_table(title, frame, key=None, formatters=None, float_format=None):
    """Store ``frame`` as printed (strings per cell) in the run in progress, if any."""
    if _ACTIVE is None:
        return None
    frame = frame.copy()
    index_name = " / ".join(str(n) for n in frame.index.names if n is not None) or ""
    columns = [_label(c) for c in frame.columns]
    rows = []
    for idx, (_, row) in zip(frame.index, frame.iterrows(), strict=True):
        cells = [_label(idx)]
        for column, value in row.items():
            fmt = (formatters or {}).get(column)
            cells.append(_cell(value, fmt, float_format))
        rows.append(cells)
    return _ACTIVE.add_table(key or slug(title)[:60], title, rows, columns, index_name)


def _label(value):
    if isinstance(value, tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _cell(value, fmt, float_format):
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if fmt is not None and not isinstance(value, str):
        return fmt(value)
    if isinstance(value, float) and float_format is not None:
        return float_format(value)
    if hasattr(value, "item") and not isinstance(value, str):  # NumPy scalars
        return _cell(value.item(), fmt, float_format)
    return str(value)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "tolist"):  # NumPy arrays and scalars
        return _jsonable(value.tolist())
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def git_commit():
    """Return ``(commit, dirty)`` of the checkout, or ``(None, None)`` outside git."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None, None
    changed = [line[3:] for line in status.splitlines()]
    # results files and docs do not change what a benchmark measures
    dirty = any(not p.startswith(("benchmarks/results/", "docs/")) for p in changed)
    return commit, dirty


def machine():
    """Describe the machine: platform, Python, CPU, core count, torch, its threads, GPU."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info = {
        "platform": platform.platform(terse=True),
        "python": platform.python_version(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS"),
        "torch": None,
        "torch_threads": None,
        "gpu": None,
    }
    torch = sys.modules.get("torch")
    if torch is not None:
        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
        if torch.cuda.is_available():
            info["gpu"] = torch.cuda.get_device_name(0)
    return info


def command_line(argv=None):
    """Return the command that ran, as a user would type it from the repository root."""
    argv = sys.argv if argv is None else argv
    script = Path(argv[0])
    with contextlib.suppress(ValueError):
        script = script.resolve().relative_to(REPO)
    return shlex.join(["python", str(script), *argv[1:]])


def default_path(name):
    """Return ``benchmarks/results/<name>.json``."""
    return RESULTS_DIR / f"{name}.json"


@contextlib.contextmanager
def recorded_run(name, options=None, *, seeds=(), path=None, argv=None):
    """Record a benchmark run and write its results file when it ends.

    Parameters
    ----------
    name : str
        The results file's name (``benchmarks/results/<name>.json``).
    options : dict, optional
        The run's options (e.g. ``vars(args)``), stored with the provenance.
    seeds : sequence of int
        The seeds the run used.
    path : str, path or False, optional
        Where to write; ``False`` writes nothing (the ``--quick`` smoke runs),
        None the default path.
    argv : list of str, optional
        The command line to record; default ``sys.argv``.

    Yields
    ------
    recorder : RunRecorder
        Tables printed through ``print_table`` and raw records passed to
        :func:`record` during the run are stored in it.
    """
    global _ACTIVE
    recorder = RunRecorder(name, _jsonable(dict(options or {})), seeds)
    commit, dirty = git_commit()  # the code that runs: read before the run starts
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    previous, _ACTIVE = _ACTIVE, recorder
    start = time.perf_counter()
    try:
        yield recorder
    finally:
        _ACTIVE = previous
    seconds = time.perf_counter() - start
    print(f"\ntotal wall time: {seconds:.0f} s")
    if path is False:
        return
    import skactive  # noqa: PLC0415 (after the run: the scaling benchmarks fork children)

    data = {
        "schema": SCHEMA,
        "name": name,
        "provenance": {
            "command": command_line(argv),
            "options": recorder.options,
            "skactive_version": skactive.__version__,
            "commit": commit,
            "dirty": dirty,
            "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            # other work on the machine as the run started: timings depend on it
            "machine": machine() | {"load_average_at_start": load},
            "seeds": recorder.seeds,
            "wall_time_s": round(seconds, 1),
        },
        "tables": recorder.tables,
        "records": recorder.records,
    }
    out = Path(path) if path else default_path(name)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    print(f"results: {out}")


def add_results_argument(parser):
    """Add ``--results PATH``: where the results file goes (default: benchmarks/results/)."""
    parser.add_argument(
        "--results",
        help="results file to write (default: benchmarks/results/<name>.json; "
        "--quick runs write none unless given)",
    )


def results_path(args):
    """Return the ``path`` for :func:`recorded_run` from the parsed ``--results``/``--quick``."""
    if getattr(args, "results", None):
        return args.results
    return False if getattr(args, "quick", False) else None


# Reading and rendering


def load(name_or_path):
    """Read a results file by name (``benchmarks/results/<name>.json``) or path."""
    path = Path(name_or_path)
    if path.suffix != ".json":
        path = default_path(str(name_or_path))
    return json.loads(path.read_text())


def provenance_problems(data):
    """Return what a results file's provenance lacks (an empty list when complete)."""
    prov = data.get("provenance", {})
    problems = [f"provenance.{k}" for k in PROVENANCE_KEYS if prov.get(k) in (None, "")]
    problems = [p for p in problems if p != "provenance.dirty" or "dirty" not in prov]
    machine_info = prov.get("machine") or {}
    problems += [f"provenance.machine.{k}" for k in MACHINE_KEYS if k not in machine_info]
    if not data.get("tables"):
        problems.append("tables")
    return problems


def table(data, key):
    """Return ``(title, header, rows)`` of one stored table."""
    t = data["tables"][key]
    return t["title"], [t["index_name"], *t["columns"]], t["rows"]


def describe_machine(m):
    """One line for a machine: cores, CPU, threads, GPU."""
    text = f"{m['cpu_count']}-core {m['cpu']}"
    if m.get("torch_threads"):
        text += f", {m['torch_threads']} torch thread{'s' if m['torch_threads'] > 1 else ''}"
    text += f", GPU: {m['gpu']}" if m.get("gpu") else ", no GPU"
    if m.get("load_average_at_start") is not None:
        text += f", load {m['load_average_at_start']:.1f} at the start"
    return text


def provenance_line(data):
    """One sentence saying how and where a results file was measured."""
    p = data["provenance"]
    # the commit stays in the file: the line is for readers of the docs
    modified = " (from a modified checkout)" if p.get("dirty") else ""
    return (
        f"`{p['command']}` — skactive {p['skactive_version']}{modified}, "
        f"{p['date'][:10]}, {describe_machine(p['machine'])}, "
        f"wall time {p['wall_time_s']:.0f} s"
    )


def markdown_table(data, key):
    """Render one stored table as a Markdown (GitHub) table."""
    _, header, rows = table(data, key)

    def esc(text):
        return str(text).replace("|", "\\|")

    lines = ["| " + " | ".join(esc(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def cell(data, key, row, column):
    """Return the printed cell of a stored table at ``row`` (index label) and ``column``."""
    _, header, rows = table(data, key)
    j = header.index(column)
    for r in rows:
        if r[0] == row:
            return r[j]
    raise KeyError(f"{row!r} not in table {key!r}")
