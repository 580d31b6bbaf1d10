"""``qmsr-ready demo`` as a subprocess: JSON summary, verify, and refusing to overwrite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "qmsr_ready", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def test_demo_json_verify_and_refusal(tmp_path: Path) -> None:
    target = tmp_path / "demo.qmsr"
    made = _run("demo", str(target), "--json", "--today", "2026-11-25")
    assert made.returncode == 0, made.stderr
    summary = json.loads(made.stdout)
    assert summary["path"] == str(target)
    statuses = sorted((i["inspection_type"], i["status"]) for i in summary["inspections"])
    assert ("baseline_surveillance", "in_progress") in statuses
    assert ("for_cause", "planned") in statuses
    assert ("non_baseline_surveillance", "signed_off") in statuses
    assert summary["audit_events"] > 100

    verified = _run("verify", str(target))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("OK:")

    listed = _run("inspections", str(target), "--json")
    assert listed.returncode == 0, listed.stderr
    assert {r["code"] for r in json.loads(listed.stdout)} == {
        i["code"] for i in summary["inspections"]
    }

    before = target.read_bytes()
    again = _run("demo", str(target))
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert again.stdout == ""
    assert target.read_bytes() == before


def test_demo_plain_output_names_the_file(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "demo.qmsr"
    made = _run("demo", str(target))
    assert made.returncode == 0, made.stderr
    assert f"Created demonstration workspace {target}" in made.stdout
    assert "Baseline surveillance (Model 2)" in made.stdout
    assert target.exists()


def test_demo_rejects_a_bad_date(tmp_path: Path) -> None:
    bad = _run("demo", str(tmp_path / "x.qmsr"), "--today", "25/11/2026")
    assert bad.returncode == 2
    assert "not a date" in bad.stderr
    assert not (tmp_path / "x.qmsr").exists()
