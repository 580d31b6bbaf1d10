"""File ▸ Connect to server: open a team workspace on a PostgreSQL server.

The password lives only in this dialog's field while it is open and, if the user asks, in the
platform keyring (``keyring``, the optional ``server`` extra). It is never put in the URL that is
remembered, shown or logged: the recent-server list and the window title carry the URL without
it, and an error message that somehow quoted it has it masked before it is shown. Without a
usable keyring the checkbox says so and the password is asked each time.

Opening runs on a worker (a slow or silent server never freezes the window); a failure shows one
line in the dialog, and an unreachable server offers to keep working in a local file and merge
it into the server later. A database that holds no workspace yet (no tables, or initialised by
its owner but never used) offers to create one there.

The same dialog picks the server of File ▸ Merge from server (``purpose="merge"``): it checks the
login by opening the database read-only and hands back the URL to merge from.

This module is the form; the target and password masking live in ``server_target``, the keyring
in ``server_keyring``, the worker jobs in ``server_jobs`` (patch them there in tests).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.server.url import url_fields
from qmsr_ready.ui.dialogs import server_jobs, server_keyring
from qmsr_ready.ui.dialogs.server_form import ServerForm
from qmsr_ready.ui.dialogs.server_jobs import (
    check_merge_source_job,
    create_server_job,
    open_server_job,
)
from qmsr_ready.ui.dialogs.server_keyring import (
    KEYRING_SERVICE,
    keyring_backend,
    remember_password,
    saved_password,
)
from qmsr_ready.ui.dialogs.server_target import (
    DEFAULT_PORT,
    TLS_MODES,
    ServerTarget,
    masked,
    url_with_password,
)
from qmsr_ready.ui.presentation import MARGIN

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace
    from qmsr_ready.ui.context import AppContext

__all__ = [
    "DEFAULT_PORT",
    "KEYRING_SERVICE",
    "TLS_MODES",
    "ConnectServerDialog",
    "ServerTarget",
    "check_merge_source_job",
    "create_server_job",
    "empty_message",
    "keyring_backend",
    "masked",
    "open_server_job",
    "remember_password",
    "saved_password",
    "url_with_password",
]

log = logging.getLogger(__name__)


def empty_message(target: ServerTarget) -> str:
    """What the dialog says about a database that holds no workspace yet."""
    return (f"The database {target.database} on {target.host}:{target.port} holds no QMSR "
            "Ready workspace yet. Create a new, empty one here? Its owner must have run "
            "'qmsr-ready server init URL --editor ROLE' first (or can copy a workspace file in "
            "with 'qmsr-ready copy FILE URL').")


class ConnectServerDialog(QDialog):
    """Host, port, database, user, password, TLS; Open connects on a worker.

    ``purpose="merge"`` picks a server to merge from instead: Choose checks the login read-only
    and leaves the URL to merge from in ``merge_source``; nothing is opened for writing."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 purpose: str = "open") -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.for_merge = purpose == "merge"
        self.workspace: Workspace | None = None
        self.merge_source = ""  # merge: the URL with the password, in memory only
        self.wants_local_file = False
        self._job: Any = None
        self._gave_up = False
        self._empty_target: ServerTarget | None = None
        self._open_text = "Choose" if self.for_merge else "Open"
        self.setWindowTitle("Merge from a server workspace" if self.for_merge
                            else "Connect to a server workspace")
        self.setObjectName("connectServerDialog")
        self.setMinimumWidth(520)
        self._build()
        recent = ctx.settings.recent_servers()
        if recent:
            self._on_recent_activated(0)

    # -- layout -----------------------------------------------------------------------------
    def _build(self) -> None:
        self.has_keyring = server_keyring.keyring_backend() is not None
        form = ServerForm(self._ctx.settings.recent_servers(), self.has_keyring)
        self._form = form
        self.recent, self.host, self.port = form.recent, form.host, form.port
        self.database, self.user, self.password = form.database, form.user, form.password
        self.remember, self.tls, self.ca_file = form.remember, form.tls, form.ca_file
        self.ca_browse = form.ca_browse
        self.recent.activated.connect(self._on_recent_activated)

        self.problem = QLabel()
        self.problem.setObjectName("connectProblem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.problem.setStyleSheet(
            "color: #B23A00; background: rgba(213,94,0,0.10); padding: 6px; border-radius: 4px;"
        )
        self.problem.hide()
        self.local_button = QPushButton("Work in a local file and merge later…")
        self.local_button.setObjectName("connectLocalFile")
        self.local_button.setToolTip("Open or create a workspace file now; File ▸ Merge "
                                     "workspace brings it into the server when it is back")
        self.local_button.clicked.connect(self._on_local_button_clicked)
        self.local_button.hide()
        self.create_button = QPushButton("Create a new workspace here")
        self.create_button.setObjectName("connectCreateWorkspace")
        self.create_button.setToolTip("Make this empty database a new, empty team workspace "
                                      "(audited as created by you)")
        self.create_button.clicked.connect(self.create_now)
        self.create_button.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.open_button.setText(self._open_text)
        self.buttons.accepted.connect(self.connect_now)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        if self.for_merge:
            intro = QLabel("The current inspection is merged from this server workspace into "
                           "the one open now, after a preview. The server is only read.")
            intro.setObjectName("connectMergeIntro")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.local_button)
        layout.addWidget(self.create_button)
        layout.addWidget(self.buttons)

    # -- values -----------------------------------------------------------------------------
    def target(self) -> ServerTarget:
        return self._form.target()

    def fill(self, target: ServerTarget) -> None:
        """Show a target's fields and its saved password, if the keyring has one."""
        self._form.show_target(target)
        password = server_keyring.saved_password(target)
        self.password.setText(password or "")
        self.remember.setChecked(password is not None)

    def fill_from_url(self, text: str) -> bool:
        """Show a URL given on the command line (``gui URL``); True when it is ready to connect
        (the URL or the keyring gave a password). The password is never shown or kept."""
        try:
            fields = url_fields(text)
            self.fill(ServerTarget.from_url(text))
        except QmsrError as exc:
            self.show_problem(exc.message)
            return False
        if fields["password"]:
            self.password.setText(str(fields["password"]))
        return bool(self.password.text())

    def show_problem(self, message: str, *, offer_local: bool = False,
                     offer_create: bool = False) -> None:
        self.problem.setText(masked(message, self.password.text()))
        self.problem.setVisible(bool(message))
        self.local_button.setVisible(offer_local and not self.for_merge)
        self.create_button.setVisible(offer_create and not self.for_merge)

    # -- actions ----------------------------------------------------------------------------
    def connect_now(self) -> None:
        """Check the fields, then open on a worker; the dialog closes when it is open."""
        target = self.target()
        missing = [name for name, value in (("host", target.host), ("database", target.database),
                                            ("user", target.user)) if not value]
        if missing:
            self.show_problem(f"Fill in the {' and '.join(missing)} to connect.")
            return
        if target.sslmode == "verify-full" and not target.sslrootcert:
            self.show_problem("Verifying the server needs its CA certificate file; choose it, "
                              "or pick another TLS mode.")
            return
        self.show_problem("")
        self._set_busy(True)
        password, actor = self.password.text(), self._ctx.actor
        if self.for_merge:
            self._job = self._ctx.workers.start(
                lambda _progress: server_jobs.check_merge_source_job(target, password),
                on_result=lambda url: self._on_merge_source(target, password, url),
                on_error=self._on_open_failed,
            )
            return
        self._job = self._ctx.workers.start(
            lambda _progress: server_jobs.open_server_job(target, password, actor),
            on_result=lambda ws: self._on_opened(target, password, ws),
            on_error=self._on_open_failed,
        )

    def create_now(self) -> None:
        """Create a workspace in the database found empty (fields changed since: check again)."""
        target = self.target()
        if target != self._empty_target:
            self.connect_now()
            return
        self.show_problem("")
        self._set_busy(True)
        password, actor = self.password.text(), self._ctx.actor
        self._job = self._ctx.workers.start(
            lambda _progress: server_jobs.create_server_job(target, password, actor),
            on_result=lambda ws: self._on_opened(target, password, ws),
            on_error=self._on_open_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self.open_button.setEnabled(not busy)
        self.open_button.setText("Connecting…" if busy else self._open_text)
        self.create_button.setEnabled(not busy)
        for widget in (self.host, self.port, self.database, self.user, self.password, self.tls):
            widget.setEnabled(not busy)

    def _on_opened(self, target: ServerTarget, password: str, ws: Workspace | None) -> None:
        self._job = None
        if self._gave_up:  # cancelled while connecting: let it go again
            if ws is not None:
                ws.close()
            return
        self._set_busy(False)
        if ws is None:  # reachable, login fine, but no workspace in it yet
            self._empty_target = target
            self.show_problem(empty_message(target), offer_create=True)
            return
        self._remember(target, password)
        self.workspace = ws
        self.accept()

    def _on_merge_source(self, target: ServerTarget, password: str, url: str) -> None:
        self._job = None
        if self._gave_up:
            return
        self._set_busy(False)
        self._remember(target, password)
        self.merge_source = url
        self.accept()

    def _remember(self, target: ServerTarget, password: str) -> None:
        note = server_keyring.remember_password(target, password, self.remember.isChecked())
        if note:
            log.info(note)
        self._ctx.settings.add_recent_server(target.url())

    def _on_open_failed(self, exc: BaseException) -> None:
        from qmsr_ready.core.server.errors import ServerUnreachable

        self._job = None
        if self._gave_up:
            return
        self._set_busy(False)
        if isinstance(exc, QmsrError):
            self.show_problem(exc.message, offer_local=isinstance(exc, ServerUnreachable))
        else:  # never str(exc): a driver message might quote the connection string
            log.error("opening a server workspace failed: %s", type(exc).__name__)
            self.show_problem(f"Could not open the server workspace ({type(exc).__name__}); "
                              "see the log for details.")

    def _on_recent_activated(self, index: int) -> None:
        url = self.recent.itemData(index)
        if not url:
            return
        try:
            self.fill(ServerTarget.from_url(str(url)))
        except QmsrError as exc:
            self.show_problem(exc.message)

    def _on_local_button_clicked(self) -> None:
        self.wants_local_file = True
        self.reject()

    def reject(self) -> None:
        # A connection already under way cannot be interrupted; it is closed when it lands
        # (cancelling the job would drop the opened workspace without closing it).
        self._gave_up = True
        super().reject()
