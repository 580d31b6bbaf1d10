"""``KeptWriter``'s bookkeeping on its own: which connection a transaction gets, which one is
kept, and what goes back to the pool (a stand-in pool counts the checkouts and returns)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Engine

from qmsr_ready.core.write_connection import KeptWriter


class _Conn:
    def __init__(self, name: str) -> None:
        self.name = name
        self.returned = 0

    def close(self) -> None:  # a pooled connection's close() returns it to the pool
        self.returned += 1


class _Engine:
    def __init__(self) -> None:
        self.made: list[_Conn] = []

    def raw_connection(self) -> _Conn:
        conn = _Conn(f"c{len(self.made)}")
        self.made.append(conn)
        return conn


def _engine() -> tuple[_Engine, Engine]:
    fake = _Engine()
    return fake, cast(Engine, fake)


def test_an_idle_kept_connection_is_taken_and_a_busy_one_is_not() -> None:
    fake, engine = _engine()
    slot = KeptWriter()
    first: Any = slot.take(engine)
    slot.give_back(first, keep=True)
    assert first.returned == 0
    again: Any = slot.take(engine)
    assert again is first
    other: Any = slot.take(engine)  # the kept one is in use
    assert other is not first
    assert len(fake.made) == 2
    slot.give_back(other, keep=True)  # one is kept already: this one goes back
    assert other.returned == 1
    slot.give_back(again, keep=True)
    assert slot.take(engine) is first


def test_anything_but_a_clean_commit_returns_the_connection() -> None:
    _fake, engine = _engine()
    slot = KeptWriter()
    conn: Any = slot.take(engine)
    slot.give_back(conn, keep=True)
    taken: Any = slot.take(engine)
    slot.give_back(taken, keep=False)
    assert conn.returned == 1
    fresh: Any = slot.take(engine)
    assert fresh is not conn


def test_a_forgotten_connection_is_not_returned_twice() -> None:
    _fake, engine = _engine()
    slot = KeptWriter()
    conn: Any = slot.take(engine)
    slot.give_back(conn, keep=True)
    taken: Any = slot.take(engine)
    slot.forget(taken)  # a joined Session's Connection returned it
    assert conn.returned == 0
    assert slot.take(engine) is not conn


def test_closing_returns_the_idle_one_and_keeps_none_after() -> None:
    _fake, engine = _engine()
    slot = KeptWriter()
    conn: Any = slot.take(engine)
    slot.give_back(conn, keep=True)
    slot.close()
    assert conn.returned == 1
    late: Any = slot.take(engine)
    slot.give_back(late, keep=True)
    assert late.returned == 1  # closed: nothing is kept any more


def test_closing_while_in_use_leaves_the_return_to_its_transaction() -> None:
    _fake, engine = _engine()
    slot = KeptWriter()
    conn: Any = slot.take(engine)
    slot.give_back(conn, keep=True)
    busy: Any = slot.take(engine)
    slot.close()
    assert busy.returned == 0  # never closed under a running transaction
    slot.give_back(busy, keep=True)
    assert busy.returned == 1
