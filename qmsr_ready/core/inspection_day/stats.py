"""Time-to-present statistics of a request log: count, median, 90th percentile, longest, late.

Timings cover requests that were presented (presented at − requested at). A request still open
counts as late once its running time passes the target. Withdrawn requests, and requests only
pre-staged (prepared, never asked for), are left out of every timing. The 90th percentile is the
nearest-rank value (the smallest time that at least 90 % of presented requests met).
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from qmsr_ready.core.inspection_day.views import RequestView
from qmsr_ready.core.vocab import RequestStatus


@dataclass(frozen=True)
class TimingStats:
    """Timings of one group of requests, in seconds (None when nothing was presented)."""

    key: str
    count: int  # requests asked for (withdrawn and never-requested excluded)
    presented: int
    open: int
    late: int
    median_s: float | None
    p90_s: float | None
    longest_s: float | None

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key, "count": self.count, "presented": self.presented,
            "open": self.open, "late": self.late, "median_s": self.median_s,
            "p90_s": self.p90_s, "longest_s": self.longest_s,
        }


@dataclass(frozen=True)
class RequestStats:
    """The whole log's statistics and the same per owner, kind, area and day."""

    overall: TimingStats
    withdrawn: int
    prepared: int
    target_s: float
    by_owner: tuple[TimingStats, ...]
    by_kind: tuple[TimingStats, ...]
    by_area: tuple[TimingStats, ...]
    by_day: tuple[TimingStats, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            **self.overall.as_dict(), "withdrawn": self.withdrawn, "prepared": self.prepared,
            "target_s": self.target_s,
            "by_owner": [g.as_dict() for g in self.by_owner],
            "by_kind": [g.as_dict() for g in self.by_kind],
            "by_area": [g.as_dict() for g in self.by_area],
            "by_day": [g.as_dict() for g in self.by_day],
        }


def nearest_rank(sorted_values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of already sorted values (non-empty)."""
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def timing(key: str, requests: Sequence[RequestView], now: dt.datetime,
           target: dt.timedelta) -> TimingStats:
    asked = [r for r in requests if _counted(r)]
    done = sorted(
        (r.presented_at - r.requested_at).total_seconds()
        for r in asked if r.status == RequestStatus.PRESENTED.value
        and r.presented_at is not None and r.requested_at is not None
    )
    return TimingStats(
        key=key,
        count=len(asked),
        presented=len(done),
        open=sum(r.is_open for r in asked),
        late=sum(r.is_late(now, target) for r in asked),
        median_s=float(statistics.median(done)) if done else None,
        p90_s=nearest_rank(done, 0.9) if done else None,
        longest_s=done[-1] if done else None,
    )


def _counted(r: RequestView) -> bool:
    return r.requested_at is not None and r.status not in (
        RequestStatus.WITHDRAWN.value, RequestStatus.PREPARED.value
    )


def _groups(requests: Sequence[RequestView], key: Callable[[RequestView], str], now: dt.datetime,
            target: dt.timedelta) -> tuple[TimingStats, ...]:
    buckets: dict[str, list[RequestView]] = {}
    for r in requests:
        if _counted(r):
            buckets.setdefault(key(r), []).append(r)
    return tuple(timing(k, v, now, target) for k, v in sorted(buckets.items()))


def request_statistics(
    requests: Sequence[RequestView],
    now: dt.datetime,
    target: dt.timedelta,
    tz: dt.tzinfo = dt.UTC,
) -> RequestStats:
    """Statistics at ``now``; days are calendar days in ``tz``.

    UTC by default, and every renderer (packs, CLI, GUI) keeps the default and says "day
    (UTC)": the same log must not fall on different days on different computers.
    """

    def day(r: RequestView) -> str:
        assert r.requested_at is not None
        return r.requested_at.astimezone(tz).date().isoformat()

    return RequestStats(
        overall=timing("all", requests, now, target),
        withdrawn=sum(r.status == RequestStatus.WITHDRAWN.value for r in requests),
        prepared=sum(r.status == RequestStatus.PREPARED.value for r in requests),
        target_s=target.total_seconds(),
        by_owner=_groups(requests, lambda r: r.owner or "(no owner)", now, target),
        by_kind=_groups(requests, lambda r: r.kind_label, now, target),
        by_area=_groups(requests, lambda r: r.area_id or "(no area)", now, target),
        by_day=_groups(requests, day, now, target),
    )


def format_duration(seconds: float | None, *, late: bool = False) -> str:
    """``1 h 05 min``, ``14 min``, ``45 s`` or ``—``: one format for every screen and pack.

    A ``late`` time is rounded up to the next whole minute: 15 min 59 s past a 15-minute
    target must not read "15 min LATE", a time equal to the target.
    """
    if seconds is None:
        return "—"
    whole = round(seconds)
    if late and whole >= 60:
        whole = -(-whole // 60) * 60
    if whole < 60:
        return f"{whole} s"
    minutes = whole // 60
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
