"""``qmsr-ready export`` as a subprocess: JSON output, files written, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))
import exp_data


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qmsr_ready", *args], capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return exp_data.build_workspace(tmp_path_factory.mktemp("cli") / "w.qmsr")


def test_export_both_packs_json(workspace: Path, tmp_path: Path) -> None:
    xlsx, pdf = tmp_path / "p.xlsx", tmp_path / "p.pdf"
    proc = run("export", str(workspace), "--inspection", exp_data.INSPECTION,
               "--xlsx", str(xlsx), "--pdf", str(pdf), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["inspection"] == exp_data.INSPECTION
    assert out["checklist_conformance"] == pytest.approx(58.3)
    assert out["overall_readiness"] == out["checklist_conformance"]  # the former name
    assert (out["shown_as"], out["band"], out["band_label"]) == ("58%", "off_target",
                                                                 "Off target")
    assert out["verdict"] == "not_ready"  # 58 % and an open major likely-483 finding
    assert out["verdict_label"] == "Not ready"
    assert any("F-001" in reason for reason in out["verdict_reasons"])
    assert [a["area_id"] for a in out["areas"]] == ["MO", "DD", "OA"]
    assert out["risk_focus"]["assessed"] == 1
    files = {f["kind"]: f for f in out["files"]}
    assert files["xlsx"]["size"] == xlsx.stat().st_size
    assert files["pdf"]["path"] == str(pdf.resolve())
    assert "F-001" in [c.value for c in load_workbook(xlsx)["Findings"]["A"]]
    assert "Findings register" in "".join(p.extract_text() for p in PdfReader(pdf).pages)


def test_export_gaps_only_text_output(workspace: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "g.xlsx"
    proc = run("export", str(workspace), "--inspection", exp_data.INSPECTION,
               "--xlsx", str(xlsx), "--gaps-only")
    assert proc.returncode == 0, proc.stderr
    assert "Readiness of MI-2026-901: Not ready: " in proc.stdout
    assert "Checklist conformance: 58% (Off target)" in proc.stdout
    ids = [r[0] for r in load_workbook(xlsx)["Checklist"].iter_rows(min_row=2, values_only=True)]
    assert ids == ["MO-05-Q02", "MO-11-Q01"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--inspection", "MI-0000-000", "--pdf", "{tmp}/x.pdf"], "does not exist"),
        (["--inspection", exp_data.INSPECTION, "--pdf", "{tmp}/no/x.pdf"], "folder"),
        (["--inspection", exp_data.INSPECTION], "Nothing to export"),
    ],
)
def test_errors_exit_2_with_one_line(workspace: Path, tmp_path: Path, extra: list[str],
                                     message: str) -> None:
    proc = run("export", str(workspace), *[a.format(tmp=tmp_path) for a in extra])
    assert proc.returncode == 2
    assert message in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert not list(tmp_path.iterdir())
