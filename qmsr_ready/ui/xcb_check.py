"""Before Qt starts on X11: are the system libraries its ``xcb`` plugin loads there?

Why: without them Qt prints "could not load the Qt platform plugin xcb" and aborts with a core
dump, which tells a quality lead nothing. We try to load each library by its soname (a few
milliseconds) and, if any is missing, stop with one line naming the packages to install.
No Qt import here: this runs before the ``QApplication`` exists.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from qmsr_ready.core.errors import QmsrError


@dataclass(frozen=True)
class XcbLibrary:
    """One library the Qt xcb plugin links, with the package that ships it per distribution."""

    soname: str
    debian: str
    fedora: str


# What the installed PySide6's plugins/platforms/libqxcb.so and lib/libQt6XcbQpa.so.6 link
# beyond Qt and the C/C++ runtime, as `readelf -d` lists them (NEEDED) for Qt 6.8-6.10. Note what
# is NOT here: libxcb-xinput (Qt 6 builds it in). libGL, libX11 and glib are on every desktop
# but missing from minimal images and containers, so they are checked too.
XCB_LIBRARIES: tuple[XcbLibrary, ...] = (
    XcbLibrary("libxcb.so.1", "libxcb1", "libxcb"),
    XcbLibrary("libX11.so.6", "libx11-6", "libX11"),
    XcbLibrary("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
    XcbLibrary("libGL.so.1", "libgl1", "libglvnd-glx"),
    XcbLibrary("libglib-2.0.so.0", "libglib2.0-0", "glib2"),
    XcbLibrary("libgthread-2.0.so.0", "libglib2.0-0", "glib2"),
    XcbLibrary("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    XcbLibrary("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    XcbLibrary("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    XcbLibrary("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    XcbLibrary("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    XcbLibrary("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    XcbLibrary("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    XcbLibrary("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    XcbLibrary("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    XcbLibrary("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    XcbLibrary("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    XcbLibrary("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    XcbLibrary("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    XcbLibrary("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    XcbLibrary("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
)


class PlatformLibrariesMissing(QmsrError):  # noqa: N818 (reads like the other QmsrErrors)
    """The desktop (X11) libraries Qt needs are not installed."""


class DisplayUnreachable(QmsrError):  # noqa: N818 (reads like the other QmsrErrors)
    """Qt would use X11 but no X server answers (no desktop session, or a wrong DISPLAY)."""


def platform_would_be_xcb(env: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """True when Qt would pick its xcb plugin: asked for, or an X11 session on Linux/BSD."""
    env = dict(os.environ) if env is None else env
    platform = platform or sys.platform
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    asked = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if asked:
        return asked == "xcb"
    # Qt 6 prefers Wayland in a Wayland session; xcb otherwise (or when only DISPLAY is set).
    wayland = bool(env.get("WAYLAND_DISPLAY")) or env.get("XDG_SESSION_TYPE") == "wayland"
    return not wayland


def _can_load(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def missing_xcb_libraries(
    libraries: Iterable[XcbLibrary] = XCB_LIBRARIES,
    can_load: Callable[[str], bool] | None = None,
) -> list[XcbLibrary]:
    """The libraries that cannot be loaded here."""
    load = can_load or _can_load
    return [lib for lib in libraries if not load(lib.soname)]


def missing_message(missing: list[XcbLibrary]) -> str:
    """One line: what is missing and the install command for Debian/Ubuntu and Fedora."""
    debian = " ".join(dict.fromkeys(lib.debian for lib in missing))
    fedora = " ".join(dict.fromkeys(lib.fedora for lib in missing))
    names = ", ".join(lib.soname for lib in missing)
    return (
        f"The desktop window cannot open: system libraries for Qt's X11 (xcb) support are "
        f"missing ({names}). Install them and start QMSR Ready again — Debian/Ubuntu: "
        f"sudo apt install {debian}; Fedora: sudo dnf install {fedora}."
    )


def _xcb_display_reachable(display: str) -> bool:
    """Open and close an X connection through libxcb (what Qt's xcb plugin does first)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return False
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.restype = ctypes.c_int
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.restype = None
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    screen = ctypes.c_int(0)
    connection = xcb.xcb_connect(display.encode(), ctypes.byref(screen))
    if not connection:
        return False
    try:
        return int(xcb.xcb_connection_has_error(connection)) == 0
    finally:
        xcb.xcb_disconnect(connection)


def display_message(display: str | None) -> str:
    """One line: which DISPLAY failed and what to do instead."""
    shown = display if display else "unset"
    return (
        f"no X display is reachable (DISPLAY={shown}); run it from a desktop session, "
        f"or set QT_QPA_PLATFORM=offscreen for headless use"
    )


def check_display(
    env: dict[str, str] | None = None,
    reachable: Callable[[str], bool] | None = None,
    platform: str | None = None,
) -> None:
    """Raise ``DisplayUnreachable`` if Qt would use xcb and no X server answers on DISPLAY.

    Qt itself aborts (a core dump) in that case; a quick xcb_connect says it in one line.
    """
    env = dict(os.environ) if env is None else env
    if not platform_would_be_xcb(env, platform or sys.platform):
        return
    display = env.get("DISPLAY", "")
    if not display or not (reachable or _xcb_display_reachable)(display):
        raise DisplayUnreachable(display_message(display))


def check_xcb_libraries(
    env: dict[str, str] | None = None,
    can_load: Callable[[str], bool] | None = None,
    platform: str | None = None,
) -> None:
    """Raise ``PlatformLibrariesMissing`` if Qt would use xcb and a library it needs is missing."""
    if not platform_would_be_xcb(env, platform or sys.platform):
        return
    missing = missing_xcb_libraries(can_load=can_load)
    if missing:
        raise PlatformLibrariesMissing(missing_message(missing))


def check_xcb_platform(env: dict[str, str] | None = None) -> None:
    """Both checks, libraries first (the display check itself needs libxcb)."""
    check_xcb_libraries(env)
    check_display(env)


def debian_packages() -> list[str]:
    """Every Debian/Ubuntu package of ``XCB_LIBRARIES``, once each (the README and .ci/run)."""
    return list(dict.fromkeys(lib.debian for lib in XCB_LIBRARIES))


def fedora_packages() -> list[str]:
    """Every Fedora package of ``XCB_LIBRARIES``, once each."""
    return list(dict.fromkeys(lib.fedora for lib in XCB_LIBRARIES))
