"""The New inspection wizard: site and profile, type, trigger and template, planned elements, team.

The user states what triggered the inspection (a topic and product-risk signals); the planner
(``core.library.plan``) proposes elements from it with a reason for each; the user can add or
remove any. Finish creates the site (if new) and starts the inspection, trigger included, in one
transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from qmsr_ready.core.library import Catalogue, LoadedTemplate, plan
from qmsr_ready.core.profile import BOOL_FIELDS, DEVICE_CLASSES, SiteProfile
from qmsr_ready.core.services.inspections import ElementChoice
from qmsr_ready.core.services.queries import list_sites
from qmsr_ready.core.template_content import typed_template
from qmsr_ready.core.vocab import INSPECTION_TYPE_TRIGGERS, MODEL_SUMMARIES, InspectionType
from qmsr_ready.ui.commands.base import execute
from qmsr_ready.ui.commands.inspections import CreateInspectionCommand
from qmsr_ready.ui.context import AppContext
from qmsr_ready.ui.dialogs.trigger_box import TriggerBox
from qmsr_ready.ui.errors import show_error

PROFILE_LABELS: dict[str, str] = {
    "sterile_products": "Sterile products",
    "implantable_devices": "Implantable devices",
    "life_supporting_devices": "Life-supporting or life-sustaining devices",
    "software_in_device": "Software in or as a device",
    "class_i_design_listed": "Class I devices listed under 820.10(c)(2)",
    "tracking_orders": "Devices under tracking orders",
    "pma_holder": "PMA holder",
    "mdsap": "MDSAP-audited",
    "servicing": "Servicing",
    "installation": "Installation",
}


def _labelled(form: QFormLayout, text: str, widget: QWidget) -> None:
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(text.replace("&", "").rstrip(":"))
    form.addRow(label, widget)


class SitePage(QWizardPage):
    """Pick an existing site or describe a new one with its full profile."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setTitle("Site")
        self.setSubTitle("Which site is being inspected? Its profile decides what applies.")
        self.ctx = ctx
        with ctx.read() as session:
            self.sites = [(s.code, s.name, SiteProfile.of(s)) for s in list_sites(session)]
        layout = QVBoxLayout(self)
        self.existing_radio = QRadioButton("&Existing site", self)
        self.new_radio = QRadioButton("&New site", self)
        self.site_combo = QComboBox(self)
        self.site_combo.setAccessibleName("Existing site")
        for code, name, _profile in self.sites:
            self.site_combo.addItem(f"{name} ({code})", code)
        layout.addWidget(self.existing_radio)
        layout.addWidget(self.site_combo)
        layout.addWidget(self.new_radio)
        self.new_box = QGroupBox("New site", self)
        form = QFormLayout(self.new_box)
        self.name_edit = QLineEdit(self.new_box)
        self.fei_edit = QLineEdit(self.new_box)
        self.address_edit = QLineEdit(self.new_box)
        _labelled(form, "Site &name:", self.name_edit)
        _labelled(form, "&FEI number:", self.fei_edit)
        _labelled(form, "&Address:", self.address_edit)
        classes = QWidget(self.new_box)
        row = QGridLayout(classes)
        row.setContentsMargins(0, 0, 0, 0)
        self.class_checks = {c: QCheckBox(f"Class {c}", classes) for c in DEVICE_CLASSES}
        for i, box in enumerate(self.class_checks.values()):
            row.addWidget(box, 0, i)
        form.addRow("Device classes:", classes)
        flags = QWidget(self.new_box)
        grid = QGridLayout(flags)
        grid.setContentsMargins(0, 0, 0, 0)
        self.flag_checks = {name: QCheckBox(PROFILE_LABELS[name], flags) for name in BOOL_FIELDS}
        for i, box in enumerate(self.flag_checks.values()):
            grid.addWidget(box, i // 2, i % 2)
        form.addRow("Profile:", flags)
        layout.addWidget(self.new_box)
        has_sites = bool(self.sites)
        self.existing_radio.setEnabled(has_sites)
        (self.existing_radio if has_sites else self.new_radio).setChecked(True)
        for widget in (self.existing_radio, self.new_radio):
            widget.toggled.connect(self._on_mode_toggled)
        self.name_edit.textChanged.connect(self.completeChanged)
        self._on_mode_toggled()

    def _on_mode_toggled(self, *_args: object) -> None:
        new = self.new_radio.isChecked()
        self.new_box.setEnabled(new)
        self.site_combo.setEnabled(not new)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.name_edit.text().strip()) if self.is_new() else bool(self.sites)

    def is_new(self) -> bool:
        return self.new_radio.isChecked()

    def profile(self) -> SiteProfile:
        if not self.is_new():
            return self.sites[self.site_combo.currentIndex()][2]
        return SiteProfile(
            device_classes=tuple(c for c, box in self.class_checks.items() if box.isChecked()),
            **{name: box.isChecked() for name, box in self.flag_checks.items()},
        )


class TypePage(QWizardPage):
    """Inspection type (decides Model 1 or 2) and checklist template."""

    def __init__(self, catalogue: Catalogue) -> None:
        super().__init__()
        self.setTitle("Inspection type, trigger and checklist")
        self.setSubTitle("The type decides the inspection model; the trigger points the planner "
                         "at the elements where product risk lives.")
        form = QFormLayout(self)
        self.type_combo = QComboBox(self)
        for itype in InspectionType:
            self.type_combo.addItem(f"{itype.label} (Model {itype.model})", itype.value)
        self.template_combo = QComboBox(self)
        self.templates: list[LoadedTemplate] = catalogue.latest()
        for t in self.templates:
            self.template_combo.addItem(f"{t.title} — {t.key} v{t.version}", t.key)
        _labelled(form, "Inspection &type:", self.type_combo)
        self.type_help = QLabel(self)
        self.type_help.setWordWrap(True)
        form.addRow("", self.type_help)
        _labelled(form, "Checklist &template:", self.template_combo)
        self.template_help = QLabel(self)
        self.template_help.setWordWrap(True)
        form.addRow("", self.template_help)
        self.trigger_box = TriggerBox(self)
        form.addRow(self.trigger_box)
        self.type_combo.currentIndexChanged.connect(self._on_type_combo_changed)
        self.template_combo.currentIndexChanged.connect(self._on_template_combo_changed)
        self._on_type_combo_changed()
        self._on_template_combo_changed()

    def initializePage(self) -> None:
        self._explain_trigger()

    def _on_type_combo_changed(self, *_args: Any) -> None:
        itype = InspectionType(self.inspection_type())
        self.type_help.setText(
            f"{INSPECTION_TYPE_TRIGGERS[itype]}\n{MODEL_SUMMARIES[itype.model]}\n"
            "(Per an industry description of CP 7382.850; not yet checked against the "
            "program PDF.)"
        )
        self._explain_trigger()

    def _explain_trigger(self) -> None:
        wizard = self.wizard()
        profile = wizard.site_page.profile() if isinstance(wizard, NewInspectionWizard) \
            else SiteProfile()
        self.trigger_box.explain(profile, InspectionType(self.inspection_type()),
                                 PROFILE_LABELS)

    def _on_template_combo_changed(self, *_args: Any) -> None:
        if not self.templates:
            self.template_help.setText(
                "No checklist templates were found. Reinstall QMSR Ready or import a template."
            )
            return
        t = self.template()
        typed = typed_template(t)
        self.template_help.setText(
            f"{' '.join(typed.description.split())}\n"
            f"{len(typed.questions)} questions · version {t.version} · "
            f"{'built in' if t.builtin else 'user template'} · SHA-256 {t.sha256[:12]}…"
        )

    def isComplete(self) -> bool:
        return bool(self.templates)

    def inspection_type(self) -> str:
        return str(self.type_combo.currentData())

    def template(self) -> LoadedTemplate:
        return self.templates[self.template_combo.currentIndex()]


class ElementsPage(QWizardPage):
    """The planner's proposal, one checkable row per element with its reason.

    A reason is recorded on the inspection, so when the user overrides the planner the reason
    says so ("Added by the inspection lead; planner: …") instead of keeping a stale one.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Planned elements")
        self.setSubTitle("Tick the elements to cover. Each row says why it was proposed or not.")
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(["Element", "Area", "Title", "Reason"])
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Planned elements")
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        for column in (0, 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(2, 250)
        # Row heights follow the wrapped reason; recompute whenever a column width settles.
        header.sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self.proposal_button = QPushButton("&Planner's proposal", self)
        self.proposal_button.setToolTip("Reset to the elements the planner proposes.")
        self.full_button = QPushButton("&Full mock inspection", self)
        self.full_button.setToolTip("Select every applicable element.")
        self.proposal_button.clicked.connect(lambda: self._load(full=False))
        self.full_button.clicked.connect(lambda: self._load(full=True))
        self.summary = QLabel(self)
        self.basis_label = QLabel(self)
        self.basis_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.proposal_button)
        buttons.addWidget(self.full_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.basis_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.model.itemChanged.connect(self._on_model_item_changed)
        self._applicable: dict[str, bool] = {}
        self._proposed: dict[str, tuple[bool, str]] = {}  # element -> (selected, reason)
        self._loading = False
        self._planned_for: tuple[object, ...] | None = None

    def initializePage(self) -> None:
        # Back then Next keeps the user's ticks; a new profile, type or template re-plans.
        if self._basis() != self._planned_for:
            self._load(full=False)

    def _basis(self) -> tuple[object, ...]:
        wizard: NewInspectionWizard = self.wizard()  # type: ignore[assignment]  # our wizard
        template = wizard.type_page.template()
        return (template.key, template.version, wizard.type_page.inspection_type(),
                wizard.site_page.profile(), wizard.type_page.trigger_box.trigger())

    def _load(self, *, full: bool) -> None:
        wizard: NewInspectionWizard = self.wizard()  # type: ignore[assignment]  # our wizard
        template = wizard.type_page.template()
        itype = wizard.type_page.inspection_type()
        self._planned_for = self._basis()
        trigger = wizard.type_page.trigger_box.trigger()
        self.basis_label.setText(
            f"Planned from the trigger: {trigger.describe()}" if not trigger.is_empty
            else "No trigger stated: the planner uses the site profile and the risk ranking.")
        proposals = plan(typed_template(template), wizard.site_page.profile(), itype, full=full,
                         trigger=trigger)
        self._loading = True
        try:
            self.model.removeRows(0, self.model.rowCount())
            self._applicable = {}
            self._proposed = {}
            muted = self.palette().color(QPalette.ColorRole.PlaceholderText)
            for p in proposals:
                check = QStandardItem(p.element_id)
                check.setCheckable(True)
                check.setEditable(False)
                state = Qt.CheckState.Checked if p.selected else Qt.CheckState.Unchecked
                check.setCheckState(state)
                check.setData(f"{p.element_id} {p.title}", Qt.ItemDataRole.AccessibleTextRole)
                cells = [check] + [QStandardItem(v) for v in (p.area_id, p.title, p.reason)]
                for cell in cells[1:]:
                    cell.setEditable(False)
                if not p.applicable:
                    for cell in cells:
                        cell.setForeground(muted)
                cells[3].setToolTip(p.reason)
                self._applicable[p.element_id] = p.applicable
                self._proposed[p.element_id] = (p.selected, p.reason)
                self.model.appendRow(cells)
        finally:
            self._loading = False
        self.table.resizeRowsToContents()
        self._on_model_item_changed()

    def choices(self) -> list[ElementChoice]:
        out = []
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            eid = item.text()
            out.append(
                ElementChoice(
                    eid,
                    selected=item.checkState() == Qt.CheckState.Checked,
                    applicable=self._applicable.get(eid, True),
                    reason=self.model.item(row, 3).text(),
                )
            )
        return out

    def _on_model_item_changed(self, item: QStandardItem | None = None) -> None:
        if item is not None and not self._loading and item.column() == 0:
            self._explain_override(item)
        chosen = sum(1 for c in self.choices() if c.selected)
        self.summary.setText(f"{chosen} of {self.model.rowCount()} elements selected")
        self.completeChanged.emit()

    def _explain_override(self, item: QStandardItem) -> None:
        """Rewrite the row's reason when the user departs from the planner (or returns to it)."""
        proposed_selected, proposed_reason = self._proposed.get(item.text(), (False, ""))
        selected = item.checkState() == Qt.CheckState.Checked
        if selected == proposed_selected:
            reason = proposed_reason
        else:
            verb = "Added" if selected else "Removed"
            reason = f"{verb} by the inspection lead (planner: {proposed_reason})"
        reason_item = self.model.item(item.row(), 3)
        if reason_item.text() != reason:
            reason_item.setText(reason)
            reason_item.setToolTip(reason)

    def isComplete(self) -> bool:
        return any(c.selected for c in self.choices())


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
        _labelled(form, "T&itle:", self.title_edit)
        _labelled(form, "&Lead:", self.lead_edit)
        _labelled(form, "T&eam:", self.team_edit)
        _labelled(form, "Planned &start:", self.start_edit)
        _labelled(form, "Planned &end:", self.end_edit)

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
