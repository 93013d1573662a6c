"""Sphinx configuration of the skactive documentation.

Build (offline; MathJax is loaded by the reader's browser at view time)::

    make docs
    # or: python -m sphinx -W --keep-going -b html docs docs/_build/html

``-D plot_gallery=0`` skips running the gallery examples (fast iteration).
"""

import os
import sys
from datetime import date
from pathlib import Path

# The package is normally installed (``pip install -e .``); fall back to the
# checkout so that the docs also build from a bare source tree.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import skactive  # noqa: E402

# the results directives (tables and figures rendered from benchmarks/results/)
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

# -- Project -------------------------------------------------------------------
project = "skactive"
author = "the skactive developers"
copyright = f"{date.today().year}, {author}"
version = skactive.__version__
release = skactive.__version__

# -- General -------------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "sphinx_gallery.gen_gallery",
    "results_directives",
]

templates_path = ["_templates"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "_templates",
    "_ext",
    "_generated",
    "Thumbs.db",
    ".DS_Store",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.codeobj.json",
    "auto_examples/*.zip",
]
# Single backquotes render as code, as in scikit-learn's docs.
default_role = "literal"
pygments_style = "sphinx"
# No intersphinx: the build must not need the network.

# -- autodoc / autosummary / numpydoc -----------------------------------------
autosummary_generate = True
autodoc_typehints = "none"
autodoc_member_order = "groupwise"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False
# Docstring checks that every documented object passes today; with -W a
# regression (a documented parameter that is not in the signature, parameters
# out of order, an unknown or misplaced section, ...) fails the build.
# Checks the package does not follow (SA01 "See Also", EX01 "Examples" on every
# object, SS05 infinitive verbs, ...) are left out on purpose.
numpydoc_validation_checks = {
    "GL01",
    "GL05",
    "GL06",
    "GL07",
    "GL09",
    "GL10",
    "SS03",
    "SS04",
    "SS06",
    "PR02",
    "PR03",
    "PR04",
    "PR05",
    "PR06",
    "PR09",
    "PR10",
    "RT04",
    "RT05",
    "YD01",
    "SA02",
    "SA04",
}

# -- MyST (the changelog is markdown) ------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# -- sphinx-gallery ------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    # Only plot_*.py are executed; the others (e.g. the Dask example, which
    # starts worker processes) are rendered without running.
    "filename_pattern": r"/plot_",
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "abort_on_example_error": True,
    "download_all_examples": False,
    "image_scrapers": ("matplotlib",),
    "doc_module": ("skactive",),
    "backreferences_dir": os.path.join("generated", "backreferences"),
    "reference_url": {"skactive": None},
    "remove_config_comments": True,
    "show_memory": False,
}

# Matplotlib without a display for the gallery.
os.environ.setdefault("MPLBACKEND", "Agg")

# -- HTML ------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"skactive {release}"
html_static_path = []
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
    # Nothing is fetched at build time: no version switcher, no icon links
    # that load remote assets, no analytics.
    "navigation_with_keys": False,
}
html_sidebars = {"index": [], "changelog": []}
