"""A table's column choice is kept per user and per table, by header text."""

from __future__ import annotations

from pathlib import Path

import pytest

from qmsr_ready.ui.settings import AppSettings


def test_a_column_choice_survives_a_new_settings_object(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "settings.ini"
    settings = AppSettings(path)
    assert settings.column_choice("home") == {}
    settings.set_column_choice("home", {"Model": True, "Last export": False, "Open, or not": True})
    settings.sync()
    again = AppSettings(path)
    assert again.column_choice("home") == {"Model": True, "Last export": False,
                                           "Open, or not": True}
    assert again.column_choice("findings") == {}  # each table has its own
    again.set_column_choice("home", {"Type": False})  # one entry: QSettings gives a bare string
    assert AppSettings(path).column_choice("home") == {"Type": False}
    again.set_column_choice("home", {})
    assert AppSettings(path).column_choice("home") == {}


def test_a_table_key_is_checked(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings = AppSettings(tmp_path / "settings.ini")
    with pytest.raises(KeyError):
        settings.set_column_choice("home/../window", {"Code": False})
    with pytest.raises(KeyError):
        settings.set_column_choice("", {"Code": False})
