"""The findings register and the inspection list refuse a damaged value in one line (issue 13 QA
round 2, item 6): text in a severity was shown as "highhighhigh", a BLOB title as bytes."""

from __future__ import annotations

import sqlite3

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.damaged_rows import refuse_damaged_rows
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.services.queries import list_inspections
from qmsr_ready.core.views.findings import load_finding_rows
from qmsr_ready.core.workspace_file import WorkspaceDamaged


@pytest.fixture
def with_finding(fnd_inspection):  # type: ignore[no-untyped-def]
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.raise_finding(s, "Alice", inspection_code=code, title="No MDF index",
                               classification="major")
    ws.close()
    return ws.path, code


def _damage(path, statement: str) -> None:  # type: ignore[no-untyped-def]
    with sqlite3.connect(path) as con:
        con.execute(statement)


def test_intact_rows_pass(with_finding) -> None:  # type: ignore[no-untyped-def]
    path, code = with_finding
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        assert [r.code for r in load_finding_rows(s, code)] == ["F-001"]
        refuse_damaged_rows(s, list_inspections(s), "The inspection list")


def test_text_in_a_severity_is_refused_not_multiplied(with_finding) -> None:  # type: ignore[no-untyped-def]
    path, code = with_finding
    _damage(path, "UPDATE findings SET severity = 'high'")
    with open_workspace(path, read_only=True) as ws, ws.session() as s, pytest.raises(
            WorkspaceDamaged, match=r"The findings register holds a damaged value: "
                                    r"findings\.severity .*'high'.*not a whole number"):
        load_finding_rows(s, code)


def test_a_blob_title_is_refused_in_the_inspection_list(with_finding) -> None:  # type: ignore[no-untyped-def]
    path, _code = with_finding
    _damage(path, "UPDATE inspections SET title = X'416263'")
    with open_workspace(path, read_only=True) as ws, ws.session() as s, pytest.raises(
            WorkspaceDamaged, match=r"inspections\.title .*binary data"):
        refuse_damaged_rows(s, list_inspections(s), "The inspection list")
