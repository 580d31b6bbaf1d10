"""Help ▸ About: the version, what the program is, and the licences of everything it ships."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready import __version__
from qmsr_ready.third_party import notices_text
from qmsr_ready.ui.icons import icon


class AboutDialog(QDialog):
    """Version, purpose and the bundled licences (Qt LGPL, Python packages, DejaVu fonts)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About QMSR Ready")
        self.setWindowIcon(icon("app"))
        logo = QLabel(self)
        logo.setPixmap(icon("app").pixmap(64, 64))
        self.summary = QLabel(
            f"<b>QMSR Ready {__version__}</b><br>Offline mock-inspection workbench for FDA QMSR "
            "(21 CFR 820) and Compliance Program 7382.850 readiness.<br>"
            f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}",
            self,
        )
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading = QLabel("Licences of the software this program includes:", self)
        self.licences = QPlainTextEdit(self)
        self.licences.setReadOnly(True)
        self.licences.setAccessibleName("Licences")
        self.licences.setPlainText(notices_text())
        self.licences.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(logo)
        layout.addWidget(self.summary)
        layout.addWidget(heading)
        layout.addWidget(self.licences, 1)
        layout.addWidget(buttons)
        self.resize(640, 520)
