"""Ctrl+Z in the request capture field is the window's Undo, never the field's own (QA #3).

The field's own undo used to bring a logged line back, which Enter then logged twice.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from qmsr_ready.core.inspection_day.views import list_requests


def _codes(ctx, code: str) -> list[str]:  # type: ignore[no-untyped-def]
    with ctx.workspace.session() as s:
        return [r.code for r in list_requests(s, code)]


def test_ctrl_z_in_the_empty_field_takes_back_the_last_request(
    qtbot, main_window, ctx, add_inspection
) -> None:
    code = add_inspection(ctx)
    ctx.set_current_inspection(code)
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.show_view("requests")
    view = main_window.views["requests"]
    field = view.capture.field
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "Complaint log")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert _codes(ctx, code) == ["R-001"]
    assert field.text() == ""
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() == ""  # the logged line does not come back
    assert _codes(ctx, code) == []  # the window's Undo took the request back
    qtbot.keyClick(field, Qt.Key.Key_Return)  # nothing to log twice
    assert _codes(ctx, code) == []
    qtbot.keyClick(field, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert _codes(ctx, code) == ["R-001"]  # Redo reaches the window too
