"""Test-session setup shared by the unit suite, the docstring examples and the benchmark smoke runs.

The project keeps a copy of the public benchmark data in a ``shared/data`` folder beside the
checkout. When it is there and ``SKACTIVE_DATA`` is not set, the tests read it through
:func:`skactive.datasets.default_data_home`; tests that need data skip cleanly without it.
"""

import os
from pathlib import Path

_PROJECT_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"

if not os.environ.get("SKACTIVE_DATA") and _PROJECT_DATA.is_dir():
    os.environ["SKACTIVE_DATA"] = str(_PROJECT_DATA)
