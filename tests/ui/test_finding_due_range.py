"""The finding editor's due date offers the field spec's range, and shows a date stored before
the range existed as stored (opening and saving the finding does not move it)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from sqlalchemy import update

from qmsr_ready.core.fields import FINDING
from qmsr_ready.core.models import Finding
from qmsr_ready.core.services.findings import raise_finding
from qmsr_ready.ui.dialogs.finding_editor import FindingEditor


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def test_due_date_editor_range_is_the_spec_range(qtbot, ctx, add_inspection) -> None:
    editor = FindingEditor(ctx, add_inspection(ctx))
    qtbot.addWidget(editor)
    low, high = FINDING.field("due_date").date_limits
    assert editor.due_date.minimumDate() == _qdate(low)
    assert editor.due_date.maximumDate() == _qdate(high)


def test_a_stored_date_outside_the_range_is_shown_and_kept(qtbot, ctx, add_inspection) -> None:
    code = add_inspection(ctx)
    with ctx.workspace.begin() as s:
        finding = raise_finding(s, "Ann", inspection_code=code, title="Old",
                                classification="minor", due_date=dt.date(2026, 5, 31))
        fid, fcode = finding.id, finding.code
    with ctx.workspace.begin() as s:
        s.execute(update(Finding).where(Finding.id == fid).values(due_date=dt.date(2206, 5, 31)))
    editor = FindingEditor(ctx, code, fcode)
    qtbot.addWidget(editor)
    assert editor.due_date.date() == _qdate(dt.date(2206, 5, 31))
    assert "due_date" not in editor.changed_values()
