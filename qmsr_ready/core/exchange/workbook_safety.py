"""Checks a returned workbook as a file before any spreadsheet parser sees it.

A pack comes back by e-mail from anyone, so it is treated as hostile: it must be a regular file
of sane size, a real zip package of an xlsx workbook, whose uncompressed size is capped (a zip
bomb is refused from its directory, and every member is streamed with a byte count, so a lying
directory cannot exhaust memory either), whose XML carries no DOCTYPE or ENTITY declarations
(openpyxl also parses through defusedxml, which refuses entities), and whose data sheets are
scanned for formulas so the importer can say where a formula stands in for a value. The file is
read once into memory, hashed and handed on as bytes, so what is parsed is what was checked.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from qmsr_ready.core.exchange.errors import ImportRefused

MAX_FILE_BYTES = 25 * 1024 * 1024  # a returned pack of a large inspection is ~2 MB
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024  # everything inside the zip, together
MAX_RATIO = 100  # uncompressed / file size; xlsx XML compresses ~10-20x
RATIO_FLOOR = 16 * 1024 * 1024  # below this total the ratio is not checked (tiny files vary)
MAX_MEMBERS = 10_000
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell; no field of a pack may be longer
# bytes of one text run between two tags: UTF-8 takes up to 4 bytes a character and an escaped
# character (&amp;) up to 6; anything longer cannot be a cell Excel or LibreOffice wrote
MAX_TEXT_RUN = MAX_CELL_CHARS * 6
CHUNK = 1 << 16

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_REF = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3}[0-9]{1,7})"')
_OFFICE_DOC = "/officeDocument"


@dataclass(frozen=True)
class FormulaCell:
    """A cell whose value is a formula; ``cached`` says whether a saved result came with it."""

    ref: str
    cached: bool


@dataclass
class CheckedPackage:
    """A workbook file that passed the file-level checks, with what the importer needs."""

    name: str
    sha256: str
    data: bytes
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name -> zip member
    formulas: dict[str, dict[str, FormulaCell]] = field(default_factory=dict)  # sheet -> ref ->

    def stream(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def check_package(path: str | os.PathLike[str], formula_sheets: Collection[str] = ()
                  ) -> CheckedPackage:
    """Refuse (``ImportRefused``) anything but a sane xlsx file; scan ``formula_sheets``."""
    p = Path(path)
    name = p.name
    data = _read_regular_file(p)
    if data.startswith(_OLE_MAGIC):
        raise ImportRefused(
            f"{name} is an old .xls workbook or a password-protected one; open it in Excel or "
            "LibreOffice, remove any password and save it as .xlsx, then import it again."
        )
    if not data.startswith(b"PK"):
        raise ImportRefused(
            f"{name} is not an Excel workbook (.xlsx); import the workbook exported by QMSR Ready."
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise ImportRefused(
            f"{name} is a damaged zip package ({exc}); export a fresh pack."
        ) from exc
    with zf:
        _check_directory(name, infos, len(data))
        members = {i.filename: i for i in infos}
        if "[Content_Types].xml" not in members:
            raise ImportRefused(
                f"{name} is not an Excel workbook (.xlsx): it has no content types."
            )
        root_rels = _parse_member(name, zf, members, "_rels/.rels")
        book_part = _office_document(root_rels) or "xl/workbook.xml"
        if book_part not in members or not book_part.endswith(".xml"):
            raise ImportRefused(
                f"{name} is a zip file but not an Excel workbook (.xlsx); import the workbook "
                "exported by QMSR Ready."
            )
        book = _parse_member(name, zf, members, book_part)
        rels_part = posixpath.join(posixpath.dirname(book_part), "_rels",
                                   posixpath.basename(book_part) + ".rels")
        book_rels = _parse_member(name, zf, members, rels_part) if rels_part in members else None
        sheets = _sheet_parts(book, book_rels, posixpath.dirname(book_part))
        scan = {sheets[s]: s for s in formula_sheets if s in sheets}
        formulas: dict[str, dict[str, FormulaCell]] = {}
        done = {"_rels/.rels", book_part, rels_part}
        for info in infos:
            if info.filename in done or not _is_xml(info.filename):
                continue
            if _scan_member(name, zf, info, want_formulas=info.filename in scan):
                formulas[scan[info.filename]] = _formula_cells(name, zf, info)
    digest = hashlib.sha256(data).hexdigest()
    return CheckedPackage(name=name, sha256=digest, data=data, sheets=sheets, formulas=formulas)


def _read_regular_file(p: Path) -> bytes:
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ImportRefused(f"{p} does not exist; check the path of the workbook.") from None
    except OSError as exc:
        raise ImportRefused(f"Cannot read {p}: {exc.strerror or exc}.") from exc
    if not stat.S_ISREG(st.st_mode):
        raise ImportRefused(f"{p} is not a file; choose the .xlsx workbook to import.")
    if st.st_size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"{p.name} is {st.st_size / 2**20:.1f} MB; a returned pack is at most "
            f"{MAX_FILE_BYTES // 2**20} MB. Import the workbook exported by QMSR Ready."
        )
    if st.st_size == 0:
        raise ImportRefused(f"{p.name} is empty; import the workbook exported by QMSR Ready.")
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportRefused(f"Cannot read {p.name}: {exc.strerror or exc}.") from exc
    if len(data) > MAX_FILE_BYTES:  # grew since the stat
        raise ImportRefused(f"{p.name} is over {MAX_FILE_BYTES // 2**20} MB; not imported.")
    return data


def _check_directory(name: str, infos: list[zipfile.ZipInfo], size: int) -> None:
    """Cap the declared sizes before a single byte is inflated."""
    if len(infos) > MAX_MEMBERS:
        raise ImportRefused(
            f"{name} holds {len(infos):,} files; an xlsx workbook holds a few dozen."
        )
    total = sum(max(i.file_size, 0) for i in infos)
    ratio = total / max(size, 1)
    if total > MAX_UNCOMPRESSED_BYTES or (total > RATIO_FLOOR and ratio > MAX_RATIO):
        raise ImportRefused(
            f"{name} would unpack to {total / 2**20:,.0f} MB ({ratio:,.0f}× its size); that is "
            "not a workbook QMSR Ready wrote, so it was not opened."
        )
    if any(i.flag_bits & 0x1 for i in infos):
        raise ImportRefused(f"{name} is encrypted; save it without a password and import again.")


def _stream(name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """Yield the member's bytes chunk by chunk, refusing more than its declared size."""
    left = info.file_size
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                left -= len(chunk)
                if left < 0:
                    raise ImportRefused(f"{name} is damaged ({info.filename} is larger than "
                                        "declared); export a fresh pack.")
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise ImportRefused(
            f"{name} is damaged ({info.filename}: {exc}); export a fresh pack."
        ) from exc


def _scan_member(name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, *, want_formulas: bool
                 ) -> bool:
    """Refuse DOCTYPE/ENTITY declarations and non-UTF-8 XML; say whether a formula occurs."""
    tail = b""
    first = True
    found = False
    run = 0  # bytes since the last "<": the length of the text run being read
    cell = ""  # the last cell reference seen, to name the cell of an over-long run
    for chunk in _stream(name, zf, info):
        if first:
            first = False
            if chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00")):
                raise ImportRefused(
                    f"{name} is not a workbook QMSR Ready can read ({info.filename} is not "
                    "UTF-8); save it as .xlsx from Excel or LibreOffice and import again."
                )
        window = tail + chunk
        if _DECLARATION.search(window):
            raise ImportRefused(
                f"{name} carries XML DOCTYPE/ENTITY declarations ({info.filename}); Excel and "
                "LibreOffice never write them, so the file was not opened."
            )
        if want_formulas and not found and _FORMULA.search(window):
            found = True
        refs = _CELL_REF.findall(window)
        if refs:
            cell = refs[-1].decode("ascii")
        pieces = chunk.split(b"<")  # text runs end where a tag starts
        if len(pieces) == 1:
            run += len(chunk)
        else:
            run = max(run + len(pieces[0]), *(len(p) for p in pieces[1:-1]), 0)
            if run <= MAX_TEXT_RUN:
                run = len(pieces[-1])
        if run > MAX_TEXT_RUN:
            where = f"cell {cell} of {info.filename}" if cell else info.filename
            raise ImportRefused(
                f"{name} holds text longer than a cell can ({where}: over {MAX_CELL_CHARS:,} "
                "characters); shorten it in the workbook and import again."
            )
        tail = window[-64:]
    return found


def _parse_member(name: str, zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo],
                  part: str) -> Element | None:
    """Scan, then parse one small package part through defusedxml (``None`` if absent)."""
    info = members.get(part)
    if info is None:
        return None
    _scan_member(name, zf, info, want_formulas=False)
    data = b"".join(_stream(name, zf, info))
    try:
        return SafeET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, SafeET.ParseError) as exc:
        raise ImportRefused(f"{name} has an unreadable part ({part}: {exc}); export a fresh pack."
                            ) from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(el: Element, local: str) -> str:
    for key, value in el.attrib.items():
        if _local(key) == local:
            return value
    return ""


def _office_document(rels: Element | None) -> str:
    if rels is None:
        return ""
    for rel in rels:
        if _attr(rel, "Type").endswith(_OFFICE_DOC):
            return _resolve("", _attr(rel, "Target"))
    return ""


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, target))


def _sheet_parts(book: Element | None, rels: Element | None, base: str) -> dict[str, str]:
    """Sheet name -> zip member, from workbook.xml and its relationships."""
    if book is None or rels is None:
        return {}
    targets = {_attr(r, "Id"): _attr(r, "Target") for r in rels}
    parts: dict[str, str] = {}
    for el in book.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id" and k != "sheetId"), "")
        target = targets.get(rid)
        if target:
            parts[_attr(el, "name")] = _resolve(base, target)
    return parts


def _formula_cells(name: str, zf: zipfile.ZipFile, info: zipfile.ZipInfo
                   ) -> dict[str, FormulaCell]:
    """Every cell of a sheet with a formula, and whether it kept a saved value (streamed)."""
    cells: dict[str, FormulaCell] = {}
    try:
        for _event, el in SafeET.iterparse(_Reader(_stream(name, zf, info)), events=("end",),
                                           forbid_dtd=True):
            tag = _local(el.tag)
            if tag == "c":
                kids = {_local(k.tag): k for k in el}
                if "f" in kids:
                    v = kids.get("v")
                    cached = (v is not None and bool(v.text)) or "is" in kids
                    ref = el.get("r", "")
                    cells[ref] = FormulaCell(ref, cached)
            elif tag == "row":
                el.clear()  # keeps memory flat on a large sheet
    except (DefusedXmlException, SafeET.ParseError) as exc:
        raise ImportRefused(
            f"{name} has an unreadable sheet ({info.filename}: {exc}); export a fresh pack."
        ) from exc
    return cells


class _Reader(io.RawIOBase):
    """A file object over the checked chunk stream, for the streaming XML parser."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return b""
            self._buffer = chunk
        n = len(self._buffer) if size is None or size < 0 else size
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out


def _is_xml(member: str) -> bool:
    return member.endswith((".xml", ".rels", ".vml"))
