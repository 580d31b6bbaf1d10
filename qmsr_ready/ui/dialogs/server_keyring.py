"""The remembered password: the platform keyring (``keyring``, the optional ``server`` extra).

Split out of ``connect_server``: the password is kept only here, one entry per user on one
database, never in a remembered URL; without a usable keyring nothing is saved and the dialog
asks each time.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    pass

from qmsr_ready.ui.dialogs.server_target import ServerTarget

log = logging.getLogger(__name__)

KEYRING_SERVICE = "qmsr-ready"


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
