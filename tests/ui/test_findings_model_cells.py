"""What the findings register model shows per cell, made once per row when the row is first
drawn and sharing its colours and font (issue 13: set_rows and per-cell QColor/QFont were a
third of opening the register on 5,000 findings)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelRoleData, QModelRoleDataSpan, Qt

from qmsr_ready.core.views.findings import FindingListRow
from qmsr_ready.core.vocab import Classification, FindingStatus
from qmsr_ready.ui.models.findings_model import (
    COL,
    FindingsFilterProxy,
    FindingsTableModel,
    RowRole,
    SortRole,
)
from qmsr_ready.ui.presentation import CLASSIFICATION_LOOK, FINDING_STATUS_LOOK, OVERDUE

TODAY = dt.date(2026, 6, 15)
Role = Qt.ItemDataRole


def _row(n: int, *, due: dt.date | None = None, status: str = "open",
         classification: str = "major", likely_483: bool = False) -> FindingListRow:
    return FindingListRow(
        inspection_code="MI-2026-001", code=f"F-{n:03d}", title=f"Finding {n}",
        classification=classification, status=status, area_id="MO", owner="Dana",
        due_date=due, severity=3, likelihood=4, likely_483=likely_483, question_ids=("MO-05-Q01",),
    )  # fmt: skip


def _model(rows: list[FindingListRow]) -> FindingsTableModel:
    model = FindingsTableModel(today=TODAY)
    model.set_rows(rows)
    return model


def test_cells_say_what_the_finding_is(qapp) -> None:  # type: ignore[no-untyped-def]
    late = _row(1, due=TODAY - dt.timedelta(days=2), likely_483=True)
    model = _model([late, _row(2, due=TODAY - dt.timedelta(days=2), status="closed",
                               classification="observation")])
    cell = lambda r, c, role=Role.DisplayRole: model.data(model.index(r, COL[c]), role)  # noqa: E731
    assert [cell(0, c) for c in ("Inspection", "Code", "Title", "Area", "Owner", "Risk", "483")] \
        == ["MI-2026-001", "F-001", "Finding 1", "MO", "Dana", "12", "Yes"]
    assert cell(0, "Class") == CLASSIFICATION_LOOK[Classification.MAJOR].text
    assert cell(0, "Status") == FINDING_STATUS_LOOK[FindingStatus.OPEN].text
    assert cell(0, "Due") == f"{TODAY - dt.timedelta(days=2):%Y-%m-%d}  {OVERDUE.text}"
    assert cell(1, "Due") == f"{TODAY - dt.timedelta(days=2):%Y-%m-%d}"  # closed: not overdue
    assert cell(1, "483") == ""
    assert cell(0, "Class", Role.ForegroundRole).name().lower() == \
        CLASSIFICATION_LOOK[Classification.MAJOR].color.lower()
    assert cell(0, "Due", Role.ForegroundRole).name().lower() == OVERDUE.color.lower()
    assert cell(1, "Due", Role.ForegroundRole) is None
    assert cell(0, "Code", Role.FontRole).bold()
    assert cell(0, "Title", Role.FontRole) is None
    assert cell(1, "Code", Role.BackgroundRole) is None
    assert cell(0, "Risk", Role.TextAlignmentRole) == int(Qt.AlignmentFlag.AlignCenter)
    assert "Overdue" in cell(0, "Title", Role.ToolTipRole)
    assert cell(0, "Title", RowRole) == late
    assert cell(0, "Due", SortRole) == (TODAY - dt.timedelta(days=2)).toordinal()
    assert cell(0, "Code", Role.DecorationRole) is None


def test_rows_share_their_colours_and_font(qapp) -> None:  # type: ignore[no-untyped-def]
    late = TODAY - dt.timedelta(days=1)
    model = _model([_row(1, due=late), _row(2, due=late)])
    a, b = model.index(0, COL["Due"]), model.index(1, COL["Due"])
    for role in (Role.BackgroundRole, Role.FontRole, Role.ForegroundRole):
        assert model.data(a, role) is model.data(b, role)
    assert model.data(model.index(0, COL["Class"]), Role.ForegroundRole) is model.data(
        model.index(1, COL["Class"]), Role.ForegroundRole)


def test_a_row_is_worked_out_only_when_shown(qapp) -> None:  # type: ignore[no-untyped-def]
    model = _model([_row(n) for n in range(1, 1001)])
    assert not any(model._lines)  # set_rows keeps the rows, nothing more
    model.data(model.index(5, COL["Title"]))
    assert sum(line is not None for line in model._lines) == 1


def test_a_new_day_reworks_overdue(qapp) -> None:  # type: ignore[no-untyped-def]
    model = _model([_row(1, due=TODAY)])
    due = model.index(0, COL["Due"])
    assert OVERDUE.text not in model.data(due)
    model.set_rows([_row(1, due=TODAY)], today=TODAY + dt.timedelta(days=1))
    assert OVERDUE.text in model.data(due)


def test_a_row_made_from_values_is_the_same_row() -> None:
    made = _row(7, due=TODAY)
    fast = FindingListRow.of_values(tuple(getattr(made, f) for f in made.__dataclass_fields__))
    assert fast == made
    assert hash(fast) == hash(made)
    assert repr(fast) == repr(made)


def test_the_proxy_asks_nothing_of_python_without_a_filter(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With no filter set Qt passes every row itself (an overridden filterAcceptsRow was called
    for each of 5,000 rows on every reload); a filter asks each row once."""
    asked: list[str] = []
    real = FindingsFilterProxy.accepts
    monkeypatch.setattr(FindingsFilterProxy, "accepts",
                        lambda self, row: asked.append(row.code) or real(self, row))
    model = FindingsTableModel(today=TODAY)
    proxy = FindingsFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows([_row(n, status="closed" if n % 2 else "open") for n in range(1, 41)])
    assert proxy.rowCount() == 40
    assert asked == []
    proxy.set_filters(status="open")
    assert proxy.rowCount() == 20
    assert len(asked) == 40
    proxy.set_filters(status="")
    assert proxy.rowCount() == 40
    assert len(asked) == 40


def _multi(model, index, role):  # type: ignore[no-untyped-def]
    item = QModelRoleData(int(role))
    item.setData("left over from the cell before")  # a delegate reuses its span
    model.multiData(index, QModelRoleDataSpan(item))
    return item.data()


def test_multi_data_answers_what_data_does(qapp) -> None:  # type: ignore[no-untyped-def]
    """A delegate asks all of a cell's roles at once (multiData); through the proxy too."""
    late = TODAY - dt.timedelta(days=3)
    model = _model([_row(1, due=late, likely_483=True), _row(2, status="closed", due=late),
                    _row(3)])
    proxy = FindingsFilterProxy()
    proxy.setSourceModel(model)
    roles = [Role.DisplayRole, Role.ForegroundRole, Role.BackgroundRole, Role.FontRole,
             Role.TextAlignmentRole, Role.DecorationRole, Role.CheckStateRole, Role.ToolTipRole,
             RowRole, SortRole]
    for m in (model, proxy):
        for r in range(m.rowCount()):
            for c in range(m.columnCount()):
                index = m.index(r, c)
                for role in roles:
                    assert _multi(m, index, role) == m.data(index, role), (r, c, role)
