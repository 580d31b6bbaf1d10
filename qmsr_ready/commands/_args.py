"""Wording of the arguments many commands share, written once so the help texts agree."""

from __future__ import annotations

SERVER_URL_FORM = "postgresql+psycopg://USER@HOST[:PORT]/DB"
WORKSPACE_HELP = f"a .qmsr workspace file or a server URL ({SERVER_URL_FORM})"
FILE_ONLY_HELP = "a .qmsr workspace file"
