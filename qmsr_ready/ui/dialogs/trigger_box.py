"""The trigger section of the New inspection wizard: a topic and product-risk signal boxes."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.library.pointers import PROFILE_SIGNALS, mdsap_note
from qmsr_ready.core.library.trigger import MAX_TOPIC, Trigger
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.vocab import InspectionType, RiskSignal


class TriggerBox(QGroupBox):
    """What triggered the inspection: a free-text topic and product-risk signals.

    The program picks elements by product risk; the planner does the same with what the user
    states here, and the inspection stores it so the report can say what the plan came from.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__("What triggered the inspection (optional)", parent)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.topic_edit = QLineEdit(self)
        self.topic_edit.setMaxLength(MAX_TOPIC)
        self.topic_edit.setPlaceholderText(
            "e.g. MDRs for pump occlusion alarms; recall of lot 2405 after seal failures")
        self.topic_edit.setClearButtonEnabled(True)
        label = QLabel("T&opic:", self)
        label.setBuddy(self.topic_edit)
        self.topic_edit.setAccessibleName("Trigger topic")
        form.addRow(label, self.topic_edit)
        layout.addLayout(form)
        grid = QGridLayout()
        self.signal_checks: dict[RiskSignal, QCheckBox] = {}
        for i, signal in enumerate(RiskSignal):
            check = QCheckBox(signal.label, self)
            check.setAccessibleName(f"Signal: {signal.label}")
            self.signal_checks[signal] = check
            grid.addWidget(check, i // 3, i % 3)
        layout.addLayout(grid)
        self.help = QLabel(self)
        self.help.setWordWrap(True)
        layout.addWidget(self.help)

    def explain(self, profile: SiteProfile, itype: InspectionType,
                labels: Mapping[str, str]) -> None:
        """Say what else points the plan (the site profile, MDSAP) in a few short lines."""
        lines = ["The topic also finds elements by title or ID (\u201ccomplaint handling\u201d, "
                 "\u201cMA-03\u201d). Leave it all empty for a routine inspection."]
        implied = [f"{labels.get(name, name)} \u2192 {signal.label.lower()}"
                   for name, (signal, _meaning) in PROFILE_SIGNALS.items()
                   if getattr(profile, name, False)]
        if implied:
            lines.append("The site profile points the plan too: " + "; ".join(implied) + ".")
        if profile.mdsap:
            lines.append(mdsap_note(itype))
        self.help.setText("\n".join(lines))

    def trigger(self) -> Trigger:
        return Trigger(self.topic_edit.text(),
                       tuple(s for s, box in self.signal_checks.items() if box.isChecked()))
