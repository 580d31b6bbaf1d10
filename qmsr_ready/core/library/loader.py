"""Load a checklist template from YAML and report every problem with file, line and path.

YAML is composed into nodes with ``yaml.SafeLoader`` so each value keeps its start mark; the
plain data is then checked by the pydantic schema and the cross checks, and each error's
location (a path such as ``areas[2].elements[4]``) is mapped back to the line it came from.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from yaml.constructor import SafeConstructor

from qmsr_ready.core.errors import TemplateInvalid
from qmsr_ready.core.library.schema import Template
from qmsr_ready.core.library.validate import Loc, cross_check, format_loc

MAX_LISTED = 50  # issues shown in one exception message; the full list stays on the exception


@dataclass(frozen=True)
class TemplateIssue:
    """One validation problem, printable as ``file:line path: message``."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class TemplateValidationError(TemplateInvalid):
    """A template failed validation; ``issues`` lists every problem found."""

    def __init__(self, issues: list[TemplateIssue]) -> None:
        self.issues = issues
        lines = [str(i) for i in issues[:MAX_LISTED]]
        if len(issues) > MAX_LISTED:
            lines.append(f"… and {len(issues) - MAX_LISTED} more problems")
        count = f"{len(issues)} problem{'s' if len(issues) != 1 else ''}"
        super().__init__(f"Template is not valid ({count}):\n" + "\n".join(lines))


@dataclass
class LoadResult:
    """Outcome of loading one file: the content if valid, and every issue found."""

    path: Path
    content: dict[str, Any] | None = None
    issues: list[TemplateIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.content is not None and not self.issues


def _compose(text: str) -> yaml.Node | None:
    """Compose YAML into nodes (libyaml when present: same nodes and marks, ten times faster)."""
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


MAX_VALUES = 200_000  # a real template has a few thousand; aliases can multiply without limit
# The shipped library is 0.3 MB of YAML and expands to about as many bytes of text. These caps
# leave room for a site's own, much larger template while keeping memory in the tens of MB.
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_TEXT_BYTES = 8 * 1024 * 1024
_VALUE_BYTES = 16  # what one mapping, list or number costs against MAX_TEXT_BYTES


class TooLarge(yaml.MarkedYAMLError):
    """The document expands to more values or text than any template has (YAML aliases)."""


@dataclass
class _Budget:
    """What is left to build: values and bytes of text, shared by one document's walk."""

    values: int = MAX_VALUES
    text_bytes: int = MAX_TEXT_BYTES

    def spend(self, node: yaml.Node) -> None:
        """Charge one node: a scalar its UTF-8 length, so an alias costs what it expands to."""
        self.values -= 1
        if self.values < 0:
            raise TooLarge(
                problem=f"the file expands to more than {MAX_VALUES:,} values (nested YAML "
                "aliases?); a checklist template is far smaller",
                problem_mark=node.start_mark,
            )
        size = _VALUE_BYTES
        if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str):
            size += len(node.value.encode("utf-8", "surrogatepass"))
        self.text_bytes -= size
        if self.text_bytes < 0:
            raise TooLarge(
                problem=f"the file expands to more than {MAX_TEXT_BYTES // (1024 * 1024)} MB of "
                "text (YAML aliases repeating a long value?); a checklist template is far smaller",
                problem_mark=node.start_mark,
            )


def _build(
    node: yaml.Node,
    loc: Loc,
    lines: dict[Loc, int],
    dupes: list[tuple[Loc, str]],
    scalars: SafeConstructor,
    budget: _Budget | None = None,
) -> Any:
    """Turn a node into plain data, recording the 1-based line of every path.

    YAML aliases let a few hundred bytes expand to billions of values, and a 1 MB string
    repeated through aliases to gigabytes of text; ``budget`` counts both (text in bytes, each
    alias as what it expands to) and stops before memory or time run out.
    """
    if budget is None:
        budget = _Budget()
    budget.spend(node)
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _build(key_node, (*loc, "<key>"), {}, dupes, scalars, budget)
            child = (*loc, key) if isinstance(key, str | int) else loc
            lines[child] = key_node.start_mark.line + 1
            if key in result:
                dupes.append((child, f'duplicate key "{key}" (a later value would replace it)'))
            value = _build(value_node, child, lines, dupes, scalars, budget)
            if isinstance(key, str | int | float | bool) or key is None:
                result[key] = value
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*loc, i), lines, dupes, scalars, budget)
            for i, item in enumerate(node.value)
        ]
    return scalars.construct_object(node, deep=True)


def line_for(loc: Loc, lines: dict[Loc, int]) -> int | None:
    """The line of ``loc``, or of its nearest ancestor present in the file (missing keys)."""
    probe = tuple(loc)
    while probe:
        if probe in lines:
            return lines[probe]
        probe = probe[:-1]
    return lines.get(())


def _pydantic_message(err: dict[str, Any]) -> tuple[Loc, str]:
    """A readable message for one pydantic error, and the path it belongs to."""
    loc: Loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function")))
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return loc, f'unknown key "{loc[-1]}"'
    if kind == "missing":
        return loc[:-1], f'missing required key "{loc[-1]}"'
    if kind == "string_pattern_mismatch":
        return loc, f'"{value}" does not match the required pattern {ctx.get("pattern")}'
    if kind == "literal_error":
        return loc, f'"{value}" is not one of: {ctx.get("expected")}'
    if kind in ("greater_than_equal", "less_than_equal") and loc and loc[-1] == "weight":
        return loc, f"weight must be 1, 2 or 3 (got {value!r})"
    if kind == "too_short" and isinstance(value, list) and not value:
        return loc, "must not be empty"
    if kind == "string_too_short":
        return loc, "must not be empty"
    if kind in ("list_type", "string_type", "bool_type", "int_type", "model_type", "dict_type"):
        expected = {
            "list_type": "a list",
            "string_type": "a string (quote it)",
            "bool_type": "true or false",
            "int_type": "a whole number",
            "model_type": "a mapping",
            "dict_type": "a mapping",
        }[kind]
        return loc, f"expected {expected}, got {_type_name(value)} {_short(value)}"
    return loc, err["msg"]


def _type_name(value: Any) -> str:
    return {
        str: "string",
        int: "number",
        float: "number",
        bool: "boolean",
        list: "list",
        dict: "mapping",
        type(None): "nothing",
    }.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, dict | list) else ""
    return text if len(text) <= 40 else text[:37] + "…"


def load_text(text: str, name: str = "<template>", path: Path | None = None) -> LoadResult:
    """Parse and validate template text; never raises for a bad template, returns issues."""
    return load_validated(text, name, path, Template, cross_check)


def load_validated(
    text: str,
    name: str,
    path: Path | None,
    model: type[BaseModel],
    check: Callable[[dict[str, Any]], list[tuple[Loc, str]]],
) -> LoadResult:
    """Parse YAML, validate it with ``model`` and ``check``; collect every issue with its line."""
    result = LoadResult(path or Path(name))

    def issue(line: int | None, loc: Loc, message: str) -> None:
        result.issues.append(TemplateIssue(name, line, format_loc(loc), message))

    # A character is at least one byte: a long text is refused without encoding it.
    size = len(text) if len(text) > MAX_FILE_BYTES else len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        issue(None, (), f"refused: {_too_big(size, MAX_FILE_BYTES)}")
        return result
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        issue(line, (), f"YAML syntax error: {problem}")
        return result
    except yaml.YAMLError as exc:
        issue(None, (), f"YAML error: {exc}")
        return result
    if node is None:
        issue(1, (), "the file is empty")
        return result
    lines: dict[Loc, int] = {}
    dupes: list[tuple[Loc, str]] = []
    try:
        data = _build(node, (), lines, dupes, SafeConstructor())
    except yaml.MarkedYAMLError as exc:  # e.g. an unknown tag such as !!python/object
        mark = exc.problem_mark or exc.context_mark
        issue(mark.line + 1 if mark else None, (), f"YAML error: {exc.problem or exc}")
        return result
    for loc, message in dupes:
        issue(line_for(loc, lines), loc, message)
    if not isinstance(data, dict):
        kind = _type_name(data)
        issue(lines.get(()), (), f"the top level must be a mapping of keys, not a {kind}")
        return result
    found: list[tuple[int | None, Loc, str]] = []
    validated: BaseModel | None = None
    try:
        validated = model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc, message = _pydantic_message(dict(err))
            found.append((line_for(loc, lines), loc, message))
    for loc, message in check(data):
        found.append((line_for(loc, lines), loc, message))
    seen: set[tuple[Loc, str]] = set()
    for line, loc, message in sorted(found, key=lambda f: (f[0] or 0, format_loc(f[1]))):
        if (loc, message) not in seen:
            seen.add((loc, message))
            issue(line, loc, message)
    if validated is not None and not result.issues:
        result.content = validated.model_dump(mode="json", by_alias=True, exclude_none=True)
    return result


def read_capped(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file of at most ``limit`` bytes, checking before and while reading.

    Opened without blocking so a FIFO or device named by mistake is refused at once instead of
    hanging; the size is checked from ``fstat`` before any byte is read and again while reading,
    in case the file grows meanwhile.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _RefusedError("not a regular file")
        if info.st_size > limit:
            raise _RefusedError(_too_big(info.st_size, limit))
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _RefusedError(_too_big(len(data), limit))
    return data


class _RefusedError(Exception):
    """A file refused before parsing; the message says why."""


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {size / (1024 * 1024):.1f} MB; a checklist template is at most "
        f"{limit // (1024 * 1024)} MB (the built-in library is 0.3 MB)"
    )


def load_file(path: str | Path) -> LoadResult:
    """Read and validate one template file; unreadable files become an issue, not a crash."""
    p = Path(path)
    try:
        text = read_capped(p).decode("utf-8")
    except _RefusedError as exc:
        return LoadResult(p, None, [TemplateIssue(p.name, None, "", f"refused: {exc}")])
    except (OSError, UnicodeDecodeError) as exc:
        return LoadResult(p, None, [TemplateIssue(p.name, None, "", f"cannot read file: {exc}")])
    return load_text(text, p.name, p)


def load_template(path: str | Path) -> dict[str, Any]:
    """Load a valid template's content, or raise TemplateValidationError listing every issue."""
    result = load_file(path)
    if not result.ok:
        raise TemplateValidationError(result.issues)
    assert result.content is not None
    return result.content
