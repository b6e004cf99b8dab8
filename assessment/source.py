"""Read YAML files safely and remember where every value came from.

PyYAML alone is not enough for user-edited files: it keeps the last of two duplicate keys
without a word, turns ``No`` into ``False`` (YAML 1.1), builds Python objects from tags
when asked to, and expands "billion laughs" alias bombs. This module composes the file
into nodes with the C parser (safe: nodes are inert), then builds plain Python values
itself, refusing what is unsafe and recording every problem with its line and column.
Positions are looked up from the kept node tree only when a problem needs them, so the
success path costs about what ``yaml.load`` does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from .problems import Problem
from .yaml_hints import explain

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest file read: a bank or answer sheet is a few kilobytes, a bigger file is a mistake."""
MAX_EXPANDED_NODES = 200_000
"""Largest document counted with aliases expanded; alias bombs pass this within microseconds."""
MAX_DEPTH = 40
"""Deepest nesting accepted; our formats nest four levels at the most."""

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

Location = tuple[str | int, ...]


class _Resolver(Resolver):
    """YAML 1.1 resolution, but only ``true``/``false`` are booleans (as in YAML 1.2).

    So a label ``No`` stays the text "No" and an answer ``no`` can name a choice ``no``.
    """


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_Resolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

try:  # libyaml's parser and composer; CParser is not re-exported by the yaml package
    from yaml.cyaml import CParser as _CParser  # type: ignore[attr-defined]

    _Parser: Any = _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None
if _Parser is None:  # pragma: no cover - PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _PurePythonParser(Reader, Scanner, Parser, Composer):
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    _Parser = _PurePythonParser


_PLAIN_SCALAR_TAGS: dict[str, str] = {}
"""Tags of plain scalars seen before: with no path resolvers, a tag depends on the text only."""
_PLAIN_SCALAR_CACHE_SIZE = 4096


class _NodeLoader(_Parser, _Resolver):  # type: ignore[misc]
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        _Resolver.__init__(self)

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and implicit[0]:
            tag = _PLAIN_SCALAR_TAGS.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
                if len(_PLAIN_SCALAR_TAGS) < _PLAIN_SCALAR_CACHE_SIZE:
                    _PLAIN_SCALAR_TAGS[value] = tag
            return tag
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]


_constructor = SafeConstructor()


@dataclass
class Document:
    """A YAML file read into plain values, with its node tree kept to locate problems."""

    path: str
    data: Any
    root: Node | None
    text: str = ""
    """The file as read, to point at a place inside a long value (see ``assessment.markup``)."""

    def locate(self, location: Location, *, key: bool = False) -> tuple[int, int]:
        """Return the 1-based (line, column) of the value at ``location``.

        With ``key=True`` the position of the mapping key itself is returned. When the
        location does not exist (a missing key), the deepest existing parent is used.
        """
        node = self.root
        if node is None:
            return (1, 1)
        mark = node.start_mark
        for index, part in enumerate(location):
            last = index == len(location) - 1
            found: Node | None = None
            if isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, ScalarNode) and key_node.value == part:
                        found = value_node
                        if last and key:
                            mark = key_node.start_mark
                            return (mark.line + 1, mark.column + 1)
                        break
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                found = node.value[part]
            if found is None:
                break
            node = found
            mark = node.start_mark
        return (mark.line + 1, mark.column + 1)

    def problem(
        self, location: Location, message: str, *, key: bool = False, warning: bool = False
    ) -> Problem:
        """A problem (or a warning) at ``location``, a path of keys and list indexes."""
        line, column = self.locate(location, key=key)
        return Problem(self.path, line, column, format_location(location), message, warning)


def format_location(location: Sequence[str | int]) -> str:
    """Render a location as people write it: ``dimensions[0].questions[2].weight``."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class _Builder:
    """Turns a node tree into dicts, lists and scalars, recording what is wrong."""

    def __init__(self, path: str, aliases: bool = True) -> None:
        self.path = path
        self.aliases = aliases
        self.problems: list[Problem] = []
        self.expanded = 0
        self.memo: dict[int, tuple[Any, int]] = {}
        self.too_big = False
        self.refused = False
        self.stack: list[str | int] = []

    def fail(self, node: Node, message: str) -> None:
        mark = node.start_mark
        key = format_location(self.stack)
        self.problems.append(Problem(self.path, mark.line + 1, mark.column + 1, key, message))

    def refuse_value(self, node: Node, message: str) -> None:
        """A value its explicit tag cannot read: reported once, and the file is not used."""
        self.fail(node, message)
        self.refused = True

    def refuse_tag(self, node: Node, where: str = "") -> None:
        """Tags could build objects: the file is refused, naming the tag as it was written."""
        tag = node.tag
        if tag.startswith("tag:yaml.org,2002:"):
            tag = "!!" + tag.removeprefix("tag:yaml.org,2002:")
        self.fail(node, f"tag {tag} is not allowed{where}; only plain YAML values are read")
        self.refused = True

    def build(self, node: Node, depth: int = 0) -> Any:
        if self.too_big:
            return None
        if depth > MAX_DEPTH:
            mark = node.start_mark
            self.problems.append(
                Problem(
                    self.path,
                    mark.line + 1,
                    mark.column + 1,
                    format_location(self.stack[:3]),  # where the nesting starts
                    f"values are nested more than {MAX_DEPTH} levels deep",
                )
            )
            self.too_big = True
            return None
        if not self.aliases:
            # No anchor in the file, so no node is reached twice: the size is the file's.
            return self._build(node, depth)
        memo = self.memo.get(id(node))
        if memo is not None:
            # An alias: count its whole expanded size without walking it again.
            self.expanded += memo[1]
            if self.expanded > MAX_EXPANDED_NODES:
                self._refuse_bomb(node)
            return memo[0]
        before = self.expanded
        self.expanded += 1
        value = self._build(node, depth)
        self.memo[id(node)] = (value, self.expanded - before)
        if self.expanded > MAX_EXPANDED_NODES:
            self._refuse_bomb(node)
        return value

    def _refuse_bomb(self, node: Node) -> None:
        if not self.too_big:
            self.fail(
                node,
                f"aliases expand this document beyond {MAX_EXPANDED_NODES:,} values; "
                "refusing to read it (is it an alias bomb?)",
            )
        self.too_big = True

    def _build(self, node: Node, depth: int) -> Any:
        tag = node.tag
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            if tag != _SEQ:
                self.refuse_tag(node)
                return None
            items = []
            for index, item in enumerate(node.value):
                self.stack.append(index)
                items.append(self.build(item, depth + 1))
                self.stack.pop()
            return items
        if isinstance(node, MappingNode):
            if tag != _MAP:
                self.refuse_tag(node)
                return None
            return self._mapping(node, depth)
        self.fail(node, "unsupported YAML node")  # pragma: no cover
        return None

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _INT:
            try:
                return int(node.value)
            except ValueError:
                pass
            try:
                return _constructor.construct_yaml_int(node)  # 0x1f, 1_000, 1:30
            except (ValueError, IndexError):
                self.refuse_value(node, f"{node.value!r} is not a whole number")
                return None
        if tag == _FLOAT:
            try:
                return _constructor.construct_yaml_float(node)
            except (ValueError, IndexError):
                self.refuse_value(node, f"{node.value!r} is not a number")
                return None
        if tag == _BOOL:
            if node.value.lower() not in ("true", "false"):
                self.refuse_value(node, f"{node.value!r} is not true or false")
                return None
            return node.value.lower() == "true"
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            try:
                value = _constructor.construct_yaml_timestamp(node)
            except (ConstructorError, ValueError, AttributeError):
                self.refuse_value(node, f"'{node.value}' is not a valid date")
                return node.value
            return value.date() if isinstance(value, dt.datetime) else value
        if tag == _MERGE:
            self.fail(node, "merge keys (<<) are not supported; write the keys out")
            self.refused = True
            return None
        self.refuse_tag(node)
        return None

    def _mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        stack = self.stack
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, "a key must be plain text, not a list or mapping")
                continue
            if key_node.tag == _MERGE:
                self.fail(key_node, "merge keys (<<) are not supported; write the keys out")
                self.refused = True
                continue
            if key_node.tag not in _KEY_TAGS:
                self.refuse_tag(key_node, " on a key")
                continue
            # Keys are taken as written: `no:` is the key "no", `1.10:` is "1.10".
            key = key_node.value
            if key in result:
                self._duplicate(node, key_node)
                continue
            stack.append(key)
            result[key] = self.build(value_node, depth + 1)
            stack.pop()
        return result

    def _duplicate(self, node: MappingNode, key_node: ScalarNode) -> None:
        first = next(k for k, _ in node.value if k.value == key_node.value)
        mark = key_node.start_mark
        self.problems.append(
            Problem(
                self.path,
                mark.line + 1,
                mark.column + 1,
                format_location([*self.stack, key_node.value]),
                f"duplicate key (first given on line {first.start_mark.line + 1})",
            )
        )


_KEY_TAGS = frozenset((_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP))
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 file (a BOM is allowed), refusing missing, huge and non-UTF-8 files."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, [Problem(display, 0, 0, "", "file not found")]
    except OSError as error:
        return None, [Problem(display, 0, 0, "", f"cannot read file: {error.strerror}")]
    if not path.is_file():
        return None, [Problem(display, 0, 0, "", "not a file")]
    if size > MAX_FILE_BYTES:
        return None, [
            Problem(
                display,
                0,
                0,
                "",
                f"file is {size:,} bytes, larger than the {MAX_FILE_BYTES:,} bytes allowed",
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(display, 0, 0, "", f"cannot read file: {error.strerror}")]
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as error:
        start = error.start
        line = body.count(b"\n", 0, start) + 1
        line_start = body.rfind(b"\n", 0, start) + 1
        # Columns count characters, as in every other message.
        column = len(body[line_start:start].decode("utf-8", errors="replace")) + 1
        raw = body
        return None, [
            Problem(
                display,
                line,
                column,
                "",
                f"not valid UTF-8 (byte 0x{raw[start]:02X}); save the file as UTF-8",
            )
        ]


def parse_text(text: str, display: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text into a :class:`Document` and the problems found on the way.

    The document is ``None`` when the problems prevent reading it at all.
    """
    problems: list[Problem] = []
    if "\t" in text:
        for match in _TAB_INDENT.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            column = match.end() - match.start()
            problems.append(
                Problem(display, line, column, "", "tab used for indentation; indent with spaces")
            )
        if problems:
            return None, problems
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        return None, [
            Problem(display, line, column, "", "file contains a NUL character; is it text?")
        ]
    loader = _NodeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, text, display)]
    except yaml.reader.ReaderError as error:
        at = error.position
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        character = error.character if isinstance(error.character, str) else "?"
        message = f"control character U+{ord(character):04X} is not allowed in YAML; remove it"
        return None, [Problem(display, line, column, "", message)]
    except yaml.YAMLError as error:
        return None, [Problem(display, 1, 1, "", f"YAML error: {error}")]
    finally:
        loader.dispose()
    if root is None:
        return None, [Problem(display, 1, 1, "", "file is empty")]
    builder = _Builder(display, aliases="&" in text)
    data = builder.build(root)
    if builder.too_big or builder.refused:
        # An alias bomb or an object-building tag: nothing else in the file is trusted.
        return None, builder.problems
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the value {str(data)[:40]!r}"
        problem = Problem(
            display, 1, 1, "", f"expected a mapping of keys at the top level, found {kind}"
        )
        return None, [*builder.problems, problem]
    # Duplicate keys and refused tags are reported, but the rest of the file is still
    # checked, so one run shows every problem.
    return Document(display, data, root, text), builder.problems


def read_document(path: Path, display: str | None = None) -> tuple[Document | None, list[Problem]]:
    """Read and parse one YAML file; ``display`` is the path shown in messages."""
    shown = display if display is not None else str(path)
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    return parse_text(text, shown)


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    """A syntax error at the line of the mistake with its fix, when it is a common one
    (:mod:`.yaml_hints`), else in the parser's words at the place it gave up."""
    hint = explain(error, text)
    if hint is not None:
        line, column, message = hint
        return Problem(display, line + 1, column + 1, "", f"YAML syntax error: {message}")
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    if "'\\t'" in problem:
        problem = "tab character where YAML does not allow one; use spaces"
    elif error.context:
        problem = f"{problem} ({error.context}"
        if error.context_mark and error.context_mark is not mark:
            problem += f" on line {error.context_mark.line + 1}"
        problem += ")"
    return Problem(display, line, column, "", f"YAML syntax error: {problem}")
