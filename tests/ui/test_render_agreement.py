"""Every renderer says the same band and percentage for every area (issue 9 item 2).

Bands once lived in three places (70/85 in the verdict, 85/70 in the PDF, 85/60 in the GUI) and
a 65 % area showed amber on screen and red in the PDF. Here the dashboard, the PDF summary, the
workbook (Summary and Areas sheets) and the CLI JSON render the same report, for the demo's
baseline inspection and for a generated report with an area at, just under and just over each
threshold, and each must print what ``core.report.bands`` says.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from views_fixtures import ViewsEnv, views_env_for

from qmsr_ready.commands.export import readiness_json
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.demo import build_demo
from qmsr_ready.core.export import ExportOptions, export_pdf, export_xlsx
from qmsr_ready.core.report import ReadinessReport, build_report
from qmsr_ready.core.report.bands import FLOOR, TARGET, band_of
from qmsr_ready.core.report.scoring import format_percent, round_half_up
from qmsr_ready.ui.presentation import BAND_LOOK
from qmsr_ready.ui.views.dashboard import DashboardView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

TODAY = dt.date(2026, 11, 25)
EDGE_SCORES = (None, 0.0, FLOOR - 0.51, FLOOR - 0.5, float(FLOOR), TARGET - 0.51, TARGET - 0.5,
               float(TARGET), 100.0)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> ReadinessReport:
    summary = build_demo(tmp_path_factory.mktemp("agree") / "demo.qmsr", today=TODAY)
    code = next(i.code for i in summary.inspections if i.inspection_type == "baseline_surveillance"
                and i.template_key == "fda-qmsr")
    with open_workspace(summary.path, read_only=True) as ws, ws.session() as s:
        return build_report(s, code, today=TODAY)


def _edge_case(report: ReadinessReport) -> ReadinessReport:
    """The demo report with one synthetic area per threshold value (and the overall at one)."""
    base = report.areas[0]
    areas = tuple(
        dataclasses.replace(base, area_id=f"E{i}", title=f"Edge area {i}", score=score,
                            coverage=None if score is None else 100.0)
        for i, score in enumerate(EDGE_SCORES, start=1)
    )
    overall = dataclasses.replace(report.overall, score=TARGET - 0.5)
    return dataclasses.replace(report, areas=areas, overall=overall)


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _expected(report: ReadinessReport) -> dict[str, tuple[str, str]]:
    """Area ID → (percent as printed, band label), the overall as "ALL"."""
    return {a.area_id: (format_percent(a.score), band_of(a.score).label)
            for a in (*report.areas, report.overall)}


def _dashboard(qtbot, env: ViewsEnv, report: ReadinessReport) -> dict[str, tuple[str, str]]:
    view = DashboardView(env.ctx)
    qtbot.addWidget(view)
    view.show_report(report)
    seen = {}
    for area, bar in zip(report.areas, view.area_chart.bars(), strict=True):
        shown, label = bar.caption.split(" · ")[0].split(" ", 1)
        assert bar.color == BAND_LOOK[band_of(area.score)].color, area.area_id
        seen[area.area_id] = (shown, label[:1].upper() + label[1:])
    shown, band = view.overall.value.text(), view.overall.caption.text().split(" ", 1)[1]
    seen["ALL"] = (shown, band)
    return seen


def _pdf(report: ReadinessReport, path: Path) -> dict[str, tuple[str, str]]:
    export_pdf(report, path, options=ExportOptions(sections=frozenset({"summary"})))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(path).pages).split())
    table = text[text.index("Checklist conformance by area Area Conformance"):]
    starts = [(a.area_id, table.index(f"{a.area_id} — {a.title}")) for a in report.areas]
    starts.append(("ALL", table.index("Overall", starts[-1][1])))
    seen = {}
    for (area_id, start), end in zip(starts, [s for _a, s in starts[1:]] + [len(table)],
                                     strict=True):
        cells = table[start:end]
        for shown, label in _expected(report).values():
            if f" {shown} {label} " in f" {cells} ":
                seen[area_id] = (shown, label)
                break
    return seen


def _workbook(report: ReadinessReport, path: Path) -> tuple[dict[str, tuple[str, str]], ...]:
    export_xlsx(report, path)
    wb = load_workbook(path)

    def shown(value: object) -> str:
        return "—" if value is None else f"{round_half_up(float(value))}%"  # the 0"%" format

    summary_sheet = wb["Summary"]
    top = next(c.row for c in summary_sheet["A"] if c.value == "Area")
    summary = {}
    for row in summary_sheet.iter_rows(min_row=top + 1, max_row=top + len(report.areas),
                                       values_only=True):
        summary[row[0]] = (shown(row[2]), row[4])
    areas_sheet = wb["Areas"]
    heads = [c.value for c in areas_sheet[1]]
    col = {h: heads.index(h) for h in ("Area", "Conformance %", "Band")}
    areas = {}
    for row in areas_sheet.iter_rows(min_row=2, values_only=True):
        key = "ALL" if row[col["Area"]] == "ALL" else row[col["Area"]]
        areas[key] = (shown(row[col["Conformance %"]]), row[col["Band"]])
    return summary, areas


def _json(report: ReadinessReport) -> dict[str, tuple[str, str]]:
    data = readiness_json(report)
    seen = {a["area_id"]: (a["shown_as"], a["band_label"]) for a in data["areas"]}
    seen["ALL"] = (data["shown_as"], data["band_label"])
    return seen


@pytest.mark.parametrize("case", ["demo", "edge"])
def test_every_renderer_agrees_on_band_and_percent(qtbot, views_env, demo_report, tmp_path,
                                                   case: str) -> None:
    report = demo_report if case == "demo" else _edge_case(demo_report)
    expected = _expected(report)
    if case == "edge":  # the generated areas really sit on both sides of each threshold
        assert [v[1] for k, v in expected.items() if k.startswith("E")] == [
            "Not assessed", "Off target", "Off target", "Needs work", "Needs work",
            "Needs work", "On target", "On target", "On target"]
    without_overall = {k: v for k, v in expected.items() if k != "ALL"}
    assert _dashboard(qtbot, views_env, report) == expected
    assert _pdf(report, tmp_path / "p.pdf") == expected
    summary, areas = _workbook(report, tmp_path / "w.xlsx")
    assert summary == without_overall
    assert areas == expected
    assert _json(report) == expected
