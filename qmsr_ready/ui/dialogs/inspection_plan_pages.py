"""The New inspection wizard's planning pages: type, trigger and template, then the elements.

Split out of ``new_inspection``: the planner (``core.library.plan``) proposes elements from the
site profile, the inspection type and the trigger, a reason for each; the user can add or
remove any, and the reason then says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from qmsr_ready.core.library import Catalogue, LoadedTemplate, plan
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.services.inspections import ElementChoice
from qmsr_ready.core.template_content import typed_template
from qmsr_ready.core.vocab import INSPECTION_TYPE_TRIGGERS, MODEL_SUMMARIES, InspectionType
from qmsr_ready.ui.dialogs.inspection_site_page import PROFILE_LABELS, labelled
from qmsr_ready.ui.dialogs.trigger_box import TriggerBox

if TYPE_CHECKING:
    from qmsr_ready.ui.dialogs.new_inspection import NewInspectionWizard


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
        labelled(form, "Inspection &type:", self.type_combo)
        self.type_help = QLabel(self)
        self.type_help.setWordWrap(True)
        form.addRow("", self.type_help)
        labelled(form, "Checklist &template:", self.template_combo)
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
        from qmsr_ready.ui.dialogs.new_inspection import NewInspectionWizard  # imports this

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
