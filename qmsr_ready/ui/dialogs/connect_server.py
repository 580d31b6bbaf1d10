"""File ▸ Connect to server: open a team workspace on a PostgreSQL server.

The password lives only in this dialog's field while it is open and, if the user asks, in the
platform keyring (``keyring``, the optional ``server`` extra). It is never put in the URL that is
remembered, shown or logged: the recent-server list and the window title carry the URL without
it, and an error message that somehow quoted it has it masked before it is shown. Without a
usable keyring the checkbox says so and the password is asked each time.

Opening runs on a worker (a slow or silent server never freezes the window); a failure shows one
line in the dialog, and an unreachable server offers to keep working in a local file and merge
it into the server later.
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

from qmsr_ready.core.errors import QmsrError
from qmsr_ready.core.server.url import mask_passwords, url_fields
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


def open_server_job(target: ServerTarget, password: str, actor: str) -> Workspace:
    """Open the server workspace (runs on a worker thread)."""
    from qmsr_ready.core.db import open_workspace

    return open_workspace(target.url(), password=password or None, actor=actor)


class ConnectServerDialog(QDialog):
    """Host, port, database, user, password, TLS; Open connects on a worker."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.workspace: Workspace | None = None
        self.wants_local_file = False
        self._job: Any = None
        self._gave_up = False
        self.setWindowTitle("Connect to a server workspace")
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
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.buttons.accepted.connect(self.connect_now)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN, MARGIN, MARGIN, MARGIN)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.local_button)
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

    def show_problem(self, message: str, *, offer_local: bool = False) -> None:
        self.problem.setText(masked(message, self.password.text()))
        self.problem.setVisible(bool(message))
        self.local_button.setVisible(offer_local)

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
        self._job = self._ctx.workers.start(
            lambda _progress: open_server_job(target, password, actor),
            on_result=lambda ws: self._on_opened(target, password, ws),
            on_error=self._on_open_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self.open_button.setEnabled(not busy)
        self.open_button.setText("Connecting…" if busy else "Open")
        for widget in (self.host, self.port, self.database, self.user, self.password, self.tls):
            widget.setEnabled(not busy)

    def _on_opened(self, target: ServerTarget, password: str, ws: Workspace) -> None:
        self._job = None
        if self._gave_up:  # cancelled while connecting: let it go again
            ws.close()
            return
        self._set_busy(False)
        note = remember_password(target, password, self.remember.isChecked())
        if note:
            log.info(note)
        self._ctx.settings.add_recent_server(target.url())
        self.workspace = ws
        self.accept()

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
