"""Locates the shipped ``resources/`` folder, installed (wheel) or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    """Return the folder holding checklists, crosswalks, fonts and icons."""
    installed = _PACKAGE_DIR / "resources"
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"QMSR Ready resources not found beside {_PACKAGE_DIR}; reinstall the package."
    )


def resource_path(*parts: str) -> Path:
    """Return the path of one shipped resource file."""
    return resources_dir().joinpath(*parts)
