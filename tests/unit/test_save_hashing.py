"""The save path's shortcuts hash exactly what the general code hashes: an event's hash written
without building its payload dict (``audit.compute_hash``) and a timestamp's column digest
without parsing its text back (``row_state``), so ``verify`` agrees with every save."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qmsr_ready.core import audit, row_state
from qmsr_ready.core.template_content import canonical_json

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)  # UTF-8 encodable
_ZONES = st.timedeltas(min_value=dt.timedelta(hours=-23), max_value=dt.timedelta(hours=23)).map(
    lambda d: dt.timezone(dt.timedelta(minutes=d // dt.timedelta(minutes=1))))
_AWARE = st.datetimes(min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 1, 1),
                      timezones=_ZONES)


def _by_the_book(**fields: Any) -> str:
    payload = {**fields, "at": fields["at"].astimezone(dt.UTC).isoformat()}
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


@given(seq=st.integers(0, 10**12), at=_AWARE, actor=_TEXT, action=_TEXT, entity_type=_TEXT,
       entity_id=_TEXT, inspection_code=st.none() | _TEXT, prev_hash=_TEXT,
       changes=st.dictionaries(_TEXT, st.lists(st.none() | st.integers() | _TEXT, max_size=2)))
def test_an_events_hash_is_the_canonical_json_of_its_fields(**fields: Any) -> None:
    assert audit.compute_hash(**fields) == _by_the_book(**fields)


def test_fields_of_other_types_hash_as_canonical_json_writes_them() -> None:
    fields = {"seq": True, "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC), "actor": "a",
              "action": "x", "entity_type": "response", "entity_id": 7,
              "inspection_code": None, "changes": {}, "prev_hash": "0" * 64}
    assert audit.compute_hash(**fields) == _by_the_book(**fields)


@given(at=_AWARE)
def test_a_saved_timestamps_digest_is_the_column_digest(at: dt.datetime) -> None:
    assert (row_state._save_digest("responses", "assessed_at", at)
            == row_state._column_digest("responses", "assessed_at", at))


def test_values_the_shortcut_does_not_cover_take_the_general_digest() -> None:
    naive = dt.datetime(2026, 1, 2, 3, 4, 5)
    aware = naive.replace(tzinfo=dt.UTC)
    assert (row_state._save_digest("responses", "assessed_at", naive)  # naive: read as UTC
            == row_state._column_digest("responses", "assessed_at", naive))
    for digest in (row_state._save_digest, row_state._column_digest):
        with pytest.raises(TypeError):  # not a timestamp column: not hashed as one
            digest("responses", "notes", aware)
    assert (row_state._save_digest("responses", "assessed_at", naive)
            == row_state._save_digest("responses", "assessed_at", aware))


def test_json_safe_of_plain_dicts_and_lists_converts_what_they_hold() -> None:
    value = {"a": [dt.date(2026, 1, 2), {"b": frozenset({2, 1})}], 3: ("x",)}
    assert audit.json_safe(value) == {"a": ["2026-01-02", {"b": [1, 2]}], "3": ["x"]}


_STATE = st.dictionaries(_TEXT, _TEXT, max_size=4)


@given(seq=st.integers(1, 10**12), at=_AWARE, actor=_TEXT.filter(str.strip), action=_TEXT,
       entity_type=_TEXT, entity_id=_TEXT, inspection_code=st.none() | _TEXT, prev_hash=_TEXT,
       changes=st.dictionaries(_TEXT.filter(lambda k: k != row_state.STATE_KEY),
                               st.lists(st.none() | st.integers() | _TEXT, max_size=2)),
       state=_STATE)
def test_a_saves_event_stores_the_json_it_hashed(**fields: Any) -> None:
    """The save path encodes its changes once, for the hash and the stored column: the text
    reads back as the changes and state, and hashing what is read back gives the stored hash
    (what ``verify`` recomputes)."""
    changes, state = fields.pop("changes"), fields.pop("state")
    values = audit._encoded_event_values(
        fields["seq"], fields["prev_hash"], fields["actor"], fields["action"],
        fields["entity_type"], fields["entity_id"], changes, fields["inspection_code"], state,
        fields["at"])
    stored = json.loads(values["changes"])
    assert stored == {**audit.json_safe(changes), row_state.STATE_KEY: state}
    assert values["changes"] == canonical_json(stored)
    assert values["hash"] == audit.compute_hash(**fields, changes=stored)
    assert values["hash"] == _by_the_book(**fields, changes=stored)
