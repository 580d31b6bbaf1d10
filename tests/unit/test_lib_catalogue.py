"""Library management: built-in + user templates, versions, hashes, import, upgrades."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qmsr_ready.core import services
from qmsr_ready.core.db import open_workspace
from qmsr_ready.core.errors import TemplateInvalid
from qmsr_ready.core.library.catalogue import Catalogue, version_key
from qmsr_ready.core.library.loader import TemplateValidationError
from qmsr_ready.core.library.planner import plan, to_element_choices
from qmsr_ready.core.paths import user_templates_dir
from qmsr_ready.core.profile import SiteProfile
from qmsr_ready.core.template_content import content_sha256, question_index

FIXTURES = Path(__file__).parent.parent / "fixtures" / "templates"
V1_TEXT = (FIXTURES / "minimal-v1.yaml").read_text(encoding="utf-8")
EXTRA_QUESTION = """
          - id: MO-06-Q02
            text: Check that external documents (standards, FDA guidance) are controlled.
            guidance:
              look_at: External document register.
              good_looks_like: Current editions listed with owners.
              weak_spots: Superseded standards still referenced.
            records_to_sample: ["External document register"]
            citations: ["ISO 13485:2016 4.2.4"]
            weight: 1
"""


def v2_text() -> str:
    text = V1_TEXT.replace('version: "1.0"', 'version: "2.0"')
    anchor = "            weight: 1\n  - id: GI"
    return text.replace(anchor, "            weight: 1" + EXTRA_QUESTION + "  - id: GI")


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    builtin.mkdir()
    (builtin / "test-minimal.yaml").write_text(V1_TEXT, encoding="utf-8")
    (builtin / "_parts").mkdir()
    (builtin / "_parts" / "10-fragment.yaml").write_text("- id: MO\n", encoding="utf-8")
    return builtin, user


def test_builtin_templates_load_with_hash_and_parts_are_skipped(folders) -> None:
    builtin, user = folders
    cat = Catalogue(builtin, user)
    assert cat.problems == []
    [t] = cat.templates
    assert (t.key, t.version, t.builtin) == ("test-minimal", "1.0", True)
    assert t.sha256 == content_sha256(t.content)
    snap = t.snapshot()
    assert (snap.key, snap.version, snap.sha256, snap.content) == (
        t.key,
        t.version,
        t.sha256,
        t.content,
    )


def test_default_user_folder_is_the_platform_templates_dir() -> None:
    cat = Catalogue()
    assert cat.user_dir == user_templates_dir()
    assert {t.key for t in cat.templates if t.builtin} >= {"qsr-transition"}


def _user_only(tmp_path: Path) -> tuple[Path, Path]:
    """A library whose test-minimal is the user's own template (no built-in of that key)."""
    builtin, user = tmp_path / "empty-builtin", tmp_path / "user-own"
    builtin.mkdir()
    return builtin, user


def test_import_copies_into_user_folder_and_becomes_latest(tmp_path: Path) -> None:
    builtin, user = _user_only(tmp_path)
    v1, v2 = tmp_path / "mine-v1.yaml", tmp_path / "mine.yaml"
    v1.write_text(V1_TEXT, encoding="utf-8")
    v2.write_text(v2_text(), encoding="utf-8")
    cat = Catalogue(builtin, user)
    cat.import_template(v1)
    loaded = cat.import_template(v2)
    assert loaded.path == user / "test-minimal-2.0.yaml"
    assert loaded.path.read_text(encoding="utf-8") == v2_text()
    assert not loaded.builtin
    assert [t.version for t in cat.latest()] == ["2.0"]
    assert cat.get("test-minimal").version == "2.0"
    assert cat.get("test-minimal", "1.0").version == "1.0"
    assert cat.import_template(v2) == loaded  # identical content again: no-op
    assert sorted(p.name for p in user.iterdir()) == [
        "test-minimal-1.0.yaml",
        "test-minimal-2.0.yaml",
    ]


def test_import_refuses_same_key_and_version_with_different_content(tmp_path) -> None:
    builtin, user = _user_only(tmp_path)
    first = tmp_path / "first.yaml"
    first.write_text(V1_TEXT, encoding="utf-8")
    Catalogue(builtin, user).import_template(first)
    src = tmp_path / "clash.yaml"
    src.write_text(V1_TEXT.replace("Minimal test template", "Another title"), encoding="utf-8")
    with pytest.raises(TemplateInvalid, match=r"already has test-minimal version 1\.0"):
        Catalogue(builtin, user).import_template(src)
    assert sorted(p.name for p in user.iterdir()) == ["test-minimal-1.0.yaml"]


def test_import_refuses_an_invalid_file_listing_every_issue(folders, tmp_path) -> None:
    builtin, user = folders
    src = tmp_path / "bad.yaml"
    src.write_text(v2_text().replace("weight: 3", "weight: 5").replace("kind: general", "kind: x"))
    with pytest.raises(TemplateValidationError) as info:
        Catalogue(builtin, user).import_template(src)
    assert len(info.value.issues) == 2
    assert "bad.yaml:31 areas[0].elements[0].questions[0].weight" in info.value.message
    assert not user.exists() or not any(user.iterdir())


def test_broken_user_file_is_reported_not_fatal(folders) -> None:
    builtin, user = folders
    user.mkdir()
    (user / "broken.yaml").write_text("key: [\n", encoding="utf-8")
    cat = Catalogue(builtin, user)
    assert [t.key for t in cat.templates] == ["test-minimal"]
    assert [p.file for p in cat.problems] == ["broken.yaml"]


def test_versions_compare_numerically() -> None:
    assert version_key("1.10") > version_key("1.9")
    assert version_key("2026.11") > version_key("2026.2")


def test_newer_version_offered_only_when_newer(folders, tmp_path) -> None:
    builtin, user = folders
    cat = Catalogue(builtin, user)
    v1 = cat.get("test-minimal").snapshot()
    assert cat.newer_version_available(v1) is None
    (builtin / "test-minimal-v2.yaml").write_text(v2_text(), encoding="utf-8")  # an app update
    cat.reload()
    newer = cat.newer_version_available(v1)
    assert newer is not None
    assert newer.version == "2.0"
    assert cat.newer_version_available(newer.snapshot()) is None


def test_inspection_keeps_v1_snapshot_after_v2_is_installed(folders, tmp_path: Path) -> None:
    builtin, user = folders
    cat = Catalogue(builtin, user)
    v1 = cat.get("test-minimal")
    profile = SiteProfile(device_classes=("II",))
    with open_workspace(tmp_path / "ws.qmsr", create=True) as ws:
        with ws.begin() as s:
            site = services.create_site(s, "tester", name="Plant 1", profile=profile)
            choices = to_element_choices(plan(v1.content, profile, "baseline_surveillance"))
            services.start_inspection(
                s, "tester", site_code=site.code, template=v1.snapshot(),
                inspection_type="baseline_surveillance", elements=choices, code="MI-OLD",
            )  # fmt: skip
        (builtin / "test-minimal-v2.yaml").write_text(v2_text(), encoding="utf-8")  # app update
        cat.reload()
        v2 = cat.latest()[0]
        assert v2.version == "2.0"
        with ws.begin() as s:
            services.start_inspection(
                s, "tester", site_code=site.code, template=v2.snapshot(),
                inspection_type="baseline_surveillance", code="MI-NEW",
            )  # fmt: skip
        with ws.session() as s:
            old = services.get_inspection(s, "MI-OLD")
            new = services.get_inspection(s, "MI-NEW")
            assert (old.template.version, old.template.sha256) == ("1.0", v1.sha256)
            assert old.template.content == v1.content
            assert "MO-06-Q02" not in question_index(old.template.content)
            assert "MO-06-Q02" in question_index(new.template.content)
            assert new.template.sha256 == v2.sha256
            selected = {e.element_id for e in old.elements if e.selected}
            assert selected == {"MO-05", "GI-01"}


def test_import_refuses_to_shadow_a_builtin_key(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from qmsr_ready.core.errors import TemplateInvalid
    from qmsr_ready.core.library import Catalogue
    from qmsr_ready.core.resources import resource_path

    catalogue = Catalogue(user_dir=tmp_path / "user")
    shipped = resource_path("checklists", "fda-qmsr.yaml").read_text(encoding="utf-8")
    impostor = tmp_path / "impostor.yaml"
    impostor.write_text(
        re.sub(r'(?m)^version: "[0-9.]+"$', 'version: "2099.1"', shipped, count=1), encoding="utf-8"
    )
    with pytest.raises(TemplateInvalid, match="key of a built-in template"):
        catalogue.import_template(impostor)
    assert not (tmp_path / "user").exists() or not any((tmp_path / "user").iterdir())
    assert catalogue.get("fda-qmsr").builtin
