"""Package attributes imported on first use (PEP 562), so importing one submodule stays cheap.

Why: importing any submodule runs its package's ``__init__``. When that ``__init__`` imported
every submodule, reading one inspection summary for the home list also loaded the template
loader (pydantic, YAML) and every service: about a second before the list could show. Each such
package keeps its imports under ``TYPE_CHECKING`` (so type checkers see the real names) and
resolves them at run time through the ``__getattr__`` made here.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping

__all__ = ["exports_of", "lazy_getattr"]


def lazy_getattr(package: str, exports: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package`` that imports ``exports[name]`` (a submodule
    name) on first access and keeps the value on the package, so later reads are plain."""

    def module_getattr(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    return module_getattr


def exports_of(modules: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """``{submodule: names}`` turned into ``{name: submodule}`` (how the packages list them)."""
    return {name: module for module, names in modules.items() for name in names}
