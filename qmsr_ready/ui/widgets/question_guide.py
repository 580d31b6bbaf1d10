"""How the checklist runner shows a question's words: wrapped labels and the guidance block.

Split out of ``question_panel``: the reference column (guidance, what good looks like, records
to sample, citations, the legacy QSR crosswalk) is rendered here as plain HTML, apart from the
answer inputs.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QSizePolicy,
)

from qmsr_ready.core.views.checklist import QuestionView
from qmsr_ready.ui.widgets.crosswalk_text import legacy_lines

if TYPE_CHECKING:
    pass


def muted(label: QLabel) -> QLabel:
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def wrapping(text: str = "", selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def guidance_html(question: QuestionView) -> str:
    """Guidance, sampling hints, citations and the legacy crosswalk as one block of HTML."""

    def section(title: str, lines: list[str]) -> str:
        body = "<br>".join(escape(line) for line in lines if line) or "—"
        return f"<p style='margin:0 0 8px 0'><b>{escape(title)}</b><br>{body}</p>"

    parts = [
        section("Look at", [question.look_at]),
        section("Good looks like", [question.good_looks_like]),
        section("Weak spots", [question.weak_spots]),
        section("Records to sample", [f"• {r}" for r in question.records_to_sample]),
        section("Citations", list(question.citations)),
        section("Legacy QSR section (crosswalk)", legacy_lines(question.legacy)),
    ]
    if question.note:
        parts.append(f"<p style='margin:0'><i>{escape(question.note)}</i></p>")
    return "".join(parts)
