"""apply_plan: every outcome written through the services, decisions, all-or-nothing, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.audit import events_for, verify_chain
from qmsr_ready.core.errors import InspectionLocked
from qmsr_ready.core.exchange.apply import ApplyRefused, UnresolvedConflicts, apply_plan
from qmsr_ready.core.exchange.plan import Choice, ConflictPolicy, Outcome
from qmsr_ready.core.exchange.snapshot import read_mine
from tests.integration.exchange_helpers import (
    FINDING,
    RESPONSE,
    base_of,
    event_count,
    matched,
    new_finding,
    plan,
)

Q1, Q2 = "MO-01-Q01", "MO-01-Q02"


@pytest.fixture
def seeded(fnd_inspection):
    """An inspection with two answers and one open finding F-001 owned by Ann."""
    ws, code = fnd_inspection
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id=Q1,
                                 result="conforms", notes="seen")
        services.record_response(s, "Alice", inspection_code=code, question_id=Q2,
                                 result="minor_gap", sample_population=10, sample_size=3)
        services.raise_finding(s, "Alice", inspection_code=code, title="CAPA late",
                               classification="minor", question_ids=[Q2], owner="Ann")
    return ws, code


def _attempt(ws, code, rows_of):
    """Plan ``rows_of(session, base)`` and apply it in one transaction (rolled back on error)."""
    with ws.begin() as s:
        return apply_plan(s, "Carol", plan(s, code, rows_of(s, base_of(s, code))))


def _mine(ws, code):
    with ws.session() as s:
        return read_mine(s, code)


def test_clean_updates_are_written_and_audited_once(seeded) -> None:
    ws, code = seeded
    with ws.begin() as s:
        base = base_of(s, code)
        p = plan(s, code, [
            matched(s, code, RESPONSE, Q1, {"notes": "seen twice", "result": "major_gap"}, base,
                    row=12),
            matched(s, code, FINDING, "F-001", {"owner": "Bob",
                                                "due_date": dt.date(2027, 1, 31)}, base),
        ])
        assert {f.outcome for r in p.rows for f in r.changes} == {Outcome.CLEAN_UPDATE}
        applied = apply_plan(s, "Carol", p)
    side = _mine(ws, code)
    assert side.of("response")[Q1]["notes"] == "seen twice"
    assert side.of("response")[Q1]["result"] == "major_gap"
    assert side.of("finding")["F-001"]["owner"] == "Bob"
    assert side.of("finding")["F-001"]["due_date"] == dt.date(2027, 1, 31)
    assert {(w.key, w.field, w.old, w.new) for w in applied.writes} == {
        (Q1, "notes", "seen", "seen twice"), (Q1, "result", "conforms", "major_gap"),
        ("F-001", "owner", "Ann", "Bob"), ("F-001", "due_date", None, dt.date(2027, 1, 31)),
    }
    with ws.session() as s:
        (event,) = [e for e in events_for(s, inspection_code=code)
                    if e.action == "exchange.import"]
        assert event.seq == applied.audit_seq
        assert event.changes["source"] == [None, "pack.xlsx"]
        assert event.changes["sha256"] == [None, "ab" * 32]
        assert event.changes["counts"][1]["fields_written"] == 4
        assert verify_chain(s).ok


def test_workspace_only_and_already_applied_fields_are_not_written(seeded) -> None:
    ws, code = seeded
    with ws.begin() as s:
        base = base_of(s, code)
        services.record_response(s, "Alice", inspection_code=code, question_id=Q1, notes="mine")
        services.update_finding(s, "Alice", code, "F-001", owner="Zed")
        p = plan(s, code, [
            matched(s, code, RESPONSE, Q1, {"notes": "seen"}, base),  # theirs = base
            matched(s, code, FINDING, "F-001", {"owner": "Zed"}, base),  # both made it Zed
        ])
        outcomes = {f.outcome for r in p.rows for f in r.fields}
        assert Outcome.WORKSPACE_ONLY in outcomes
        assert Outcome.ALREADY_APPLIED in outcomes
        applied = apply_plan(s, "Carol", p)
    assert applied.writes == ()
    assert _mine(ws, code).of("response")[Q1]["notes"] == "mine"


def _conflicted(s, code):
    base = base_of(s, code)
    services.update_finding(s, "Alice", code, "F-001", owner="A")
    services.record_response(s, "Alice", inspection_code=code, question_id=Q1, notes="mine")
    return plan(s, code, [
        matched(s, code, FINDING, "F-001", {"owner": "B"}, base),
        matched(s, code, RESPONSE, Q1, {"notes": "theirs"}, base),
    ])


def test_undecided_conflicts_refuse_and_list_each_one(seeded) -> None:
    ws, code = seeded
    with ws.begin() as s:
        p = _conflicted(s, code)
        before = event_count(s)
        with pytest.raises(UnresolvedConflicts) as err:
            apply_plan(s, "Carol", p)
        assert event_count(s) == before
    assert "F-001 Owner: mine 'A' / theirs 'B'" in err.value.message
    assert f"{Q1} Notes: mine 'mine' / theirs 'theirs'" in err.value.message
    assert len(err.value.conflicts) == 2


@pytest.mark.parametrize(("policy", "owner", "notes"), [
    (ConflictPolicy.KEEP_MINE, "A", "mine"), (ConflictPolicy.TAKE_THEIRS, "B", "theirs"),
])
def test_conflict_policies(seeded, policy, owner, notes) -> None:
    ws, code = seeded
    with ws.begin() as s:
        applied = apply_plan(s, "Carol", _conflicted(s, code), policy=policy)
    side = _mine(ws, code)
    assert side.of("finding")["F-001"]["owner"] == owner
    assert side.of("response")[Q1]["notes"] == notes
    with ws.session() as s:
        (event,) = [e for e in events_for(s) if e.seq == applied.audit_seq]
    decisions = event.changes["decisions"][1]
    assert {d["how"] for d in decisions} == {f"policy {policy}"}
    assert {d["decided_by"] for d in decisions} == {"Carol"}


def test_decisions_per_field_win_over_the_policy(seeded) -> None:
    ws, code = seeded
    with ws.begin() as s:
        p = _conflicted(s, code)
        decisions = {("finding", "F-001", "owner"): Choice.THEIRS}
        with pytest.raises(UnresolvedConflicts):  # the notes conflict is still open
            apply_plan(s, "Carol", p, decisions=decisions)
        applied = apply_plan(s, "Carol", p, decisions=decisions, policy=ConflictPolicy.KEEP_MINE)
    side = _mine(ws, code)
    assert side.of("finding")["F-001"]["owner"] == "B"
    assert side.of("response")[Q1]["notes"] == "mine"
    with ws.session() as s:
        (event,) = [e for e in events_for(s) if e.seq == applied.audit_seq]
    how = {d["field"]: (d["choice"], d["how"]) for d in event.changes["decisions"][1]}
    assert how == {"owner": ("theirs", "per field"), "notes": ("mine", "policy keep-mine")}


def test_a_service_refusal_names_the_row_and_rolls_everything_back(seeded) -> None:
    ws, code = seeded
    with ws.session() as s:
        before, events = _mine(ws, code), event_count(s)
    with pytest.raises(ApplyRefused) as err:
        _attempt(ws, code, lambda s, base: [
            matched(s, code, RESPONSE, Q1, {"notes": "changed first"}, base, row=11),
            matched(s, code, RESPONSE, Q2, {"sample_size": 90}, base, row=12),
        ])
    assert err.value.message.startswith(f"Checklist row 12 ({Q2}): Sample size 90 is larger "
                                        "than the population 10")
    assert _mine(ws, code).rows == before.rows
    with ws.session() as s:
        assert event_count(s) == events


def test_status_changes_follow_the_workflow(seeded) -> None:
    ws, code = seeded
    with ws.begin() as s:  # open -> closed, with the fields closing needs in the same import
        base = base_of(s, code)
        apply_plan(s, "Carol", plan(s, code, [matched(s, code, FINDING, "F-001", {
            "status": "closed", "corrective_action": "Retrain", "effectiveness_check": "Audit",
        }, base)]))
    assert _mine(ws, code).of("finding")["F-001"]["status"] == "closed"
    with ws.begin() as s:  # closed -> action planned goes through open
        base = base_of(s, code)
        apply_plan(s, "Carol", plan(s, code, [matched(s, code, FINDING, "F-001", {
            "status": "action_planned", "due_date": dt.date(2027, 3, 1),
        }, base)]))
    assert _mine(ws, code).of("finding")["F-001"]["status"] == "action_planned"
    with ws.begin() as s:  # back to open while clearing what action planned needed
        base = base_of(s, code)
        apply_plan(s, "Carol", plan(s, code, [matched(s, code, FINDING, "F-001", {
            "status": "open", "corrective_action": "", "owner": "",
        }, base)]))
    row = _mine(ws, code).of("finding")["F-001"]
    assert (row["status"], row["corrective_action"], row["owner"]) == ("open", "", "")


def test_a_status_without_its_needs_is_refused(seeded) -> None:
    ws, code = seeded
    with pytest.raises(ApplyRefused, match=r"F-001.*cannot be closed without"):
        _attempt(ws, code, lambda s, base: [
            matched(s, code, FINDING, "F-001", {"status": "closed"}, base)])


def test_new_finding_is_raised_with_its_status(seeded) -> None:
    ws, code = seeded
    with ws.begin() as s:
        applied = apply_plan(s, "Carol", plan(s, code, [new_finding({
            "title": "Training gap", "question_ids": (Q1,), "status": "action_planned",
            "owner": "Dee", "due_date": dt.date(2027, 2, 1), "corrective_action": "Train",
        })]))
    assert applied.created == (("finding", "F-002"),)
    row = _mine(ws, code).of("finding")["F-002"]
    assert (row["title"], row["status"], row["question_ids"]) == (
        "Training gap", "action_planned", (Q1,))


def test_signed_off_inspection_refuses(seeded) -> None:
    ws, code = seeded
    with ws.begin() as s:
        services.sign_off(s, "Alice", code, name="Alice", meaning="Approved")
    with pytest.raises(InspectionLocked, match="reopen it"):
        _attempt(ws, code, lambda s, base: [matched(s, code, RESPONSE, Q1, {"notes": "x"}, base)])


def test_a_workspace_changed_since_the_preview_refuses(seeded) -> None:
    ws, code = seeded
    with ws.begin() as s:
        base = base_of(s, code)
        p = plan(s, code, [matched(s, code, RESPONSE, Q1, {"notes": "theirs"}, base, row=5)])
    with ws.begin() as s:
        services.record_response(s, "Alice", inspection_code=code, question_id=Q1, notes="late")
    with pytest.raises(ApplyRefused, match="changed in this workspace after the preview"), \
            ws.begin() as s:
        apply_plan(s, "Carol", p)
    assert _mine(ws, code).of("response")[Q1]["notes"] == "late"
