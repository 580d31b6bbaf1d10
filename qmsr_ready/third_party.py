"""The licences of what QMSR Ready ships: gathered from package metadata, shown in About.

Why here (no Qt, no core): the PyInstaller spec calls ``write_notices`` at build time, so the
bundle carries the exact texts of what it bundled; a pip install gathers the same text live.
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

NOTICES_NAME = "THIRD-PARTY-NOTICES.txt"
ROOT_DISTRIBUTION = "qmsr-ready"
_LICENCE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS)[^/]*$", re.IGNORECASE)

QT_NOTICE = """Qt for Python (PySide6) and Qt
QMSR Ready uses Qt and Qt for Python under the GNU Lesser General Public License v3 (LGPL-3.0).
The Qt libraries are shipped as separate shared libraries in the application folder; you may
replace them with a compatible build of your own. The Qt source code is available from
https://download.qt.io/official_releases/ and the LGPL text from https://www.gnu.org/licenses/lgpl-3.0.txt.
"""

PYTHON_NOTICE = """Python
The bundled Python interpreter and standard library are distributed under the Python Software
Foundation License (https://docs.python.org/3/license.html). The PyInstaller bootloader that
starts the bundle is GPL-2.0 with an exception that allows shipping it with any program.
"""


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def bundled_distributions(root: str = ROOT_DISTRIBUTION) -> list[metadata.Distribution]:
    """``root`` and everything it requires (without extras), each once, sorted by name."""
    seen: dict[str, metadata.Distribution] = {}
    pending = [root]
    while pending:
        name = _normal(pending.pop())
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[name] = dist
        for requirement in dist.requires or []:
            if "extra ==" in requirement.replace('"', " ").replace("'", " "):
                continue
            match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
            if match:
                pending.append(match.group(1))
    return [seen[k] for k in sorted(seen) if k != _normal(root)]


def _licence_summary(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = meta.get("License-Expression") or ""
    if not expression:
        licence = (meta.get("License") or "").strip()
        expression = licence.splitlines()[0] if licence and len(licence) < 120 else ""
    if not expression:
        classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or []
                       if c.startswith("License ::")]
        expression = ", ".join(classifiers)
    return expression or "see the licence text below"


def _licence_texts(dist: metadata.Distribution) -> list[str]:
    texts = []
    for file in dist.files or []:
        if _LICENCE_FILE.search(str(file)) and not str(file).endswith((".py", ".pyc")):
            try:
                texts.append(file.read_text(encoding="utf-8").strip())
            except (OSError, UnicodeDecodeError):
                continue
    return texts


def gather_notices(font_licence: Path | None = None) -> str:
    """Every notice as one plain text: Qt, Python, each bundled package, the DejaVu fonts."""
    rule = "=" * 72
    parts = [QT_NOTICE, PYTHON_NOTICE]
    for dist in bundled_distributions():
        name, version = dist.metadata["Name"], dist.version
        header = f"{name} {version} — {_licence_summary(dist)}"
        body = "\n\n".join(_licence_texts(dist)) or "(no licence file in the package metadata)"
        parts.append(f"{header}\n{body}\n")
    if font_licence is not None and font_licence.is_file():
        parts.append("DejaVu fonts (embedded in PDF packs)\n"
                     + font_licence.read_text(encoding="utf-8").strip() + "\n")
    return f"\n{rule}\n".join(parts)


def write_notices(target: Path, font_licence: Path | None = None) -> Path:
    """Write the notices file (the spec calls this at build time)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(gather_notices(font_licence), encoding="utf-8")
    return target


def notices_text() -> str:
    """The notices shipped with this build, or gathered now for a pip install."""
    from qmsr_ready.core.resources import resource_path

    shipped = resource_path(NOTICES_NAME)
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    return gather_notices(resource_path("fonts", "DejaVu-LICENSE.txt"))
