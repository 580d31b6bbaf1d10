"""Typed application settings over an INI-format ``QSettings`` file.

Keys and defaults are declared once (``_KEYS``); every reader goes through a typed accessor so a
misspelt key is an ``AttributeError``, not a silent default. Tests pass a ``tmp_path`` file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QSettings

from qmsr_ready.core.paths import user_config_dir

MAX_RECENT = 8

_KEYS: dict[str, object] = {
    "window/geometry": QByteArray(),
    "window/state": QByteArray(),
    "user/display_name": "",
    "workspace/last": "",
    "workspace/recent": [],
    "server/recent": [],  # server URLs, never with a password
    "export/logo_path": "",
    "export/last_folder": "",
}
# Keys made per item, with one default for the family: "columns/home" is the home list's choice.
_KEY_FAMILIES: dict[str, object] = {
    "columns/": [],  # "+Name" shown, "-Name" hidden by the user; a column not named: default
}
_TABLE_KEY = re.compile(r"[a-z][a-z0-9_]*")


class AppSettings(QObject):
    """The user's persistent preferences (geometry, recent files, display name, logo)."""

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path) if path else user_config_dir() / "settings.ini"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat, self)

    def _get(self, key: str) -> object:
        default = _default(key)
        value = self._qs.value(key, default)
        return default if value is None else value

    def _set(self, key: str, value: object) -> None:
        _default(key)  # a key not declared is a KeyError
        self._qs.setValue(key, value)

    def sync(self) -> None:
        """Flush to disk (QSettings also does this on destruction and periodically)."""
        self._qs.sync()

    # -- user -----------------------------------------------------------------
    def display_name(self) -> str:
        """The actor written to the audit trail; empty until asked on first run."""
        return str(self._get("user/display_name") or "")

    def set_display_name(self, name: str) -> None:
        self._set("user/display_name", name.strip())

    # -- window ---------------------------------------------------------------
    def geometry(self) -> QByteArray:
        value = self._get("window/geometry")
        return value if isinstance(value, QByteArray) else QByteArray()

    def set_geometry(self, value: QByteArray) -> None:
        self._set("window/geometry", value)

    def window_state(self) -> QByteArray:
        value = self._get("window/state")
        return value if isinstance(value, QByteArray) else QByteArray()

    def set_window_state(self, value: QByteArray) -> None:
        self._set("window/state", value)

    # -- workspaces -----------------------------------------------------------
    def last_workspace(self) -> str:
        return str(self._get("workspace/last") or "")

    def set_last_workspace(self, path: str) -> None:
        self._set("workspace/last", str(path))

    def recent_files(self) -> list[str]:
        return _string_list(self._get("workspace/recent"))

    def add_recent_file(self, path: str) -> None:
        """Move ``path`` to the top of the recent list, keeping at most ``MAX_RECENT``."""
        path = str(Path(path))
        items = [p for p in self.recent_files() if p != path]
        self._set("workspace/recent", [path, *items][:MAX_RECENT])

    def remove_recent_file(self, path: str) -> None:
        self._set("workspace/recent", [p for p in self.recent_files() if p != str(path)])

    def clear_recent_files(self) -> None:
        self._set("workspace/recent", [])

    # -- servers --------------------------------------------------------------
    def recent_servers(self) -> list[str]:
        """Server workspace URLs opened before, newest first (no passwords: see add)."""
        return _string_list(self._get("server/recent"))

    def add_recent_server(self, url: str) -> None:
        """Remember ``url`` (it must carry no password; the keyring holds that, if anywhere)."""
        from qmsr_ready.core.server.url import display_location

        url = display_location(url).replace(":***@", "@")  # a password must never be stored
        items = [u for u in self.recent_servers() if u != url]
        self._set("server/recent", [url, *items][:MAX_RECENT])

    # -- table columns --------------------------------------------------------
    def column_choice(self, table: str) -> dict[str, bool]:
        """The columns the user chose to show (True) or hide (False) in ``table``, by header
        text; a column not named follows the table's default."""
        choice: dict[str, bool] = {}
        for item in _string_list(self._get(_column_key(table))):
            if len(item) > 1 and item[0] in "+-":
                choice[item[1:]] = item[0] == "+"
        return choice

    def set_column_choice(self, table: str, choice: Mapping[str, bool]) -> None:
        self._set(_column_key(table),
                  [("+" if shown else "-") + name for name, shown in choice.items()])

    # -- export ---------------------------------------------------------------
    def logo_path(self) -> str:
        return str(self._get("export/logo_path") or "")

    def set_logo_path(self, path: str) -> None:
        self._set("export/logo_path", str(path))

    def last_export_folder(self) -> str:
        return str(self._get("export/last_folder") or "")

    def set_last_export_folder(self, path: str) -> None:
        self._set("export/last_folder", str(path))


def _default(key: str) -> object:
    if key in _KEYS:
        return _KEYS[key]
    family, _, item = key.rpartition("/")
    if item and f"{family}/" in _KEY_FAMILIES:
        return _KEY_FAMILIES[f"{family}/"]
    raise KeyError(key)


def _column_key(table: str) -> str:
    """``columns/<table>``: one choice per table ("home", later "findings")."""
    if not _TABLE_KEY.fullmatch(table):
        raise KeyError(table)
    return f"columns/{table}"


def _string_list(value: object) -> list[str]:
    """A stored list of strings; QSettings returns a bare string for a one-item list."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    return []
