"""Small things QA saw on the inspection-day screens (issue 11 QA #9)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel

from qmsr_ready.core.inspection_day.views import MoveView, RequestView, RosterView
from qmsr_ready.ui.dialogs.present_request import PresentRequestDialog
from qmsr_ready.ui.widgets.request_capture import parse_capture
from qmsr_ready.ui.widgets.request_detail import RequestDetail
from qmsr_ready.ui.widgets.sme_roster import SmeRosterPanel

T0 = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)


def test_the_file_row_label_is_a_mnemonic_for_the_file_field(qtbot) -> None:
    dialog = PresentRequestDialog("R-001", "SOP")
    qtbot.addWidget(dialog)
    label = next(lb for lb in dialog.findChildren(QLabel) if lb.text() == "&File")
    assert label.buddy() is dialog.file


def test_roster_columns_fit_a_narrow_tab_without_a_horizontal_scroll(qtbot) -> None:
    panel = SmeRosterPanel()
    qtbot.addWidget(panel)
    panel.set_roster([("MO", "Management oversight"), ("OA", "MDR, corrections and removals")],
                     (RosterView("MO", "Aoife Keane-Fitzgerald", "Declan Moran",
                                 "SB-MO-01 storyboard", True, ""),))
    panel.resize(420, 400)
    panel.show()
    qtbot.waitExposed(panel)
    header = panel.table.horizontalHeader()
    assert header.length() <= panel.table.viewport().width()
    for col in (3, 4):  # Storyboard and Prepared are on screen
        assert header.sectionViewportPosition(col) + header.sectionSize(col) <= (
            panel.table.viewport().width())
        assert header.sectionSize(col) > 0


def test_a_move_without_an_actor_shows_no_empty_brackets(qtbot) -> None:
    detail = RequestDetail()
    qtbot.addWidget(detail)
    req = RequestView("R-001", T0, "FDA", "SOP", "document", "", "", "normal", "", "requested",
                      None, "", (), (), (MoveView("requested", T0, ""),), 1)
    detail.show_request(req, now=T0)
    assert "()" not in detail.timeline.text()


def test_only_a_trailing_at_name_is_the_owner() -> None:
    plain = parse_capture("Drawings @ rev C")
    assert (plain.text, plain.owner) == ("Drawings @ rev C", None)
    owned = parse_capture("Complaint log @Aoife Keane")
    assert (owned.text, owned.owner) == ("Complaint log", "Aoife Keane")
