"""The right-hand side of the checklist runner: one question, its guidance and the answer.

The panel only shows and collects; it emits ``changes_committed`` with the fields that changed
and the runner turns them into undoable commands. Text boxes autosave (see ``autosave_text``).

The guidance block lives in ``question_guide``, the answer inputs' parts in ``answer_inputs``
(patch ``ask_na_reason`` here: the panel looks it up in this module).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.reasons import with_na_reason
from qmsr_ready.core.views.checklist import ChecklistData, QuestionView, ResponseView
from qmsr_ready.core.vocab import Result
from qmsr_ready.ui import icons
from qmsr_ready.ui.presentation import (
    DATETIME_FORMAT,
    MARGIN,
    RESULT_LOOK,
    RESULT_SHORTCUTS,
    SPACING,
)
from qmsr_ready.ui.unsaved_texts import TEXT_FIELDS
from qmsr_ready.ui.widgets.answer_inputs import (
    MIN_TEXT_LINES,
    RESULT_ORDER,
    SAMPLING_FIELDS,
    ask_na_reason,
    assessment_inputs,
)
from qmsr_ready.ui.widgets.autosave_text import AutosaveTextEdit
from qmsr_ready.ui.widgets.flow_layout import flow_container
from qmsr_ready.ui.widgets.question_guide import guidance_html, muted, wrapping

if TYPE_CHECKING:
    from qmsr_ready.ui.context import AppContext

__all__ = [
    "MIN_TEXT_LINES",
    "RESULT_ORDER",
    "SAMPLING_FIELDS",
    "QuestionPanel",
    "ask_na_reason",
    "guidance_html",
]


class QuestionPanel(QWidget):
    """Question, guidance, references and the assessment inputs for one question."""

    changes_committed = Signal(str, dict)  # question_id, {field: value}
    raise_finding_requested = Signal(str)  # question_id

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._question: QuestionView | None = None
        self._response: ResponseView | None = None
        self._code = ""  # the inspection of the question shown
        self._kept_shown: dict[str, str] = {}  # field -> kept (refused) typing shown in its box
        self._editable = True

        self.breadcrumb = muted(wrapping(selectable=False))
        self.id_label = QLabel()
        self.id_label.setStyleSheet("font-weight: 600;")
        self.badges = muted(QLabel())
        self.text_label = wrapping()
        font = self.text_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.text_label.setFont(font)
        self.assessed_label = muted(QLabel())

        # Result buttons: symbol + word + the key that sets it.
        self.result_group = QButtonGroup(self)
        self.result_group.setExclusive(True)
        self.result_buttons: dict[str, QPushButton] = {}
        # A wrapping bar: on a narrow window the buttons move to a second row, never get cut.
        self.answer_bar, results_row = flow_container(self, SPACING // 2)
        self.answer_bar.setObjectName("answerBar")
        for result in RESULT_ORDER:
            look = RESULT_LOOK[result]
            key = RESULT_SHORTCUTS[result]
            button = QPushButton(icons.icon(look.icon), f"{look.label}  [{key}]", self)
            button.setCheckable(True)
            button.setAccessibleName(f"{look.label} (key {key})")
            button.setToolTip(f"Record “{look.label}” — press {key}")
            button.clicked.connect(lambda _c=False, r=result.value: self.choose_result(r))
            self.result_group.addButton(button)
            self.result_buttons[result.value] = button
            results_row.addWidget(button)
        self.raise_button = QPushButton(icons.icon("warning"), "Raise finding…", self)
        self.raise_button.setAccessibleName("Raise a finding from this question")
        self.raise_button.clicked.connect(self._on_raise_button_clicked)
        results_row.addWidget(self.raise_button)

        # Reference material (left column): a read-only browser wraps and scrolls by itself.
        self.guide_text = QTextBrowser()
        self.guide_text.setOpenLinks(False)
        self.guide_text.setAccessibleName("Guidance and references")
        self.guide_text.setFrameShape(QFrame.Shape.NoFrame)
        self.guide_text.viewport().setAutoFillBackground(False)
        guide_scroll = QGroupBox("Guidance and references")
        guide_layout = QVBoxLayout(guide_scroll)
        guide_layout.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        guide_layout.addWidget(self.guide_text)

        # Assessment inputs (right column).
        answer = assessment_inputs(ctx)
        self.notes, self.evidence = answer.notes, answer.evidence
        self.records_reviewed, self.interviewees = answer.records_reviewed, answer.interviewees
        self.population, self.sample_size = answer.population, answer.sample_size
        self.inputs_scroll = answer.scroll
        self.notes.committed.connect(lambda text: self._commit({"notes": text}))
        self.population.editingFinished.connect(self._on_sampling_edited)
        self.sample_size.editingFinished.connect(self._on_sampling_edited)
        self.records_reviewed.committed.connect(
            lambda text: self._commit({"records_reviewed": text})
        )
        self.interviewees.committed.connect(lambda text: self._commit({"interviewees": text}))
        input_box = answer.box

        columns = QSplitter(Qt.Orientation.Horizontal)
        columns.addWidget(guide_scroll)
        columns.addWidget(input_box)
        columns.setStretchFactor(0, 1)
        columns.setStretchFactor(1, 1)
        columns.setChildrenCollapsible(False)

        # Wraps like the answer bar, so "Last recorded by …" never widens the window.
        header_bar, header = flow_container(self, SPACING)
        header.addWidget(self.id_label)
        header.addWidget(self.badges)
        header.addWidget(self.assessed_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.setSpacing(SPACING)
        layout.addWidget(self.breadcrumb)
        layout.addWidget(header_bar)
        layout.addWidget(self.text_label)
        layout.addWidget(self.answer_bar)
        layout.addWidget(columns, 1)
        self.show_question(None, None, None)

    # -- showing ----------------------------------------------------------------------
    @property
    def question_id(self) -> str:
        return self._question.question_id if self._question else ""

    @property
    def inspection_code(self) -> str:
        """The inspection of the question shown (its edits belong to it, whatever the runner
        shows next)."""
        return self._code

    def show_question(
        self,
        data: ChecklistData | None,
        question: QuestionView | None,
        breadcrumb: str | None,
    ) -> None:
        """Display a question (flushing edits of the previous one first)."""
        self.flush()
        self._question = question
        self._code = data.inspection_code if data is not None else ""
        self._response = data.response(question.question_id) if data and question else None
        has = question is not None
        for widget in (self.text_label, self.notes, self.records_reviewed, self.interviewees):
            widget.setVisible(True)
        if question is None:
            self.guide_text.clear()
            self.breadcrumb.setText("")
            self.id_label.setText("No question selected")
            self.badges.setText("")
            self.text_label.setText("Pick a question in the tree on the left, or press F8 for "
                                    "the next unanswered one.")
        else:
            self.breadcrumb.setText(breadcrumb or "")
            self.id_label.setText(question.question_id)
            badges = [f"weight {question.weight}"]
            if question.risk_focus:
                badges.insert(0, "◆ risk focus")
            self.badges.setText("  ·  ".join(badges))
            self.text_label.setText(question.text)
            self.guide_text.setHtml(guidance_html(question))
        self._show_response(data)
        self._apply_enabled(has)

    def _show_response(self, data: ChecklistData | None) -> None:
        self._show_stored_values()
        if data is not None and self._question is not None:
            self.evidence.set_target(
                data.inspection_code,
                data.evidence.get(self._question.question_id, ()),
                question_id=self._question.question_id,
            )
        else:
            self.evidence.set_target("", ())

    def _show_stored_values(self) -> None:
        response = self._response
        self._check_stored_result()
        self._kept_shown = {}
        for field, box in self._text_boxes().items():
            box.set_saved_text(getattr(response, field) if response else "")
            kept = self._kept_text(field)
            if kept is not None and self._editable:  # refused earlier: shown again, unsaved,
                box.show_unsaved(kept)  # saved on the next flush (never over a locked record)
                self._kept_shown[field] = kept
        self.population.set_value_silently(response.sample_population if response else None)
        self.sample_size.set_value_silently(response.sample_size if response else None)
        if response and response.assessed_at:
            when = response.assessed_at.strftime(DATETIME_FORMAT)
            self.assessed_label.setText(f"Last recorded by {response.assessed_by}, {when}")
        else:
            self.assessed_label.setText("")

    def _check_stored_result(self) -> None:
        response = self._response
        result = response.result if response else Result.NOT_ASSESSED.value
        self.result_group.setExclusive(False)
        for value, button in self.result_buttons.items():
            button.setChecked(value == result and response is not None)
        self.result_group.setExclusive(True)

    def refresh(self, data: ChecklistData) -> None:
        """Show fresh stored values for the same question (after undo or another view's edit)."""
        if self._question is None:
            return
        self._response = data.response(self._question.question_id)
        self._show_response(data)

    def show_stored_response(self, response: ResponseView) -> None:
        """Show a just-saved answer to the shown question without reloading the checklist.

        Why: an undo/redo or another view's write lands here; only what the user typed since
        the last showing is saved on top of it (never the old widget values, which would
        revert the write or make a redo look like a conflict).
        """
        if self._question is None or response.question_id != self._question.question_id:
            return
        typed = self._take_typed_sampling()  # compared with what was shown, before it changes
        self._response = response
        # only text typed since it was shown (such a save lands here again); kept typing shown
        # as it was is not saved from inside another write (an undo, a retry of that text)
        self._flush_text(retry_kept=False)
        self._show_stored_values()
        self._commit_sampling(typed)

    def set_editable(self, editable: bool) -> None:
        was = self._editable
        self._editable = editable
        if was and not editable and self._question is not None:
            self._show_stored_values()  # locked: the record as stored, no kept typing over it
        self._apply_enabled(self._question is not None)

    def _apply_enabled(self, has_question: bool) -> None:
        live = has_question and self._editable
        for button in self.result_buttons.values():
            button.setEnabled(live)
        self.raise_button.setEnabled(live)
        for box in (self.notes, self.records_reviewed, self.interviewees):
            box.setReadOnly(not live)
        self.population.setEnabled(live)
        self.sample_size.setEnabled(live)
        self.evidence.setEnabled(has_question)
        self.evidence.set_editable(live)

    # -- editing ----------------------------------------------------------------------
    def choose_result(self, result: str) -> None:
        """Record a result for the shown question (buttons and keyboard shortcuts land here).

        "Not applicable" needs a reason (the service refuses it without one): choosing it
        always asks why, even when the notes hold text (an assessment note is not a reason), and
        the reason goes in as the notes' first line, "Not applicable: <reason>"; the reason and
        the result are saved as one undo step.
        """
        if self._question is None or not self._editable:
            return
        self.flush()
        changes: dict[str, Any] = {"result": result}
        stored = self._response.result if self._response else Result.NOT_ASSESSED
        if result == Result.NOT_APPLICABLE and stored != Result.NOT_APPLICABLE:
            reason = ask_na_reason(self, self._question.question_id)
            if not reason:
                self._check_stored_result()  # the clicked button must not look saved
                return
            changes["notes"] = with_na_reason(self.notes.toPlainText(), reason)
        self._commit(changes)

    def flush(self) -> None:
        """Save any text still waiting for its autosave pause."""
        self._flush_text()
        # The number boxes save on editingFinished, which F8/F9 and closing never trigger.
        self._on_sampling_edited()

    def _flush_text(self, *, retry_kept: bool = True) -> None:
        for field, box in self._text_boxes().items():
            kept = self._kept_shown.get(field)
            if kept is not None and not retry_kept and box.toPlainText() == kept:
                continue  # still the kept typing, untouched: it stays kept
            box.flush()
            if kept is not None and not box.dirty and self._question is not None:
                stored = getattr(self._response, field) if self._response is not None else ""
                if box.toPlainText() == stored:  # the kept typing was edited back: let it go
                    self._ctx.unsaved.drop(self._code, self._question.question_id, field)
                    self._kept_shown.pop(field, None)

    def forget_edits(self) -> None:
        """Stop treating the boxes' text as edits (after a flush: what was refused is kept in
        ``ctx.unsaved``); nothing is saved. Before the runner shows another inspection or
        workspace, so a late flush never lands there."""
        for box in self._text_boxes().values():
            box.forget_edit()

    def _text_boxes(self) -> dict[str, AutosaveTextEdit]:
        """The autosaving boxes by response field (``TEXT_FIELDS``)."""
        boxes = {"notes": self.notes, "records_reviewed": self.records_reviewed,
                 "interviewees": self.interviewees}
        return {field: boxes[field] for field in TEXT_FIELDS}

    def _kept_text(self, field: str) -> str | None:
        if self._question is None:
            return None
        return self._ctx.unsaved.text(self._code, self._question.question_id, field)

    def keep_unsaved(self, question_id: str, fields: Iterable[str]) -> None:
        """The save of these text fields of ``question_id`` was refused: if it is still shown,
        its boxes keep the text as unsaved (the runner keeps it in ``ctx.unsaved`` too)."""
        if self._question is None or self._question.question_id != question_id:
            return
        boxes = self._text_boxes()
        for field in fields:
            stored = getattr(self._response, field) if self._response is not None else ""
            boxes[field].keep_unsaved(stored)
            self._kept_shown[field] = boxes[field].toPlainText()

    def revert_sampling(self) -> None:
        """Show the stored sample numbers again (after an edit was refused)."""
        response = self._response
        self.population.set_value_silently(response.sample_population if response else None)
        self.sample_size.set_value_silently(response.sample_size if response else None)

    def _take_typed_sampling(self) -> dict[str, int | None]:
        """The sample numbers the user typed since they were shown, now counted as shown."""
        typed: dict[str, int | None] = {}
        for spin in (self.population, self.sample_size):
            if spin.typed:
                typed[spin.field] = spin.value_or_none()
                spin.mark_shown()
        return typed

    def _commit_sampling(self, typed: dict[str, int | None]) -> None:
        response = self._response
        if response is None:
            return
        changes: dict[str, Any] = {
            name: value for name, value in typed.items() if value != getattr(response, name)
        }
        if changes:
            self._commit(changes)

    def _on_sampling_edited(self) -> None:
        self._commit_sampling(self._take_typed_sampling())

    def _commit(self, changes: dict[str, Any]) -> None:
        if self._question is not None and self._editable:
            self.changes_committed.emit(self._question.question_id, changes)

    def _on_raise_button_clicked(self) -> None:
        if self._question is not None:
            self.flush()
            self.raise_finding_requested.emit(self._question.question_id)
