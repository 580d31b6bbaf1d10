"""Pure helpers: site profile, user folders, audit serialisation and hashing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest

from qmsr_ready.core import paths
from qmsr_ready.core.audit import GENESIS_HASH, compute_hash, default_actor, json_safe
from qmsr_ready.core.errors import InvalidInput, QmsrError
from qmsr_ready.core.profile import BOOL_FIELDS, SiteProfile
from qmsr_ready.core.services._common import next_code
from qmsr_ready.core.vocab import Result


def test_profile_normalises_and_round_trips() -> None:
    profile = SiteProfile(device_classes=["iii", "II", "II"], pma_holder=True)  # type: ignore[arg-type]
    assert profile.device_classes == ("II", "III")
    assert SiteProfile.from_dict(profile.as_dict()) == profile
    row = SimpleNamespace(device_classes=None, **dict.fromkeys(BOOL_FIELDS, False))
    profile.apply_to(row)
    assert row.device_classes == ["II", "III"]
    assert SiteProfile.of(row) == profile


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"device_classes": ("IV",)}, "Unknown device class 'IV'"),
        ({"device_classes": "II"}, "must be a list"),
        ({"mdsap": "yes"}, "mdsap must be true or false"),
    ],
)
def test_profile_rejects_bad_values(kwargs, message) -> None:
    with pytest.raises(InvalidInput, match=message):
        SiteProfile(**kwargs)


def test_profile_from_dict_rejects_unknown_keys() -> None:
    with pytest.raises(InvalidInput, match="'colour'"):
        SiteProfile.from_dict({"colour": "blue"})


def test_user_folders_honour_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QMSR_READY_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("QMSR_READY_CONFIG_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("QMSR_READY_LOG_DIR", str(tmp_path / "l"))
    assert paths.default_workspace_path() == tmp_path / "d" / "default.qmsr"
    assert paths.user_templates_dir() == tmp_path / "d" / "templates"
    assert paths.user_config_dir() == tmp_path / "c"
    assert paths.user_log_dir() == tmp_path / "l"
    monkeypatch.delenv("QMSR_READY_DATA_DIR")
    assert paths.user_data_dir() != tmp_path / "d"


def test_json_safe_values() -> None:
    value = {
        "d": dt.date(2026, 1, 2),
        "t": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC),
        "e": Result.MAJOR_GAP,
        "tuple": (1, "a"),
        "set": {"b", "a"},
    }
    assert json_safe(value) == {
        "d": "2026-01-02",
        "t": "2026-01-02T03:04:00+00:00",
        "e": "major_gap",
        "tuple": [1, "a"],
        "set": ["a", "b"],
    }


def test_hash_depends_on_every_field_and_previous_hash() -> None:
    base = {
        "seq": 1,
        "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "actor": "A",
        "action": "site.create",
        "entity_type": "site",
        "entity_id": "SITE-001",
        "inspection_code": None,
        "changes": {"name": [None, "X"]},
        "prev_hash": GENESIS_HASH,
    }
    reference = compute_hash(**base)
    assert reference == compute_hash(**base)
    assert len(reference) == 64
    variants = {
        "seq": 2,
        "at": dt.datetime(2026, 1, 1, 0, 0, 1, tzinfo=dt.UTC),
        "actor": "B",
        "action": "site.update",
        "entity_type": "x",
        "entity_id": "SITE-002",
        "inspection_code": "MI-2026-001",
        "changes": {"name": [None, "Y"]},
        "prev_hash": "1" * 64,
    }
    for field, other in variants.items():
        assert compute_hash(**{**base, field: other}) != reference, field


def test_default_actor_prefers_configured_then_env(monkeypatch) -> None:
    monkeypatch.setenv("QMSR_READY_USER", "Env Person")
    assert default_actor("  Configured  ") == "Configured"
    assert default_actor() == "Env Person"
    monkeypatch.delenv("QMSR_READY_USER")
    assert default_actor()  # the OS user (never empty)


def test_next_code() -> None:
    assert next_code([], "F-") == "F-001"
    assert next_code(["F-001", "F-009", "X-100", "F-abc"], "F-") == "F-010"
    assert next_code(["MI-2026-001"], "MI-2027-") == "MI-2027-001"


def test_errors_carry_their_message() -> None:
    err = InvalidInput("Title must not be empty.")
    assert isinstance(err, QmsrError)
    assert str(err) == err.message == "Title must not be empty."
