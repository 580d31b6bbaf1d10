"""Hostile names and a lock that ignores the environment (issue 13 QA #6, #7, #8)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import InvalidInput, WorkspaceLocked
from qmsr_ready.core.services.evidence import MAX_FILENAME_BYTES, clean_filename
from qmsr_ready.core.workspace_lock import acquire_writer_lock

HOSTILE = "Plant\x1b]0;pwned\x07 A\x0b\u202eB\x9b2J"


def test_inspections_listing_escapes_control_characters(fnd_workspace, fnd_template) -> None:
    with fnd_workspace.begin() as s:
        services.create_site(s, "Alice", name="Acme")
        services.start_inspection(s, "Alice", site_code="SITE-001", template=fnd_template,
                                  inspection_type="baseline_surveillance", title="T")
    path = fnd_workspace.path
    fnd_workspace.close()
    import sqlite3

    conn = sqlite3.connect(path)  # names as a hostile import or an older version left them
    conn.execute("UPDATE sites SET name = ?", (HOSTILE,))
    conn.execute("UPDATE inspections SET title = ?", (HOSTILE,))
    conn.commit()
    conn.close()
    result = subprocess.run([sys.executable, "-m", "qmsr_ready", "inspections", str(path)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    for raw in ("\x1b", "\x07", "\x0b", "\u202e", "\x9b"):
        assert raw not in result.stdout
    assert "\\x1b]0;pwned\\x07" in result.stdout
    assert "\\u202e" in result.stdout


@given(st.text(min_size=1, max_size=400))
def test_evidence_names_fit_the_limit(name: str) -> None:
    try:
        cleaned = clean_filename(name)
    except InvalidInput:  # nothing printable left: a clear refusal
        return
    assert 0 < len(cleaned.encode("utf-8")) <= MAX_FILENAME_BYTES


def test_a_long_evidence_name_is_shortened_on_attach_keeping_its_extension(
        fnd_inspection) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        ev = services.attach_evidence(s, "Alice", inspection_code=code,
                                      filename="é" * 300 + ".pdf", data=b"x")
        assert len(ev.filename.encode("utf-8")) <= MAX_FILENAME_BYTES
        assert ev.filename.endswith("….pdf")


def test_the_identity_lock_does_not_depend_on_tmpdir(
        fnd_workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = fnd_workspace.path
    fnd_workspace.close()
    other_dir = tmp_path / "elsewhere"
    other_dir.mkdir()
    link = other_dir / "same.qmsr"
    os.link(path, link)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp-a"))
    (tmp_path / "tmp-a").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)
    first = acquire_writer_lock(path)
    try:
        monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp-b"))
        (tmp_path / "tmp-b").mkdir()
        monkeypatch.setattr(tempfile, "tempdir", None)
        with pytest.raises(WorkspaceLocked, match="already open for writing"):
            acquire_writer_lock(link)
        with pytest.raises(WorkspaceLocked):
            open_workspace(link)
    finally:
        first.release()
