"""What a user sees when a server workspace cannot be used, each in one actionable line."""

from __future__ import annotations

from qmsr_ready.core.errors import QmsrError


class ServerError(QmsrError):
    """Base of every failure to use a workspace on a PostgreSQL server."""


class ServerUnreachable(ServerError):  # noqa: N818 (name fixed by the API contract)
    """The server did not answer (down, wrong host or port, no network, firewall)."""

    def __init__(self, host: str, port: int, reason: str = "") -> None:
        why = f" ({reason})" if reason else ""
        super().__init__(
            f"Cannot reach the database server {host}:{port}{why}. Check the host, port and "
            "network, or work in a local file and merge it into the server later."
        )
        self.host = host
        self.port = port


class ServerAuthFailed(ServerError):  # noqa: N818 (name fixed by the API contract)
    """The server refused the user name or password (or the TLS settings)."""


class ServerNotMigrated(ServerError):  # noqa: N818 (name fixed by the API contract)
    """The database holds an older schema (or none) and this role may not upgrade it."""


class ServerDatabaseMissing(ServerError):  # noqa: N818 (named like the others)
    """The server answered but has no database of that name."""


class ServerTlsFailed(ServerError):  # noqa: N818 (named like the others)
    """The server answered but TLS could not be agreed (not offered, or its certificate)."""
