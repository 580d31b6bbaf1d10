"""File-level checks of a returned workbook, before any spreadsheet parser runs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from qmsr_ready.core.exchange.errors import ImportRefused
from qmsr_ready.core.exchange.workbook_safety import (
    MAX_MEMBERS,
    FormulaCell,
    check_package,
)


def _book(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Checklist"
    ws.append(["Question ID", "Sample size"])
    ws.append(["Q-1", "=1+1"])
    wb.create_sheet("Findings").append(["Finding ID"])
    wb.save(path)
    return path


def test_a_plain_workbook_passes_with_its_formula_cells(tmp_path: Path) -> None:
    pkg = check_package(_book(tmp_path / "b.xlsx"), ["Checklist", "Findings"])
    assert pkg.name == "b.xlsx"
    assert len(pkg.sha256) == 64
    assert set(pkg.sheets) == {"Checklist", "Findings"}
    assert pkg.formulas == {"Checklist": {"B2": FormulaCell("B2", cached=False)}}
    assert pkg.stream().read() == (tmp_path / "b.xlsx").read_bytes()


def test_cached_formula_values_are_recognised(tmp_path: Path) -> None:
    src = _book(tmp_path / "b.xlsx")
    dst = tmp_path / "cached.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            data = data.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
            zout.writestr(info.filename, data)
    pkg = check_package(dst, ["Checklist"])
    assert pkg.formulas["Checklist"]["B2"].cached


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_non_utf8_xml_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "u16.xlsx", {"[Content_Types].xml": b"<Types/>",
                                        "_rels/.rels": "<Relationships/>".encode("utf-16")})
    with pytest.raises(ImportRefused, match="is not UTF-8"):
        check_package(path)


def test_too_many_members_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(MAX_MEMBERS + 1):
            zf.writestr(f"x/{i}", b"")
    with pytest.raises(ImportRefused, match="holds 10,001 files"):
        check_package(path)


def test_encrypted_member_is_refused(tmp_path: Path) -> None:
    path = _zip(tmp_path / "enc.xlsx", {"[Content_Types].xml": b"<Types/>"})
    data = bytearray(path.read_bytes())
    # set the "encrypted" flag in the local header and the central directory entry
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(sig)
        flag_at = at + (6 if sig == b"PK\x03\x04" else 8)
        data[flag_at] |= 0x1
    path.write_bytes(bytes(data))
    with pytest.raises(ImportRefused, match="encrypted"):
        check_package(path)


def test_a_member_larger_than_declared_is_refused(tmp_path: Path) -> None:
    """A lying directory cannot make us inflate more than it declared."""
    path = _zip(tmp_path / "lie.xlsx", {"[Content_Types].xml": b"<Types/>",
                                        "_rels/.rels": b"<Relationships>" + b" " * 50_000
                                        + b"</Relationships>"})
    data = bytearray(path.read_bytes())
    # the central directory entry of _rels/.rels: declare 100 bytes instead of 50,031
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"_rels/.rels"))
    data[entry + 24:entry + 28] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    with pytest.raises(ImportRefused, match="damaged"):
        check_package(path)
