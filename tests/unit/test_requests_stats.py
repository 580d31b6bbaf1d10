"""Request-log statistics: empty logs, a single request, ties, withdrawn and prepared excluded."""

from __future__ import annotations

import datetime as dt

import pytest

from qmsr_ready.core.inspection_day.stats import (
    format_duration,
    nearest_rank,
    request_statistics,
)
from qmsr_ready.core.inspection_day.views import RequestView

T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)
TARGET = dt.timedelta(minutes=15)


def req(code: str, status: str, start_min: int | None, end_min: int | None = None, *,
        owner: str = "Ann", kind: str = "document", area: str = "MA") -> RequestView:
    start = None if start_min is None else T0 + dt.timedelta(minutes=start_min)
    end = None if end_min is None else T0 + dt.timedelta(minutes=end_min)
    return RequestView(code, start, "FDA", "x", kind, area, "", "normal", owner, status, end,
                       "", (), (), (), 1)


def test_empty_log_has_no_timings() -> None:
    stats = request_statistics([], T0, TARGET)
    o = stats.overall
    assert (o.count, o.presented, o.late, o.median_s, o.p90_s, o.longest_s) == (
        0, 0, 0, None, None, None)
    assert stats.by_owner == stats.by_day == ()


def test_single_presented_request() -> None:
    stats = request_statistics([req("R-001", "presented", 0, 12)], T0, TARGET)
    o = stats.overall
    assert (o.count, o.presented, o.open, o.late) == (1, 1, 0, 0)
    assert o.median_s == o.p90_s == o.longest_s == 12 * 60


def test_ties_and_nearest_rank_p90() -> None:
    durations = [5, 5, 5, 10, 10, 20, 20, 20, 30, 40]
    log = [req(f"R-{i:03d}", "presented", 0, d) for i, d in enumerate(durations, 1)]
    o = request_statistics(log, T0 + dt.timedelta(hours=2), TARGET).overall
    assert o.median_s == 15 * 60  # mean of the two middle values (10 and 20)
    assert o.p90_s == 30 * 60  # 9th of 10 sorted values
    assert o.longest_s == 40 * 60
    assert o.late == 5  # 20, 20, 20, 30, 40 exceed 15 minutes
    assert nearest_rank([1.0, 1.0, 1.0], 0.9) == 1.0


def test_withdrawn_and_prepared_are_left_out_and_open_requests_run_late() -> None:
    now = T0 + dt.timedelta(minutes=30)
    log = [
        req("R-001", "withdrawn", 0),
        req("R-002", "prepared", None),
        req("R-003", "in_retrieval", 10),  # 20 min open: late
        req("R-004", "requested", 20),  # 10 min open: not late
        req("R-005", "presented", 0, 3),
    ]
    stats = request_statistics(log, now, TARGET)
    o = stats.overall
    assert (o.count, o.presented, o.open, o.late) == (3, 1, 2, 1)
    assert (stats.withdrawn, stats.prepared) == (1, 1)
    assert o.median_s == 180


def test_groups_by_owner_kind_area_and_day() -> None:
    log = [
        req("R-001", "presented", 0, 10, owner="Ann", kind="record", area="MA"),
        req("R-002", "presented", 60 * 24, 60 * 24 + 30, owner="Ben", area="PS"),
        req("R-003", "presented", 5, 25, owner="Ann", area="MA"),
    ]
    stats = request_statistics(log, T0 + dt.timedelta(days=2), TARGET)  # days are UTC days
    assert [(g.key, g.count, g.late) for g in stats.by_owner] == [("Ann", 2, 1), ("Ben", 1, 1)]
    assert [g.key for g in stats.by_kind] == ["Document", "Record"]
    assert [(g.key, g.median_s) for g in stats.by_area] == [("MA", 15 * 60), ("PS", 30 * 60)]
    assert [(g.key, g.count) for g in stats.by_day] == [("2026-06-01", 2), ("2026-06-02", 1)]


@pytest.mark.parametrize(("seconds", "text"), [
    (None, "—"), (0, "0 s"), (59.6, "1 min"), (14 * 60 + 10, "14 min"), (3900, "1 h 05 min"),
])
def test_format_duration(seconds: float | None, text: str) -> None:
    assert format_duration(seconds) == text


def test_days_are_utc_days_whatever_the_computers_time_zone(monkeypatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Pacific/Auckland")  # UTC+12: 13:00 UTC is 01:00 the next day
    time.tzset()
    try:
        log = [req("R-001", "presented", 4 * 60, 4 * 60 + 10)]  # 2026-06-01 13:00 UTC
        stats = request_statistics(log, T0 + dt.timedelta(hours=6), TARGET)
        assert [g.key for g in stats.by_day] == ["2026-06-01"]
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_late_time_never_reads_as_the_target() -> None:
    assert format_duration(15 * 60 + 59) == "15 min"
    assert format_duration(15 * 60 + 59, late=True) == "16 min"
    assert format_duration(15 * 60 + 1, late=True) == "16 min"
    assert format_duration(16 * 60, late=True) == "16 min"
