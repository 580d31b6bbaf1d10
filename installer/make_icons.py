"""Render the application icon (resources/icons/app.svg) to the PNG, ICO and ICNS files we ship.

Run from the repository root after changing app.svg, then commit the results:
    .venv/bin/python installer/make_icons.py
Why committed files: the Windows (.ico) and macOS (.icns) builds and Linux icon themes need
bitmaps, and a build machine should not need Inkscape. Qt renders the SVG; Pillow writes
the ICO and ICNS containers.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "app.svg"
PNG_DIR = ROOT / "resources" / "icons" / "app"
ICO = ROOT / "installer" / "icons" / "qmsr-ready.ico"
ICNS = ROOT / "installer" / "icons" / "qmsr-ready.icns"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render_png(size: int) -> bytes:
    """The SVG rendered at ``size`` x ``size`` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    images = {}
    for size in SIZES:
        data = render_png(size)
        (PNG_DIR / f"{size}.png").write_bytes(data)
        images[size] = Image.open(io.BytesIO(data)).convert("RGBA")
    ICO.parent.mkdir(parents=True, exist_ok=True)
    images[256].save(ICO, sizes=[(s, s) for s in (16, 24, 32, 48, 64, 128, 256)])
    images[512].save(ICNS)
    print(f"wrote {len(SIZES)} PNGs in {PNG_DIR.relative_to(ROOT)}, {ICO.name}, {ICNS.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
