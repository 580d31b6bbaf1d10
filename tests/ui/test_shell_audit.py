"""Audit viewer: filters narrow the events, Verify reports intact and tampered chains."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import text

from qmsr_ready.core.report.verdict import Verdict, VerdictLevel
from qmsr_ready.ui.models.audit_model import AuditFilterProxy, AuditModel, AuditRow
from qmsr_ready.ui.models.inspections_model import InspectionRow, InspectionsModel


def test_audit_filters_and_verify(qtbot, ctx, add_inspection) -> None:
    from qmsr_ready.ui.views.audit_view import ALL, AuditView

    code = add_inspection(ctx)
    view = AuditView(ctx)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 0, "a long trail is not read until the view is shown"
    view.show()
    qtbot.waitExposed(view)
    total = view.model.rowCount()
    assert total >= 3  # workspace.create, site.create, template.snapshot, inspection.create
    view.entity_combo.setCurrentText("inspection")
    assert view.proxy.rowCount() == 1
    assert view.proxy.index(0, 3).data() == "inspection.create"
    view.entity_combo.setCurrentText(ALL)
    view.actor_combo.setCurrentText("Test Lead")
    assert 0 < view.proxy.rowCount() < total  # workspace.create was by the OS user
    view.actor_combo.setCurrentText(ALL)
    view.text_edit.setText("springfield")
    assert view.proxy.rowCount() == 1
    view.text_edit.clear()
    view.from_edit.setDate(view.from_edit.date().currentDate().addDays(1))
    assert view.proxy.rowCount() == 0
    view.to_edit.setDate(view.to_edit.date().currentDate())
    assert "the To date is before the From date" in view.count_label.text()
    view.to_edit.setDate(view.to_edit.minimumDate())
    view.from_edit.setDate(view.from_edit.minimumDate())
    assert view.proxy.rowCount() == total
    assert "before" not in view.count_label.text()
    view.set_inspection(code)
    view.only_current.setChecked(True)
    assert 0 < view.model.rowCount() < total

    with qtbot.waitSignal(ctx.workers.job_finished, timeout=10000):
        view.verify()
    assert view.result_label.text().startswith("✓ Verified")

    with ctx.workspace.engine.begin() as conn:  # tamper behind the app's back
        conn.execute(text("UPDATE audit_events SET actor = 'Mallory' WHERE seq = 2"))
    with qtbot.waitSignal(ctx.workers.job_finished, timeout=10000):
        view.verify()
    assert "FAILED at event 2" in view.result_label.text()


def test_models_pass_modeltester(qtmodeltester) -> None:
    audit = AuditModel()
    now = dt.datetime(2026, 5, 1, 12, tzinfo=dt.UTC)
    audit.set_rows([
        AuditRow(i, now, "A", "x.create", "x", f"X-{i}", "", "a: 1 → 2") for i in range(1, 6)
    ])
    qtmodeltester.check(audit)
    proxy = AuditFilterProxy()
    proxy.setSourceModel(audit)
    proxy.set_filters(text="X-3")
    assert proxy.rowCount() == 1
    qtmodeltester.check(proxy)
    insp = InspectionsModel()
    rows = [
        InspectionRow(f"MI-2026-00{i}", "t", "Site (SITE-001)", "for_cause", 1, "planned",
                      None, None, i, 10, 0)
        for i in range(3)
    ]
    insp.set_rows(rows)
    insp.set_readiness({"MI-2026-001": (72.0, None), "MI-2026-002": (None, None)})
    qtmodeltester.check(insp)
    assert "72%" in insp.index(1, 8).data()
    # A verdict gates the percentage: 95 % with an open critical finding reads "Not ready".
    blocked = Verdict(VerdictLevel.NOT_READY, ("1 open critical finding (F-001)",))
    insp.set_readiness({"MI-2026-002": (95.0, blocked)})
    assert insp.index(2, 8).data() == "✖ 95% Not ready"
    assert "F-001" in insp.index(2, 8).data(Qt.ItemDataRole.ToolTipRole)
    assert insp.index(0, 8).data() == "…"
