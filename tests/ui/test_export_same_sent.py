"""The dialog and ``qmsr-ready export`` record the same "sent" state for the same packs.

Both run ``core.export.run.run_export``; this pins that the audit trail cannot tell which one
wrote the packs: same kinds, file names, actor, hashes of the files on disk, and the head each
record says the pack was built from.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from qmsr_ready import cli
from qmsr_ready.core.audit import ACTOR_ENV
from qmsr_ready.core.changes import read_token
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.exchange.exports import EXPORT_KINDS, changed_since_export, last_export


def _sent(session, code: str, out: Path, head_before: str) -> dict[str, tuple]:
    state = {}
    for kind in EXPORT_KINDS:
        sent = last_export(session, code, kind)
        assert sent is not None, kind
        on_disk = hashlib.sha256((out / sent.file_name).read_bytes()).hexdigest()
        state[kind] = (sent.file_name, sent.by, sent.sha256 == on_disk,
                       sent.audit_head == head_before)
    state["changed since"] = (changed_since_export(session, code),)
    return state


def test_dialog_and_cli_record_the_same_sent_state(
    qtbot, ctx, add_inspection, workspace_path: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    code = add_inspection(ctx)
    out = tmp_path / "out"
    out.mkdir()
    with ctx.read() as s:
        head = read_token(s).partition(":")[2]
    dialog = ExportDialog(ctx, code)
    qtbot.addWidget(dialog)
    dialog.xlsx_box.path_edit.setText(str(out / "pack.xlsx"))
    dialog.pdf_box.path_edit.setText(str(out / "pack.pdf"))
    with qtbot.waitSignal(ctx.data_changed, timeout=60_000):
        dialog.start()
    assert dialog.last_sent.text().startswith("Last sent:"), dialog.last_sent.text()
    with ctx.read() as s:
        from_dialog = _sent(s, code, out, head)
        head = read_token(s).partition(":")[2]
    dialog.close()
    workspace = ctx.workspace
    ctx.set_workspace(None)  # the CLI records in the file: the window lets go of it
    workspace.close()

    monkeypatch.setenv(ACTOR_ENV, ctx.actor)
    assert cli.main(["export", str(workspace_path), "--inspection", code,
                     "--xlsx", str(out / "pack.xlsx"), "--pdf", str(out / "pack.pdf")]) == 0
    with open_workspace(workspace_path, read_only=True) as ws, ws.session() as s:
        from_cli = _sent(s, code, out, head)
    assert from_dialog == from_cli
    assert from_cli["xlsx"] == ("pack.xlsx", "Test Lead", True, True)
    assert from_cli["pdf"][:3] == ("pack.pdf", "Test Lead", True)
    assert from_cli["changed since"] == (False,)


def test_dialog_refuses_a_folder_and_nothing_chosen_in_the_clis_words(
    qtbot, ctx, add_inspection, tmp_path: Path
) -> None:
    from qmsr_ready.core.export.run import NOTHING_TO_EXPORT, folder_given
    from qmsr_ready.ui.dialogs.export_dialog import ExportDialog

    dialog = ExportDialog(ctx, add_inspection(ctx))
    qtbot.addWidget(dialog)
    dialog.pdf_box.setChecked(False)
    dialog.xlsx_box.path_edit.setText(str(tmp_path))
    dialog.start()
    assert dialog.job is None, "nothing runs for a folder"
    assert dialog.status.text() == folder_given(str(tmp_path))
    dialog.xlsx_box.setChecked(False)
    dialog.start()
    assert dialog.job is None
    assert dialog.status.text() == NOTHING_TO_EXPORT
