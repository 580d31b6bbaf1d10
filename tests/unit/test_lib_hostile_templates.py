"""Hostile template files are refused before they cost memory or hang (issue 13, memory).

A valid 1.6 MB template that repeats one long string through YAML aliases used to take GBs to
validate, import and list; a 50 MB file was parsed for 80 s before being refused; a FIFO hung.
"""

from __future__ import annotations

import os
import sys
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qmsr_ready.core.library import loader
from qmsr_ready.core.library.catalogue import Catalogue
from qmsr_ready.core.library.loader import MAX_FILE_BYTES, MAX_TEXT_BYTES, load_file, load_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "templates"
GOOD = (FIXTURES / "minimal-v1.yaml").read_text(encoding="utf-8")
ANCHOR = (
    "            text: Pull the medical device file for one device family and check its index.\n"
)


def alias_template(length: int, repeats: int) -> str:
    """The valid fixture with a ``length``-char anchored string reused by ``repeats`` questions."""
    assert GOOD.count(ANCHOR) == 1
    big = "x" * length
    questions = "".join(
        f"""          - id: MO-05-Q{n:02d}
            text: *big
            guidance: {{look_at: a, good_looks_like: b, weak_spots: c}}
            records_to_sample: ["r"]
            citations: ["ISO 13485:2016 4.2.3"]
            weight: 1
"""
        for n in range(2, repeats + 2)
    )
    text = GOOD.replace(ANCHOR, f"            text: &big {big}\n")
    marker = "      - id: MO-06\n"
    return text.replace(marker, questions + marker, 1)


def test_alias_expansion_is_counted_in_bytes_and_capped() -> None:
    text = alias_template(100_000, 200)  # 0.1 MB on disk (+ questions), 20 MB expanded
    assert len(text.encode()) < MAX_FILE_BYTES
    result = load_text(text, "bomb.yaml")
    assert not result.ok
    assert "expands to more than 8 MB of text" in result.issues[0].message


def test_the_reported_1_6_mb_alias_template_stays_small_in_memory(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_template(1_000_000, 4_000), encoding="utf-8")  # 4 GB if expanded
    assert 1.5e6 < path.stat().st_size < MAX_FILE_BYTES
    tracemalloc.start()
    try:
        result = load_file(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not result.ok
    assert "expands to more than" in result.issues[0].message
    assert peak < 200 * 1024 * 1024


def test_import_and_list_refuse_the_alias_template(tmp_path: Path) -> None:
    src = tmp_path / "bomb.yaml"
    src.write_text(alias_template(100_000, 200), encoding="utf-8")
    user = tmp_path / "user"
    user.mkdir()
    (user / "planted.yaml").write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    cat = Catalogue(user_dir=user)  # what `templates list` builds
    assert [p.file for p in cat.problems] == ["planted.yaml"]
    with pytest.raises(loader.TemplateValidationError, match="expands to more than"):
        cat.import_template(src)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    length=st.integers(min_value=1, max_value=300_000),
    repeats=st.integers(min_value=1, max_value=120),
)
def test_expansion_is_refused_exactly_when_it_is_large(length: int, repeats: int) -> None:
    expanded = length * (repeats + 1)
    if MAX_TEXT_BYTES // 2 <= expanded <= MAX_TEXT_BYTES:
        return  # near the cap the rest of the template decides; both outcomes are fine
    result = load_text(alias_template(length, repeats), "t.yaml")
    if expanded > MAX_TEXT_BYTES:
        assert not result.ok
        assert "expands to more than" in result.issues[0].message
    else:
        assert result.ok, result.issues


def test_a_50_mb_template_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    monkeypatch.setattr(loader, "_compose", lambda _t: pytest.fail("parsed a 50 MB file"))
    result = load_file(path)
    assert not result.ok
    assert "the file is 50.0 MB; a checklist template is at most 4 MB" in str(result.issues[0])


def test_long_text_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_compose", lambda _t: pytest.fail("parsed an oversized text"))
    result = load_text("#" * (MAX_FILE_BYTES + 1), "big.yaml")
    assert "a checklist template is at most 4 MB" in result.issues[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = load_file(fifo)  # a blocking open would wait here for a writer forever
    assert "not a regular file" in result.issues[0].message


@pytest.mark.skipif(sys.platform == "win32", reason="no /dev/zero")
def test_dev_zero_is_refused_at_once() -> None:
    result = load_file(Path("/dev/zero"))
    assert "not a regular file" in result.issues[0].message
