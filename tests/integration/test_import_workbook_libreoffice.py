"""A pack re-saved by LibreOffice Calc imports with zero spurious changes, and a formula it
calculated is read from its saved value (issue 8 item 7).

Needs ``soffice`` (Debian: ``libreoffice-calc-nogui``); skipped, with that reason, without it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import imp_data
import pytest
from imp_data import Pack

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None, reason="LibreOffice (soffice) is not installed: apt-get install "
    "libreoffice-calc-nogui")


def resave(src: Path, folder: Path) -> Path:
    """Open and save ``src`` as xlsx with LibreOffice Calc, headless, in its own profile."""
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder / "lo-profile").as_uri()
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(folder), str(src)],
        check=True, capture_output=True, timeout=240,
    )
    out = folder / src.name
    assert out.is_file()
    assert imp_data.sha256(out) != imp_data.sha256(src)  # really re-written
    return out


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    return imp_data.build_pack(tmp_path_factory.mktemp("lo"))


def test_resaved_pack_plans_zero_changes(pack: Pack, tmp_path: Path) -> None:
    plan = imp_data.plan(pack.workspace, resave(pack.xlsx, tmp_path / "out"))
    counts = plan.counts()
    assert counts.pop("rows") == 9
    assert set(counts.values()) == {0}, [r for r in plan.rows if r.interesting]
    assert plan.notices == ()


def test_resaved_edits_and_calculated_formula(pack: Pack, tmp_path: Path) -> None:
    refs: dict[str, str] = {}

    def change(wb: Any) -> None:
        refs["notes"] = imp_data.set_cell(wb, "Checklist", "MO-05-Q01", "Notes", "=not a formula",
                                          text=True)
        refs["size"] = imp_data.set_cell(wb, "Checklist", "MO-05-Q02", "Sample size", "=3+4")

    edited = imp_data.edit(pack.xlsx, tmp_path / "edited.xlsx", change)
    plan = imp_data.plan(pack.workspace, resave(edited, tmp_path / "out"))
    notes = imp_data.row(plan, "response", "MO-05-Q01").field("notes")
    assert (notes.outcome.value, notes.theirs) == ("clean_update", "=not a formula")
    size = imp_data.row(plan, "response", "MO-05-Q02").field("sample_size")
    assert (size.outcome.value, size.theirs, size.cell) == ("clean_update", 7, refs["size"])
    assert any("1 cell held a formula" in n and refs["size"] in n for n in plan.notices)
    assert plan.counts()["updates"] == 2
