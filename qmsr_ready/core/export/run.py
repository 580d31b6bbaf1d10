"""One export, written once: the steps the CLI and the export dialog both take.

Refuse nothing to export, a folder, one file for both packs, the workspace or its companions and
a file of the wrong kind (``check_targets``); build the report once; write every requested pack
to a temporary file and move them into place together (progress and cancel included: a stop
replaces nothing); hash what was written; record the packs as sent in the audit trail
(``core.exchange.exports``), which never fails the export: a pack that could not be recorded
is named in ``ExportOutcome.problem``.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qmsr_ready.core.errors import InvalidInput, QmsrError
from qmsr_ready.core.export.api import write_packs
from qmsr_ready.core.export.atomic import real_path, refused_message
from qmsr_ready.core.export.options import ExportOptions
from qmsr_ready.core.export.progress import NullProgress, Progress

if TYPE_CHECKING:
    from qmsr_ready.core.db import Workspace
    from qmsr_ready.core.report.model import ReadinessReport
    from qmsr_ready.core.report.verdict import Verdict

KINDS = ("xlsx", "pdf")
NOTHING_TO_EXPORT = "Nothing to export: choose the Excel workbook, the PDF or both."
SAME_FILE = "The workbook and the PDF name the same file; they need different file names."
SUFFIXES = {"xlsx": ".xlsx", "pdf": ".pdf"}
_NAMES = {"xlsx": "Excel workbook", "pdf": "PDF report"}


def folder_given(text: str) -> str:
    """The message for a target that names a folder where a pack file is needed."""
    return f"{text} is a folder; give a file name in it."


def pack_target(text: str | os.PathLike[str]) -> Path:
    """A pack's target path as typed; ``InvalidInput`` when it names a folder.

    A trailing separator (the folder may not exist yet) or an existing folder is refused here,
    before any report is built.
    """
    raw = os.fspath(text).strip()
    path = Path(raw).expanduser()
    if raw.endswith(("/", os.sep)) or path.is_dir():
        raise InvalidInput(folder_given(raw))
    return path


def check_targets(
    xlsx: Path | None, pdf: Path | None,
    workspace: Workspace | str | os.PathLike[str] | None = None,
) -> None:
    """Refuse a choice of targets before anything is built (``InvalidInput``, one line).

    The one check the CLI and the export dialog share: nothing chosen; one file named for both
    packs; a target that is, or links to, the workspace or one of its companions (-wal, -shm,
    -journal, .lock, its backups: replacing the -wal loses saved changes, the lock lets a
    second writer in); a target whose name does not end in the pack's own suffix.
    """
    if xlsx is None and pdf is None:
        raise InvalidInput(NOTHING_TO_EXPORT)
    if xlsx is not None and pdf is not None and \
            xlsx.expanduser().resolve() == pdf.expanduser().resolve():
        raise InvalidInput(SAME_FILE)
    files = workspace_files(workspace)
    for kind, path in (("xlsx", xlsx), ("pdf", pdf)):
        if path is None:
            continue
        path = path.expanduser()
        for ws_file in files or (None,):
            message = refused_message(path, ws_file)
            if message:
                raise InvalidInput(message)
        suffix = SUFFIXES[kind]
        for name in {path.name, real_path(path).name}:
            if not name.lower().endswith(suffix) or name.lower() == suffix:
                raise InvalidInput(
                    f"Cannot export the {_NAMES[kind]} to {name}: its file name must end in "
                    f"{suffix}. Choose a name like {Path(name).stem or 'pack'}{suffix}."
                )


def workspace_files(source: Workspace | str | os.PathLike[str] | None) -> tuple[Path, ...]:
    """The files a workspace is kept in (as opened, and the file SQLite has open), so their
    companions can be told apart; none for a server database."""
    from qmsr_ready.core.db import Workspace
    from qmsr_ready.core.server.url import is_server_url

    if source is None:
        return ()
    if isinstance(source, Workspace):
        if source.is_server:
            return ()
        files = [source.path]
        if source.database_file is not None:
            files.append(source.database_file)
        return tuple(files)
    if is_server_url(source):
        return ()
    return (Path(source).expanduser(),)


@dataclass(frozen=True)
class WrittenPack:
    """One pack on disk: which kind, where (resolved), its size and SHA-256."""

    kind: str
    path: Path
    size: int
    sha256: str


@dataclass(frozen=True)
class ExportOutcome:
    """What one export did: the report the packs show, the files, and whether sent is recorded."""

    report: ReadinessReport
    files: tuple[WrittenPack, ...]
    verdict: Verdict
    problem: str  # "" when every pack was recorded as sent, else one line saying why not

    @property
    def recorded(self) -> bool:
        return bool(self.files) and not self.problem


def run_export(
    source: Workspace | str | os.PathLike[str],
    code: str,
    *,
    xlsx: str | os.PathLike[str] | None = None,
    pdf: str | os.PathLike[str] | None = None,
    options: ExportOptions | Mapping[str, ExportOptions] | None = None,
    progress: Progress | None = None,
    actor: str | None = None,
) -> ExportOutcome:
    """Build the report of ``code`` once, write the requested packs, record them as sent.

    ``source`` is an open ``Workspace`` (the GUI: read and recorded through it, nothing when it
    is read-only) or a workspace path or server URL (the CLI: opened read-only to build, then
    briefly for writing to record, so it works while the GUI holds the file). ``options`` is one
    set for both packs or one per kind (``{"xlsx": ..., "pdf": ...}``). Raises ``InvalidInput``
    before building anything for a bad choice of targets, ``Cancelled`` when ``progress`` asks
    to stop (no half file is left), and any ``QmsrError`` of the build or a renderer.
    """
    from qmsr_ready.core.audit import default_actor
    from qmsr_ready.core.report.verdict import readiness_verdict

    targets = {kind: None if path is None else pack_target(path)
               for kind, path in (("xlsx", xlsx), ("pdf", pdf))}
    check_targets(targets["xlsx"], targets["pdf"], source)
    progress = progress or NullProgress()
    report = _build(source, code)
    chosen = {kind: path for kind, path in targets.items() if path is not None}
    files_of = workspace_files(source)
    write_packs(report, chosen, progress, {k: _options_for(options, k) for k in chosen},
                files_of[0] if files_of else None)
    files = tuple(WrittenPack(kind, path.resolve(), path.stat().st_size, _sha256(path))
                  for kind, path in chosen.items())
    problem = _record(source, report.inspection.code, files, default_actor(actor),
                      report.audit.head_hash)
    return ExportOutcome(report, files, readiness_verdict(report), problem)


def _options_for(
    options: ExportOptions | Mapping[str, ExportOptions] | None, kind: str
) -> ExportOptions:
    if options is None:
        return ExportOptions()
    if isinstance(options, ExportOptions):
        return options
    return options.get(kind) or ExportOptions()


def _build(source: Workspace | str | os.PathLike[str], code: str) -> ReadinessReport:
    from qmsr_ready.core.db import Workspace, open_workspace
    from qmsr_ready.core.report.build import build_report

    if isinstance(source, Workspace):
        with source.session() as session:
            return build_report(session, code)
    with open_workspace(source, read_only=True) as ws, ws.session() as session:
        return build_report(session, code)


def _record(
    source: Workspace | str | os.PathLike[str], code: str, files: tuple[WrittenPack, ...],
    actor: str, built_from: str,
) -> str:
    """Audit each pack as sent ("last sent", "changed since"); one line when it could not be."""
    from qmsr_ready.core.db import Workspace
    from qmsr_ready.core.exchange.exports import record_export, record_exports_in_file
    from qmsr_ready.core.server.url import mask_passwords

    if not files:
        return ""
    if not isinstance(source, Workspace):
        return record_exports_in_file(source, actor, code, [(f.kind, f.path) for f in files],
                                      built_from)
    names = ", ".join(f.path.name for f in files)
    if source.read_only:
        return f"{names} not recorded as sent: the workspace is open read-only."
    try:
        with source.begin() as session:
            for f in files:
                record_export(session, actor, code, f.kind, f.path, f.sha256, built_from)
    except QmsrError as exc:
        return f"{names} not recorded as sent: {mask_passwords(exc.message)}"
    return ""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
