"""One row of the ``make bench`` table, the timing helpers every bench module shares, and output.

A bench module exposes ``rows() -> list[BenchRow]``; ``run_all.py`` calls it in a fresh process
and prints every module's rows as one table (and writes them to ``bench/results/latest.json``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class BenchRow:
    """One measured metric beside its bare baseline from the same run.

    ``target`` is the largest acceptable ``ours / baseline`` ratio; with no baseline it is the
    largest acceptable value of ``ours`` itself (in ``unit``); None means "reported only".
    """

    metric: str
    ours: float
    baseline: float | None = None
    unit: str = "ms"
    target: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.ours / self.baseline if self.baseline else None

    @property
    def within(self) -> bool | None:
        if self.target is None:
            return None
        measured = self.ratio if self.baseline is not None else self.ours
        return measured is not None and measured <= self.target

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ratio": self.ratio, "within_target": self.within}


def samples(runs: int, fn: Callable[[], object]) -> list[float]:
    """Wall-clock milliseconds of ``runs`` calls of ``fn``."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def paired_medians(
    runs: int, ours: Callable[[], object], bare: Callable[[], object]
) -> tuple[float, float]:
    """Medians (ms) of two jobs run alternately, so both see the same machine load."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a += samples(1, ours)
        b += samples(1, bare)
    return statistics.median(a), statistics.median(b)


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (nearest rank) of ``values``."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.2f} {unit}"


def render(rows: Sequence[BenchRow]) -> str:
    """The rows as one plain-text table."""
    header = ("metric", "ours", "bare baseline", "ratio", "target", "within target")
    body = []
    for r in rows:
        target = "—" if r.target is None else (
            f"≤ {r.target:g}×" if r.baseline is not None else f"≤ {_num(r.target, r.unit)}"
        )
        within = {None: "—", True: "yes", False: "NO"}[r.within]
        ratio = "—" if r.ratio is None else f"{r.ratio:.2f}×"
        body.append((r.metric, _num(r.ours, r.unit), _num(r.baseline, r.unit), ratio, target,
                     within))
    widths = [max(len(str(line[i])) for line in (header, *body)) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
             for line in (header, *body)]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {r.metric}: {r.note}" for r in rows if r.note]
    return "\n".join(lines + (["", "notes:", *notes] if notes else []))
