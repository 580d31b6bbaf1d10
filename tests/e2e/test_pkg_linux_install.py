"""installer/linux/install.sh: installs per user and ``--uninstall`` leaves no stale caches.

Why: after an uninstall, icon-theme.cache and the MIME caches still named QMSR Ready's icon and
the .qmsr type, so desktops kept showing a file type nothing could open.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "installer" / "linux" / "install.sh"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _fake_bundle(folder: Path) -> Path:
    """A folder shaped like dist/qmsr-ready (program, _internal resources, share files)."""
    bundle = folder / "qmsr-ready"
    icons = bundle / "_internal" / "qmsr_ready" / "resources" / "icons"
    (icons / "app").mkdir(parents=True)
    (icons / "app.svg").write_text("<svg/>")
    for size in SIZES:
        (icons / "app" / f"{size}.png").write_bytes(b"\x89PNG")
    (bundle / "share").mkdir()
    shutil.copy(ROOT / "installer" / "qmsr-ready.desktop", bundle / "share" / "qmsr-ready.desktop")
    (bundle / "share" / "qmsr-ready-mime.xml").write_text("<mime-info/>")
    program = bundle / "qmsr-ready"
    program.write_text("#!/bin/sh\necho fake\n")
    program.chmod(0o755)
    shutil.copy(SCRIPT, bundle / "install.sh")
    return bundle


def _run(bundle: Path, home: Path, *args: str, tools: Path) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": f"{tools}:/usr/bin:/bin", "LANG": "C.UTF-8"}
    return subprocess.run(["sh", str(bundle / "install.sh"), *args], env=env, text=True,
                          capture_output=True, timeout=60, check=False)


@pytest.mark.skipif(os.name != "posix", reason="a Linux shell script")
@pytest.mark.parametrize("with_tools", [False, True], ids=["no-cache-tools", "fake-cache-tools"])
def test_uninstall_removes_everything_it_added_and_the_stale_caches(
    tmp_path: Path, with_tools: bool
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in ("update-desktop-database", "update-mime-database", "gtk-update-icon-cache"):
        # an empty PATH entry of our own shadows the real tools unless asked to provide fakes
        target = tools / name
        if with_tools:  # rebuild a cache file the way the real tools would leave one
            cache = {"update-desktop-database": "mimeinfo.cache",
                     "update-mime-database": "mime.cache"}.get(name, "icon-theme.cache")
            target.write_text(f'#!/bin/sh\nfor a; do d="$a"; done\ntouch "$d/{cache}"\n')
        else:
            target.write_text("#!/bin/sh\nexit 127\n")
        target.chmod(0o755)
    bundle = _fake_bundle(tmp_path / "unpacked")
    installed = _run(bundle, home, tools=tools)
    assert installed.returncode == 0, installed.stderr
    data = home / ".local" / "share"
    assert (data / "applications" / "qmsr-ready.desktop").is_file()
    # caches as a desktop leaves them after the install
    (data / "icons" / "hicolor" / "icon-theme.cache").write_bytes(b"cache")
    (data / "mime" / "mime.cache").write_bytes(b"cache")
    (data / "mime" / "globs2").write_text("50:application/x-qmsr-workspace:*.qmsr\n")
    (data / "applications" / "mimeinfo.cache").write_text("application/x-qmsr-workspace=q\n")

    removed = _run(bundle, home, "--uninstall", tools=tools)
    assert removed.returncode == 0, removed.stderr
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*") if p.is_file())
    assert left == [], left
    assert not (home / ".local" / "opt" / "qmsr-ready").exists()
    assert not (data / "icons" / "hicolor").exists()
    assert not (data / "mime").exists()


@pytest.mark.skipif(os.name != "posix", reason="a Linux shell script")
def test_uninstall_keeps_other_applications_icons(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    tools = tmp_path / "tools"
    tools.mkdir()
    bundle = _fake_bundle(tmp_path / "unpacked")
    assert _run(bundle, home, tools=tools).returncode == 0
    hicolor = home / ".local" / "share" / "icons" / "hicolor"
    other = hicolor / "48x48" / "apps" / "other-app.png"
    other.write_bytes(b"\x89PNG")
    (hicolor / "icon-theme.cache").write_bytes(b"stale")
    assert _run(bundle, home, "--uninstall", tools=tools).returncode == 0
    assert other.is_file()
    assert not (hicolor / "48x48" / "apps" / "qmsr-ready.png").exists()
    if shutil.which("gtk-update-icon-cache") is None and shutil.which("update-icon-caches") is None:
        assert not (hicolor / "icon-theme.cache").exists()  # stale and not rebuildable: gone
