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
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qmsr_ready.core.errors import NotAWorkspace, QmsrError
from qmsr_ready.core.server.url import display_location, mask_passwords, url_fields
from qmsr_ready.ui.presentation import MARGIN

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace
    from qmsr_ready.ui.context import AppContext

log = logging.getLogger(__name__)

KEYRING_SERVICE = "qmsr-ready"
DEFAULT_PORT = 5432
TLS_MODES = (
    ("prefer", "Prefer TLS (use it when the server offers it)"),
    ("require", "Require TLS (encrypted, server not verified)"),
    ("verify-full", "Verify the server (encrypted, certificate and host name checked)"),
    ("disable", "No TLS (only on a trusted network)"),
)


@dataclass(frozen=True)
class ServerTarget:
    """Where a server workspace is: everything but the password."""

    host: str
    port: int
    database: str
    user: str
    sslmode: str = "prefer"
    sslrootcert: str = ""

    def url(self) -> str:
        """``postgresql+psycopg://USER@HOST:PORT/DB?sslmode=…`` (never with a password)."""
        from qmsr_ready.core.server.url import build_server_url

        return build_server_url(self.host, self.port, self.database, self.user, self.sslmode,
                                self.sslrootcert)

    @classmethod
    def from_url(cls, text: str) -> ServerTarget:
        """Read a remembered URL back into fields (``BadServerUrl`` if it is not one)."""
        fields = url_fields(text)
        return cls(host=str(fields["host"]), port=int(fields["port"]),
                   database=str(fields["database"]), user=str(fields["user"]),
                   sslmode=str(fields["sslmode"]), sslrootcert=str(fields["sslrootcert"]))

    @property
    def keyring_user(self) -> str:
        """The keyring entry's name: one password per user on one database."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


# -- the system keyring (optional) ------------------------------------------------------
def keyring_backend() -> Any | None:
    """The platform keyring when one is usable, else None (no package, or no backend)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration is "no keyring", not a crash
        log.info("no usable keyring: %s", type(exc).__name__)
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return backend


def saved_password(target: ServerTarget) -> str | None:
    backend = keyring_backend()
    if backend is None:
        return None
    try:
        value = backend.get_password(KEYRING_SERVICE, target.keyring_user)
    except Exception as exc:
        log.warning("reading the keyring failed: %s", type(exc).__name__)
        return None
    return str(value) if value else None


def remember_password(target: ServerTarget, password: str, remember: bool) -> str:
    """Store (or, unticked, forget) the password; "" or one line saying why it was not."""
    backend = keyring_backend()
    if backend is None:
        return "No system keyring: the password was not saved." if remember else ""
    try:
        if remember:
            backend.set_password(KEYRING_SERVICE, target.keyring_user, password)
        elif backend.get_password(KEYRING_SERVICE, target.keyring_user) is not None:
            backend.delete_password(KEYRING_SERVICE, target.keyring_user)
    except Exception as exc:
        log.warning("the keyring refused: %s", type(exc).__name__)
        return "The system keyring refused to save the password; it will be asked next time."
    return ""


def masked(message: str, password: str) -> str:
    """``message`` with URL passwords and any occurrence of this one replaced."""
    message = mask_passwords(message)
    return message.replace(password, "***") if password else message


def empty_message(target: ServerTarget) -> str:
    """What the dialog says about a database that holds no workspace yet."""
    return (f"The database {target.database} on {target.host}:{target.port} holds no QMSR "
            "Ready workspace yet. Create a new, empty one here? Its owner must have run "
            "'qmsr-ready server init URL --editor ROLE' first (or can copy a workspace file in "
            "with 'qmsr-ready copy FILE URL').")


def _holds_workspace(ws: Workspace) -> bool:
    """False for a database at the current schema that was never given a workspace (the state
    ``server init`` leaves it in): its workspace_info has no workspace_id yet."""
    return bool(ws.workspace_id)


def open_server_job(target: ServerTarget, password: str, actor: str) -> Workspace | None:
    """Open the server workspace (runs on a worker thread); None when the database holds no
    workspace yet, so the dialog can offer to create one."""
    from qmsr_ready.core.db import open_workspace

    try:
        ws = open_workspace(target.url(), password=password or None, actor=actor)
    except NotAWorkspace:  # from a server: it has no tables at all
        return None
    if not _holds_workspace(ws):
        ws.close()
        return None
    return ws


def create_server_job(target: ServerTarget, password: str, actor: str) -> Workspace:
    """Create a new workspace in the empty database (runs on a worker thread). A role that may
    not create tables gets core's one line naming the owner's ``server init``."""
    from qmsr_ready.core.db import open_workspace

    return open_workspace(target.url(), create=True, password=password or None, actor=actor)


def check_merge_source_job(target: ServerTarget, password: str) -> str:
    """Open the database read-only to check the login and that it holds a workspace (runs on a
    worker thread); the URL to merge from, with the password for the merge's own connection."""
    from qmsr_ready.core.db import open_workspace

    try:
        ws = open_workspace(target.url(), read_only=True, password=password or None)
    except NotAWorkspace:
        ws = None
    if ws is not None:
        holds = _holds_workspace(ws)
        ws.close()
        if holds:
            return url_with_password(target.url(), password)
    raise QmsrError(f"{display_location(target.url())} holds no QMSR Ready workspace yet; "
                    "there is nothing to merge from it.")


def url_with_password(url: str, password: str) -> str:
    """``url`` carrying ``password`` (kept in memory only: never shown, logged or remembered)."""
    from qmsr_ready.core.server.url import parse_server_url

    if not password:
        return url
    return parse_server_url(url, password).render_as_string(hide_password=False)


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
        self.recent = QComboBox()
        self.recent.setAccessibleName("Recent servers")
        for url in self._ctx.settings.recent_servers():
            self.recent.addItem(url, url)
        self.recent.setEnabled(self.recent.count() > 0)
        self.recent.activated.connect(self._on_recent_activated)
        self.host = QLineEdit()
        self.host.setAccessibleName("Host")
        self.host.setPlaceholderText("db.example.internal")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setAccessibleName("Port")
        self.database = QLineEdit()
        self.database.setAccessibleName("Database")
        self.database.setPlaceholderText("qmsr")
        self.user = QLineEdit()
        self.user.setAccessibleName("User")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.remember = QCheckBox("Remember the password in the system keyring")
        self.has_keyring = keyring_backend() is not None
        if not self.has_keyring:
            self.remember.setEnabled(False)
            self.remember.setText("No system keyring on this computer: the password is asked "
                                  "each time")
        self.tls = QComboBox()
        self.tls.setAccessibleName("TLS")
        for mode, label in TLS_MODES:
            self.tls.addItem(label, mode)
        self.tls.currentIndexChanged.connect(self._update_ca)
        self.ca_file = QLineEdit()
        self.ca_file.setAccessibleName("CA certificate file")
        self.ca_file.setPlaceholderText("The server's CA certificate (.crt or .pem)")
        self.ca_browse = QPushButton("Browse…")
        self.ca_browse.clicked.connect(self._on_ca_browse_clicked)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.ca_browse)

        form = QFormLayout()
        form.addRow("&Recent", self.recent)
        form.addRow("&Host", self.host)
        form.addRow("&Port", self.port)
        form.addRow("&Database", self.database)
        form.addRow("&User", self.user)
        form.addRow("Pass&word", self.password)
        form.addRow("", self.remember)
        form.addRow("&TLS", self.tls)
        form.addRow("CA file", ca_row)  # a row of two widgets: no mnemonic buddy

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
        self._update_ca()

    def _update_ca(self) -> None:
        uses_ca = self.tls.currentData() in ("require", "verify-full")
        self.ca_file.setEnabled(uses_ca)
        self.ca_browse.setEnabled(uses_ca)

    # -- values -----------------------------------------------------------------------------
    def target(self) -> ServerTarget:
        return ServerTarget(
            host=self.host.text().strip(), port=self.port.value(),
            database=self.database.text().strip(), user=self.user.text().strip(),
            sslmode=str(self.tls.currentData()),
            sslrootcert=self.ca_file.text().strip() if self.ca_file.isEnabled() else "",
        )

    def fill(self, target: ServerTarget) -> None:
        """Show a target's fields and its saved password, if the keyring has one."""
        self.host.setText(target.host)
        self.port.setValue(target.port)
        self.database.setText(target.database)
        self.user.setText(target.user)
        self.tls.setCurrentIndex(max(0, self.tls.findData(target.sslmode)))
        self.ca_file.setText(target.sslrootcert)
        password = saved_password(target)
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
                lambda _progress: check_merge_source_job(target, password),
                on_result=lambda url: self._on_merge_source(target, password, url),
                on_error=self._on_open_failed,
            )
            return
        self._job = self._ctx.workers.start(
            lambda _progress: open_server_job(target, password, actor),
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
            lambda _progress: create_server_job(target, password, actor),
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
        note = remember_password(target, password, self.remember.isChecked())
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

    def _on_ca_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "CA certificate", self.ca_file.text(),
            "Certificates (*.crt *.pem *.cer);;All files (*)",
        )
        if path:
            self.ca_file.setText(path)

    def _on_local_button_clicked(self) -> None:
        self.wants_local_file = True
        self.reject()

    def reject(self) -> None:
        # A connection already under way cannot be interrupted; it is closed when it lands
        # (cancelling the job would drop the opened workspace without closing it).
        self._gave_up = True
        super().reject()
