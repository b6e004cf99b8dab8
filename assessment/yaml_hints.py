"""YAML syntax errors as people make them: at the line of the mistake, with a fix.

The parser reports where it gave up, which is often a line after the mistake, in its own
words ("mapping values are not allowed in this context"). For the mistakes people make
when they fill in a sheet by hand, :func:`explain` finds the line of the mistake from the
text and says how to fix it:

- a key without its colon (``alpha.two partly``), reported by the parser a line late;
- no space after the colon (``alpha.one:3``), which YAML reads as one word;
- a colon followed by a space inside a value (``note: We track: acquisition``), which
  YAML reads as a second key: the value needs quotes;
- a line indented under a key that already has a value;
- a ``[`` or ``{`` that is never closed.

Anything else keeps the parser's own words.
"""

from __future__ import annotations

import json
import re

import yaml

Hint = tuple[int, int, str]
"""A 0-based line and column, and the message."""

_KEY_VALUE = re.compile(
    r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[^\s:#'\"][^:#]*?):(?:\s+(?P<value>.*))?$"
)
_NO_SPACE = re.compile(r"^(?P<key>[^\s:#'\"]+):(?P<value>[^\s/].*)$")
_FLOW_CONTEXTS = {"while parsing a flow mapping": "{", "while parsing a flow sequence": "["}
_CLOSING = {"{": "}", "[": "]"}


def explain(error: yaml.MarkedYAMLError, text: str) -> Hint | None:
    """Where the mistake behind a syntax error is, and how to fix it; ``None`` if unsure."""
    lines = text.splitlines()
    problem = error.problem or ""
    mark, context = error.problem_mark, error.context_mark
    if mark is None:
        return None
    if problem == "could not find expected ':'" and context is not None:
        return _without_colon(lines, context.line)
    if problem == "mapping values are not allowed in this context":
        return _unexpected_colon(lines, mark.line, mark.column)
    opening = _FLOW_CONTEXTS.get(error.context or "")
    if opening and problem.startswith("did not find expected ','") and context is not None:
        return _unclosed(lines, opening, context.line, context.column, mark.line, mark.column)
    return None


def _line(lines: list[str], number: int) -> str:
    return lines[number] if 0 <= number < len(lines) else ""


def _quote(key: str, value: str) -> str:
    fixed = f"{key.strip()}: {json.dumps(value.strip(), ensure_ascii=False)}"
    return f"the value holds ': ', which YAML reads as a new key; put it in quotes: {fixed}"


def _blank(text: str) -> bool:
    stripped = text.strip()
    return not stripped or stripped.startswith("#")


def _without_colon(lines: list[str], number: int) -> Hint | None:
    """Line ``number`` holds a key and a value with no ``: `` between them."""
    text = _line(lines, number)
    stripped = text.strip()
    if not stripped or stripped.startswith("#"):
        return None
    column = len(text) - len(text.lstrip())
    prefix = "- " if stripped.startswith("- ") else ""
    body = stripped.removeprefix(prefix).strip()
    no_space = _NO_SPACE.match(body)
    if no_space:
        fixed = f"{prefix}{no_space['key']}: {no_space['value']}"
        return number, column, f"no space after ':'; write '{fixed}'"
    key, _, value = body.partition(" ")
    fixed = f"{prefix}{key}: {value.strip()}".rstrip()
    return number, column, f"no ':' after the key; write '{fixed}'"


def _unexpected_colon(lines: list[str], number: int, column: int) -> Hint | None:
    """A ``: `` where YAML allows no new key: inside a value, or under a finished line."""
    text = _line(lines, number)
    match = _KEY_VALUE.match(text)
    if match and match["value"] is not None and match.start("value") <= column:
        # key: some text: more text — the value holds ": ".
        return number, match.start("value"), _quote(match["key"], match["value"])
    previous = number - 1
    while previous >= 0 and _blank(lines[previous]):
        previous -= 1
    above = _line(lines, previous)
    if not above:
        return None
    above_match = _KEY_VALUE.match(above)
    if above_match is None:
        # The line above is one word or two, no key: the parser read it and this line's
        # key as one long key.
        return _without_colon(lines, previous)
    indent = len(text) - len(text.lstrip())
    above_indent = len(above) - len(above.lstrip())
    if above_match["value"] and indent > above_indent:
        return (
            number,
            indent,
            f"indented under '{above_match['key'].strip()}:', which already has a value on "
            f"line {previous + 1}; line it up with that key (or move that value here)",
        )
    return None


def _unclosed(
    lines: list[str], opening: str, line: int, column: int, stop_line: int, stop_column: int
) -> Hint | None:
    """A flow collection (``[...]`` or ``{...}``) that a value breaks or that never ends."""
    closing = _CLOSING[opening]
    text = _line(lines, stop_line)
    if stop_line == line and text[stop_column : stop_column + 1] == ":":
        # {answer: 2, note: We track: acquisition} — the note's value holds ": ".
        before = text[:stop_column]
        colon = before.rfind(": ")
        if colon < 0:
            return None
        key_start = max(before.rfind(",", 0, colon), before.rfind(opening, 0, colon)) + 1
        ends = [i for i in (text.find(",", stop_column), text.find(closing, stop_column)) if i > 0]
        value = text[colon + 2 : min(ends, default=len(text))]
        return stop_line, colon + 2, _quote(before[key_start:colon], value)
    if stop_line != line:
        return line, column, f"this '{opening}' is never closed; end it with '{closing}'"
    return None
