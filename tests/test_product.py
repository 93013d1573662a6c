"""The product's face: README examples run, results files carry provenance, rendered tables
match their files, and the docs speak of the package only.

The results helpers live with the benchmarks (``benchmarks/_results.py``, ``_render.py``);
they need only the standard library (and matplotlib for figures).
"""

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import _render  # noqa: E402
import _results  # noqa: E402

RESULTS = sorted((ROOT / "benchmarks" / "results").glob("*.json"))
DOC_FILES = sorted(
    p
    for p in (ROOT / "docs").rglob("*")
    if p.suffix in {".rst", ".md"}
    and not {"_build", "auto_examples", "generated", "_generated"} & set(p.parts)
)
PRODUCT_TEXT = [
    ROOT / "README.md",
    *DOC_FILES,
    *sorted((ROOT / "examples").glob("*.py")),
    *sorted((ROOT / "examples").glob("*.rst")),
    *sorted((ROOT / "skactive").rglob("*.py")),
]


def python_blocks(text, fence=True):
    """Return the Python code blocks of a Markdown (fence) or reStructuredText page."""
    if fence:
        return re.findall(r"```python\n(.*?)```", text, flags=re.S)
    blocks = []
    for match in re.finditer(r"\.\. code-block:: python\n\n((?:(?: {4}.*)?\n)+)", text):
        blocks.append(textwrap.dedent(match.group(1)))
    return blocks


def run_python(code, tmp_path, timeout=300):
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={"PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1", "MPLBACKEND": "Agg"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


# --------------------------------------------------------------------- results files


@pytest.mark.parametrize("path", RESULTS, ids=[p.stem for p in RESULTS])
def test_results_file_has_provenance(path):
    data = json.loads(path.read_text())
    assert _results.provenance_problems(data) == []
    assert data["name"] == path.stem
    assert data["provenance"]["command"].startswith("python benchmarks/")


def test_provenance_problems_names_what_is_missing():
    data = {"provenance": {"command": "python benchmarks/x.py", "machine": {}}, "tables": {}}
    problems = _results.provenance_problems(data)
    assert "provenance.commit" in problems and "provenance.wall_time_s" in problems
    assert "provenance.machine.cpu" in problems and "tables" in problems


def test_the_results_the_docs_need_are_there():
    for name in ("svm_evaluation", "imbalanced_zenodo"):
        assert (ROOT / "benchmarks" / "results" / f"{name}.json").is_file(), name


# ------------------------------------------------------------ rendered tables vs files

DIRECTIVE = re.compile(r"\.\. results-(table|figure|provenance):: (.+)")
# tables the docs derive from a file's records (docs/_ext/results_directives.SUMMARIES)
DERIVED = {"summary", "compared", "shape"}
ROLE = re.compile(r":result:`([^`]+)`")


def directives():
    found = []
    for page in DOC_FILES:
        text = page.read_text()
        found += [(page.name, kind, args.split()) for kind, args in DIRECTIVE.findall(text)]
    return found


def test_docs_render_results_from_files():
    found = directives()
    assert found, "the results pages render no results"
    for page, kind, args in found:
        name = args[0] if kind != "figure" else args[1]
        assert _results.default_path(name).is_file(), f"{page}: no results file {name}"
        if kind == "table":
            data = _results.load(name)
            key = args[1]
            assert key in data["tables"] or key in DERIVED, f"{page}: {name} has no {key}"


def test_rendered_tables_match_their_files():
    pytest.importorskip("sphinx", reason="the docs extra (make test installs it)")
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    import results_directives

    for _page, kind, args in directives():
        if kind != "table" or args[1] in DERIVED:
            continue
        name, key = args
        stored = _results.load(name)["tables"][key]
        node = results_directives.table_node(*results_directives.rendered_table(name, key))
        rows = [
            [entry.astext() for entry in row] for row in node.findall(lambda n: n.tagname == "row")
        ]
        assert rows[0] == [stored["index_name"], *stored["columns"]]
        assert rows[1:] == stored["rows"]
        assert node.children[0].astext() == stored["title"]


def test_result_role_cells_exist():
    for page in DOC_FILES:
        for ref in ROLE.findall(page.read_text()):
            name, key, row, column = ref.split("/")
            assert _results.cell(_results.load(name), key, row, column), f"{page.name}: {ref}"


def test_fidelity_shape_is_computed_from_the_records():
    data = _results.load("gan_fidelity")
    header, rows = _render.fidelity_shape(data)
    records = [r for r in data["records"]["rows"] if r["rows"] == "SMOTE"]
    smote = {r[0]: r for r in rows}["SMOTE"]
    for measure in ("spread", "coverage", "recall"):
        mean = sum(r[measure] for r in records) / len(records)
        assert smote[header.index(measure)] == f"{mean:.2f}"
    assert len(records) == 8 and "none" not in {r[0] for r in rows}


def test_summary_is_computed_from_the_records():
    data = _results.load("imbalanced_zenodo")
    header, rows = _render.imbalanced_summary(data)
    means, sets = _render.imbalanced_seed_means(data)
    by_name = {r[0]: r for r in rows}
    column = header.index("balanced accuracy (%)")
    for sampler, values in means.items():
        mean = sum(values["balanced accuracy"]) / len(values["balanced accuracy"])
        assert by_name[sampler][column].startswith(f"{mean:.1f} ±")


def _run(name, samplers, sampler_seeds, scores, folds=2):
    """A minimal imbalanced results file: ``scores[sampler]`` lists one BA per (seed, fold)."""
    records = [
        {"data set": "s", "sampler": sampler, "repeat": i, "crashed": False, "balanced accuracy": v}
        for sampler, values in scores.items()
        for i, v in enumerate(values)
    ]
    options = {"folds": folds, "samplers": samplers, "sampler_seeds": sampler_seeds}
    return {
        "name": name,
        "provenance": {"options": options, "seeds": [0, 1, 2]},
        "records": {"imbalanced_learn_benchmark_sets": records},
    }


def test_a_run_of_chosen_samplers_is_compared_at_its_own_seeds():
    reference = _run(
        "imbalanced_zenodo",
        None,
        [0, 1, 2],
        # seed 0: folds 10, 20; seed 1: 30, 40; seed 2: 50, 60
        {"SMOTE": [10, 20, 30, 40, 50, 60], "ActiveGAN": [1, 2, 3, 4, 5, 6]},
    )
    variant = _run("imbalanced_zenodo_probe_x", ["Probe x"], [1], {"Probe x": [7, 9]})
    assert _render.reference_name(variant) == "imbalanced_zenodo"
    assert _render.reference_name(reference) is None
    merged = _render.with_reference(variant, reference)
    means, _ = _render.imbalanced_seed_means(merged)
    # only seed 1 of the reference, renumbered as the variant's first seed
    assert means["SMOTE"]["balanced accuracy"] == [35.0]
    assert means["ActiveGAN"]["balanced accuracy"] == [3.5]
    assert means["Probe x"]["balanced accuracy"] == [8.0]
    with pytest.raises(ValueError, match="lacks seeds"):
        _render.with_reference(_run("imbalanced_zenodo_probe_x", ["Probe x"], [5], {}), reference)


def test_readme_results_block_matches_the_files():
    text = (ROOT / "README.md").read_text()
    assert _render.current_block(text) == _render.readme_block(), (
        "README.md's results block is stale: run python benchmarks/render_results.py"
    )


def test_no_hand_typed_result_tables_in_the_docs():
    # a table row with two or more decimal numbers is a measurement: it belongs in a file
    row = re.compile(r"^\s*(\||\* -|-)\s.*\d+\.\d+.*\d+\.\d+", re.M)
    readme = _render.replace_block((ROOT / "README.md").read_text(), "")  # minus its rendered block
    for name, text in [("README.md", readme), *((p.name, p.read_text()) for p in DOC_FILES)]:
        assert not row.findall(text), f"{name} has a typed table of measurements"


# --------------------------------------------------------------- words of the product

PROCESS_WORDS = re.compile(
    r"\bissues? #?\d+|\bsessions?\b|\blent\b|\bGUIDE\b|\.\./shared|"
    r"\bdocs/[\w/]+\.md\b|\bgoal \d+ of\b|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b"
)


@pytest.mark.parametrize("path", PRODUCT_TEXT, ids=lambda p: str(p.relative_to(ROOT)))
def test_product_text_speaks_of_the_product(path):
    text = path.read_text()
    hits = [m.group(0) for m in PROCESS_WORDS.finditer(text)]
    # hex-looking test vectors and checksums are code, not commit hashes
    hits = [h for h in hits if not re.fullmatch(r"0x[0-9a-f]+", h)]
    assert not hits, f"{path.relative_to(ROOT)}: {hits}"


def test_the_process_word_check_can_fail():
    for text in ("see issue 11", "this session was", "commit 91e86ae", "../shared/data"):
        assert PROCESS_WORDS.search(text), text
    assert not PROCESS_WORDS.search("the stateless API; 0.2.0; 1,500 iterations; a shared cache")


# ------------------------------------------------------------------ runnable examples


@pytest.mark.parametrize("index", range(len(python_blocks((ROOT / "README.md").read_text()))))
def test_readme_python_block_runs_verbatim(index, tmp_path):
    block = python_blocks((ROOT / "README.md").read_text())[index]
    run_python(block, tmp_path)


def test_tutorial_runs_top_to_bottom(tmp_path):
    page = (ROOT / "docs" / "getting_started" / "tutorial.rst").read_text()
    out = run_python("\n".join(python_blocks(page, fence=False)), tmp_path, timeout=600)
    assert "ActiveGAN" in out and (tmp_path / "learning_curve.png").is_file()
