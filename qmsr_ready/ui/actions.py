"""Every window action defined once: text, shortcut, icon, tip and the handler it triggers.

The main window builds them with ``build_actions`` and places them in menus; no other module
creates a ``QAction`` for these commands, so a shortcut or label is changed in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from qmsr_ready.ui.icons import icon

Shortcut = QKeySequence.StandardKey | str | None


@dataclass(frozen=True)
class ActionSpec:
    key: str
    text: str
    shortcut: Shortcut = None
    icon: str | None = None
    tip: str = ""
    checkable: bool = False



SPECS: tuple[ActionSpec, ...] = (
    ActionSpec("new_workspace", "&New workspace…", "Ctrl+Shift+N", "new",
               "Create a new, empty workspace file"),
    ActionSpec("open_workspace", "&Open workspace…", QKeySequence.StandardKey.Open, "open",
               "Open a workspace file (.qmsr)"),
    ActionSpec("connect_server", "Connect to &server…", None, "open",
               "Open the team workspace on a PostgreSQL server"),
    ActionSpec("backup", "Save a &copy / Back up…", QKeySequence.StandardKey.SaveAs, "save",
               "Write a consistent copy of the open workspace"),
    ActionSpec("close_workspace", "&Close workspace", QKeySequence.StandardKey.Close, None,
               "Close the open workspace"),
    ActionSpec("quit", "&Quit", QKeySequence.StandardKey.Quit, None, "Quit QMSR Ready"),
    ActionSpec("import_template", "&Import checklist template…", None, "checklist",
               "Validate a checklist template (YAML) and add it to your library"),
    ActionSpec("import_workbook", "Import &workbook…", "Ctrl+Shift+I", "open",
               "Bring a returned Excel pack back: preview every change, then apply or cancel"),
    ActionSpec("merge_workspace", "&Merge workspace…", None, "open",
               "Merge a colleague's workspace into the current inspection, with the same preview"),
    ActionSpec("merge_server", "Merge from ser&ver…", None, "open",
               "Merge the current inspection from a server workspace (e.g. the team database "
               "into your laptop file), with the same preview"),
    ActionSpec("display_name", "Your &name in the audit trail…", None, None,
               "Change the name written to the audit trail"),
    ActionSpec("new_inspection", "&New inspection…", QKeySequence.StandardKey.New, "new",
               "Plan a new mock inspection"),
    ActionSpec("sign_off", "&Sign off…", "Ctrl+Alt+S", "sign",
               "Sign the current inspection off; it becomes read-only. Sign-off cannot be "
               "undone; Reopen instead"),
    ActionSpec("reopen", "&Reopen…", None, "reopen",
               "Reopen a signed-off inspection with a reason. Reopening cannot be undone; sign "
               "off again instead"),
    ActionSpec("export", "&Export readiness pack…", "Ctrl+E", "export",
               "Export the Excel and PDF readiness packs"),
    ActionSpec("view_home", "&Home", "Ctrl+1", "home", "Inspections", True),
    ActionSpec("view_checklist", "&Checklist", "Ctrl+2", "checklist", "Checklist runner", True),
    ActionSpec("view_findings", "&Findings", "Ctrl+3", "findings", "Findings register", True),
    ActionSpec("view_dashboard", "&Dashboard", "Ctrl+4", "dashboard", "Readiness dashboard", True),
    ActionSpec("view_audit", "&Audit trail", "Ctrl+5", "audit", "Audit trail viewer", True),
    ActionSpec("view_requests", "&Requests", "Ctrl+6", "requests",
               "Inspection-day request log", True),
    ActionSpec("home_columns", "Inspection list co&lumns…", None, None,
               "Choose the columns of the inspections list (also: right-click its header)"),
    ActionSpec("about", "&About QMSR Ready", None, "app", ""),
)  # fmt: skip


class Actions:
    """The built actions, by key (``actions["open_workspace"]`` or ``actions.open_workspace``)."""

    def __init__(self, items: dict[str, QAction]) -> None:
        self._items = items

    def __getitem__(self, key: str) -> QAction:
        return self._items[key]

    def __getattr__(self, key: str) -> QAction:
        try:
            return self._items[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self) -> Iterator[QAction]:
        return iter(self._items.values())

    def keys(self) -> list[str]:
        return list(self._items)


def build_actions(parent: QWidget, handlers: Mapping[str, Callable[[], object]]) -> Actions:
    """Create one ``QAction`` per spec, parented to ``parent`` and connected to its handler."""
    items: dict[str, QAction] = {}
    for spec in SPECS:
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{spec.key}")
        if spec.shortcut is not None:
            action.setShortcut(QKeySequence(spec.shortcut))
        if spec.icon:
            action.setIcon(icon(spec.icon))
        if spec.tip:
            action.setStatusTip(spec.tip)
            action.setToolTip(spec.tip)
        action.setCheckable(spec.checkable)
        handler = handlers.get(spec.key)
        if handler is not None:
            action.triggered.connect(lambda _checked=False, h=handler: h())
        items[spec.key] = action
    return Actions(items)
