"""The findings register's read: on SQLite it runs on the driver connection (issue 13), on a
server through Core; both give the same frozen rows, dates as dates, links in their order."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import select

from qmsr_ready.core import services
from qmsr_ready.core.models import Finding
from qmsr_ready.core.views import findings as register_read
from qmsr_ready.core.views.findings import FindingListRow, load_finding_rows

DAY = dt.date(2026, 11, 25)


@pytest.fixture
def two_inspections(fnd_inspection, fnd_template):
    ws, first = fnd_inspection
    with ws.begin() as s:
        second = services.start_inspection(
            s, "Alice", site_code="SITE-001", template=fnd_template,
            inspection_type="baseline_surveillance", title="Second",
        ).code  # fmt: skip
    with ws.begin() as s:
        for code, title, qids, due in (
            (second, "Two links", ["MO-01-Q02", "MO-01-Q01"], DAY),
            (first, "Same day", ["MO-01-Q01"], DAY),
            (first, "No date", [], None),
            (first, "Other day", ["MA-03-Q02"], DAY - dt.timedelta(days=40)),
            (second, "Same day too", [], DAY),
        ):
            services.raise_finding(s, "Alice", inspection_code=code, title=title,
                                   classification="minor", question_ids=qids, owner="Bo",
                                   due_date=due)
    return ws, first, second


def _core_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read as on a server: Core statements, never the driver connection."""
    monkeypatch.setattr(register_read, "LEAN_DIALECTS", frozenset())

    def refuse(session: object) -> None:
        raise AssertionError("the Core path used the driver connection")

    monkeypatch.setattr(register_read.LeanConnection, "of", refuse)


def test_driver_read_gives_what_the_orm_holds(two_inspections) -> None:
    ws, first, second = two_inspections
    with ws.session() as s:
        rows = load_finding_rows(s)
        expected = sorted(
            ((f.inspection.code, f.code, f.title, f.due_date,
              tuple(f.question_ids))
             for f in s.scalars(select(Finding))),
            key=lambda e: (e[0], e[1]),
        )  # fmt: skip
    assert [(r.inspection_code, r.code, r.title, r.due_date, r.question_ids)
            for r in rows] == expected
    by_title = {r.title: r for r in rows}
    assert by_title["Two links"].question_ids == ("MO-01-Q02", "MO-01-Q01")
    assert by_title["Same day"].due_date == by_title["Same day too"].due_date == DAY
    assert type(by_title["Other day"].due_date) is dt.date
    assert by_title["No date"].due_date is None
    assert {r.inspection_code for r in rows} == {first, second}
    for row in rows:  # made without __init__, by keyword: the same row as the dataclass makes
        made = FindingListRow(**{f.name: getattr(row, f.name) for f in dataclasses.fields(row)})
        assert (row, hash(row), repr(row)) == (made, hash(made), repr(made))
        assert set(vars(row)) == {f.name for f in dataclasses.fields(row)}


@pytest.mark.parametrize("scope", ["", "first", "second"])
def test_driver_and_core_paths_read_the_same_rows(two_inspections, scope: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ws, first, second = two_inspections
    code = {"": "", "first": first, "second": second}[scope]
    with ws.session() as s:
        lean = load_finding_rows(s, code)
    _core_path(monkeypatch)
    with ws.session() as s:
        core = load_finding_rows(s, code)
    assert lean == core
    assert len(lean) == {"": 5, "first": 3, "second": 2}[scope]
    assert all(r.inspection_code == code for r in lean) or not code
