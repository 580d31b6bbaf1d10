"""A request's time must be plausible: not in the future, not after its own moves (QA #4)."""

from __future__ import annotations

import pytest

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.services import requests as req_service


def test_a_request_from_the_future_is_refused(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s, pytest.raises(InvalidInput, match="is in the future"):
        req_service.add_request(s, "Alice", inspection_code=code, text="SOP",
                                requested_at="2099-01-01T09:00:00+00:00")
    with ws.begin() as s:
        req_service.add_request(s, "Alice", inspection_code=code, text="SOP",
                                requested_at="2026-05-31T09:00:00+00:00")
    with ws.begin() as s, pytest.raises(InvalidInput, match="is in the future"):
        req_service.update_request(s, "Alice", code, "R-001",
                                   requested_at="2099-01-01T09:00:00+00:00")


def test_requested_at_cannot_come_after_the_first_move(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        req_service.add_request(s, "Alice", inspection_code=code, text="SOP",
                                requested_at="2026-05-31T09:00:00+00:00")
        req_service.move_request(s, "Alice", code, "R-001", "in_retrieval",
                                 at="2026-05-31T09:10:00+00:00")
    with ws.begin() as s, pytest.raises(
            InvalidInput, match=r"R-001 moved to .* at 2026-05-31 09:10 UTC; it cannot have been"):
        req_service.update_request(s, "Alice", code, "R-001",
                                   requested_at="2026-05-31T09:20:00+00:00")
    with ws.begin() as s:  # before the move is fine
        req = req_service.update_request(s, "Alice", code, "R-001",
                                         requested_at="2026-05-31T09:05:00+00:00")
        assert f"{req.requested_at:%H:%M}" == "09:05"


def test_a_time_without_an_offset_is_this_computers_local_time(monkeypatch) -> None:
    import datetime as dt
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")  # UTC+2 in June
    time.tzset()
    try:
        when = req_service.time_value("2026-06-01T09:00", "Time")
        assert when == dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC)
        assert req_service.time_value("2026-06-01T09:00+00:00", "Time").hour == 9
    finally:
        monkeypatch.undo()
        time.tzset()


def test_cli_help_says_how_a_time_without_an_offset_is_read() -> None:
    from qmsr_ready.commands.requests import AT_HELP

    assert "without an offset, this computer's local time" in AT_HELP


def test_the_demo_may_build_its_day_in_the_future(fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        req = req_service.add_request(s, "Demo", inspection_code=code, text="SOP",
                                      requested_at="2099-01-01T09:00:00+00:00",
                                      allow_future=True)
        assert req.requested_at is not None
        assert req.requested_at.year == 2099
