"""The exchange preview: every outcome shown, decisions per field / row / all, Apply gating."""

from __future__ import annotations

from exchange_fixtures import sample_plan
from PySide6.QtCore import QModelIndex, Qt

from qmsr_ready.core.exchange.plan import Choice
from qmsr_ready.ui.dialogs.exchange_preview import ExchangePreviewDialog
from qmsr_ready.ui.models.exchange_model import (
    COL_DECISION,
    COL_ITEM,
    COL_MINE,
    COL_OUTCOME,
    COL_THEIRS,
    ConflictFilterProxy,
    ExchangeTreeModel,
    ReportedRowsModel,
)


def _texts(model, parent: QModelIndex = QModelIndex()) -> list[list[str]]:  # noqa: B008
    """Every row (depth first) as the list of its displayed cells."""
    out = []
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        out.append([str(model.index(r, c, parent).data() or "")
                    for c in range(model.columnCount(parent))])
        out.extend(_texts(model, index))
    return out


def _field(model: ExchangeTreeModel, key: str, label: str) -> QModelIndex:
    for r in range(model.rowCount()):
        row = model.index(r, 0)
        if str(row.data()).startswith(key):
            for i in range(model.rowCount(row)):
                if model.index(i, COL_ITEM, row).data() == label:
                    return model.index(i, 0, row)
    raise AssertionError(f"{key} {label} not shown")


def test_models_pass_modeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ExchangeTreeModel(sample_plan())
    qtmodeltester.check(model)
    proxy = ConflictFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_conflicts_only(True)
    qtmodeltester.check(proxy)
    qtmodeltester.check(ReportedRowsModel(sample_plan()))


def test_every_outcome_is_shown_with_symbol_and_word() -> None:
    model = ExchangeTreeModel(sample_plan())
    rows = _texts(model)
    outcomes = {r[COL_OUTCOME] for r in rows}
    assert {"→ Update", "⚠ Conflict", "= Already applied", "← Changed here only (kept)",
            "+ New"} <= outcomes
    notes = next(r for r in rows if r[COL_ITEM] == "Notes")
    assert notes[COL_MINE] == "Mine: checked SOP-12"
    assert notes[COL_THEIRS] == "Theirs: SOP-12 rev C missing"
    result = next(r for r in rows if r[COL_ITEM] == "Result" and r[1] == "Checklist!H12")
    assert result[COL_THEIRS] == "Minor gap"  # labels, not stored values
    assert any(r[COL_ITEM].startswith("MO-01-Q01 — Is there a QMS?") for r in rows)
    # colour is never the only cue, but it is there
    conflict = _field(model, "F-001", "Owner")
    assert model.index(conflict.row(), COL_OUTCOME, conflict.parent()).data(
        Qt.ItemDataRole.ForegroundRole) is not None
    # reported rows are not in the tree, but in their own list
    assert not any("ZZ-99-Q01" in r[COL_ITEM] for r in rows)
    reported = ReportedRowsModel(sample_plan())
    texts = [[reported.index(r, c).data() for c in range(3)] for r in range(reported.rowCount())]
    assert any("ZZ-99-Q01" in t[0] and "Unknown ID (not applied)" in t[2] for t in texts)
    assert any("F-009" in t[0] and "not applied" in t[2] for t in texts)


def test_decisions_per_field_row_and_all() -> None:
    model = ExchangeTreeModel(sample_plan())
    assert model.undecided_count() == 3  # Q1 notes, F-001 owner and severity
    notes = _field(model, "MO-01-Q01", "Notes")
    model.decide(notes, Choice.MINE)
    assert model.decisions() == {("response", "MO-01-Q01", "notes"): Choice.MINE}
    assert model.index(notes.row(), COL_DECISION, notes.parent()).data() == "Keep mine"
    assert model.undecided_count() == 2
    finding_row = _field(model, "F-001", "Owner").parent()
    assert model.index(finding_row.row(), COL_DECISION).data() == "? 2 undecided"
    model.decide(finding_row, Choice.THEIRS)  # a row decides all its fields
    assert model.undecided_count() == 0
    assert model.decisions()[("finding", "F-001", "owner")] is Choice.THEIRS
    assert model.decisions()[("finding", "F-001", "severity")] is Choice.THEIRS
    assert model.index(finding_row.row(), COL_DECISION).data() == "Take theirs"
    model.decide_all(Choice.MINE)
    assert set(model.decisions().values()) == {Choice.MINE}
    assert len(model.decisions()) == 3
    # a clean update can be refused one by one too
    result = _field(model, "MO-01-Q01", "Result")
    model.decide(result, Choice.MINE)
    assert model.decisions()[("response", "MO-01-Q01", "result")] is Choice.MINE


def test_conflict_filter_shows_only_conflicts() -> None:
    model = ExchangeTreeModel(sample_plan())
    proxy = ConflictFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_conflicts_only(True)
    rows = _texts(proxy)
    fields = [r for r in rows if not r[COL_ITEM].startswith(("MO-", "F-"))]
    assert {r[COL_OUTCOME] for r in fields} == {"⚠ Conflict"}
    assert len(fields) == 3
    assert proxy.rowCount() == 2  # MO-01-Q01 and F-001


def test_dialog_gates_apply_on_undecided_conflicts(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ExchangePreviewDialog(sample_plan())
    qtbot.addWidget(dialog)
    assert not dialog.apply_button.isEnabled()
    assert "Decide 3 conflicts" in dialog.undecided_label.text()
    assert "3 conflicts (3 undecided)" in dialog.counts_label.text()
    assert dialog.reported_box.isVisibleTo(dialog)
    assert "2 rows" in dialog.reported_box.title()
    qtbot.mouseClick(dialog.take_all_button, Qt.MouseButton.LeftButton)
    assert dialog.apply_button.isEnabled()
    assert "all decided" in dialog.counts_label.text()
    # select one field in the tree and keep mine
    proxy_index = dialog.proxy.mapFromSource(_field(dialog.model, "F-001", "Owner"))
    dialog.tree.setCurrentIndex(proxy_index)
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert dialog.decisions()[("finding", "F-001", "owner")] is Choice.MINE
    assert dialog.decisions()[("finding", "F-001", "severity")] is Choice.THEIRS
    dialog.conflicts_only.setChecked(True)
    assert dialog.proxy.rowCount() == 2


def test_cancel_returns_no_decisions(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ExchangePreviewDialog(sample_plan("workspace"))
    qtbot.addWidget(dialog)
    assert "Merge other.qmsr" in dialog.windowTitle()
    assert dialog.model.headerData(COL_THEIRS, Qt.Orientation.Horizontal) == (
        "Theirs (other workspace)")
    dialog.show()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == ExchangePreviewDialog.DialogCode.Rejected
