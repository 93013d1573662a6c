"""Sphinx directives that render benchmark results files into the docs at build time.

``.. results-table:: NAME KEY``
    The table ``KEY`` of ``benchmarks/results/NAME.json``, as the benchmark printed it,
    under its title, followed by the provenance line (command, version, commit, date,
    machine, wall time). ``KEY`` may be ``summary`` (imbalanced runs), ``compared``
    (a run of chosen samplers next to the default rows at the same seeds) or ``shape``
    (gan_fidelity runs) for a derived summary (see ``benchmarks/_render.py``).
``.. results-figure:: KIND NAME``
    A figure drawn from the same file (``KIND``: one of ``_render.FIGURES``).
``.. results-provenance:: NAME``
    The provenance line alone.
``:result:`NAME/KEY/ROW/COLUMN```
    One printed cell, for prose.

No number is typed into the docs: they come from the files, and the build reads the
files again whenever they change.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective, SphinxRole

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import _render  # noqa: E402
import _results  # noqa: E402

SUMMARIES = {
    "summary": (_render.imbalanced_summary, _render.summary_caption),
    "compared": (_render.imbalanced_compared, _render.compared_caption),
    "shape": (_render.fidelity_shape, _render.fidelity_shape_caption),
}


def rendered_table(name, key, data=None):
    """Return ``(title, header, rows)`` of a stored or derived table (what the docs show)."""
    data = _results.load(name) if data is None else data
    if key in SUMMARIES:
        make, caption = SUMMARIES[key]
        header, rows = make(data)
        return caption(data), header, rows
    return _results.table(data, key)


def table_node(title, header, rows):
    """Build a docutils table: title, a header row, body rows of plain text cells."""
    table = nodes.table(classes=["results-table"])
    table += nodes.title(text=title)
    group = nodes.tgroup(cols=len(header))
    table += group
    for _ in header:
        group += nodes.colspec(colwidth=1)

    def row(cells):
        out = nodes.row()
        for cell in cells:
            entry = nodes.entry()
            entry += nodes.paragraph(text=str(cell))
            out += entry
        return out

    head = nodes.thead()
    head += row(header)
    body = nodes.tbody()
    for r in rows:
        body += row(r)
    group += head
    group += body
    return table


class _ResultsDirective(SphinxDirective):
    def load(self, name):
        """Read a results file, or stop with an error that names it."""
        path = _results.default_path(name)
        self.env.note_dependency(str(path))
        if not path.is_file():
            raise self.error(f"no results file {path}: run the benchmark that writes it")
        return _results.load(name)

    def provenance(self, data):
        text = "Measured with " + _results.provenance_line(data) + "."
        inline, messages = self.state.inline_text(text, self.lineno)
        para = nodes.paragraph(classes=["results-provenance"])
        para += inline
        return [para, *messages]


class ResultsTable(_ResultsDirective):
    required_arguments = 2
    has_content = False

    def run(self):
        name, key = self.arguments
        data = self.load(name)
        try:
            title, header, rows = rendered_table(name, key, data)
        except KeyError as exc:
            raise self.error(f"results file {name} has no table {key}: {exc}") from exc
        return [table_node(title, header, rows), *self.provenance(data)]


class ResultsProvenance(_ResultsDirective):
    required_arguments = 1

    def run(self):
        return self.provenance(self.load(self.arguments[0]))


class ResultsFigure(_ResultsDirective):
    required_arguments = 2
    option_spec = {"alt": str}

    def run(self):
        kind, name = self.arguments
        out_dir = Path(self.env.srcdir) / "_generated"
        out_dir.mkdir(exist_ok=True)
        png = out_dir / f"{name}_{kind}.png"
        if kind not in _render.FIGURES:
            raise self.error(f"unknown figure {kind!r}; one of {sorted(_render.FIGURES)}")
        data = self.load(name)
        _render.FIGURES[kind](data, png)
        figure = nodes.figure(classes=["results-figure"])
        figure += nodes.image(uri=f"/_generated/{png.name}", alt=self.options.get("alt", kind))
        return [figure, *self.provenance(data)]


class ResultRole(SphinxRole):
    def run(self):
        name, key, row, column = self.text.split("/")
        self.env.note_dependency(str(_results.default_path(name)))
        return [nodes.inline(text=_results.cell(_results.load(name), key, row, column))], []


def setup(app):
    app.add_directive("results-table", ResultsTable)
    app.add_directive("results-figure", ResultsFigure)
    app.add_directive("results-provenance", ResultsProvenance)
    app.add_role("result", ResultRole())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
