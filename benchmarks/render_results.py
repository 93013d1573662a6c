"""Render the README's results block from the results files; compare a rerun with them.

The block between the README's ``results`` markers is generated from
``benchmarks/results/*.json`` by ``_render.readme_block``; run this after a
benchmark wrote new results. ``--check`` exits with status 1 when the README
and the files disagree (the tests run the same comparison). ``--compare NEW
PUBLISHED`` prints how far the scores of a rerun are from the published ones
(``make main`` does this for the main job).

Run ``python benchmarks/render_results.py [--check]``.
"""

from __future__ import annotations

import argparse
import sys

from _render import compare_runs, current_block, readme_block, replace_block
from _results import REPO, load, provenance_line


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a change")
    parser.add_argument(
        "--compare",
        nargs=2,
        metavar=("NEW", "PUBLISHED"),
        help="print how far the scores of results file NEW are from PUBLISHED's",
    )
    args = parser.parse_args(argv)
    if args.compare:
        new, old = (load(p) for p in args.compare)
        header, rows = compare_runs(new, old)
        print(f"\nScores of this run against {args.compare[1]}, measured with")
        print(f"  {provenance_line(old)}")
        differ = [r for r in rows if r[2] != "identical"]
        if not differ:
            print(f"  all {len(rows)} scores identical")
        for row, score, diff in differ:
            print(f"  {row}, {score}: differs by up to {diff}")
        print(
            "Deterministic rows match on every machine; GAN rows match on the same machine "
            "and thread settings, and elsewhere move within their spread over seeds."
        )
        return 0
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
