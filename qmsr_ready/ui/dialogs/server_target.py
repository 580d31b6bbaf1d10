"""Where a server workspace is (everything but the password), and keeping the password unseen.

Split out of ``connect_server``: the target, its URL without a password, the URL with one (in
memory only) and masking a password out of a message are shared by the form, the keyring store
and the connection jobs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qmsr_ready.core.server.url import mask_passwords, url_fields

if TYPE_CHECKING:
    pass



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


def masked(message: str, password: str) -> str:
    """``message`` with URL passwords and any occurrence of this one replaced."""
    message = mask_passwords(message)
    return message.replace(password, "***") if password else message


def url_with_password(url: str, password: str) -> str:
    """``url`` carrying ``password`` (kept in memory only: never shown, logged or remembered)."""
    from qmsr_ready.core.server.url import parse_server_url

    if not password:
        return url
    return parse_server_url(url, password).render_as_string(hide_password=False)
