"""Render the README's results block from the results files (``--check``: only compare).

The block between the README's ``results`` markers is generated from
``benchmarks/results/*.json`` by ``_render.readme_block``; run this after a
benchmark wrote new results. ``--check`` exits with status 1 when the README
and the files disagree (the tests run the same comparison).

Run ``python benchmarks/render_results.py [--check]``.
"""

from __future__ import annotations

import argparse
import sys

from _render import current_block, readme_block, replace_block
from _results import REPO


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a change")
    args = parser.parse_args(argv)
    readme = REPO / "README.md"
    text = readme.read_text()
    block = readme_block()
    if args.check:
        if current_block(text) != block:
            print("README.md's results block differs from the results files", file=sys.stderr)
            return 1
        return 0
    readme.write_text(replace_block(text, block))
    return 0


if __name__ == "__main__":
    sys.exit(main())
