"""The site profile: the facts about a site that decide which checklist elements apply."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from qmsr_ready.core.errors import InvalidInput
from qmsr_ready.core.fields.entities import DEVICE_CLASSES, PROFILE_BOOL_FIELDS

__all__ = ["BOOL_FIELDS", "DEVICE_CLASSES", "SiteProfile"]

# Field names, labels and order come from the SITE spec; the dataclass below mirrors them.
BOOL_FIELDS: tuple[str, ...] = PROFILE_BOOL_FIELDS


@dataclass(frozen=True)
class SiteProfile:
    """What the planner and ``applies_if`` rules read about a site (mirrors the Site columns)."""

    device_classes: tuple[str, ...] = ()
    sterile_products: bool = False
    implantable_devices: bool = False
    life_supporting_devices: bool = False
    software_in_device: bool = False
    class_i_design_listed: bool = False
    tracking_orders: bool = False
    pma_holder: bool = False
    mdsap: bool = False
    servicing: bool = False
    installation: bool = False

    def __post_init__(self) -> None:
        classes = self.device_classes
        if isinstance(classes, str):
            raise InvalidInput("Device classes must be a list such as ['II', 'III'].")
        cleaned = tuple(sorted({str(c).strip().upper() for c in classes}, key=_class_order))
        unknown = [c for c in cleaned if c not in DEVICE_CLASSES]
        if unknown:
            raise InvalidInput(
                f"Unknown device class {unknown[0]!r}; use one or more of I, II, III."
            )
        object.__setattr__(self, "device_classes", cleaned)
        for name in BOOL_FIELDS:
            if not isinstance(getattr(self, name), bool):
                raise InvalidInput(f"Site profile field {name} must be true or false.")

    @classmethod
    def of(cls, site: Any) -> SiteProfile:
        """Read the profile from a ``Site`` row (or any object with the same attributes)."""
        values: dict[str, Any] = {name: bool(getattr(site, name)) for name in BOOL_FIELDS}
        return cls(device_classes=tuple(site.device_classes or ()), **values)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SiteProfile:
        """Build from a plain mapping (YAML, JSON, workbook); unknown keys are refused."""
        known = {f.name for f in fields(cls)}
        extra = sorted(set(data) - known)
        if extra:
            raise InvalidInput(f"Unknown site profile field {extra[0]!r}.")
        values = dict(data)
        if "device_classes" in values:
            values["device_classes"] = tuple(values["device_classes"] or ())
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-safe mapping (device classes as a list)."""
        data = asdict(self)
        data["device_classes"] = list(self.device_classes)
        return data

    def apply_to(self, site: Any) -> None:
        """Write the profile onto a ``Site`` row's columns."""
        site.device_classes = list(self.device_classes)
        for name in BOOL_FIELDS:
            setattr(site, name, getattr(self, name))


def _class_order(value: str) -> int:
    return DEVICE_CLASSES.index(value) if value in DEVICE_CLASSES else len(DEVICE_CLASSES)
