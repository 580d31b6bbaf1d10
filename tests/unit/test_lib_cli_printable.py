"""``templates list`` never prints a template's control characters raw (issue 13).

A title carrying ``ESC ]0;…BEL`` or ``ESC [2J`` retitles or clears the user's terminal, and a
right-to-left override reorders the line; they are shown as escapes instead.
"""

from __future__ import annotations

import argparse
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qmsr_ready.commands.templates import cmd_list, printable
from qmsr_ready.core.paths import user_templates_dir

FIXTURE = Path(__file__).parent.parent / "fixtures" / "templates" / "minimal-v1.yaml"
HOSTILE = "\x1b]0;owned\x07\x1b[2J\u202eevil\x00\x0b\x85"


def _is_raw_control(ch: str) -> bool:
    return not ch.isprintable() and ch != "\n" and unicodedata.category(ch) != "Zs"


def _plant(title: str) -> None:
    data = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    data["title"] = title
    folder = user_templates_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def test_templates_list_escapes_terminal_sequences_in_titles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _plant(f"Site {HOSTILE} checklist")
    assert cmd_list(argparse.Namespace(json=False)) == 0
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if "test-minimal" in row)
    assert line.endswith(r"Site \x1b]0;owned\x07\x1b[2J\u202eevil\x00\x0b\x85 checklist")
    assert not any(_is_raw_control(ch) for ch in out)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(min_size=1, max_size=30))
def test_printable_output_has_no_control_or_format_characters(text: str) -> None:
    shown = printable(text)
    assert "\n" not in shown
    assert not any(_is_raw_control(ch) for ch in shown)
    if text.isprintable():
        assert shown == text


@pytest.fixture(autouse=True)
def _clean_user_templates() -> None:
    shutil.rmtree(user_templates_dir(), ignore_errors=True)
