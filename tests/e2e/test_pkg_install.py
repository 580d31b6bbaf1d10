"""Fresh-install test: the wheel of this checkout, installed into a new venv, works from any folder.

This is the issue's "Done when": a non-editable install outside the checkout gives a working
``qmsr-ready``. One module-scoped fixture copies the sources to a scratch folder, builds a wheel
(``pip wheel --no-deps``), creates an empty venv and installs the wheel with its dependencies.
That takes about 30 s on the development machine (wheel ~7 s, install ~20 s from pip's local
cache); the first run on a machine without a warm pip cache downloads PySide6 and can take a few
minutes. Every test below reuses the same venv and runs it from a folder that is not the checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from qmsr_ready import __version__

REPO = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT_S = 900
RUN_TIMEOUT_S = 180
# Never copied into the build folder: local state, caches, and what the wheel does not ship.
_NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache",
    ".ruff_cache", "out", "tests", "bench", "*.qmsr", "*.qmsr-*", "*.qmsr.lock",
)  # fmt: skip


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / name


def _check(cmd: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(c) for c in cmd],
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT_S,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result


@dataclass(frozen=True)
class Installed:
    """A venv holding the installed wheel, and a scratch folder to run it in."""

    venv: Path
    workdir: Path
    data_dir: Path
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the installed ``qmsr-ready`` console script in ``workdir``."""
        return self._run(_bin(self.venv, "qmsr-ready"), *args)

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        """Run code with the venv's interpreter in ``workdir``."""
        return self._run(_bin(self.venv, "python"), "-c", code)

    def _run(self, *cmd: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(c) for c in cmd],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
            check=False,
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build, create and install once per module (slow: see the module docstring)."""
    base = tmp_path_factory.mktemp("pkg-install")
    src, wheels, venv, workdir = (base / n for n in ("src", "wheels", "venv", "work"))
    # Build from a copy so the shared checkout never gets a build/ folder or stale build output.
    shutil.copytree(REPO, src, ignore=_NOT_SOURCES)
    pip_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    pip_env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    pip = [sys.executable, "-m", "pip"]
    _check([*pip, "wheel", "--no-deps", "--wheel-dir", wheels, src], env=pip_env)
    (wheel,) = wheels.glob("qmsr_ready-*.whl")
    # An empty venv (no pip, no setuptools): what the app needs must come from its own metadata.
    _check([sys.executable, "-m", "venv", "--without-pip", venv], env=pip_env)
    _check([*pip, "--python", _bin(venv, "python"), "install", wheel], env=pip_env)
    workdir.mkdir()
    dirs = {name: base / "user" / name for name in ("data", "config", "log")}
    for folder in dirs.values():
        folder.mkdir(parents=True)
    env = {
        **pip_env,
        "QT_QPA_PLATFORM": "offscreen",
        "QMSR_READY_DATA_DIR": str(dirs["data"]),
        "QMSR_READY_CONFIG_DIR": str(dirs["config"]),
        "QMSR_READY_LOG_DIR": str(dirs["log"]),
        "QMSR_READY_USER": "Package Tester",
    }
    return Installed(venv=venv, workdir=workdir, data_dir=dirs["data"], env=env)


_LOCATE = """
import json
import qmsr_ready
from qmsr_ready.core.migrations import MIGRATIONS_DIR, head_revision
from qmsr_ready.core.resources import resources_dir
print(json.dumps({
    "package": qmsr_ready.__file__,
    "resources": str(resources_dir()),
    "migrations": str(MIGRATIONS_DIR),
    "head": head_revision(),
}))
"""


def _files_under(folder: Path) -> set[str]:
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_package_is_imported_from_the_venv_with_every_resource_and_migration(
    installed: Installed,
) -> None:
    result = installed.python(_LOCATE)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    package_dir = Path(found["package"]).resolve().parent
    assert package_dir.is_relative_to(installed.venv.resolve()), "imported from the checkout"
    assert Path(found["resources"]) == package_dir / "resources"
    # Every file of the checkout's resources/ folder is shipped, at the same relative path.
    assert _files_under(REPO / "resources") <= _files_under(package_dir / "resources")
    shipped_migrations = _files_under(Path(found["migrations"]))
    assert {"env.py", "script.py.mako"} <= shipped_migrations
    repo_versions = _files_under(REPO / "qmsr_ready" / "core" / "migrations" / "versions")
    assert {f"versions/{name}" for name in repo_versions} <= shipped_migrations
    assert found["head"]


def test_version(installed: Installed) -> None:
    result = installed.run("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"qmsr-ready {__version__}")


@pytest.fixture(scope="module")
def demo_workspace(installed: Installed) -> Path:
    """``qmsr-ready demo x.qmsr`` run in the scratch folder; returns the new file."""
    made = installed.run("demo", "x.qmsr", "--json")
    assert made.returncode == 0, made.stderr
    workspace = installed.workdir / "x.qmsr"
    assert json.loads(made.stdout)["path"] == str(workspace)
    return workspace


def test_demo_workspace_verifies_from_another_folder(
    installed: Installed, demo_workspace: Path
) -> None:
    text = installed.run("verify", "x.qmsr")
    assert text.returncode == 0, text.stdout + text.stderr
    assert text.stdout.startswith(f"OK: {demo_workspace}")

    report = installed.run("verify", "x.qmsr", "--json")
    as_json = json.loads(report.stdout)
    assert (report.returncode, as_json["ok"], as_json["integrity"]) == (0, True, "ok")
    assert as_json["event_count"] > 10

    listed = installed.run("inspections", "x.qmsr", "--json")
    assert listed.returncode == 0, listed.stderr
    statuses = {row["code"]: row["status"] for row in json.loads(listed.stdout)}
    assert statuses["MI-2026-002"] == "in_progress"
    assert "signed_off" in statuses.values()


def test_export_uses_the_shipped_fonts(installed: Installed, demo_workspace: Path) -> None:
    """The PDF embeds DejaVu from the installed resources; openpyxl came in as a dependency."""
    result = installed.run(
        "export", str(demo_workspace), "--inspection", "MI-2026-002",
        "--pdf", "pack.pdf", "--xlsx", "pack.xlsx",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    pdf = PdfReader(installed.workdir / "pack.pdf")
    fonts = {
        str(font["/BaseFont"])
        for page in pdf.pages[:2]
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVuSans" in name for name in fonts), fonts
    sheets = load_workbook(installed.workdir / "pack.xlsx", read_only=True).sheetnames
    assert len(sheets) > 1


def test_templates_list_finds_the_builtin_library(installed: Installed) -> None:
    table = installed.run("templates", "list")
    assert table.returncode == 0, table.stderr
    assert "fda-qmsr" in table.stdout
    assert "qsr-transition" in table.stdout

    result = installed.run("templates", "list", "--json")
    listing = json.loads(result.stdout)
    builtin = {t["key"]: t for t in listing["templates"] if t["source"] == "built-in"}
    assert {"fda-qmsr", "qsr-transition"} <= builtin.keys()
    assert listing["problems"] == []
    for template in builtin.values():
        assert Path(template["path"]).resolve().is_relative_to(installed.venv.resolve())
        assert template["questions"] > 0


def test_gui_starts_on_the_default_workspace(installed: Installed) -> None:
    """PySide6 came in as a dependency, the icons load, and first run creates default.qmsr."""
    shot = installed.workdir / "home.png"
    result = installed.run("gui", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    default = installed.data_dir / "default.qmsr"
    assert installed.run("verify", str(default)).returncode == 0
