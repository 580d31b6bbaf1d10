"""The installer launchers start commands the CLI still understands.

The Linux desktop entry and the Windows installer's file association call ``qmsr-ready`` with
fixed arguments; if the CLI renames ``gui`` or its positional workspace, double-clicking a
``.qmsr`` file would silently break. These checks parse those command lines with the real parser.
"""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest

from qmsr_ready.cli import build_parser
from qmsr_ready.commands.gui import run_gui

INSTALLER = Path(__file__).resolve().parents[2] / "installer"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(INSTALLER / "qmsr-ready.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def _iss_open_command() -> list[str]:
    text = (INSTALLER / "windows" / "qmsr-ready.iss").read_text(encoding="utf-8")
    match = re.search(r'shell\\open\\command";.*ValueData: "(.*)"\s*$', text, re.MULTILINE)
    assert match, "no open command in the Inno Setup script"
    # Inno doubles quotes inside a quoted value: ""{app}\x.exe"" gui ""%1""
    command = match.group(1).replace('""', '"')
    # Windows command-line words: "quoted with spaces" or bare; backslashes are literal.
    return [quoted or bare for quoted, bare in re.findall(r'"([^"]*)"|(\S+)', command)]


def test_desktop_entry_is_complete() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"
    assert entry["Icon"] == "qmsr-ready"
    assert entry["Exec"].split()[0] == entry["TryExec"] == "qmsr-ready"
    assert entry["Categories"].endswith(";")


def test_windows_association_starts_the_windowed_exe_the_spec_builds() -> None:
    iss = (INSTALLER / "windows" / "qmsr-ready.iss").read_text(encoding="utf-8")
    spec = (INSTALLER / "qmsr-ready.spec").read_text(encoding="utf-8")
    assert _iss_open_command()[0] == r"{app}\{#AppGuiExe}"
    assert '#define AppGuiExe "qmsr-ready-gui.exe"' in iss
    assert 'name=f"{APP_NAME}-gui"' in spec
    assert 'APP_NAME = "qmsr-ready"' in spec


def test_desktop_mime_type_matches_the_mime_definition() -> None:
    root = ElementTree.parse(INSTALLER / "linux" / "qmsr-ready-mime.xml").getroot()
    (mime,) = root.findall(f"{MIME_NS}mime-type")
    assert [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")] == ["*.qmsr"]
    assert _desktop_entry()["MimeType"] == f"{mime.get('type')};"


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(_desktop_entry()["Exec"].split()[1:], id="linux-desktop-entry"),
        pytest.param(_iss_open_command()[1:], id="windows-file-association"),
    ],
)
def test_launcher_command_line_opens_the_gui_on_the_file(argv: list[str]) -> None:
    clicked = "/home/q/site audit.qmsr"
    args = build_parser().parse_args([clicked if a in {"%f", "%1"} else a for a in argv])
    assert args.func is run_gui
    assert args.workspace == clicked
