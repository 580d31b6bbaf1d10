"""Dashboard: the readiness verdict and why, checklist conformance per area and overall (with
the risk-focus questions' score beside it), coverage, findings by class × area, open by age.

Everything comes from ``build_report`` — the same ``ReadinessReport`` the Excel and PDF packs
render — built on a worker (the audit chain check reads every event) and only while visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.inspection_day.report import RequestLogReport
from qmsr_ready.core.report import ReadinessReport, build_report
from qmsr_ready.core.report.bands import BAND_LEGEND
from qmsr_ready.core.report.scoring import format_percent
from qmsr_ready.core.report.verdict import readiness_verdict
from qmsr_ready.core.vocab import FindingStatus
from qmsr_ready.ui.models.class_area_model import ClassAreaModel
from qmsr_ready.ui.presentation import (
    DATETIME_FORMAT,
    GREY,
    MARGIN,
    ORANGE,
    SPACING,
    VERMILLION,
    band_look,
    verdict_look,
)
from qmsr_ready.ui.widgets.banner import LockBanner
from qmsr_ready.ui.widgets.card_grid import CardGrid
from qmsr_ready.ui.widgets.charts import Bar, ColumnChart, HorizontalBarChart
from qmsr_ready.ui.widgets.request_stats import stats_headline

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0–30 days", 0, 30),
    ("31–60 days", 31, 60),
    ("61–90 days", 61, 90),
    ("Over 90 days", 91, None),
)
AGE_COLORS = (GREY, ORANGE, ORANGE, VERMILLION)


def percent(value: float | None) -> str:
    return format_percent(value)  # the same "88%" as the packs and the home list


def open_findings_by_age(report: ReadinessReport) -> list[int]:
    """Counts of not-closed findings per age bucket (age from when they were raised)."""
    counts = [0] * len(AGE_BUCKETS)
    for finding in report.findings:
        if finding.status == FindingStatus.CLOSED or finding.created_at is None:
            continue
        age = (report.today - finding.created_at.date()).days
        for i, (_label, low, high) in enumerate(AGE_BUCKETS):
            if age >= low and (high is None or age <= high):
                counts[i] += 1
                break
    return counts


@dataclass(frozen=True)
class _Card:
    frame: QFrame
    value: QLabel
    caption: QLabel


def _card(title: str) -> _Card:
    frame = QFrame()
    frame.setObjectName("dashboardCard")
    frame.setStyleSheet(
        "#dashboardCard { border: 1px solid palette(mid); border-radius: 6px; }"
    )
    heading = QLabel(title)
    heading.setStyleSheet("color: palette(placeholder-text);")
    value = QLabel("—")
    font = value.font()
    font.setPointSizeF(font.pointSizeF() * 2.0)
    font.setBold(True)
    value.setFont(font)
    caption = QLabel()
    caption.setWordWrap(True)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(MARGIN, SPACING, MARGIN, SPACING)
    layout.setSpacing(2)
    layout.addWidget(heading)
    layout.addWidget(value)
    layout.addWidget(caption)
    value.setAccessibleName(title)
    return _Card(frame, value, caption)


class DashboardView(QWidget):
    """Read-only overview of one inspection's readiness."""

    report_loaded = Signal(object)  # the ReadinessReport shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._code = ""
        self._dirty = False
        self._running = False
        self.report: ReadinessReport | None = None
        self.setObjectName("dashboard")

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.subheading = QLabel()
        self.subheading.setStyleSheet("color: palette(placeholder-text);")
        self.subheading.setWordWrap(True)  # the template name is long: wrap, never widen the view
        self.message = LockBanner(self, tone="problem")

        self.verdict_card = _card("Readiness verdict")
        self.overall = _card("Checklist conformance")
        self.risk_focus = _card("Risk-focus questions")
        self.coverage = _card("Coverage")
        self.findings_card = _card("Open findings")
        self.overdue_card = _card("Overdue actions")
        self._cards = (self.verdict_card, self.overall, self.risk_focus, self.coverage,
                       self.findings_card, self.overdue_card)
        # Why the verdict is what it is: a percentage alone hides an open critical finding
        # or major gaps nobody raised as a finding.
        self.verdict_reasons = QLabel()
        self.verdict_reasons.setWordWrap(True)
        self.verdict_reasons.setAccessibleName("Readiness verdict reasons")
        # Inspection-day preparation sits beside the verdict, never inside it: an SME roster gap
        # says whether the day will run smoothly, not whether the site conforms.
        self.day_prep = QLabel()
        self.day_prep.setWordWrap(True)
        self.day_prep.setAccessibleName("Inspection-day preparation")
        self.day_box = QGroupBox("Inspection-day preparation")
        QVBoxLayout(self.day_box).addWidget(self.day_prep)
        self.day_log: RequestLogReport | None = None
        # One row when it fits, otherwise two or three (1280x720 at 125 % cut "Overdue actions").
        self.card_grid = CardGrid([card.frame for card in self._cards], SPACING)

        self.area_chart = HorizontalBarChart("Checklist conformance by area", parent=self)
        area_box = QGroupBox("Checklist conformance by area (thin grey bar: coverage)")
        area_box.setToolTip(BAND_LEGEND)
        QVBoxLayout(area_box).addWidget(self.area_chart)
        self.age_chart = ColumnChart("Open findings by age", parent=self)
        age_box = QGroupBox("Open findings by age")
        QVBoxLayout(age_box).addWidget(self.age_chart)

        self.matrix_model = ClassAreaModel(self)
        self.matrix = QTableView(self)
        self.matrix.setModel(self.matrix_model)
        self.matrix.setAccessibleName("Findings by class and area")
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.matrix.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionMode(QTableView.SelectionMode.NoSelection)
        matrix_box = QGroupBox("Findings by class × area")
        QVBoxLayout(matrix_box).addWidget(self.matrix)

        grid = QGridLayout()
        grid.setSpacing(SPACING)
        grid.addWidget(area_box, 0, 0)
        grid.addWidget(age_box, 0, 1)
        grid.addWidget(matrix_box, 1, 0, 1, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(0, 1)

        # The panels scroll rather than force the window taller than a 768-pixel laptop screen
        # when the verdict has many reasons.
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.message)
        layout.addWidget(self.card_grid)
        beside = QHBoxLayout()
        beside.setSpacing(SPACING)
        beside.addWidget(self.verdict_reasons, 3)
        beside.addWidget(self.day_box, 2)
        layout.addLayout(beside)
        layout.addLayout(grid, 1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        # Many edits arrive in bursts (autosave); rebuild once they settle.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh)
        ctx.data_changed.connect(self._on_ctx_data_changed)
        ctx.current_inspection_changed.connect(self.set_inspection)
        ctx.workspace_changed.connect(lambda: self.set_inspection(""))
        self.show_report(None)

    # -- loading ------------------------------------------------------------------------
    def set_inspection(self, code: str) -> None:
        self._code = code
        self.report = None
        self.show_report(None)
        self._dirty = True
        if self.isVisible():
            self.refresh()

    def _on_ctx_data_changed(self, _kind: str, code: str) -> None:
        if self._code and (not code or code == self._code):
            self._dirty = True
            if self.isVisible():
                self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self._timer.start(0)

    def refresh(self) -> None:
        """Build the report on a worker and show it when it arrives."""
        if not self._code or self._ctx.workspace is None:
            return
        if self._running:
            self._dirty = True  # rebuild again once the running job is done
            return
        self._dirty = False
        self._running = True
        code, workspace = self._code, self._ctx.workspace

        ctx = self._ctx

        def job(_progress: Any) -> tuple[ReadinessReport, RequestLogReport]:
            ctx.catalogue()  # load the template library off the GUI thread (cached)
            with workspace.session() as session:
                report = build_report(session, code)
            return report, report.request_log  # the log the packs print, read once

        self._ctx.workers.start(job, on_result=self._on_job_result, on_error=self._on_job_error)

    def _on_job_result(self, result: object) -> None:
        self._running = False
        report, day_log = result if isinstance(result, tuple) else (result, None)
        if isinstance(report, ReadinessReport) and report.inspection.code == self._code:
            self.show_day(day_log if isinstance(day_log, RequestLogReport) else None)
            self.show_report(report)
        if self._dirty and self._code:
            self._timer.start()

    def _on_job_error(self, error: object) -> None:
        self._running = False
        self.message.show_text(f"The dashboard could not be built: {error}")

    def _newer_template_note(self, report: ReadinessReport) -> str:
        """Say when the library holds a newer template: offered to new inspections only."""
        newer = self._ctx.catalogue().newer_than(report.template.key, report.template.version)
        if newer is None:
            return ""
        return (f"\nVersion {newer.version} of this template is in the library; new inspections "
                "use it, this one keeps the snapshot it started from.")

    # -- showing ------------------------------------------------------------------------
    def show_day(self, day_log: RequestLogReport | None) -> None:
        """Preparation gaps of the SME roster and the request statistics headline."""
        self.day_log = day_log
        if day_log is None:
            self.day_prep.setText("—")
            return
        gaps = day_log.preparation_gaps
        lines = [f"⚠ {g.text}" for g in gaps] or ["✓ Every area in scope has its SME, backup "
                                                  "and storyboard, and is prepared."]
        lines.append(f"Requests: {stats_headline(day_log.stats)}")
        self.day_prep.setText("\n".join(lines))
        self.day_box.setToolTip("Preparation gaps come from the SME roster (Requests ▸ SME "
                                "roster); they do not change the readiness verdict.")

    def show_report(self, report: ReadinessReport | None) -> None:
        """Fill every panel from one report (``None`` clears them)."""
        self.report = report
        self.message.show_text("")
        if report is None:
            self.heading.setText("Dashboard")
            self.subheading.setText("Choose an inspection to see its readiness."
                                    if not self._code else "Building the readiness report…")
            for card in self._cards:
                card.value.setText("—")
                card.value.setStyleSheet("")
                card.caption.setText("")
            self.verdict_reasons.setText("")
            self.day_prep.setText("—")
            self.area_chart.set_bars([])
            self.age_chart.set_bars([])
            self.matrix_model.set_matrix(None)
            return
        info, overall = report.inspection, report.overall
        self.heading.setText(f"{info.code} · {report.site.name}")
        generated = report.generated_at.strftime(DATETIME_FORMAT)
        self.subheading.setText(
            f"{info.inspection_type_label} (Model {info.model}) · {info.status_label} · "
            f"template {report.template.title} {report.template.version} · as of {generated}"
            + self._newer_template_note(report)
        )
        verdict = readiness_verdict(report)
        look = verdict_look(verdict.level)
        self.verdict_card.value.setText(f"{look.symbol} {look.label}")
        self.verdict_card.value.setStyleSheet(f"color: {look.color};")
        self.verdict_card.caption.setText(
            "no open issue" if not verdict.reasons else
            f"{len(verdict.reasons)} reason{'s' if len(verdict.reasons) != 1 else ''} below")
        self.verdict_card.frame.setToolTip(verdict.summary)
        band = band_look(overall.score)
        self.overall.value.setText(percent(overall.score))
        self.overall.value.setStyleSheet(f"color: {band.color};")
        self.overall.caption.setText(band.text)
        self.overall.frame.setToolTip(BAND_LEGEND)
        risk = report.risk_focus
        risk_band = band_look(risk.score)
        self.risk_focus.value.setText(percent(risk.score))
        self.risk_focus.value.setStyleSheet(f"color: {risk_band.color};")
        self.risk_focus.caption.setText(
            f"{risk_band.text} · {risk.assessed} of {risk.applicable} assessed")
        self.verdict_reasons.setText(
            "\n".join(f"• {reason}" for reason in verdict.reasons) or "No blocking issues."
        )
        self.coverage.value.setText(percent(overall.coverage))
        self.coverage.caption.setText(
            f"{overall.assessed} of {overall.applicable} applicable questions assessed"
        )
        open_count = sum(f.status != FindingStatus.CLOSED for f in report.findings)
        self.findings_card.value.setText(str(open_count))
        self.findings_card.caption.setText(f"of {len(report.findings)} raised")
        overdue = len(report.overdue_actions)
        self.overdue_card.value.setText(str(overdue))
        self.overdue_card.value.setStyleSheet(f"color: {VERMILLION};" if overdue else "")
        self.overdue_card.caption.setText("past their due date" if overdue else "none overdue")

        self.area_chart.set_bars([
            Bar(
                label=f"{a.area_id} {a.title}",
                value=a.score,
                color=band_look(a.score).color,
                caption=f"{percent(a.score)} {band_look(a.score).label.lower()} · "
                        f"coverage {percent(a.coverage)}",
                secondary=a.coverage,
            )
            for a in report.areas
        ])  # fmt: skip
        counts = open_findings_by_age(report)
        self.age_chart.set_bars([
            Bar(label, float(n), AGE_COLORS[i], str(n))
            for i, ((label, _lo, _hi), n) in enumerate(zip(AGE_BUCKETS, counts, strict=True))
        ])  # fmt: skip
        self.matrix_model.set_matrix(report.findings_by_class_area)
        self._fit_matrix_height()
        self.report_loaded.emit(report)

    def _fit_matrix_height(self) -> None:
        """Size the table to its rows so the charts get the spare height."""
        rows = self.matrix_model.rowCount()
        height = self.matrix.horizontalHeader().height() + 2 * self.matrix.frameWidth()
        height += sum(self.matrix.rowHeight(r) for r in range(rows))
        self.matrix.setFixedHeight(max(height, 60))

