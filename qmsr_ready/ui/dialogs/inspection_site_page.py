"""The New inspection wizard's first page: pick an existing site or describe a new one.

Split out of ``new_inspection``: the site's profile (device classes and flags such as sterile
or implantable) decides what applies; its labels are shared with the trigger page.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from qmsr_ready.core.profile import BOOL_FIELDS, DEVICE_CLASSES, SiteProfile
from qmsr_ready.core.services.queries import list_sites
from qmsr_ready.ui.context import AppContext

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


def labelled(form: QFormLayout, text: str, widget: QWidget) -> None:
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
        labelled(form, "Site &name:", self.name_edit)
        labelled(form, "&FEI number:", self.fei_edit)
        labelled(form, "&Address:", self.address_edit)
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
