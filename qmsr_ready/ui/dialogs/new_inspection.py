"""The New inspection wizard: site and profile, type, trigger and template, planned elements, team.

The user states what triggered the inspection (a topic and product-risk signals); the planner
(``core.library.plan``) proposes elements from it with a reason for each; the user can add or
remove any. Finish creates the site (if new) and starts the inspection, trigger included, in one
transaction.

The site page lives in ``inspection_site_page``, the type and elements pages in
``inspection_plan_pages``; this module holds the team page and the wizard that creates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QLineEdit,
    QWidget,
    QWizard,
    QWizardPage,
)

from qmsr_ready.core.fields.spec import DATE_MAX, DATE_MIN
from qmsr_ready.ui.commands.base import execute
from qmsr_ready.ui.commands.inspections import CreateInspectionCommand
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.dialogs.inspection_plan_pages import ElementsPage, TypePage
from qmsr_ready.ui.dialogs.inspection_site_page import PROFILE_LABELS, SitePage, labelled
from qmsr_ready.ui.errors import show_error

__all__ = [
    "PROFILE_LABELS",
    "WIZARD_SIZE",
    "DetailsPage",
    "ElementsPage",
    "NewInspectionWizard",
    "SitePage",
    "TypePage",
    "wizard_geometry",
]


class DetailsPage(QWizardPage):
    """Title, lead, team and planned dates."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setTitle("Team and dates")
        self.setSubTitle("Who runs the inspection, and when. Finish opens its checklist.")
        form = QFormLayout(self)
        self.title_edit = QLineEdit(self)
        self.lead_edit = QLineEdit(ctx.actor, self)
        self.team_edit = QLineEdit(self)
        self.team_edit.setPlaceholderText("Names separated by commas")
        today = QDate.currentDate()
        self.start_edit = QDateEdit(today, self)
        self.end_edit = QDateEdit(today.addDays(2), self)
        for edit in (self.start_edit, self.end_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDateRange(QDate(DATE_MIN.year, DATE_MIN.month, DATE_MIN.day),
                              QDate(DATE_MAX.year, DATE_MAX.month, DATE_MAX.day))
        labelled(form, "T&itle:", self.title_edit)
        labelled(form, "&Lead:", self.lead_edit)
        labelled(form, "T&eam:", self.team_edit)
        labelled(form, "Planned &start:", self.start_edit)
        labelled(form, "Planned &end:", self.end_edit)

    def team(self) -> list[str]:
        return [n.strip() for n in self.team_edit.text().split(",") if n.strip()]


WIZARD_SIZE = QSize(900, 640)


def wizard_geometry(available: QRect) -> QRect:
    """The wizard's rectangle: 900x640 where it fits, else the available screen less a margin.

    Why: a fixed 900x640 put Next/Finish below the bottom of a 1366x768 screen at 125 %
    (about 1093x574 logical pixels available).
    """
    width = min(WIZARD_SIZE.width(), available.width() - 16)
    height = min(WIZARD_SIZE.height(), available.height() - 16)
    rect = QRect(0, 0, width, height)
    rect.moveCenter(available.center())
    return rect


class NewInspectionWizard(QWizard):
    """Plans and starts a mock inspection; ``created_code`` is set after Finish succeeds."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created_code = ""
        self.setWindowTitle("New inspection")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        # One header for every page: title and subtitle in the same banner, same fonts.
        self.setTitleFormat(Qt.TextFormat.PlainText)
        self.setSubTitleFormat(Qt.TextFormat.PlainText)
        self.site_page = SitePage(ctx)
        self.type_page = TypePage(ctx.catalogue())
        self.elements_page = ElementsPage()
        self.details_page = DetailsPage(ctx)
        for page in (self.site_page, self.type_page, self.elements_page, self.details_page):
            self.addPage(page)
        self.setGeometry(wizard_geometry(self._available(parent)))

    @staticmethod
    def _available(parent: QWidget | None) -> QRect:
        screen = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 1024, 540)

    def accept(self) -> None:
        site, details = self.site_page, self.details_page
        start = details.start_edit.date().toPython()
        end = details.end_edit.date().toPython()
        new_site = None
        if site.is_new():
            new_site = {
                "name": site.name_edit.text().strip(), "fei_number": site.fei_edit.text().strip(),
                "address": site.address_edit.text().strip(), "profile": site.profile(),
            }
        command = CreateInspectionCommand(
            self.ctx,
            {
                "site_code": None if new_site else site.site_combo.currentData(),
                "template": self.type_page.template().snapshot(),
                "inspection_type": self.type_page.inspection_type(),
                "elements": self.elements_page.choices(),
                "trigger": self.type_page.trigger_box.trigger(),
                "title": details.title_edit.text().strip(),
                "lead": details.lead_edit.text().strip(),
                "team": details.team(),
                "planned_start": _date(start),
                "planned_end": _date(end),
            },
            new_site,
        )
        error = execute(self.ctx, command)  # undoable: Edit ▸ Undo takes an empty one back
        if error is not None:
            show_error(self, error)
            return
        self.created_code = command.code
        super().accept()


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None
