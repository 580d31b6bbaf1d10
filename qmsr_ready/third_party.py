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


# Qt for Python's wheels carry no licence file in their metadata: these say what applies, and
# the full GNU texts (resources/licenses/) are appended once.
QT_DISTRIBUTIONS = {"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"}
QT_DISTRIBUTION_LICENCE = (
    "LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only (Qt for Python is offered under the LGPL v3 "
    "and the GPL; QMSR Ready uses it under the LGPL v3, whose text follows at the end together "
    "with the GPL v3 it builds on)."
)
GNU_TEXTS = (("GNU Lesser General Public License v3", "LGPL-3.0.txt"),
             ("GNU General Public License v3", "GPL-3.0.txt"))

# System libraries the Linux bundle copies from the build machine (PyInstaller follows what Qt,
# its xcb plugin and Python's extension modules link). Pillow's own copies (names with a hash,
# e.g. libjpeg-6dc8d115.so) are covered by Pillow's licence above.
SYSTEM_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("libxcb, libxcb-* (icccm, image, keysyms, render-util, util, cursor), libXau, libXdmcp",
     "MIT/X11"),
    ("libX11, libX11-xcb, libXext, libXrender", "MIT/X11"),
    ("libxkbcommon, libxkbcommon-x11", "MIT"),
    ("GLib (libglib-2.0, libgobject, libgio, libgmodule, libgthread)", "LGPL-2.1-or-later"),
    ("D-Bus (libdbus-1)", "AFL-2.1 OR GPL-2.0-or-later"),
    ("libsystemd", "LGPL-2.1-or-later"),
    ("OpenSSL (libssl, libcrypto)", "Apache-2.0"),
    ("ICU (libicuuc, libicui18n, libicudata)", "Unicode-3.0 (ICU licence)"),
    ("MIT Kerberos (libgssapi_krb5, libkrb5, libk5crypto, libkrb5support), libcom_err",
     "MIT (Kerberos licence)"),
    ("libkeyutils", "LGPL-2.1-or-later"),
    ("fontconfig", "MIT (HPND-like)"),
    ("FreeType", "FTL OR GPL-2.0-or-later"),
    ("HarfBuzz", "MIT (Old MIT)"),
    ("graphite2", "LGPL-2.1-or-later OR MPL-2.0 OR GPL-2.0-or-later"),
    ("Pango, ATK, GDK-Pixbuf", "LGPL-2.0-or-later"),
    ("cairo", "LGPL-2.1-only OR MPL-1.1"),
    ("pixman", "MIT"),
    ("FriBidi, libthai, libdatrie", "LGPL-2.1-or-later"),
    ("libpng", "libpng-2.0"),
    ("libjpeg-turbo", "IJG AND BSD-3-Clause AND Zlib"),
    ("zlib", "Zlib"),
    ("zstd", "BSD-3-Clause OR GPL-2.0-only"),
    ("xz (liblzma)", "0BSD / public domain"),
    ("lz4", "BSD-2-Clause"),
    ("bzip2 (libbz2)", "bzip2-1.0.6"),
    ("Brotli", "MIT"),
    ("libffi", "MIT"),
    ("expat", "MIT"),
    ("SQLite", "public domain"),
    ("PCRE2 (libpcre2-8)", "BSD-3-Clause WITH PCRE2-exception"),
    ("libgcrypt, libgpg-error", "LGPL-2.1-or-later"),
    ("util-linux (libblkid, libmount, libuuid)", "LGPL-2.1-or-later / BSD-3-Clause (libuuid)"),
    ("libselinux", "public domain"),
    ("libcap", "BSD-3-Clause OR GPL-2.0-only"),
    ("libbsd, libmd", "BSD-3-Clause and similar permissive licences"),
    ("GNU Readline (libreadline), ncurses (libtinfo)", "GPL-3.0-or-later; MIT (ncurses)"),
    ("GCC runtime (libstdc++, libgcc_s)", "GPL-3.0-or-later WITH GCC-exception-3.1"),
)

SYSTEM_NOTICE_HEAD = """System libraries in the Linux bundle
The Linux bundle carries these shared libraries, copied unchanged from the Debian build machine
(their source is at https://sources.debian.org/ under the same names). Each keeps its own
licence; where it is the LGPL you may replace the library file in the _internal folder with a
compatible build of your own.
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


def _first(meta: metadata.PackageMetadata, key: str) -> str:
    """The first value of a metadata field, or "" (the protocol has no ``get``)."""
    values = meta.get_all(key)
    return str(values[0]) if values else ""


def _licence_summary(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = _first(meta, "License-Expression")
    if not expression:
        licence = _first(meta, "License").strip()
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


def gather_notices(font_licence: Path | None = None, licence_folder: Path | None = None) -> str:
    """Every notice as one plain text: Qt, Python, each bundled package, the DejaVu fonts, the
    system libraries of the Linux bundle and the GNU LGPL/GPL v3 texts.

    ``licence_folder`` holds LGPL-3.0.txt and GPL-3.0.txt; by default ``licenses/`` beside the
    fonts folder (the shipped resources).
    """
    rule = "=" * 72
    parts = [QT_NOTICE, PYTHON_NOTICE]
    for dist in bundled_distributions():
        name, version = dist.metadata["Name"], dist.version
        texts = _licence_texts(dist)
        if _normal(name) in QT_DISTRIBUTIONS:
            header = f"{name} {version} — {QT_DISTRIBUTION_LICENCE}"
            body = "\n\n".join(texts) or "(licence texts: see the GNU LGPL v3 and GPL v3 below)"
        else:
            header = f"{name} {version} — {_licence_summary(dist)}"
            body = "\n\n".join(texts) or "(no licence file in the package metadata)"
        parts.append(f"{header}\n{body}\n")
    if font_licence is not None and font_licence.is_file():
        parts.append("DejaVu fonts (embedded in PDF packs)\n"
                     + font_licence.read_text(encoding="utf-8").strip() + "\n")
    parts.append(SYSTEM_NOTICE_HEAD + "\n" + "\n".join(
        f"- {what}: {licence}" for what, licence in SYSTEM_LIBRARIES) + "\n")
    folder = licence_folder or (font_licence.parent.parent / "licenses" if font_licence else None)
    for title, file_name in GNU_TEXTS:
        path = folder / file_name if folder is not None else None
        if path is not None and path.is_file():
            parts.append(f"{title}\n\n" + path.read_text(encoding="utf-8").strip() + "\n")
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
