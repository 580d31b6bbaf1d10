"""The connect dialog's fields: recent servers, host, port, database, user, password, TLS, CA.

Split out of ``connect_server``: the form reads a ``ServerTarget`` from its fields and shows one
in them; the dialog around it decides what to do with it (connect, remember, report). The
password field is only ever filled by the dialog (from the keyring or a URL given), never shown.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from qmsr_ready.ui.dialogs.server_target import DEFAULT_PORT, TLS_MODES, ServerTarget


class ServerForm(QFormLayout):
    """One row per field, in tab order; the dialog adds it to its own layout (its parent)."""

    def __init__(self, recent_urls: list[str], has_keyring: bool) -> None:
        super().__init__()
        self.recent = QComboBox()
        self.recent.setAccessibleName("Recent servers")
        for url in recent_urls:
            self.recent.addItem(url, url)
        self.recent.setEnabled(self.recent.count() > 0)
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
        if not has_keyring:
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

        self.addRow("&Recent", self.recent)
        self.addRow("&Host", self.host)
        self.addRow("&Port", self.port)
        self.addRow("&Database", self.database)
        self.addRow("&User", self.user)
        self.addRow("Pass&word", self.password)
        self.addRow("", self.remember)
        self.addRow("&TLS", self.tls)
        self.addRow("CA file", ca_row)  # a row of two widgets: no mnemonic buddy
        self._update_ca()

    def _update_ca(self) -> None:
        uses_ca = self.tls.currentData() in ("require", "verify-full")
        self.ca_file.setEnabled(uses_ca)
        self.ca_browse.setEnabled(uses_ca)

    def target(self) -> ServerTarget:
        return ServerTarget(
            host=self.host.text().strip(), port=self.port.value(),
            database=self.database.text().strip(), user=self.user.text().strip(),
            sslmode=str(self.tls.currentData()),
            sslrootcert=self.ca_file.text().strip() if self.ca_file.isEnabled() else "",
        )

    def show_target(self, target: ServerTarget) -> None:
        """Show a target's fields (not a password: the dialog fills that)."""
        self.host.setText(target.host)
        self.port.setValue(target.port)
        self.database.setText(target.database)
        self.user.setText(target.user)
        self.tls.setCurrentIndex(max(0, self.tls.findData(target.sslmode)))
        self.ca_file.setText(target.sslrootcert)

    def _on_ca_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parentWidget(), "CA certificate", self.ca_file.text(),
            "Certificates (*.crt *.pem *.cer);;All files (*)",
        )
        if path:
            self.ca_file.setText(path)
