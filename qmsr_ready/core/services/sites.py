"""Sites: the manufacturing sites that inspections are run at."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qmsr_ready.core.audit import append_event
from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.fields import SITE
from qmsr_ready.core.models import Site, utcnow
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.services._common import (
    UNSET,
    apply_changes,
    field_value,
    get_site,
    next_code,
    text_value,
)

FEI_MAX = SITE.field("fei_number").max_len or 20


def _fei(value: Any) -> str:
    what = SITE.label_of("fei_number")
    fei = text_value(value, what).strip()
    if fei and not fei.isdigit():
        raise InvalidInput(f"{what} must contain digits only, not {fei!r}.")
    if len(fei) > FEI_MAX:
        raise InvalidInput(f"{what} is too long ({len(fei)} digits; at most {FEI_MAX}).")
    return fei


def _profile_values(profile: SiteProfile) -> dict[str, Any]:
    if not isinstance(profile, SiteProfile):
        raise InvalidInput("profile must be a SiteProfile.")
    return profile.as_dict()


def create_site(
    session: Session,
    actor: str,
    *,
    name: str,
    fei_number: str = "",
    address: str = "",
    profile: SiteProfile | None = None,
    code: str | None = None,
) -> Site:
    """Create a site (code ``SITE-NNN`` unless given) and audit it."""
    name = field_value(SITE.field("name"), name)
    fei = _fei(fei_number)
    address = field_value(SITE.field("address"), address)
    folded = " ".join(name.split()).casefold()
    for other_code, other_name in session.execute(select(Site.code, Site.name)):
        if " ".join(other_name.split()).casefold() == folded:
            raise InvalidInput(
                f"A site named {other_name!r} already exists ({other_code}). Choose it instead "
                "of creating it again, or give the new site a name that tells them apart."
            )
    existing = list(session.execute(select(Site.code)).scalars())
    if code is None:
        code = next_code(existing, "SITE-")
    else:
        code = text_value(code, "Site code", required=True, max_len=64)
        if code in existing:
            raise InvalidInput(f"A site with code {code!r} already exists.")
    site = Site(code=code, name=name, fei_number=fei, address=address)
    values = _profile_values(profile or SiteProfile())
    SiteProfile.from_dict(values).apply_to(site)
    now = utcnow()
    site.created_at = now
    site.updated_at = now
    session.add(site)
    changes = {"name": [None, name], "fei_number": [None, fei], "address": [None, address]}
    changes.update({k: [None, v] for k, v in values.items()})
    append_event(session, actor, "site.create", "site", code, changes)
    return site


def update_site(
    session: Session,
    actor: str,
    site_code: str,
    *,
    name: Any = UNSET,
    fei_number: Any = UNSET,
    address: Any = UNSET,
    profile: Any = UNSET,
) -> Site:
    """Change a site's details or profile; only the given fields change."""
    site = get_site(session, site_code)
    values: dict[str, Any] = {}
    if name is not UNSET:
        values["name"] = field_value(SITE.field("name"), name)
    if fei_number is not UNSET:
        values["fei_number"] = _fei(fei_number)
    if address is not UNSET:
        values["address"] = field_value(SITE.field("address"), address)
    if profile is not UNSET:
        values.update(_profile_values(profile))
    changes = apply_changes(site, values)
    if changes:
        site.updated_at = utcnow()
        append_event(session, actor, "site.update", "site", site.code, changes)
    return site
