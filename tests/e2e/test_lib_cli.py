"""``qmsr-ready templates …`` as a subprocess: list, validate, coverage, import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from qmsr_ready.core.paths import user_templates_dir

FIXTURES = Path(__file__).parent.parent / "fixtures" / "templates"
MINIMAL = FIXTURES / "minimal-v1.yaml"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    # os.environ carries the per-test QMSR_READY_DATA_DIR set by tests/conftest.py.
    return subprocess.run(
        [sys.executable, "-m", "qmsr_ready", "templates", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )


def test_validate_valid_files_exits_zero() -> None:
    result = _run("validate", str(MINIMAL), str(FIXTURES / "planner-60.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        f"{MINIMAL}: valid",
        f"{FIXTURES / 'planner-60.yaml'}: valid",
    ]


def test_validate_lists_every_error_one_per_line_and_exits_one(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("weight: 3", "weight: 4").replace(
        "ISO 13485:2016 4.2.4", "ISO 13485:2016 7.3.11"
    )
    bad.write_text(text, encoding="utf-8")
    result = _run("validate", str(MINIMAL), str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{MINIMAL}: valid",
        "bad.yaml:31 areas[0].elements[0].questions[0].weight: weight must be 1, 2 or 3 (got 4)",
        'bad.yaml:44 areas[0].elements[1].questions[0].citations[0]: "ISO 13485:2016 7.3.11" '
        "is not a clause",
    ]


def test_list_json_shows_shipped_templates() -> None:
    result = _run("list", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    keys = {t["key"]: t for t in data["templates"]}
    assert "qsr-transition" in keys
    assert keys["qsr-transition"]["source"] == "built-in"
    assert len(keys["qsr-transition"]["sha256"]) == 64
    assert data["problems"] == []


def test_import_then_list_and_refuse_conflicting_reimport(tmp_path: Path) -> None:
    result = _run("import", str(MINIMAL))
    assert result.returncode == 0, result.stderr
    assert (user_templates_dir() / "test-minimal-1.0.yaml").read_text() == MINIMAL.read_text()
    listed = _run("list")
    assert any(
        line.split()[:4] == ["*", "test-minimal", "1.0", "user"]
        for line in listed.stdout.splitlines()
    ), listed.stdout
    changed = tmp_path / "changed.yaml"
    changed.write_text(MINIMAL.read_text().replace("Minimal test template", "Changed"))
    again = _run("import", str(changed))
    assert again.returncode == 2
    assert "already has test-minimal version 1.0" in again.stderr


def test_import_invalid_file_is_refused_with_its_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("key: x\n", encoding="utf-8")
    result = _run("import", str(bad))
    assert result.returncode == 2
    assert 'bad.yaml:1: missing required key "version"' in result.stderr
    assert not user_templates_dir().exists() or not any(user_templates_dir().iterdir())


def test_coverage_json_reports_counts_and_uncovered() -> None:
    assert _run("import", str(MINIMAL)).returncode == 0
    result = _run("coverage", "--json")
    assert result.returncode == 0, result.stderr
    reports = {r["key"]: r for r in json.loads(result.stdout)}
    minimal = reports["test-minimal"]
    assert minimal["questions"] == 3
    assert minimal["cited"]["21 CFR 807"] == 1
    assert "ISO 13485:2016 8.5.2" in minimal["uncovered"]
    text = _run("coverage")
    assert "test-minimal 1.0: 3 questions" in text.stdout
