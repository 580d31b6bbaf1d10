"""PDF pack read back with pypdf: pages, bookmarks, metadata, text, contents page numbers."""

from __future__ import annotations

import re
from pathlib import Path

import exp_data
import pytest
from pypdf import PdfReader

from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.export import ExportOptions, export_pdf
from qmsr_ready.core.report import ReadinessReport, build_report


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> ReadinessReport:
    path = exp_data.build_target(tmp_path_factory.mktemp("p") / "w.qmsr")
    with open_workspace(path, read_only=True) as ws, ws.session() as s:
        return build_report(s, exp_data.INSPECTION, today=exp_data.TODAY)


@pytest.fixture(scope="module")
def pdf(report: ReadinessReport, tmp_path_factory: pytest.TempPathFactory) -> PdfReader:
    target = tmp_path_factory.mktemp("out") / "pack.pdf"
    export_pdf(report, target)
    return PdfReader(target)


def page_texts(reader: PdfReader) -> list[str]:
    return [p.extract_text() for p in reader.pages]


def outline_titles(reader: PdfReader) -> list[object]:
    def walk(items: list) -> list[object]:  # type: ignore[type-arg]
        return [walk(i) if isinstance(i, list) else i.title for i in items]

    return walk(reader.outline)


def test_metadata(pdf: PdfReader) -> None:
    meta = pdf.metadata
    assert meta.title.startswith(f"Inspection readiness pack {exp_data.INSPECTION}")
    assert meta.author == exp_data.UNICODE_NAME
    assert "readiness" in meta.subject


def test_bookmarks_for_every_section_and_area(pdf: PdfReader) -> None:
    assert outline_titles(pdf) == [
        "Cover", "Contents", "Executive summary", "Area-by-area detail",
        ["MO — Management Oversight", "DD — Design and Development",
         "OA — Other applicable FDA requirements", "Answers marked Not applicable"],
        "Findings register", "Action plan", "Sign-off",
    ]


def test_text_unicode_names_findings_and_page_footer(pdf: PdfReader) -> None:
    texts = page_texts(pdf)
    everything = "\n".join(texts)
    assert exp_data.UNICODE_NAME in texts[0]  # cover: lead
    assert exp_data.CYRILLIC_NAME in texts[0]
    assert exp_data.FINDING_TEXT in " ".join(everything.split())
    for title in ("Executive summary", "Area-by-area detail", "Findings register",
                  "Action plan", "Sign-off"):
        assert title in everything
    total = len(pdf.pages)
    assert total > 5  # the long note flows over several pages
    for n, text in enumerate(texts[1:], start=2):
        assert re.search(rf"Page {n} of\s*{total}\b", text), n


def test_contents_page_numbers_point_at_the_sections(pdf: PdfReader) -> None:
    texts = page_texts(pdf)
    contents = texts[1]
    for title in ("Executive summary", "Findings register", "Sign-off"):
        m = re.search(rf"{title}\s*(\d+)", contents)
        assert m, title
        assert title in texts[int(m.group(1)) - 1]


def test_long_note_is_split_not_lost(pdf: PdfReader) -> None:
    flat = " ".join(" ".join(page_texts(pdf)).split())
    assert "DHR-0000 reviewed" in flat
    assert "DHR-0419 reviewed" in flat


def test_gaps_only_and_sections(report: ReadinessReport, tmp_path: Path) -> None:
    target = tmp_path / "gaps.pdf"
    export_pdf(report, target, options=ExportOptions(
        sections=frozenset({"areas", "signoff"}), gaps_only=True))
    reader = PdfReader(target)
    text = "\n".join(page_texts(reader))
    assert "MO-11-Q01" in text
    assert "MO-05-Q02" in text
    assert "MO-05-Q01" not in text  # conforms: not a gap
    assert "Executive summary" not in text
    assert outline_titles(reader)[0] == "Area-by-area detail"


def test_logo_on_cover(report: ReadinessReport, tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    from PIL import Image

    Image.new("RGB", (300, 100), (31, 58, 95)).save(logo)
    target = tmp_path / "logo.pdf"
    export_pdf(report, target, options=ExportOptions(logo_path=logo))
    def images(path: Path) -> int:
        return len(PdfReader(path).pages[0].images)

    plain = tmp_path / "plain.pdf"
    export_pdf(report, plain, options=ExportOptions(sections=frozenset({"cover"})))
    assert images(target) == 1
    assert images(plain) == 0


def test_cover_and_summary_give_the_verdict_with_its_reasons(
        report: ReadinessReport, pdf: PdfReader) -> None:
    from qmsr_ready.core.report.verdict import readiness_verdict

    verdict = readiness_verdict(report)
    texts = [" ".join(t.split()) for t in page_texts(pdf)]
    for page in (texts[0], next(t for t in texts if "Executive summary" in t
                                and "Readiness verdict" in t)):
        assert f"Readiness verdict: {verdict.label}" in page
        for reason in verdict.reasons:
            assert " ".join(reason.split()) in page, reason
        assert "Checklist conformance" in page
        assert "risk-focus questions" in page
    assert "Overall readiness" not in "\n".join(texts)


def test_not_applicable_answers_are_listed_with_their_reasons(
        report: ReadinessReport, tmp_path: Path) -> None:
    target = tmp_path / "na.pdf"
    export_pdf(report, target, options=ExportOptions(sections=frozenset({"areas"}),
                                                     gaps_only=True))
    text = " ".join(" ".join(page_texts(PdfReader(target))).split())
    listed = text[text.index("Answers marked Not applicable"):]
    na = [q for q in report.questions if q.result == "not_applicable"]
    assert na  # DD-04-Q01 in the test data
    assert f"{len(na)} question" in listed
    for q in na:
        assert q.question_id in listed
        assert q.notes in listed
