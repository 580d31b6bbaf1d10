"""Evidence on a server: read back in slices, and held to the documented size limit there."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.models import Evidence
from qmsr_ready.core.services import evidence_io
from qmsr_ready.core.services.evidence import attach_evidence_file, copy_evidence

MiB = 1024 * 1024


def test_evidence_of_several_chunks_reads_back_whole(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    data = bytes(range(256)) * (10 * 1024 + 7)  # 2.5 MiB and a bit: three slices
    source = tmp_path / "scan.bin"
    source.write_bytes(data)
    with ws.begin() as s:
        ev = attach_evidence_file(s, "Ann", inspection_code=code, path=source)
    out = io.BytesIO()
    with ws.session() as s:
        assert copy_evidence(s, code, ev.code, out) == len(data)
    assert out.getvalue() == data


def test_a_file_over_the_server_limit_is_refused_in_one_line(
        server_ws, fnd_template, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(evidence_io, "SERVER_MAX_EVIDENCE_BYTES", 2 * MiB)
    with server_ws.begin() as s:
        services.create_site(s, "Ann", name="Acme", fei_number="3001234567")
        code = services.start_inspection(s, "Ann", site_code="SITE-001", template=fnd_template,
                                         inspection_type="baseline_surveillance").code
    source = tmp_path / "big.bin"
    source.write_bytes(b"x" * (3 * MiB))
    with pytest.raises(InvalidInput, match=r"big\.bin is 3 MB; evidence in a server workspace "
                                           r"is limited to 2 MB"), server_ws.begin() as s:
        attach_evidence_file(s, "Ann", inspection_code=code, path=source)
    with server_ws.session() as s:
        assert s.query(Evidence).count() == 0
