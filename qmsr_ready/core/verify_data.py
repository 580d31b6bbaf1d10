"""Does the data still say what the audit trail says? A replay, compared row by row.

Every service write appends an event whose ``changes`` are ``{field: [old, new]}``. Replaying the
trail in order therefore rebuilds, for every audited entity, the value each audited field must
have now; a row that differs was changed behind the application's back, a row with no trail was
added behind its back, and an entity the trail says exists but has no row was deleted. Nothing
here depends on a service's exact change set: any field named in the trail that is a column of
the entity's table is compared.

The replay lives in ``verify_replay`` (with the conventions it relies on), the comparison and its
wording in ``verify_compare``, the row-state hashes in ``verify_states``; this module checks each
entity kind's rows and says what the trail could not vouch for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from qmsr_ready.core.damaged import find_damaged
from qmsr_ready.core.models import Base
from qmsr_ready.core.row_state import SPECS
from qmsr_ready.core.template_content import content_sha256
from qmsr_ready.core.verify_compare import (
    MAX_PROBLEMS,
    Checker,
    keyed,
    normalised,
    normaliser,
    same,
    short,
)
from qmsr_ready.core.verify_replay import Trail, replay
from qmsr_ready.core.verify_states import check_states

__all__ = ["MAX_PROBLEMS", "check_data", "coverage_notes", "normalised", "replay"]

# Fields a freshly created response has before its first recorded change.
_RESPONSE_DEFAULTS: dict[str, Any] = {
    "result": "not_assessed", "notes": "", "sample_population": None, "sample_size": None,
    "records_reviewed": "", "interviewees": "",
}
_DAY_DEFAULTS: dict[str, dict[str, Any]] = {
    "request": {"presented_at": None, "finding_codes": []},
    "roster": {"presenter": "", "backup": "", "storyboard": "", "prepared": False, "notes": ""},
}


def _day_key(column: str) -> Callable[[Any], str]:
    """Key an inspection-day row by its inspection's code and its own ``column``."""
    return lambda r: f"{r.insp}/{getattr(r, column)}"


def check_data(session: Session, trail: Trail) -> list[str]:
    """Every problem found between the rows and the replayed trail, one line each."""
    c = Checker(session, trail)
    present = set(inspect(session.connection()).get_table_names())  # either backend
    missing = sorted(set(Base.metadata.tables) - present)
    for name in missing:
        c.add(f"table {name} is missing (dropped behind the application's back)")
    if missing:
        return c.problems
    damaged = find_damaged(session, limit=MAX_PROBLEMS)
    for value in damaged:
        c.add(f"damaged value: {value}")
    if damaged:  # reading the rows as data would stop on them; the damage is the finding
        c.add("the data was not compared with the audit trail because values are damaged")
        return c.problems
    _check_sites_inspections(c)
    _check_children(c)
    _check_day(c)
    _check_templates_and_blobs(c)
    check_states(c)
    holds_data = bool(c.rows("SELECT 1 FROM sites LIMIT 1")) or bool(
        c.rows("SELECT 1 FROM checklist_templates LIMIT 1")
    )
    if holds_data and trail.event_count == 0:
        c.problems.insert(
            0, "the audit trail is empty but the workspace holds data: its events were deleted"
        )
    return c.problems


def _check_sites_inspections(c: Checker) -> None:
    sites = keyed(c.rows("SELECT * FROM sites"), lambda r: r.code)
    c.compare("site", "sites", sites)
    insp_rows = c.rows(
        "SELECT i.*, s.code AS site_code, t.key || '@' || t.version AS template_ref,"
        " t.sha256 AS template_sha FROM inspections i LEFT JOIN sites s ON s.id = i.site_id"
        " LEFT JOIN checklist_templates t ON t.id = i.template_id"
    )
    inspections = keyed(insp_rows, lambda r: r.code)
    c.compare("inspection", "inspections", inspections, specials={
        "site": lambda r: r["site_code"],
        "template": lambda r: r["template_ref"],
        "template_sha256": lambda r: r["template_sha"],
        "selected_elements": None,  # checked per element below
        "not_applicable_elements": None,
    })
    _check_elements(c)
    _check_signoffs(c, inspections)


def _check_elements(c: Checker) -> None:
    rows = c.rows(
        "SELECT i.code AS insp, e.element_id, e.selected, e.applicable, e.reason"
        " FROM inspection_elements e JOIN inspections i ON i.id = e.inspection_id"
    )
    norm = normaliser("inspection_elements")
    for r in rows:
        key = f"{r.insp}/{r.element_id}"
        insp = c.trail.get("inspection", r.insp)
        if insp is None:
            continue
        expected: dict[str, Any] = {}
        selected = insp.fields.get("selected_elements")
        not_applicable = insp.fields.get("not_applicable_elements")
        if isinstance(selected, list):
            expected["selected"] = r.element_id in selected
        if isinstance(not_applicable, list):
            expected["applicable"] = r.element_id not in not_applicable
        ent = c.trail.get("inspection_element", key)
        if ent is not None:
            expected.update({k: v for k, v in ent.fields.items() if k not in ent.stale})
        row = dict(r._mapping)
        for name, want in expected.items():
            if name in row and not same(norm(name, row[name]), want):
                c.add(f"inspection_element {key}: {name} is {short(norm(name, row[name]))} but "
                      f"the audit trail says {short(want)} (changed behind the application's "
                      "back)")


def _check_signoffs(c: Checker, inspections: dict[str, dict[str, Any]]) -> None:
    rows = c.rows(
        "SELECT i.code AS insp, so.name, so.meaning, so.superseded_at FROM signoffs so"
        " JOIN inspections i ON i.id = so.inspection_id ORDER BY so.id"
    )
    stored: dict[str, list[tuple[str, str]]] = {}
    active: dict[str, int] = {}
    for r in rows:
        stored.setdefault(r.insp, []).append((r.name, r.meaning))
        active[r.insp] = active.get(r.insp, 0) + (r.superseded_at is None)
    for code in set(stored) | set(c.trail.signoffs):
        if code in inspections and stored.get(code, []) != c.trail.signoffs.get(code, []):
            c.add(f"inspection {code}: its sign-offs do not match the audit trail (a signature "
                  "was added, edited or removed behind the application's back)")
    for code, row in inspections.items():
        signed = row["status"] == "signed_off"
        if signed != (active.get(code, 0) == 1) and code in stored | c.trail.signoffs:
            c.add(f"inspection {code}: status {row['status']!r} does not match its sign-offs")


def _check_children(c: Checker) -> None:
    responses = keyed(c.rows(
        "SELECT r.*, i.code AS insp FROM responses r JOIN inspections i ON i.id = r.inspection_id"
    ), lambda r: f"{r.insp}/{r.question_id}")
    c.compare("response", "responses", responses, defaults=_RESPONSE_DEFAULTS)
    _check_revisions(c, "response", responses)
    links = c.rows("SELECT finding_id, question_id FROM finding_questions ORDER BY id")
    qids: dict[int, list[str]] = {}
    for link in links:
        qids.setdefault(link.finding_id, []).append(link.question_id)
    findings = keyed(c.rows(
        "SELECT f.*, i.code AS insp FROM findings f JOIN inspections i ON i.id = f.inspection_id"
    ), lambda r: f"{r.insp}/{r.code}")
    c.compare("finding", "findings", findings,
              specials={"question_ids": lambda r: qids.get(r["id"], [])})
    _check_revisions(c, "finding", findings)
    labels: dict[int, list[str]] = {}  # a list: a duplicated link row must show
    codes = {r["id"]: r["code"] for r in findings.values()}
    for link in c.rows("SELECT evidence_id, question_id, finding_id FROM evidence_links"):
        label = (f"question {link.question_id}" if link.question_id is not None
                 else f"finding {codes.get(link.finding_id, link.finding_id)}")
        labels.setdefault(link.evidence_id, []).append(label)
    evidence = keyed(c.rows(
        "SELECT e.*, i.code AS insp FROM evidence e JOIN inspections i ON i.id = e.inspection_id"
    ), lambda r: f"{r.insp}/{r.code}")
    c.compare("evidence", "evidence", evidence)
    for key, row in evidence.items():
        ent = c.trail.get("evidence", key)
        if ent is not None and ent.alive and sorted(labels.get(row["id"], [])) != sorted(
                ent.links):
            c.add(f"evidence {key}: its links {sorted(labels.get(row['id'], []))} do not "
                  f"match the audit trail {sorted(ent.links)} (changed behind the application's "
                  "back)")


def _check_day(c: Checker) -> None:
    """Inspection-day records: the request log, scribe notes and the SME roster."""
    for kind, table, key in (("request", "document_requests", "code"),
                             ("note", "scribe_notes", "code"),
                             ("roster", "sme_roster", "area_id")):
        # Fields a new request or roster entry has before its first recorded change.
        defaults = _DAY_DEFAULTS.get(kind)
        rows = keyed(c.rows(
            f"SELECT t.*, i.code AS insp FROM {table} t"  # table names are fixed above
            " JOIN inspections i ON i.id = t.inspection_id"
        ), _day_key(key))
        c.compare(kind, table, rows, defaults=defaults)
        _check_revisions(c, kind, rows)
        if kind == "request":
            _check_request_history(c, rows)


def _check_request_history(c: Checker, rows: dict[str, dict[str, Any]]) -> None:
    """A request's stamped moves and the items recorded as shown must match the trail."""
    by_id = {row["id"]: key for key, row in rows.items()}
    moves: dict[str, list[list[Any]]] = {key: [] for key in rows}
    items: dict[str, list[list[Any]]] = {key: [] for key in rows}
    at_norm = normaliser("request_moves")
    for m in c.rows("SELECT request_id, status, at FROM request_moves ORDER BY id"):
        if m.request_id in by_id:
            moves[by_id[m.request_id]].append([m.status, at_norm("at", m.at)])
    for i in c.rows("SELECT request_id, document_id, version, sha256 FROM presented_items"
                    " ORDER BY id"):
        if i.request_id in by_id:
            items[by_id[i.request_id]].append([i.document_id, i.version, i.sha256 or ""])
    for key in rows:
        ent = c.trail.get("request", key)
        if ent is None or not ent.alive or "moves" not in ent.extra:
            continue
        want_moves: list[list[Any]] = ent.extra["moves"]
        have_moves = moves[key]
        matches = len(want_moves) == len(have_moves) and all(
            w[0] == h[0] and (w[1] is None or same(h[1], w[1]))
            for w, h in zip(want_moves, have_moves, strict=True))
        if not matches:
            c.add(f"request {key}: its moves {short(have_moves)} do not match the audit trail "
                  f"{short(want_moves)} (a move was changed, added or deleted behind the "
                  "application's back)")
        want_items = [[str(v or "") for v in i[:3]] for i in ent.extra.get("items", [])]
        if items[key] != want_items:
            c.add(f"request {key}: the items recorded as shown {short(items[key])} do not "
                  f"match the audit trail {short(want_items)} (changed, added or deleted behind "
                  "the application's back)")


def _check_revisions(c: Checker, kind: str, rows: dict[str, dict[str, Any]]) -> None:
    """A row's revision counts its audited saves (a save whose event was deleted shows)."""
    for key, row in rows.items():
        ent = c.trail.get(kind, key)
        if ent is not None and ent.alive and row["revision"] != ent.events:
            c.add(f"{kind} {key}: revision {row['revision']} but the audit trail records "
                  f"{ent.events} saves (changed behind the application's back)")


def _check_templates_and_blobs(c: Checker) -> None:
    stored: dict[str, set[str]] = {}
    titles: dict[str, set[str]] = {}
    for r in c.rows("SELECT key, version, title, content, sha256 FROM checklist_templates"):
        ref = f"{r.key}@{r.version}"
        stored.setdefault(ref, set()).add(r.sha256)
        titles.setdefault(ref, set()).add(r.title)
        try:
            content = json.loads(r.content) if isinstance(r.content, str) else r.content
            actual = content_sha256(content)
        except (ValueError, TypeError):
            actual = "unreadable"
        if actual != r.sha256:
            c.add(f"template {ref}: its content no longer matches its SHA-256 (edited behind "
                  "the application's back)")
    known = c.trail.entities.get("template", {})
    for ref, shas in stored.items():
        ent = known.get(ref)
        if ent is None:
            c.add(f"template {ref} has no audit record: it was added behind the application's "
                  "back (or its audit events were deleted)")
        elif ent.fields.get("sha256") not in shas:
            c.add(f"template {ref}: stored SHA-256 does not match the audit trail")
        elif "title" in ent.fields and ent.fields["title"] not in titles[ref]:
            c.add(f"template {ref}: title is {short(sorted(titles[ref]))} but the audit trail "
                  f"says {short(ent.fields['title'])} (changed behind the application's back)")
    for ref, ent in known.items():
        if ent.alive and ref not in stored:
            c.add(f"template {ref} is in the audit trail but its row is missing (deleted behind "
                  "the application's back)")
    for r in c.rows("SELECT i.code AS insp, e.code, e.sha256 FROM evidence e"
                    " JOIN inspections i ON i.id = e.inspection_id"
                    " LEFT JOIN evidence_blobs b ON b.sha256 = e.sha256 WHERE b.sha256 IS NULL"):
        c.add(f"evidence {r.insp}/{r.code}: its stored file {str(r.sha256)[:12]} is missing "
              "(deleted behind the application's back)")
    for r in c.s.execute(text("SELECT sha256, size, data FROM evidence_blobs")):
        data = r.data if isinstance(r.data, bytes) else b""
        if hashlib.sha256(data).hexdigest() != r.sha256 or len(data) != r.size:
            c.add(f"evidence file {r.sha256[:12]}: its stored bytes no longer match their SHA-256 "
                  "(edited behind the application's back)")



def coverage_notes(trail: Trail) -> list[str]:
    """What the trail could not vouch for: rows whose last event predates row states."""
    stateless = [
        (kind, ent.extra.get("stateless_at", ""))
        for kind, by_id in trail.entities.items() if kind in SPECS
        for ent in by_id.values() if ent.alive and "state" in ent.extra
        and ent.extra["state"] is None
    ]
    if not stateless:
        return []
    before = trail.first_state_at[:10] or max(at for _kind, at in stateless)[:10]
    kinds = ", ".join(sorted({kind for kind, _at in stateless}))
    return [
        f"{len(stateless)} records ({kinds}) were last changed by audit events written before "
        f"row states were recorded: their fields the events do not name (such as who assessed "
        f"a response and when) are not covered by the trail before {before or 'this version'}"
    ]
