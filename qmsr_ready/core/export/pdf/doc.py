"""Document machinery: page templates, bookmarks, "Page X of Y" and contents page numbers.

The pack is laid out in a single pass. Numbers that are only known at the end (the total page
count, the page each section starts on) are drawn as PDF form XObjects that are referenced where
they appear and defined when the canvas is saved — reportlab's forward-reference technique. That
keeps the export one layout pass long (a ``multiBuild`` with ``TableOfContents`` needs two or
three), which is what keeps the pack within reach of bare reportlab speed on large inspections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from qmsr_ready.core.export.pdf.fonts import BOLD, REGULAR
from qmsr_ready.core.export.pdf.styles import (
    GRID,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    NAVY,
    PAGE,
    Para,
)
from qmsr_ready.core.export.progress import Progress, check

TOTAL_FORM = "qmsr_total_pages"


def page_form(key: str) -> str:
    """Name of the form that prints the page number of bookmark ``key``."""
    return f"qmsr_pg_{key}"


@dataclass
class Registry:
    """Facts gathered while laying out, resolved when the canvas is saved."""

    pages: dict[str, int] = field(default_factory=dict)
    referenced: set[str] = field(default_factory=set)
    total_pages: int = 0


class Heading(Para):
    """A heading that becomes a bookmark, an outline entry and a contents target."""

    def __init__(self, text: str, style: Any, key: str, level: int, outline: str = "") -> None:
        super().__init__(text, style)
        self.bookmark_key = key
        self.outline_level = level
        self.outline_title = outline or self.getPlainText()


class PageRef(Flowable):
    """The page number of a bookmark, right-aligned; filled in at save time."""

    def __init__(self, key: str, registry: Registry, width: float = 30, height: float = 12) -> None:
        super().__init__()
        self.key = key
        self.registry = registry
        self.width = width
        self.height = height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.registry.referenced.add(self.key)
        self.canv.doForm(page_form(self.key))


FOOTER_SIZE = 7.5
CONTENTS_SIZE = 9.5


def make_canvas_class(registry: Registry) -> Callable[..., Canvas]:
    """A canvas that defines the forward-referenced number forms just before saving."""

    class PackCanvas(Canvas):
        def save(self) -> None:
            total = registry.total_pages
            self._define(TOTAL_FORM, lambda: self.drawString(0, 0, str(total)), REGULAR,
                         FOOTER_SIZE)
            for key in registry.referenced:
                page = registry.pages.get(key)
                text = str(page) if page else ""
                self._define(page_form(key), partial(self.drawRightString, 30, 3, text),
                             BOLD, CONTENTS_SIZE)
            super().save()

        def _define(self, name: str, draw: Callable[[], None], font: str, size: float) -> None:
            self.beginForm(name, lowerx=-10, lowery=-5, upperx=60, uppery=20)
            self.setFont(font, size)
            self.setFillColor(MUTED)
            draw()
            self.endForm()

    return PackCanvas


class PackDocTemplate(BaseDocTemplate):
    """Cover page without furniture, then pages with header rule and "Page X of Y" footer."""

    def __init__(self, path: str, *, registry: Registry, header: str, footer: str,
                 progress: Progress, **kw: Any) -> None:
        super().__init__(path, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, **kw)
        self.registry = registry
        self.header_text = header
        self.footer_text = footer
        self.progress = progress
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [frame], onPage=self._cover_page),
            PageTemplate("body", [frame], onPage=self._body_page),
        ])

    def handle_pageBegin(self) -> None:
        check(self.progress)
        super().handle_pageBegin()

    def afterFlowable(self, flowable: Flowable) -> None:
        if not isinstance(flowable, Heading):
            return
        key = flowable.bookmark_key
        self.registry.pages[key] = self.page
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.outline_title, key, flowable.outline_level,
                                  closed=flowable.outline_level > 0)

    def afterPage(self) -> None:
        self.registry.total_pages = self.page

    def _cover_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        canv.setFillColor(NAVY)
        canv.rect(0, PAGE[1] - 14, PAGE[0], 14, stroke=0, fill=1)
        canv.restoreState()

    def _body_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.saveState()
        width, height = PAGE
        top = height - MARGIN_TOP + 8
        canv.setStrokeColor(GRID)
        canv.setLineWidth(0.6)
        canv.line(MARGIN_X, top, width - MARGIN_X, top)
        canv.setFont(REGULAR, FOOTER_SIZE)
        canv.setFillColor(MUTED)
        canv.drawString(MARGIN_X, top + 4, self.header_text)
        bottom = MARGIN_BOTTOM - 10
        canv.line(MARGIN_X, bottom + 9, width - MARGIN_X, bottom + 9)
        canv.drawString(MARGIN_X, bottom, self.footer_text)
        label = f"Page {doc.page} of "
        x = width - MARGIN_X - 14
        canv.drawRightString(x, bottom, label)
        canv.saveState()
        canv.translate(x, bottom)
        canv.doForm(TOTAL_FORM)
        canv.restoreState()
        canv.restoreState()
