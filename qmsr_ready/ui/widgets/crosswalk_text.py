"""Legacy QSR sections as readable lines, e.g. ``820.198(e) — Complaint files``."""

from __future__ import annotations

from collections.abc import Iterable

from qmsr_ready.core.library.citations import legacy_title


def legacy_lines(sections: Iterable[str]) -> list[str]:
    """One line per legacy reference with its crosswalk title when known."""
    lines = []
    for section in sections:
        title = legacy_title(section)
        lines.append(f"{section} — {title}" if title else section)
    return lines
