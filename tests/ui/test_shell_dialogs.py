"""New inspection wizard, sign-off and reopen, driven with qtbot; asserts DB and audit trail."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWizard
from sqlalchemy import select

from qmsr_ready.core.models import AuditEvent, Inspection, InspectionElement, Site


# The offscreen platform plugin warns when a shown QWizard propagates size hints: platform noise.
@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_new_inspection_wizard_creates_inspection(qtbot, ctx) -> None:
    from qmsr_ready.ui.dialogs.new_inspection import NewInspectionWizard

    wizard = NewInspectionWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    site = wizard.site_page
    assert site.new_radio.isChecked(), "no sites yet: new site is the only choice"
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    site.name_edit.setText("Zoë Łukasiewicz-Ψ Works")  # QtTest keyClicks is ASCII-only
    qtbot.keyClicks(site.fei_edit, "3001234567")
    site.class_checks["II"].setChecked(True)
    site.flag_checks["software_in_device"].setChecked(True)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    types = wizard.type_page.type_combo
    assert types.count() == 7
    types.setCurrentIndex(types.findData("for_cause"))
    wizard.next()
    elements = wizard.elements_page
    assert elements.model.rowCount() > 0
    reasons = [elements.model.item(r, 3).text() for r in range(elements.model.rowCount())]
    assert all(reasons), "every proposed element explains why"
    first = elements.model.item(0, 0)
    wanted = Qt.CheckState.Unchecked if first.checkState() == Qt.CheckState.Checked \
        else Qt.CheckState.Checked
    first.setCheckState(wanted)
    chosen = {c.element_id: c.selected for c in elements.choices()}
    wizard.next()
    qtbot.keyClicks(wizard.details_page.title_edit, "For-cause mock")
    qtbot.keyClicks(wizard.details_page.team_edit, "Ana, Bo")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.created_code
    with ctx.read() as s:
        where = Inspection.code == wizard.created_code
        insp = s.execute(select(Inspection).where(where)).scalar_one()
        assert insp.inspection_type == "for_cause"
        assert insp.title == "For-cause mock"
        assert insp.team == ["Ana", "Bo"]
        assert insp.lead == "Test Lead"
        assert s.execute(select(Site.name)).scalar_one() == "Zoë Łukasiewicz-Ψ Works"
        stored = {
            e.element_id: e.selected
            for e in s.execute(select(InspectionElement)).scalars()
        }
        assert stored == chosen
        actions = [e.action for e in s.execute(select(AuditEvent)).scalars()]
        assert "inspection.create" in actions
        assert "site.create" in actions
        actors = {e.actor for e in s.execute(select(AuditEvent)).scalars() if e.seq > 1}
        assert actors == {"Test Lead"}


def test_sign_off_locks_then_reopen_requires_reason(qtbot, main_window, ctx, add_inspection):
    from qmsr_ready.core.errors import InspectionLocked
    from qmsr_ready.core.services.inspections import update_inspection
    from qmsr_ready.ui.dialogs.signoff import ReopenDialog, SignOffDialog

    code = add_inspection(ctx)
    ctx.set_current_inspection(code)
    dialog = SignOffDialog(ctx, code, main_window)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "Test Lead"
    assert dialog.time_label.text().endswith("UTC")
    with qtbot.waitSignal(ctx.data_changed):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
        )
    assert main_window.ops.inspection_status(code) == "signed_off"
    assert main_window.actions.reopen.isEnabled()
    assert not main_window.actions.sign_off.isEnabled()
    assert "Signed off" in main_window.status_inspection.text()
    try:
        with ctx.write("inspection", code) as s:
            update_inspection(s, ctx.actor, code, title="changed")
        raise AssertionError("a signed-off inspection accepted an edit")
    except InspectionLocked:
        pass

    reopen = ReopenDialog(ctx, code, main_window)
    qtbot.addWidget(reopen)
    ok = reopen.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled(), "a reason is required"
    qtbot.keyClicks(reopen.reason_edit, "CAPA evidence arrived late")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert main_window.ops.inspection_status(code) == "in_progress"
    with ctx.read() as s:
        events = [e for e in s.execute(select(AuditEvent)).scalars()
                  if e.action.startswith("inspection.")]
        assert [e.action for e in events][-2:] == ["inspection.sign_off", "inspection.reopen"]
        assert "CAPA evidence arrived late" in str(events[-1].changes)


def test_display_name_dialog_requires_a_name(qtbot) -> None:
    from qmsr_ready.ui.dialogs.display_name import DisplayNameDialog

    dialog = DisplayNameDialog("")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.name_edit, "  Dana  ")
    assert ok.isEnabled()
    assert dialog.name() == "Dana"
