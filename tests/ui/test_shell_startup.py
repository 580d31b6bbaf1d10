"""Start-up guards: the xcb library check, screenshots that never hang or leave partial files,
and a CLI that keeps SQLAlchemy out of ``--version``."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from qmsr_ready import app as app_module
from qmsr_ready.cli import main
from qmsr_ready.core.db import open_workspace
from qmsr_ready.ui import xcb_check


# -- xcb ----------------------------------------------------------------------------------------
def test_missing_xcb_libraries_name_debian_and_fedora_packages() -> None:
    missing = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}
    with pytest.raises(xcb_check.PlatformLibrariesMissing) as info:
        xcb_check.check_xcb_libraries(
            env={"QT_QPA_PLATFORM": "xcb"}, can_load=lambda so: so not in missing,
            platform="linux",
        )
    message = info.value.message
    assert "\n" not in message
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in message
    assert "sudo dnf install xcb-util-cursor xcb-util-wm" in message


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({}, "win32", False),
        ({}, "darwin", False),
    ],
)
def test_platform_would_be_xcb(env: dict[str, str], platform: str, expected: bool) -> None:
    assert xcb_check.platform_would_be_xcb(env, platform) is expected


def test_nothing_is_checked_off_xcb() -> None:
    xcb_check.check_xcb_libraries(env={"QT_QPA_PLATFORM": "offscreen"},
                                  can_load=lambda _so: False, platform="linux")


def test_gui_exits_2_with_one_line_before_qt_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(xcb_check, "_can_load", lambda so: so != "libxcb-icccm.so.4")
    monkeypatch.setattr(xcb_check.sys, "platform", "linux")
    assert main(["gui", str(tmp_path / "x.qmsr")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "libxcb-icccm4" in err[0]
    assert "xcb-util-wm" in err[0]


def test_the_library_list_is_what_the_installed_xcb_plugin_links() -> None:
    """Every soname we check is really NEEDED by libqxcb.so / libQt6XcbQpa.so.6 (no xinput)."""
    import PySide6

    qt = Path(PySide6.__file__).parent / "Qt"
    linked: set[str] = set()
    for lib in (qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"):
        if not lib.exists():
            pytest.skip("this PySide6 has no xcb plugin")
        linked |= _needed(lib)
    checked = {lib.soname for lib in xcb_check.XCB_LIBRARIES}
    assert checked <= linked
    assert "libxcb-xinput.so.0" not in checked
    system = {so for so in linked if not so.startswith(("libQt6", "libc.", "libm.", "libstdc++",
                                                        "libgcc_s"))}
    assert system <= checked, f"linked but not checked: {sorted(system - checked)}"


def _needed(path: Path) -> set[str]:
    """The DT_NEEDED sonames of an ELF file, as ``readelf -d`` lists them."""
    import re
    import shutil

    if shutil.which("readelf") is None:
        pytest.skip("readelf (binutils) is not installed")
    out = subprocess.run(["readelf", "-d", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return set(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out))


def test_readme_and_ci_name_the_same_packages_as_the_check() -> None:
    root = Path(__file__).resolve().parents[2]
    readme = " ".join((root / "README.md").read_text(encoding="utf-8").split())
    assert "sudo apt install " + " ".join(xcb_check.debian_packages()) in readme
    assert "sudo dnf install " + " ".join(xcb_check.fedora_packages()) in readme
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    listed = ci.split('XCB_PACKAGES="', 1)[1].split('"', 1)[0].split()
    assert listed == xcb_check.debian_packages()


@pytest.mark.parametrize(
    ("env", "expected"),
    [({}, "DISPLAY=unset"), ({"DISPLAY": ":987"}, "DISPLAY=:987")],
)
def test_an_unreachable_display_is_one_line_not_a_core_dump(
    env: dict[str, str], expected: str
) -> None:
    env = {**env, "QT_QPA_PLATFORM": "xcb"}
    with pytest.raises(xcb_check.DisplayUnreachable) as info:
        xcb_check.check_display(env, reachable=lambda _d: False, platform="linux")
    assert expected in info.value.message
    assert "QT_QPA_PLATFORM=offscreen" in info.value.message
    xcb_check.check_display({"DISPLAY": ":0"}, reachable=lambda _d: True, platform="linux")
    xcb_check.check_display({"QT_QPA_PLATFORM": "offscreen"}, reachable=lambda _d: False,
                            platform="linux")


def test_the_real_xcb_connect_reports_a_display_nobody_serves() -> None:
    try:
        import ctypes

        ctypes.CDLL("libxcb.so.1")
    except OSError:
        pytest.skip("no libxcb here")
    assert xcb_check._xcb_display_reachable(":987") is False


def test_the_gui_without_a_display_exits_2_in_a_subprocess(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE"}}
    env["DISPLAY"] = ":987"
    done = subprocess.run(
        [sys.executable, "-m", "qmsr_ready", "gui", str(tmp_path / "x.qmsr")],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    if "missing" in done.stderr:
        pytest.skip("the xcb libraries are not installed here")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "no X display is reachable (DISPLAY=:987)" in lines[0]


# -- screenshots ----------------------------------------------------------------------------------
def test_an_error_dialog_during_a_screenshot_fails_fast_instead_of_hanging(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    ws = tmp_path / "w.qmsr"
    open_workspace(ws, create=True).close()
    png = tmp_path / "shot.png"

    def render_with_a_modal(window, _options):  # type: ignore[no-untyped-def]
        from qmsr_ready.ui.errors import show_error

        show_error(window, RuntimeError("a view broke"))  # a modal box: used to block forever
        return QImage(10, 10, QImage.Format.Format_RGB32)

    monkeypatch.setattr(app_module, "render_screenshot", render_with_a_modal)
    options = app_module.GuiOptions(workspace=str(ws), screenshot=str(png))
    with pytest.raises(app_module.ScreenshotFailed, match="a dialog opened"):
        app_module.run(options)
    assert not png.exists()


def test_an_unexpected_exception_during_a_screenshot_is_reported(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    ws = tmp_path / "w.qmsr"
    open_workspace(ws, create=True).close()

    def broken(_window, _options):  # type: ignore[no-untyped-def]
        raise ValueError("bad date in a row")

    monkeypatch.setattr(app_module, "render_screenshot", broken)
    options = app_module.GuiOptions(workspace=str(ws), screenshot=str(tmp_path / "s.png"))
    with pytest.raises(app_module.ScreenshotFailed, match="ValueError: bad date in a row"):
        app_module.run(options)


def test_a_full_disk_leaves_no_partial_png(
    qapp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    target = tmp_path / "shot.png"
    target.write_bytes(b"previous picture")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(app_module.os, "fsync", full)
    image = QImage(64, 64, QImage.Format.Format_RGB32)
    with pytest.raises(app_module.ScreenshotFailed, match="the disk is full"):
        app_module.save_png_atomically(image, target)
    assert target.read_bytes() == b"previous picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["shot.png"]


def test_screenshot_size_sets_the_picture_size(tmp_path: Path) -> None:
    ws = tmp_path / "shot.qmsr"
    open_workspace(ws, create=True).close()
    png = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "1.25"}
    result = subprocess.run(
        [sys.executable, "-m", "qmsr_ready", "gui", str(ws), "--screenshot", str(png),
         "--screenshot-size", "1280x720", "--view", "checklist"],
        capture_output=True, text=True, env=env, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1280, 720)


def test_screenshot_size_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gui", "--screenshot", "x.png", "--screenshot-size", "big"]) == 2
    assert "not a size like 1366x768" in capsys.readouterr().err


# -- imports ---------------------------------------------------------------------------------------
def test_version_imports_no_sqlalchemy() -> None:
    code = (
        "import sys\nfrom qmsr_ready.cli import main\nmain(['--version'])\n"
        "heavy = [m for m in ('sqlalchemy', 'alembic', 'reportlab', 'openpyxl', 'PySide6')"
        " if m in sys.modules]\nprint('HEAVY', heavy)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert "HEAVY []" in result.stdout


def test_main_window_module_loads_without_sqlalchemy() -> None:
    code = (
        "import sys\nfrom qmsr_ready.ui.main_window import MainWindow\nimport qmsr_ready.app\n"
        "print('HEAVY', [m for m in ('sqlalchemy', 'alembic', 'reportlab', 'openpyxl')"
        " if m in sys.modules])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert "HEAVY []" in result.stdout
