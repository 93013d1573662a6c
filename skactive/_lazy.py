"""PEP 562 lazy attributes: a package names what it exports, and imports it on first use.

The torch-backed parts (the GAN, the adversarial strategies) are imported
only when one of them is asked for, so ``import skactive`` and the
scikit-learn-only strategies do not load torch.
"""

from __future__ import annotations

import importlib

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: dict[str, str]):
    """Return ``(__getattr__, __dir__)`` for a package whose names live in submodules.

    ``exports`` maps a public name to the submodule (relative to
    ``package``) that defines it; a name that is itself a submodule maps to
    ``""``.
    """

    def __getattr__(name):
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module = exports[name]
        value = (
            importlib.import_module(f"{package}.{name}")
            if module == ""
            else getattr(importlib.import_module(f"{package}.{module}"), name)
        )
        globals_of_package = importlib.import_module(package).__dict__
        globals_of_package[name] = value  # later lookups skip __getattr__
        return value

    def __dir__():
        return sorted(set(importlib.import_module(package).__dict__) | set(exports))

    return __getattr__, __dir__
