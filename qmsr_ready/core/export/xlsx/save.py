"""Save a workbook so that a failed save leaves no open zip behind.

``Workbook.save`` opens a ``ZipFile`` and never closes it when a write fails (a full disk); the
zip is closed later by ``ZipFile.__del__``, which writes again, fails again and prints an
"Exception ignored" traceback after the one clear error line. Here the zip is ours: a failed save
closes it at once with its error swallowed (the first error is the one reported), so nothing is
left for the garbage collector to write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.writer.excel import ExcelWriter

from qmsr_ready.core.export.xlsx.rows import FastRowsWriter


def save_workbook(wb: Workbook, path: Path) -> None:
    """What ``wb.save(path)`` does, but the zip is always closed, also when writing fails."""
    if wb.write_only and not wb.worksheets:
        wb.create_sheet()
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        wb.properties.modified = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        _PackWriter(wb, archive).save()  # writes every part, then closes the archive
    except BaseException:
        discard(archive)
        raise


def discard(archive: ZipFile) -> None:
    """Close a zip whose writing failed without raising; ``__del__`` then has nothing to do."""
    with contextlib.suppress(Exception):
        archive.close()  # writes the directory: on a full disk this fails again, and is closed
    if archive.fp is not None:  # close() refused (a member still open): drop the file itself
        with contextlib.suppress(Exception):
            archive.fp.close()
        archive.fp = None


class _PackWriter(ExcelWriter):
    """openpyxl's writer with the cell rows written by ``FastRowsWriter`` (same bytes)."""

    def write_worksheet(self, ws: Any) -> None:  # openpyxl's private attributes below
        if self.workbook.write_only:
            super().write_worksheet(ws)
            return
        archive: Any = self._archive  # type: ignore[attr-defined]  # not in the stubs
        # ExcelWriter.write_worksheet, with the row writer swapped
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = FastRowsWriter(ws)
        writer.write()
        ws._rels = writer._rels  # type: ignore[attr-defined]  # not in the stubs
        archive.write(writer.out, ws.path[1:])
        self.manifest.append(ws)
        writer.cleanup()
