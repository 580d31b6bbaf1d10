"""Request text is clean and the CLI list lines up, whatever was typed (issue 11 QA #9)."""

from __future__ import annotations

import contextlib
import io

from server import pg_backend

from qmsr_ready.core.inspection_day.views import list_requests
from qmsr_ready.core.services import requests as req_service


def _list(path: str, code: str) -> str:
    from qmsr_ready.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["requests", "list", path, "--inspection", code]) == 0
    return out.getvalue()


def test_control_characters_are_not_stored_or_printed_raw(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        req_service.add_request(s, "Alice", inspection_code=code, owner="Bo\x07b",
                                text="SOP\x1b[31m red\rline\x07", suggest=False)
    with ws.session() as s:
        r = list_requests(s, code)[0]
    assert (r.text, r.owner) == ("SOP[31m red\nline", "Bo b")
    path = pg_backend.target_of(ws)
    ws.close()
    out = _list(path, code)
    for raw in ("\x1b", "\x07", "\r"):
        assert raw not in out


def test_text_stored_before_the_cleaning_is_escaped_on_print() -> None:
    from qmsr_ready.commands.requests import _safe

    assert _safe("a\x1b[2Jb\rc") == "a\\x1b[2Jb\\rc"


def test_list_columns_line_up_for_long_and_wide_owners(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        for owner in ("Ann", "Aoife Keane-Fitzgerald of Quality Assurance", "山田太郎さん"):
            req_service.add_request(s, "Alice", inspection_code=code, owner=owner,
                                    text=f"Log for {owner}", suggest=False)
    path = pg_backend.target_of(ws)
    ws.close()
    rows = [line for line in _list(path, code).splitlines() if line.startswith("R-")]
    starts = set()
    for line in rows:
        text = line[line.index("Log for"):]
        before = line[:line.index("Log for")]
        wide = sum(1 for ch in before if "\u3000" <= ch <= "\u9fff")  # two columns each
        starts.add(len(before) + wide)
        assert text.startswith("Log for")
    assert len(starts) == 1, rows
