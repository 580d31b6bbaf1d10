"""File > Import checklist template: validated, copied to the user library, offered to new work."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "templates"


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Record the message boxes instead of showing them (they are modal)."""
    import qmsr_ready.ui.inspection_ops as ops

    seen: dict[str, list[str]] = {"info": [], "error": []}
    monkeypatch.setattr(ops.QMessageBox, "information",
                        staticmethod(lambda _p, _t, text: seen["info"].append(text)))
    monkeypatch.setattr(ops, "show_error",
                        lambda _p, exc, title="": seen["error"].append(str(exc)))
    return seen


def test_import_template_adds_it_to_the_library_and_the_wizard(
    qtbot, main_window, ctx, dialogs
) -> None:
    from qmsr_ready.core.paths import user_templates_dir
    from qmsr_ready.ui.dialogs.new_inspection import NewInspectionWizard

    assert main_window.menu_actions.import_template.text() == "&Import checklist template…"
    assert main_window.ops.import_template(str(FIXTURES / "minimal-v1.yaml"))
    assert "test-minimal version 1.0" in dialogs["info"][0]
    assert any(p.name.endswith(".yaml") for p in user_templates_dir().iterdir())
    assert [t.key for t in ctx.catalogue().templates if not t.builtin] == ["test-minimal"]
    wizard = NewInspectionWizard(ctx)
    qtbot.addWidget(wizard)
    combo = wizard.type_page.template_combo
    assert "test-minimal" in [combo.itemData(i) for i in range(combo.count())]


def test_import_refuses_an_invalid_template_and_copies_nothing(
    tmp_path: Path, main_window, ctx, dialogs
) -> None:
    from qmsr_ready.core.paths import user_templates_dir

    broken = tmp_path / "broken.yaml"
    text = (FIXTURES / "minimal-v1.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace('"ISO 13485:2016 4.2.3"', '"ISO 13485:2016 4.2.33"', 1),
                      encoding="utf-8")
    assert not main_window.ops.import_template(str(broken))
    assert "broken.yaml:" in dialogs["error"][0]
    assert "4.2.33" in dialogs["error"][0]
    folder = user_templates_dir()
    assert not folder.exists() or not any(folder.iterdir())
