"""The stat and first 32 bytes of a workspace's ``-wal``, for the files' stamp (``damaged``).

The stamp is taken twice an autosave once a report has found the inspection clean (before the
write, to see an outside write that appends no event, and after its commit), and each took an
open, an fstat, a read and a close of the ``-wal``: four of the save's eleven system calls that
SQLite does not make, each several microseconds on a laptop's virtual disk (issue 9). Here one
descriptor stays open while the workspace is (``Workspace.close`` closes it) and a stamp is a
``stat`` of the name and a ``pread``: the descriptor is reopened whenever the name leads to
another file (the ``-wal`` is deleted when the last connection closes, and made again by the
next writer), so the bytes read are always those of the file the stat describes. Where there is
no ``os.pread`` (Windows), and once closed, each stamp opens the file as before.
"""

from __future__ import annotations

import contextlib
import os
import threading

__all__ = ["WalHeaderReader", "WalStamp"]

_HEADER = 32  # magic, version, page size, checkpoint sequence, salts, checksums
WalStamp = tuple[tuple[int, int, int] | None, bytes | None]


class WalHeaderReader:
    """``stamp()``: the ``-wal``'s (inode, size, mtime_ns) and header; ``(None, None)`` when
    there is no ``-wal``, a header of None when it cannot be read."""

    __slots__ = ("_closed", "_fd", "_file", "_lock", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: int | None = None
        self._file: tuple[int, int] | None = None  # (device, inode) of the open descriptor
        self._lock = threading.Lock()  # a report's worker and the autosave stamp at once
        self._closed = not hasattr(os, "pread")

    def stamp(self) -> WalStamp:
        try:
            st = os.stat(self.path)
        except OSError:
            self.close_descriptor()  # gone: the next one is another file
            return None, None
        stat = (st.st_ino, st.st_size, st.st_mtime_ns)
        with self._lock:
            if self._closed:
                return stat, _read_once(self.path, (st.st_dev, st.st_ino))
            if self._file != (st.st_dev, st.st_ino):
                self._close()
                try:
                    fd = os.open(self.path, os.O_RDONLY)
                except OSError:  # there but unreadable: its stat still stamps it
                    return stat, None
                opened = os.fstat(fd)
                self._fd, self._file = fd, (opened.st_dev, opened.st_ino)
                if self._file != (st.st_dev, st.st_ino):  # replaced between stat and open
                    stat = (opened.st_ino, opened.st_size, opened.st_mtime_ns)
            assert self._fd is not None
            try:
                return stat, os.pread(self._fd, _HEADER, 0)
            except OSError:
                self._close()
                return stat, None

    def close_descriptor(self) -> None:
        """Let go of the descriptor (a later stamp opens the file again)."""
        with self._lock:
            self._close()

    def close(self) -> None:
        """Let go of the descriptor for good: later stamps open the file each time."""
        with self._lock:
            self._close()
            self._closed = True

    def __del__(self) -> None:  # a workspace dropped without close(): no descriptor leaks
        fd = self._fd
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def _close(self) -> None:
        fd, self._fd, self._file = self._fd, None, None
        if fd is not None:
            os.close(fd)


def _read_once(path: str, expected: tuple[int, int]) -> bytes | None:
    """The header through a descriptor opened for this read (None: unreadable, or by now
    another file than the one stat described)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        opened = os.fstat(fd)
        if (opened.st_dev, opened.st_ino) != expected:
            return None
        return os.read(fd, _HEADER)  # just opened: from its start
    except OSError:
        return None
    finally:
        os.close(fd)
