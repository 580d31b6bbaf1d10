"""``inspections`` refuses a damaged value with one line, like export (issue 13 QA round 2, item 3).

A BLOB in a text column reached the table printer as ``bytes`` (``'bytes' object has no attribute
'isprintable'``) and ``--json`` could not serialise it: two tracebacks instead of a clear line.
"""

from __future__ import annotations

import sqlite3

import pytest

from qmsr_ready.cli import main

DAMAGE = {  # column -> a stored value that is not text
    "inspections.title": "UPDATE inspections SET title = X'ff00fe'",
    "inspections.title (valid UTF-8 bytes)": "UPDATE inspections SET title = X'416263'",
    "sites.name": "UPDATE sites SET name = X'416263'",
}


@pytest.fixture
def workspace_path(fnd_inspection):  # type: ignore[no-untyped-def]
    ws, _code = fnd_inspection
    ws.close()
    return ws.path


@pytest.mark.parametrize("what", sorted(DAMAGE))
@pytest.mark.parametrize("as_json", [False, True])
def test_a_blob_in_a_text_column_is_one_line_and_exit_2(workspace_path, capsys, what: str,  # type: ignore[no-untyped-def]
                                                         as_json: bool) -> None:
    with sqlite3.connect(workspace_path) as con:
        con.execute(DAMAGE[what])
    code = main(["inspections", str(workspace_path), *(["--json"] if as_json else [])])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "holds a damaged value" in err
    assert "Traceback" not in err
    assert what.split(" ")[0] in err


def test_an_intact_workspace_still_lists(workspace_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["inspections", str(workspace_path)]) == 0
    assert "MI-2026-001" in capsys.readouterr().out
