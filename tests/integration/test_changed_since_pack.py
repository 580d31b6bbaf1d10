"""'Changed since the last pack' counts every change the pack prints: the inspection's own, its
site's (name, FEI, address, the profile that decides which questions apply) and the request-log
target, but not another site's."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from qmsr_ready.core import services
from qmsr_ready.core.exchange.exports import changed_since_export
from qmsr_ready.core.export.run import run_export
from qmsr_ready.core.profile import SiteProfile


def _changed(ws, code: str) -> bool:
    with ws.session() as s:
        return changed_since_export(s, code)


def _exported(ws, code: str, tmp_path: Path) -> None:
    run_export(ws, code, pdf=tmp_path / "pack.pdf")
    assert not _changed(ws, code)


def test_renaming_the_site_makes_the_pack_stale(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    _exported(ws, code, tmp_path)
    with ws.begin() as s:
        services.update_site(s, "Ann", "SITE-001", name="Acme Devices GmbH")
    assert _changed(ws, code)


def test_a_profile_change_makes_the_pack_stale(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    _exported(ws, code, tmp_path)
    fields = {f.name: None for f in dataclasses.fields(SiteProfile)}
    with ws.begin() as s:
        from qmsr_ready.core.models import Site

        site = s.query(Site).filter_by(code="SITE-001").one()
        current = {name: getattr(site, name) for name in fields}
        current["device_classes"] = tuple(current["device_classes"] or ())
        current["sterile_products"] = not current["sterile_products"]
        services.update_site(s, "Ann", "SITE-001", profile=SiteProfile(**current))
    assert _changed(ws, code)


def test_another_sites_change_does_not(fnd_inspection, tmp_path: Path) -> None:
    ws, code = fnd_inspection
    with ws.begin() as s:
        other = services.create_site(s, "Ann", name="Elsewhere Ltd").code
    _exported(ws, code, tmp_path)
    with ws.begin() as s:
        services.update_site(s, "Ann", other, name="Elsewhere Inc")
    assert not _changed(ws, code)


def test_the_request_target_the_pack_prints_makes_it_stale(fnd_inspection, tmp_path: Path) -> None:
    from qmsr_ready.core.services.requests import set_request_target

    ws, code = fnd_inspection
    _exported(ws, code, tmp_path)
    with ws.begin() as s:
        set_request_target(s, "Ann", 25)
    assert _changed(ws, code)
