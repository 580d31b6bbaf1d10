"""The views of the main window, by key, in navigation order (no Qt here, so the CLI can list
them without loading the GUI)."""

from __future__ import annotations

VIEW_KEYS: tuple[str, ...] = ("home", "checklist", "findings", "dashboard", "audit", "requests")
