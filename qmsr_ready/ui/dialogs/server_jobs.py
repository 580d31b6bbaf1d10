"""Opening, creating or checking a server workspace: the jobs the connect dialog runs on a worker.

Split out of ``connect_server``: each job runs off the GUI thread and touches no widget; a
database that holds no workspace yet is told apart from one that does, so the dialog can offer
to create one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qmsr_ready.core.errors import NotAWorkspace, QmsrError
from qmsr_ready.core.server.url import display_location

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace

from qmsr_ready.ui.dialogs.server_target import ServerTarget, url_with_password


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
