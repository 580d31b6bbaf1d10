"""Frozen read views: core reads the workspace, the GUI only displays what it gets back.

Each module here owns the reads behind one screen (checklist, audit trail, undo steps…) and
returns frozen dataclasses or plain values, never live ORM rows, so a widget cannot hold an
instance that expires after the next commit. ``Session`` is named here so the GUI can type the
unit of work it hands to core without importing SQLAlchemy (an import-linter contract).
"""

from sqlalchemy.orm import Session as Session
