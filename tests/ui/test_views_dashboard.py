"""Dashboard: every panel is filled from the shared ReadinessReport; models pass the tester."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from views_fixtures import ACTOR, ViewsEnv, views_env_for

from qmsr_ready.core import services
from qmsr_ready.core.report import build_report
from qmsr_ready.core.views.checklist import EvidenceView
from qmsr_ready.ui.models.class_area_model import ClassAreaModel
from qmsr_ready.ui.views.dashboard import DashboardView, open_findings_by_age
from qmsr_ready.ui.widgets.evidence_list import EvidenceListModel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def views_env(qtbot, tmp_path: Path) -> Iterator[ViewsEnv]:
    yield from views_env_for(tmp_path)


def _seed(env) -> None:
    with env.ctx.workspace.begin() as s:
        for qid, result in (("MO-05-Q01", "conforms"), ("MO-05-Q02", "major_gap"),
                            ("MA-03-Q01", "minor_gap"), ("MA-03-Q02", "not_applicable")):
            services.record_response(s, ACTOR, inspection_code=env.code, question_id=qid,
                                     result=result, notes=f"Reason for {qid}.")
        services.raise_finding(s, ACTOR, inspection_code=env.code, title="MDF gap",
                               classification="major", question_ids=["MO-05-Q02"])
        services.raise_finding(s, ACTOR, inspection_code=env.code, title="Complaint gap",
                               classification="minor", question_ids=["MA-03-Q01"])


def test_dashboard_shows_report_numbers(qtbot, views_env) -> None:
    _seed(views_env)
    view = DashboardView(views_env.ctx)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.report_loaded, timeout=30_000):
        view.set_inspection(views_env.code)
    with views_env.ctx.read() as s:
        report = build_report(s, views_env.code)
    overall = report.overall
    assert view.overall.value.text() == f"{overall.score:.0f}%"
    assert view.coverage.value.text() == f"{overall.coverage:.0f}%"
    assert view.findings_card.value.text() == "2"
    # An open major finding keeps the verdict from reading "Ready", whatever the percentage.
    assert view.verdict_card.value.text() == "✖ Not ready"
    assert view.overall.caption.text() == "✖ Off target"
    reasons = view.verdict_reasons.text()
    assert f"checklist conformance {overall.score:.0f}% is below 70%" in reasons
    assert "1 open major or likely-483 finding (F-001)" in reasons
    assert "2 selected elements not fully assessed: MO-11 (0 of 1), MA-03 (1 of 2)" in reasons
    risk = report.risk_focus
    assert view.risk_focus.value.text() == ("—" if risk.score is None
                                            else f"{risk.score:.0f}%")
    labels = [bar.label for bar in view.area_chart.bars()]
    assert labels == ["MO Management Oversight", "MA Measurement, Analysis and Improvement"]
    assert [bar.value for bar in view.area_chart.bars()] == [a.score for a in report.areas]
    assert [b.value for b in view.age_chart.bars()] == [2.0, 0.0, 0.0, 0.0]
    # Class × area table: Major in MO and Minor in MA, totals in the last row/column.
    model = view.matrix_model
    majors = report.findings_by_class_area.classifications.index("major")
    mo = report.findings_by_class_area.area_ids.index("MO")
    assert model.index(majors, mo).data() == "1"
    assert model.index(model.rowCount() - 1, model.columnCount() - 1).data() == "2"
    # A new finding refreshes the dashboard by itself.
    with (
        qtbot.waitSignal(view.report_loaded, timeout=30_000),
        views_env.ctx.write("finding", views_env.code) as s,
    ):
        services.raise_finding(s, ACTOR, inspection_code=views_env.code, title="Third",
                               classification="observation")
    assert view.findings_card.value.text() == "3"


def test_age_buckets_count_only_open_findings(fixed_now: dt.datetime, views_env) -> None:
    _seed(views_env)  # raised at fixed_now
    with views_env.ctx.read() as s:
        report = build_report(s, views_env.code, today=fixed_now.date() + dt.timedelta(days=45))
    assert open_findings_by_age(report) == [0, 2, 0, 0]


def test_small_models_pass_modeltester(qtmodeltester, views_env) -> None:
    _seed(views_env)
    with views_env.ctx.read() as s:
        report = build_report(s, views_env.code)
    matrix = ClassAreaModel()
    matrix.set_matrix(report.findings_by_class_area)
    qtmodeltester.check(matrix)
    evidence = EvidenceListModel()
    evidence.set_rows([EvidenceView("E-001", "a.pdf", "application/pdf", 2048, ACTOR, None)])
    qtmodeltester.check(evidence)
    assert evidence.index(0, 0).data() == "E-001  a.pdf  (2.0 KB)"


def test_dashboard_says_when_a_newer_template_is_in_the_library(qtbot, views_env) -> None:
    import dataclasses

    _seed(views_env)
    view = DashboardView(views_env.ctx)
    qtbot.addWidget(view)
    with views_env.ctx.read() as s:
        report = build_report(s, views_env.code)
    catalogue = views_env.ctx.catalogue()
    view.show_report(report)
    assert "keeps the snapshot" not in view.subheading.text()
    newer = catalogue.templates[0]
    older = dataclasses.replace(report.template, key=newer.key, version="2000.01")
    view.show_report(dataclasses.replace(report, template=older))
    assert f"Version {catalogue.newer_than(newer.key, '2000.01').version}" in \
        view.subheading.text()
    assert "keeps the snapshot it started from" in view.subheading.text()


def test_dashboard_day_panel_shows_the_reports_own_request_log(qtbot, views_env) -> None:
    """One read per refresh: the day panel is the log the report (and the packs) carry."""
    _seed(views_env)
    view = DashboardView(views_env.ctx)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.report_loaded, timeout=30_000):
        view.set_inspection(views_env.code)
    assert view.report is not None
    assert view.day_log is view.report.request_log
