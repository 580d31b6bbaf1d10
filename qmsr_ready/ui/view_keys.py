"""The views of the main window, by key, in navigation order, with their titles and icons.

No Qt here, so the CLI can list the keys without loading the GUI. The classes behind the keys
are imported directly by ``ui/main_window.py`` (``view_classes``), so a misspelt view is an
ImportError at start-up and in the tests, never a placeholder page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ViewEntry:
    """One navigation entry: key (CLI ``--view``, action name), title and icon name."""

    key: str
    title: str
    icon: str


VIEW_REGISTRY: tuple[ViewEntry, ...] = (
    ViewEntry("home", "Inspections", "home"),
    ViewEntry("checklist", "Checklist", "checklist"),
    ViewEntry("findings", "Findings", "findings"),
    ViewEntry("dashboard", "Dashboard", "dashboard"),
    ViewEntry("audit", "Audit trail", "audit"),
    ViewEntry("requests", "Requests", "requests"),
)
VIEW_KEYS: tuple[str, ...] = tuple(entry.key for entry in VIEW_REGISTRY)
