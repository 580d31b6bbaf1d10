"""The About box's licence notices cover Qt for Python, the system libraries and the GNU texts.

Why: PySide6_Essentials and shiboken6 ship no licence file in their metadata, so the notices
read "(no licence file in the package metadata)" for the very libraries the LGPL is about, and
the system libraries the Linux bundle copies (glib, dbus, xcb, OpenSSL, ICU, ...) were not named.
"""

from __future__ import annotations

from qmsr_ready.core.resources import resource_path
from qmsr_ready.third_party import gather_notices


def test_every_bundled_package_has_a_licence_and_qt_for_python_gets_the_gnu_texts() -> None:
    text = gather_notices(resource_path("fonts", "DejaVu-LICENSE.txt"))
    assert "(no licence file in the package metadata)" not in text
    for name in ("PySide6_Essentials", "shiboken6"):
        header = next(line for line in text.splitlines() if line.startswith(name + " "))
        assert "LGPL-3.0-only" in header
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text
    assert "Version 3, 29 June 2007" in text
    assert "GNU GENERAL PUBLIC LICENSE" in text
    assert "DejaVu" in text


def test_the_system_libraries_of_the_bundle_are_named_with_their_licences() -> None:
    text = gather_notices(resource_path("fonts", "DejaVu-LICENSE.txt"))
    section = text.split("System libraries in the Linux bundle", 1)[1]
    for library in ("GLib", "libdbus-1", "libxcb", "libxkbcommon", "OpenSSL", "ICU", "Kerberos",
                    "FreeType", "HarfBuzz"):
        assert library in section, library
    assert "OpenSSL (libssl, libcrypto): Apache-2.0" in section
