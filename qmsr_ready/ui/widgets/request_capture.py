"""The scribe's one-line capture field: type what was asked, press Enter, keep typing.

Quick prefixes save reaching for the kind box: ``rec:``, ``int:``, ``smp:``, ``tour:`` or ``doc:``
at the start set the kind, and ``@Name`` at the end names the back-room owner. Up and Down move
the log's selection without leaving the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from qmsr_ready.core.vocab import RequestKind
from qmsr_ready.ui.presentation import SPACING

PREFIXES: dict[str, RequestKind] = {
    "doc": RequestKind.DOCUMENT, "d": RequestKind.DOCUMENT,
    "rec": RequestKind.RECORD, "r": RequestKind.RECORD,
    "int": RequestKind.INTERVIEW, "i": RequestKind.INTERVIEW,
    "smp": RequestKind.SAMPLE, "s": RequestKind.SAMPLE,
    "tour": RequestKind.TOUR, "t": RequestKind.TOUR,
}  # fmt: skip
_PREFIX = re.compile(r"^\s*([a-z]{1,4})\s*:\s*", re.IGNORECASE)
# "@Name" (no space after the @) at the end names the owner; a name may have spaces in it.
_OWNER = re.compile(r"\s@(\S[^@]*)$")
CAPTURE_HELP = (
    "Type what the investigator asked for and press Enter to log it, stamped now.\n"
    "Start with rec:, int:, smp:, tour: or doc: to set the kind; end with @Name to set the "
    "back-room owner.\nUp/Down choose a request; Alt+Right / Alt+Left move it along its "
    "statuses; Ctrl+Shift+W withdraws it. Ctrl+Z in the empty field undoes the last step."
)


@dataclass(frozen=True)
class Capture:
    """What one typed line asks to log."""

    text: str
    kind: str | None  # None: use the kind box
    owner: str | None  # None: use the owner box


def parse_capture(line: str) -> Capture:
    """Split a typed line into text, kind prefix and ``@owner`` suffix."""
    text, kind, owner = line.strip(), None, None
    match = _PREFIX.match(text)
    if match and match.group(1).casefold() in PREFIXES:
        kind = PREFIXES[match.group(1).casefold()].value
        text = text[match.end():]
    owned = _OWNER.search(text)  # only a trailing "@Name": "Drawings @ rev C" keeps its "@"
    if owned:
        owner = owned.group(1).strip()
        text = text[:owned.start()].rstrip()
    return Capture(text.strip(), kind, owner)


class RequestCapture(QWidget):
    """Capture field, kind box and owner box; emits ``captured`` on Enter."""

    captured = Signal(object)  # Capture with the boxes' values filled in
    step_selection = Signal(int)  # -1 up, +1 down

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit(self)
        self.field.setObjectName("requestCapture")
        self.field.setPlaceholderText("What was asked? Type and press Enter  (rec: … @owner)")
        self.field.setAccessibleName("Log a request")
        self.field.setToolTip(CAPTURE_HELP)
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self._on_field_return_pressed)
        self.field.installEventFilter(self)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of request")
        for k in RequestKind:
            self.kind.addItem(k.label, k.value)
        self.owner = QComboBox(self)
        self.owner.setEditable(True)
        self.owner.setAccessibleName("Back-room owner")
        self.owner.setMinimumContentsLength(12)
        owner_edit = self.owner.lineEdit()
        assert owner_edit is not None  # an editable combo box always has its line edit
        owner_edit.setPlaceholderText("Owner")
        owner_edit.returnPressed.connect(self._on_field_return_pressed)
        self.log_button = QPushButton("Log", self)
        self.log_button.setToolTip("Log the request (Enter)")
        self.log_button.clicked.connect(self._on_field_return_pressed)
        label = QLabel("&Request:", self)
        label.setBuddy(self.field)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(SPACING)
        layout.addWidget(label)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.kind)
        layout.addWidget(self.owner)
        layout.addWidget(self.log_button)

    def set_owners(self, owners: list[str]) -> None:
        """Offer the owners already used in this log (typing a new one still works)."""
        current = self.owner.currentText()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItems(["", *owners])
        self.owner.setEditText(current)
        self.owner.blockSignals(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.field and event.type() == QEvent.Type.ShortcutOverride
                and self._window_undo_key(event)):
            # Left unaccepted, so the window's Undo/Redo shortcut fires, not the field's own.
            event.ignore()
            return True
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if self._window_undo_key(event):
                return True  # never the field's undo: it would bring a logged line back
            if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers():
                self.step_selection.emit(-1 if event.key() == Qt.Key.Key_Up else 1)
                return True
        return super().eventFilter(watched, event)

    def _window_undo_key(self, event: QEvent) -> bool:
        """Undo/Redo in an empty field is the window's (take back the last request logged)."""
        return (isinstance(event, QKeyEvent) and not self.field.text()
                and (event.matches(QKeySequence.StandardKey.Undo)
                     or event.matches(QKeySequence.StandardKey.Redo)))

    def _on_field_return_pressed(self) -> None:
        parsed = parse_capture(self.field.text())
        if not parsed.text:
            return
        self.captured.emit(Capture(
            parsed.text,
            parsed.kind or str(self.kind.currentData()),
            parsed.owner if parsed.owner is not None else self.owner.currentText().strip(),
        ))

    def clear_after_log(self) -> None:
        """Empty the field and put the cursor back in it for the next request.

        ``setText`` (unlike ``clear``) also empties the field's own undo history, so no undo
        can bring the logged line back to be logged twice.
        """
        self.field.setText("")
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)
