"""Registers the bundled DejaVu Sans so Latin, Greek and Cyrillic names render in every PDF.

The standard PDF fonts only cover Latin-1; a name like "Zoë Łukasiewicz-Ψ" needs an embedded
Unicode TrueType font. DejaVu ships in resources/fonts/ with its licence (DejaVu-LICENSE.txt).
"""

from __future__ import annotations

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from qmsr_ready.core.errors import ExportFailed
from qmsr_ready.core.resources import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


def register_fonts() -> tuple[str, str]:
    """Register the font family once per process; return (regular, bold) font names."""
    if REGULAR in pdfmetrics.getRegisteredFontNames():
        return REGULAR, BOLD
    try:
        pdfmetrics.registerFont(TTFont(REGULAR, str(resource_path("fonts", "DejaVuSans.ttf"))))
        pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", "DejaVuSans-Bold.ttf"))))
    except (OSError, FileNotFoundError) as exc:
        raise ExportFailed(
            f"The PDF font could not be loaded ({exc}); reinstall QMSR Ready."
        ) from exc
    # Map <b>/<i> in paragraphs onto the two faces we ship (italic falls back to regular).
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD
