"""The template library: built-in templates plus the user's own, versioned and hashed.

Built-ins come from ``resources/checklists/*.yaml`` (``_parts/`` holds fragments and is skipped);
user templates live in ``paths.user_templates_dir()``. A template is identified by key + version
and its content hash; an inspection keeps the snapshot it started from, and a newer version is
only ever offered for new inspections.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qmsr_ready.core.errors import TemplateInvalid
from qmsr_ready.core.library.loader import TemplateIssue, TemplateValidationError, load_file
from qmsr_ready.core.paths import user_templates_dir
from qmsr_ready.core.resources import resource_path
from qmsr_ready.core.template_content import TemplateSnapshot, content_sha256


def version_key(version: str) -> tuple[int, ...]:
    """Sort key for versions such as ``2026.11``: numeric, part by part."""
    return tuple(int(p) for p in re.findall(r"\d+", version))


@dataclass(frozen=True)
class LoadedTemplate:
    """One valid template file in the library."""

    key: str
    version: str
    title: str
    content: dict[str, Any]
    sha256: str
    path: Path
    builtin: bool

    @classmethod
    def from_content(cls, content: dict[str, Any], path: Path, builtin: bool) -> LoadedTemplate:
        return cls(
            key=str(content["key"]),
            version=str(content["version"]),
            title=str(content["title"]),
            content=content,
            sha256=content_sha256(content),
            path=path,
            builtin=builtin,
        )

    def snapshot(self) -> TemplateSnapshot:
        """What a new inspection stores: the content and its hash."""
        return TemplateSnapshot(self.key, self.version, self.title, self.content, self.sha256)


@dataclass
class Catalogue:
    """Every template found in the built-in and user folders, plus files that failed to load."""

    builtin_dir: Path | None = None
    user_dir: Path | None = None
    templates: list[LoadedTemplate] = field(default_factory=list)
    problems: list[TemplateIssue] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.builtin_dir is None:
            self.builtin_dir = resource_path("checklists")
        if self.user_dir is None:
            self.user_dir = user_templates_dir()
        self.reload()

    def reload(self) -> None:
        """Re-read both folders. A broken user file is reported, never fatal."""
        self.templates, self.problems = [], []
        seen: dict[tuple[str, str], LoadedTemplate] = {}
        for folder, builtin in ((self.builtin_dir, True), (self.user_dir, False)):
            for path in _template_files(folder):
                result = load_file(path)
                if not result.ok or result.content is None:
                    self.problems += result.issues
                    continue
                loaded = LoadedTemplate.from_content(result.content, path, builtin)
                clash = seen.get((loaded.key, loaded.version))
                if clash is not None:
                    if clash.sha256 != loaded.sha256:
                        self.problems.append(_clash_issue(loaded, clash))
                    continue
                seen[(loaded.key, loaded.version)] = loaded
                self.templates.append(loaded)
        self.templates.sort(key=lambda t: (t.key, version_key(t.version)))

    def get(self, key: str, version: str | None = None) -> LoadedTemplate:
        """A template by key (latest version unless ``version`` is given)."""
        matches = [t for t in self.templates if t.key == key]
        if version is not None:
            matches = [t for t in matches if t.version == version]
        if not matches:
            wanted = f"{key} {version}" if version else key
            raise TemplateInvalid(f"No template {wanted} in the library.")
        return max(matches, key=lambda t: version_key(t.version))

    def latest(self) -> list[LoadedTemplate]:
        """The newest version of each key, for "start a new inspection"."""
        best: dict[str, LoadedTemplate] = {}
        for t in self.templates:
            if t.key not in best or version_key(t.version) > version_key(best[t.key].version):
                best[t.key] = t
        return sorted(best.values(), key=lambda t: t.key)

    def newer_version_available(self, snapshot: TemplateSnapshot) -> LoadedTemplate | None:
        """The latest library version of a snapshot's key if newer; offer it for NEW inspections."""
        return self.newer_than(snapshot.key, snapshot.version)

    def newer_than(self, key: str, version: str) -> LoadedTemplate | None:
        """The latest library version of ``key`` if it is newer than ``version``."""
        candidates = [t for t in self.templates if t.key == key]
        if not candidates:
            return None
        newest = max(candidates, key=lambda t: version_key(t.version))
        if version_key(newest.version) > version_key(version):
            return newest
        return None

    def import_template(self, source: str | Path) -> LoadedTemplate:
        """Validate a template file and copy it into the user folder.

        Refuses an invalid file, and a file whose key + version already exists with different
        content (bump the version instead). Importing identical content again is a no-op.
        """
        src = Path(source)
        result = load_file(src)
        if not result.ok or result.content is None:
            raise TemplateValidationError(result.issues)
        incoming = LoadedTemplate.from_content(result.content, src, builtin=False)
        builtin_keys = {t.key for t in self.templates if t.builtin}
        if incoming.key in builtin_keys:
            raise TemplateInvalid(
                f'"{incoming.key}" is the key of a built-in template, which only a QMSR Ready '
                f'update may change. Give your template its own key (for example '
                f'"{incoming.key}-site") and import it again.'
            )
        for existing in self.templates:
            if (existing.key, existing.version) == (incoming.key, incoming.version):
                if existing.sha256 == incoming.sha256:
                    return existing
                raise TemplateInvalid(
                    f"The library already has {incoming.key} version {incoming.version} "
                    f"({existing.path.name}) with different content; give the new file a "
                    "higher version."
                )
        assert self.user_dir is not None
        self.user_dir.mkdir(parents=True, exist_ok=True)
        target = self.user_dir / f"{incoming.key}-{incoming.version}.yaml"
        if target.exists():
            raise TemplateInvalid(f"{target} already exists and does not load; remove it first.")
        fd, tmp = tempfile.mkstemp(dir=self.user_dir, suffix=".part")
        os.close(fd)
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.reload()
        return self.get(incoming.key, incoming.version)


def _template_files(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _clash_issue(loaded: LoadedTemplate, clash: LoadedTemplate) -> TemplateIssue:
    return TemplateIssue(
        loaded.path.name,
        None,
        "",
        f"ignored: {loaded.key} {loaded.version} is already provided by {clash.path.name} "
        "with different content",
    )
