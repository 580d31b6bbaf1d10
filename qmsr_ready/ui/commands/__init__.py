"""Undo commands: every user edit is a QUndoCommand that calls a core service."""
