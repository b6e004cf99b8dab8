"""Turn a survey tool's CSV export into answer sheets (``cxmaturity import``).

Google Forms, Microsoft Forms, Typeform, SurveyMonkey and spreadsheets all export one row
per respondent, but each lays out its columns and joins its multi answers its own way.
This module reads such a file (any of the usual encodings and delimiters), matches its
columns to the bank's questions, converts every cell to the form an answer sheet uses and
checks it with the same :func:`~assessment.answers.answer_score` as the YAML loader, so a
CSV and a YAML file can never disagree about what is a valid answer.

Everything here reads; nothing writes. Every problem of the file is collected first and
raised once, each naming its row (as a spreadsheet numbers it) and column.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from slugify import slugify

from .answers import BadAnswer, answer_score, build_sheet
from .model import Bank, Option, Question
from .problems import InputError, Problem
from .source import Document, parse_text, read_document

MAX_CSV_BYTES = 50 * 1024 * 1024
"""Largest survey export read: 50 MB is about 100,000 responses to 50 questions."""
MAX_PROBLEMS = 100
"""Problems listed before the rest are only counted: a wrong file fails on every row."""
HEADER_SHOWN = 40
"""Headers longer than this are cut with "…" in messages."""
RESPONDENT_PREFIX = "respondent-"

ColumnKind = Literal[
    "question", "option", "note", "team", "role", "respondent", "name", "email", "ignored"
]
IDENTITY_KINDS = frozenset({"respondent", "name", "email"})

# Header names are compared normalised: lower case, punctuation and spacing folded.
_TEAM_HEADERS = frozenset(
    {
        "team",
        "your team",
        "team name",
        "my team",
        "which team are you in",
        "which team are you on",
        "which team are you part of",
        "which team do you work in",
        "what team are you in",
        "what team are you on",
        "department",
        "your department",
        "which department are you in",
        "which department do you work in",
    }
)
_ROLE_HEADERS = frozenset(
    {
        "role",
        "your role",
        "my role",
        "job role",
        "what is your role",
        "what s your role",
        "which role do you have",
        "which best describes your role",
        "position",
        "your position",
        "job title",
        "your job title",
    }
)
_RESPONDENT_HEADERS = frozenset({"respondent", "respondent name", "initials", "your initials"})
_NAME_HEADERS = frozenset(
    {"name", "your name", "full name", "first name", "last name", "what is your name"}
)
_EMAIL_HEADERS = frozenset(
    {
        "email",
        "e mail",
        "email address",
        "e mail address",
        "your email",
        "your email address",
        "your e mail address",
        "work email",
    }
)
# The survey tools' own bookkeeping columns: ignored without a word of advice.
_TOOL_HEADERS = frozenset(
    {
        "",  # Typeform's "#" and blank headers
        "timestamp",  # Google Forms
        "id",
        "start time",
        "completion time",
        "last modified time",
        "total points",
        "quiz feedback",  # Microsoft Forms
        "respondent id",
        "collector id",
        "start date",
        "end date",
        "ip address",
        "custom data 1",  # SurveyMonkey
        "response type",
        "start date utc",
        "stage date utc",
        "submit date utc",
        "network id",
        "tags",
        "ending",
        "token",
        "submitted at",  # Typeform
        "score",
    }
)
_USUAL_HEADERS: tuple[tuple[ColumnKind, frozenset[str]], ...] = (
    ("team", _TEAM_HEADERS),
    ("role", _ROLE_HEADERS),
    ("respondent", _RESPONDENT_HEADERS),
    ("name", _NAME_HEADERS),
    ("email", _EMAIL_HEADERS),
)
USUAL_HEADER = "recognised by its header"
_SUB_HEADERS = frozenset({"", "response", "open ended response"})
"""SurveyMonkey's second header row says "Response" where a column is the whole answer."""
_NOT_APPLICABLE = frozenset({"n/a", "na", "n.a.", "n. a."})
"""Written as the YAML loader reads them (any case) …"""
_NOT_APPLICABLE_WORDS = frozenset({"not applicable", "does not apply", "doesn t apply"})
"""… or as survey options say it (compared normalised)."""
_SELECTED = frozenset({"1", "x", "yes", "true", "selected", "checked"})
_NOT_SELECTED = frozenset({"0", "no", "false"})
_NOTE_WORDS = r"(?:note|notes|comment|comments)"
_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_-]*$")
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_NUMBER_AND_LABEL = re.compile(r"^([+-]?\d+)(?:\s*[-–—:.=)]\s*|\s+)(.+)$")
_LABEL_AND_NUMBER = re.compile(r"^(.+?)\s*\(\s*([+-]?\d+)\s*\)$")
_PLAIN_YAML = re.compile(r"^[^\W\d][\w ./-]*$")
_YAML_RAW_REFUSED = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""Characters JSON leaves raw that YAML refuses raw (C1 controls) or reads as line breaks."""
_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def normalize(text: str) -> str:
    """Text as compared when matching: case, punctuation and spacing do not count."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"[^\W_]+", folded))


def _without_number(text: str) -> str:
    """A normalised header without a leading question number: "q7 ...", "7 ..."."""
    return re.sub(r"^(?:q(?:uestion)?\s?)?\d+\s", "", text)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= HEADER_SHOWN else text[: HEADER_SHOWN - 1].rstrip() + "…"


@dataclass(frozen=True)
class CsvProblem(Problem):
    """A problem in a CSV file: ``file.csv:row 14, column "Header…": message``.

    ``line`` is the row as a spreadsheet numbers it (header rows included; 0 for the file
    as a whole), ``column`` the 1-based column, ``key`` the header as shown.
    """

    def __str__(self) -> str:
        place = self.path
        if self.line:
            place += f":row {self.line}"
        if self.key:
            place += f', column "{self.key}"' if self.line else f': column "{self.key}"'
        return f"{place}: {self.message}"


# Reading the file ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: its header and, under SurveyMonkey's second header row, its sub-header."""

    index: int
    title: str
    sub: str = ""

    @property
    def header(self) -> str:
        """The header as people read it (SurveyMonkey: ``Question / Option``)."""
        return f"{self.title} / {self.sub}" if self.sub else self.title

    @property
    def shown(self) -> str:
        """The header cut for messages, keeping a sub-header readable."""
        if not self.sub:
            return _cut(self.title)
        room = max(12, HEADER_SHOWN - len(self.sub) - 3)
        title = " ".join(self.title.split())
        if len(title) > room:
            title = title[: room - 1].rstrip() + "…"
        return f"{title} / {self.sub}"


@dataclass(frozen=True)
class _Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells)
    encoding: str
    delimiter: str
    header_rows: int


def _decode(raw: bytes) -> tuple[str, str] | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "UTF-8 with BOM"
        except UnicodeDecodeError:
            return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return None


class _Dialect(csv.Dialect):
    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = False


def _records(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    dialect = type("_Chosen", (_Dialect,), {"delimiter": delimiter})
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    records = []
    for record in reader:
        records.append(record)
        if limit is not None and len(records) >= limit:
            break
    return records


def _delimiter(text: str) -> str:
    """The delimiter: the sniffer's guess if the first rows agree with it, else the one that
    splits the first rows into equally long records, most columns first."""
    sample = text[:65536]
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        sniffed = None
    candidates = [d for d in (sniffed, ",", ";", "\t") if d is not None]
    best: tuple[int, int, str] | None = None
    for delimiter in dict.fromkeys(candidates):
        try:
            records = _records(sample, delimiter, 30)
        except csv.Error:
            continue
        if len(records) > 1:
            records = records[:-1]  # the sample may end inside the last record
        width = len(records[0]) if records else 0
        if width < 2:
            continue
        agree = sum(1 for r in records if len(r) == width or not any(c.strip() for c in r))
        score = (agree * 100 // len(records), width, delimiter)
        if delimiter == sniffed and agree == len(records):
            return delimiter
        if best is None or score[:2] > best[:2]:
            best = score
    return best[2] if best else ","


def _read_table(path: Path, display: str) -> tuple[_Table | None, list[Problem]]:
    def fail(message: str) -> tuple[None, list[Problem]]:
        return None, [CsvProblem(display, 0, 0, "", message)]

    try:
        size = path.stat().st_size
        if not path.is_file():
            return fail("not a file")
        if size > MAX_CSV_BYTES:
            return fail(f"file is {size:,} bytes, larger than the {MAX_CSV_BYTES:,} bytes allowed")
        raw = path.read_bytes()
    except FileNotFoundError:
        return fail("file not found")
    except OSError as error:
        return fail(f"cannot read file: {error.strerror}")
    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return fail("is a spreadsheet workbook (.xlsx or .xls), not CSV; save it as CSV UTF-8")
    decoded = _decode(raw)
    if decoded is None:
        return fail("not text in UTF-8 or Windows-1252; save it from your spreadsheet as CSV UTF-8")
    text, encoding = decoded
    if text.count("\x00") > len(text) // 10:  # UTF-16 without a byte-order mark, or binary
        return fail("is not text (it is full of NUL characters); save it as CSV UTF-8")
    if not text.strip():
        return fail("file is empty")
    delimiter = _delimiter(text)
    try:
        records = _records(text, delimiter)
    except csv.Error as error:
        return fail(f"cannot be read as CSV: {error}")
    numbered = [
        (number, tuple(c.replace("\r\n", "\n").replace("\r", "\n").strip() for c in record))
        for number, record in enumerate(records, start=1)
    ]
    header = [c.lstrip("\ufeff") for c in numbered[0][1]]
    header_rows = 1
    subs = [""] * len(header)
    if len(numbered) > 1:
        second = numbered[1][1]
        if (not second or not second[0]) and any(
            normalize(c) in ("response", "open ended response") for c in second
        ):
            header_rows = 2  # SurveyMonkey: question texts, then "Response" or option labels
            subs = [*second[: len(header)], *[""] * (len(header) - len(second))]
    columns = []
    title = ""
    for index, name in enumerate(header):
        if header_rows == 2:
            title = name or title  # SurveyMonkey writes a multi question's text once
            sub = subs[index] if normalize(subs[index]) not in _SUB_HEADERS else ""
            columns.append(Column(index, title, sub))
        else:
            columns.append(Column(index, name))
    rows = tuple(numbered[header_rows:])
    return _Table(tuple(columns), rows, encoding, delimiter, header_rows), []


# The mapping file -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What a column holds: a question's answer, one option of a multi question, a note,
    the team, the role, who answered, or nothing we use."""

    kind: ColumnKind
    key: str = ""
    option: str = ""
    reason: str = ""


@dataclass(frozen=True)
class SurveyMapping:
    """A mapping file: columns named by hand, answer labels translated, a constant team."""

    path: str
    columns: Mapping[str, Target] = field(default_factory=dict)
    """Normalised header → target."""
    headers: Mapping[str, tuple[str, int, int]] = field(default_factory=dict)
    """Normalised header → (header as written, line, column) in the mapping file."""
    values: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    """Question key or scale name → normalised label → answer."""
    team: str | None = None


_MAPPING_KEYS = ("columns", "values", "team")
_SPECIAL_TARGETS: Mapping[str, ColumnKind] = {
    "team": "team",
    "role": "role",
    "respondent": "respondent",
    "name": "name",
    "email": "email",
    "ignore": "ignored",
}


def read_mapping(path: Path | str, bank: Bank, display: str | None = None) -> SurveyMapping:
    """Read and check a mapping file (YAML), raising :class:`InputError` with every problem.

    ``columns`` maps headers to ``team``, ``role``, ``respondent``, ``name``, ``email``,
    ``ignore``, a question key or ``<key>.note``; ``values`` maps, per question key or
    scale name, answer labels to answers; ``team`` is a team for every row.
    """
    shown = display if display is not None else str(path)
    document, problems = read_document(Path(path), shown)
    if document is None:
        raise InputError(problems)
    data = document.data
    for name in data:
        if name not in _MAPPING_KEYS:
            problems.append(
                document.problem(
                    (name,), "unknown key" + _suggest(name, _MAPPING_KEYS, quote="'"), key=True
                )
            )
    columns: dict[str, Target] = {}
    headers: dict[str, tuple[str, int, int]] = {}
    raw_columns = data.get("columns", {})
    if not isinstance(raw_columns, dict):
        problems.append(
            document.problem(("columns",), "expected a mapping of headers to what they hold")
        )
        raw_columns = {}
    for header, raw_target in raw_columns.items():
        where = ("columns", header)
        target = _mapping_target(raw_target, bank)
        if isinstance(target, str):
            problems.append(document.problem(where, target))
            continue
        normal = normalize(header)
        if normal in columns:
            problems.append(document.problem(where, "this header is mapped twice", key=True))
            continue
        columns[normal] = target
        line, column = document.locate(where, key=True)
        headers[normal] = (header, line, column)
    values = _mapping_values(document, data.get("values", {}), bank, problems)
    team = data.get("team")
    if team is not None and (not isinstance(team, str) or not team.strip()):
        problems.append(document.problem(("team",), "expected the team's name as text"))
        team = None
    if problems:
        raise InputError(problems)
    return SurveyMapping(shown, columns, headers, values, team.strip() if team else None)


def _mapping_target(raw: Any, bank: Bank) -> Target | str:
    """The target a mapping names, or a message saying what is wrong with it."""
    if not isinstance(raw, str):
        return "expected team, role, respondent, name, email, ignore, a question key or <key>.note"
    if raw == "ignore":
        return Target("ignored", reason="the mapping file says to ignore it")
    if raw in _SPECIAL_TARGETS:
        return Target(_SPECIAL_TARGETS[raw])
    questions = bank.questions
    if raw in questions:
        return Target("question", raw)
    if raw.endswith(".note") and raw.removesuffix(".note") in questions:
        return Target("note", raw.removesuffix(".note"))
    known = [*_SPECIAL_TARGETS, *questions]
    return f"unknown question '{raw}'" + _suggest(raw, known, quote="'")


def _mapping_values(
    document: Document, raw: Any, bank: Bank, problems: list[Problem]
) -> dict[str, dict[str, object]]:
    if not isinstance(raw, dict):
        problems.append(document.problem(("values",), "expected a mapping of questions or scales"))
        return {}
    scales = {s.name: s for s in bank.scales}
    values: dict[str, dict[str, object]] = {}
    for name, labels in raw.items():
        question = bank.questions.get(name)
        if question is None and name in scales:
            question = Question("scale", "values", name, "", 1, scales[name])
        if question is None:
            problems.append(
                document.problem(
                    ("values", name),
                    f"unknown question or scale '{name}'"
                    + _suggest(name, [*bank.questions, *scales], quote="'"),
                    key=True,
                )
            )
            continue
        if not isinstance(labels, dict):
            problems.append(
                document.problem(("values", name), "expected a mapping of labels to answers")
            )
            continue
        values[name] = {}
        for label, answer in labels.items():
            checked: Any = (
                [answer] if question.scale.kind == "multi" and answer != "n/a" else answer
            )
            try:
                answer_score(question, checked)
            except BadAnswer as bad:
                problems.append(document.problem(("values", name, label), str(bad)))
                continue
            values[name][normalize(str(label))] = answer
    return values


# Matching columns to questions ----------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    """The bank's questions and options, looked up by normalised text."""

    exact: Mapping[str, list[str]]
    """Question text with case and spacing folded → keys."""
    texts: Mapping[str, list[str]]
    """Normalised question text → keys."""
    options: Mapping[str, list[tuple[str, str]]]

    @classmethod
    def of(cls, bank: Bank) -> _Index:
        exact: dict[str, list[str]] = {}
        texts: dict[str, list[str]] = {}
        options: dict[str, list[tuple[str, str]]] = {}
        for question in bank.questions.values():
            exact.setdefault(_fold(question.text), []).append(question.key)
            texts.setdefault(normalize(question.text), []).append(question.key)
            if question.scale.kind == "multi":
                for option in question.scale.options:
                    for name in dict.fromkeys((normalize(option.label), normalize(option.id))):
                        options.setdefault(name, []).append((question.key, option.id))
        return cls(exact, texts, options)


def _question_by_text(text: str, bank: Bank, index: _Index) -> str | None:
    """The question a header names by key or by text (numbering and extra words allowed)."""
    words = text.strip().split()
    if words:
        first = words[0].rstrip(":").lower()
        if first in bank.questions:
            return first
    keys = index.exact.get(_fold(text), [])
    if len(keys) == 1:
        return keys[0]
    normal = normalize(text)
    if not normal:
        return None
    for candidate in (normal, _without_number(normal)):
        keys = index.texts.get(candidate, [])
        if len(keys) == 1:
            return keys[0]
    # A header that adds to the question ("… (1 = never, 5 = always)"), or a long one cut short.
    found = {
        key
        for question_text, keys in index.texts.items()
        for key in keys
        if len(keys) == 1
        and (
            _without_number(normal).startswith(question_text + " ")
            or (len(normal) >= 30 and question_text.startswith(_without_number(normal)))
        )
    }
    return found.pop() if len(found) == 1 else None


def _note_question(text: str, bank: Bank, index: _Index) -> str | None:
    """The question a note column belongs to: "<key>.note", "<question> - Comments", …"""
    first = text.strip().split()[0].lower() if text.strip() else ""
    for suffix in (".note", ".notes", ".comment", ".comments"):
        if first.endswith(suffix) and first.removesuffix(suffix) in bank.questions:
            return first.removesuffix(suffix)
    normal = normalize(text)
    match = re.match(rf"^(.+?) (?:{_NOTE_WORDS})$", normal) or re.match(
        rf"^(?:{_NOTE_WORDS}) (?:on |for |about |to )?(.+)$", normal
    )
    if match is None:
        return None
    base = match.group(1)
    for key in bank.questions:
        if normalize(key) == base:
            return key
    return _question_by_text(base, bank, index)


def _fold(text: str) -> str:
    """Text with case and spacing folded, punctuation kept."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _option_of(question: Question, text: str, *, loose: bool = True) -> Option | None:
    """The option a cell or header names: its id as written, its label or id in any case
    and spacing, or (``loose``) without punctuation when that names only one option."""
    options = question.scale.options
    exact = question.scale.option(text.strip())
    if exact is not None:
        return exact
    folded = _fold(text)
    hits = {o for o in options if folded in (_fold(o.label), o.id.casefold())}
    if not hits and loose:
        normal = normalize(text)
        hits = {o for o in options if normal in (normalize(o.label), normalize(o.id))}
    return hits.pop() if len(hits) == 1 else None


def _not_applicable(text: str) -> bool:
    return _fold(text) in _NOT_APPLICABLE or normalize(text) in _NOT_APPLICABLE_WORDS


def _match_column(
    column: Column, bank: Bank, index: _Index, mapping: SurveyMapping | None
) -> Target:
    """What one column holds, before looking at its neighbours."""
    title = normalize(column.title)
    if mapping is not None:
        mapped = mapping.columns.get(normalize(column.header)) or (
            mapping.columns.get(title) if column.sub else None
        )
        if mapped is not None:
            if mapped.kind == "question":
                return _question_target(bank.questions[mapped.key], column, column.sub or None)
            return mapped
    if not column.sub:
        for kind, names in _USUAL_HEADERS:
            if title in names:
                return Target(kind, reason=USUAL_HEADER)
        if title in _TOOL_HEADERS:
            return Target("ignored", reason="the survey tool's own column")
    note = _note_question(column.header, bank, index)
    if note is not None:
        return Target("note", note)
    key = _question_by_text(column.title, bank, index)
    if key is not None:
        return _question_target(bank.questions[key], column, column.sub or None)
    if column.sub:
        # A SurveyMonkey matrix: the question under a shared heading, one per column.
        key = _question_by_text(column.sub, bank, index)
        if key is not None:
            return Target("question", key)
    if not column.sub and title in index.options:
        return Target("option", reason="option label")  # resolved with its neighbours
    return Target("ignored")


def _question_target(question: Question, column: Column, option_text: str | None) -> Target:
    if question.scale.kind == "multi":
        text = option_text
        if text is None and _option_of(question, column.title) is not None:
            text = column.title  # mapped by hand: a Typeform column headed by its option
        if text is not None:
            option = _option_of(question, text)
            if option is None:
                return Target(
                    "ignored",
                    key=question.key,
                    reason=f"not an option of {question.key}",
                )
            return Target("option", question.key, option.id)
    elif option_text is not None:
        return Target("ignored", key=question.key, reason=f"not the answer to {question.key}")
    return Target("question", question.key)


def _resolve_options(
    columns: Sequence[Column], targets: list[Target], bank: Bank, index: _Index
) -> None:
    """Give Typeform's per-option columns (headed by the option label only) their question:
    the only multi question with that option, or the one of the column before. A usual
    header ("E-mail", "Position") between such columns is an option too."""
    for position, column in enumerate(columns):
        target = targets[position]
        previous = targets[position - 1] if position else Target("ignored")
        keys = sorted({key for key, _ in index.options.get(normalize(column.title), [])})
        if target.reason == USUAL_HEADER:
            keys = [key for key in keys if key == previous.key and previous.kind == "option"]
            if not keys:
                continue
        elif target.kind != "option" or target.key:
            continue
        keys = [key for key in keys if key == previous.key] or keys
        options = [(key, _option_of(bank.questions[key], column.title)) for key in keys]
        if len(options) == 1 and options[0][1] is not None:
            key, option = options[0]
            assert option is not None
            targets[position] = Target("option", key, option.id)
        else:
            reason = f"an option of {' and '.join(keys)}; name the question in a mapping file"
            targets[position] = Target("ignored", reason=reason)


@dataclass(frozen=True)
class MatchedColumn:
    """A column and what it was found to hold."""

    header: str
    target: Target
    closest: str | None = None
    """For an ignored column: the closest question key, if any is close."""


def _closest(column: Column, bank: Bank) -> str | None:
    text = normalize(column.sub or column.title)
    if not text:
        return None
    best, best_ratio = None, 0.0
    for key, question in bank.questions.items():
        for candidate in (normalize(question.text), normalize(key)):
            ratio = difflib.SequenceMatcher(None, text, candidate).ratio()
            if ratio > best_ratio:
                best, best_ratio = key, ratio
    return best if best_ratio >= 0.4 else None


# Cell values into answers -----------------------------------------------------------------------


class _BadCell(Exception):
    """A cell that cannot be read as an answer; the message is for people."""


def _suggest(word: str, candidates: Iterable[str], quote: str = '"') -> str:
    names = list(dict.fromkeys(candidates))
    by_normal = {normalize(n): n for n in names}
    matches = difflib.get_close_matches(normalize(word), list(by_normal), n=1, cutoff=0.6)
    if not matches:
        return ""
    return f" (did you mean {quote}{by_normal[matches[0]]}{quote}?)"


def _mapped(question: Question, text: str, mapping: SurveyMapping | None) -> object | None:
    if mapping is None:
        return None
    normal = normalize(text)
    for name in (question.key, question.scale.name):
        labels = mapping.values.get(name)
        if labels is not None and normal in labels:
            return labels[normal]
    return None


def _single_answer(question: Question, text: str, mapping: SurveyMapping | None) -> object:
    """A cell of a points or choices question as a sheet writes it: a number, an id or n/a."""
    mapped = _mapped(question, text, mapping)
    if mapped is not None:
        return mapped
    scale = question.scale
    if scale.kind == "points":
        if _NUMBER.match(text):
            number = float(text.replace(",", "."))
            return int(number) if number.is_integer() else number
        split = _NUMBER_AND_LABEL.match(text) or _LABEL_AND_NUMBER.match(text)
        if split is not None:
            number_text, label = split.groups()
            if not number_text.lstrip("+-").isdigit():
                number_text, label = label, number_text
            option = scale.option(str(int(number_text)))
            if option is not None and normalize(label) == normalize(option.label):
                return int(number_text)
            if option is not None:
                raise _BadCell(
                    f'"{text}": {option.id} is "{option.label}" on scale {scale.name}, '
                    f'not "{label}"'
                )
    option = _option_of(question, text, loose=False)
    if option is None and _not_applicable(text):
        return "n/a"
    option = option or _option_of(question, text)
    if option is not None:
        return int(option.id) if scale.kind == "points" else option.id
    labels = [o.label for o in scale.options]
    hint = _suggest(text, [*labels, *(o.id for o in scale.options if scale.kind != "points")])
    if hint:
        raise _BadCell(f'"{text}" is not a label of scale {scale.name}{hint}')
    if scale.kind == "points":
        allowed = f"{scale.values[0]} to {scale.values[-1]}, " + ", ".join(labels)
    else:
        allowed = ", ".join(labels)
    raise _BadCell(f'"{text}" is not a label of scale {scale.name}; answer {allowed} or n/a')


def _multi_answer(question: Question, text: str, mapping: SurveyMapping | None) -> object:
    """A cell that lists the options chosen, joined with ";" (Microsoft Forms) or ", "
    (Google Forms). Labels may contain commas themselves, so the longest label that fits
    wins."""
    whole = _option_of(question, text, loose=False)
    if whole is None and (_not_applicable(text) or _mapped(question, text, mapping) == "n/a"):
        return "n/a"
    chosen: list[str] = []
    for part in (p for p in text.split(";") if p.strip()):
        pieces = part.split(",")
        start = 0
        while start < len(pieces):
            found = _longest_option(question, pieces, start, mapping)
            if found is None:
                piece = pieces[start].strip()
                if piece:
                    labels = [o.label for o in question.scale.options]
                    raise _BadCell(
                        f'"{piece}" is not an option of {question.key}'
                        + (_suggest(piece, labels) or f"; options: {'; '.join(labels)}")
                    )
                start += 1
                continue
            option_id, start = found
            chosen.append(option_id)
    return chosen


def _longest_option(
    question: Question, pieces: Sequence[str], start: int, mapping: SurveyMapping | None
) -> tuple[str, int] | None:
    """The option the longest run of comma-separated pieces from ``start`` names, and where
    the next run starts: matched as written first, then without punctuation."""
    for loose in (False, True):
        for end in range(len(pieces), start, -1):
            piece = ",".join(pieces[start:end]).strip()
            mapped = _mapped(question, piece, mapping)
            if isinstance(mapped, str) and mapped != "n/a":
                return mapped, end
            option = _option_of(question, piece, loose=loose)
            if option is not None:
                return option.id, end
    return None


def _option_selected(option: Option, text: str) -> bool:
    normal = normalize(text)
    if not normal or normal in _NOT_SELECTED:
        return False
    if normal in _SELECTED or normal in (normalize(option.label), normalize(option.id)):
        return True
    raise _BadCell(f'"{text}" in the column of option "{option.label}": expected it or blank')


# The import -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedSheet:
    """One respondent's row as an answer sheet: answers in the forms a sheet uses."""

    row: int
    respondent: str
    team: str
    role: str | None
    answers: Mapping[str, object]
    """Question key → answer, or ``{"answer": …, "note": …}``; unanswered keys are absent."""

    def data(self) -> dict[str, Any]:
        """The sheet as the plain data of an answer-sheet file."""
        sheet: dict[str, Any] = {"respondent": self.respondent, "team": self.team}
        if self.role:
            sheet["role"] = self.role
        sheet["answers"] = dict(self.answers)
        return sheet


@dataclass(frozen=True)
class SurveyImport:
    """What a survey export holds: one sheet per respondent and what each column was."""

    path: str
    sheets: tuple[ImportedSheet, ...]
    columns: tuple[MatchedColumn, ...]
    encoding: str
    delimiter: str
    header_rows: int
    team_constant: str | None = None
    skipped_rows: tuple[int, ...] = ()
    """Rows with a team but no answer (abandoned responses): no sheet is made for them."""

    @property
    def identity_columns(self) -> tuple[str, ...]:
        """Headers of the columns naming people (names, e-mail addresses)."""
        return tuple(c.header for c in self.columns if c.target.kind in IDENTITY_KINDS)

    @property
    def question_columns(self) -> tuple[MatchedColumn, ...]:
        return tuple(c for c in self.columns if c.target.kind in ("question", "option", "note"))

    @property
    def ignored_columns(self) -> tuple[MatchedColumn, ...]:
        return tuple(c for c in self.columns if c.target.kind == "ignored")


def read_survey(
    path: Path | str,
    bank: Bank,
    mapping: SurveyMapping | None = None,
    *,
    display: str | None = None,
    team: str | None = None,
    keep_identity: bool = False,
    first_number: int = 1,
) -> SurveyImport:
    """Read a survey export into one :class:`ImportedSheet` per respondent, or raise.

    ``team`` (or the mapping's ``team``) is every row's team; otherwise a team column is
    required. Without ``keep_identity`` respondents are ``respondent-001``… in row order
    (from ``first_number``) and no name or e-mail address is kept.
    """
    shown = display if display is not None else str(path)
    table, problems = _read_table(Path(path), shown)
    if table is None:
        raise InputError(problems)
    index = _Index.of(bank)
    targets = [_match_column(c, bank, index, mapping) for c in table.columns]
    _resolve_options(table.columns, targets, bank, index)
    team = team or (mapping.team if mapping else None)
    problems += _column_problems(table, targets, bank, mapping, shown, team)
    matched = tuple(
        MatchedColumn(
            c.header, t, _closest(c, bank) if t.kind == "ignored" and not t.reason else None
        )
        for c, t in zip(table.columns, targets, strict=True)
    )
    if problems:
        raise InputError(problems)
    if not any(t.kind in ("question", "option") for t in targets):
        raise InputError(
            [CsvProblem(shown, 0, 0, "", "no column matches a question of the bank" + _hint(bank))]
        )
    sheets: list[ImportedSheet] = []
    identities: dict[str, int] = {}
    skipped: list[int] = []
    number = first_number
    for row, cells in table.rows:
        if not any(cells):
            continue
        if len(cells) > len(table.columns) and any(cells[len(table.columns) :]):
            problems.append(
                CsvProblem(
                    shown,
                    row,
                    0,
                    "",
                    f"has {len(cells)} cells but the header has {len(table.columns)}; "
                    "is a quote missing?",
                )
            )
            continue
        cells = cells + ("",) * (len(table.columns) - len(cells))
        sheet = _read_row(
            table, targets, bank, mapping, shown, row, cells, team, problems, keep_identity
        )
        if sheet is None:
            number += 1
            continue
        respondent, sheet_team, role, answers = sheet
        if not answers:
            skipped.append(row)  # an abandoned or partial response: not a respondent
            number += 1
            continue
        if respondent is None:
            respondent = f"{RESPONDENT_PREFIX}{number:03d}"
        else:
            earlier = identities.get(slugify(respondent))
            if earlier is not None:
                problems.append(
                    CsvProblem(
                        shown,
                        row,
                        0,
                        "",
                        f"the same respondent as on row {earlier}; keep one of the two rows",
                    )
                )
            identities.setdefault(slugify(respondent), row)
        number += 1
        sheets.append(ImportedSheet(row, respondent, sheet_team, role, answers))
    if problems:
        raise InputError(_capped(problems, shown))
    if not sheets:
        message = "no row answers any question" if skipped else "has no responses, only a header"
        raise InputError([CsvProblem(shown, 0, 0, "", message)])
    return SurveyImport(
        shown,
        tuple(sheets),
        matched,
        table.encoding,
        table.delimiter,
        table.header_rows,
        team,
        tuple(skipped),
    )


def _hint(bank: Bank) -> str:
    example = next(iter(bank.questions.values()))
    return (
        f'; head each question\'s column with its text (such as "{_cut(example.text)}") '
        f"or its key ({example.key}), or name the columns in a mapping file"
    )


def _capped(problems: list[Problem], shown: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    first = sorted(problems, key=lambda p: (p.line, p.column, p.key, p.message))[:MAX_PROBLEMS]
    rest = len(problems) - MAX_PROBLEMS
    note = CsvProblem(shown, 0, 0, "", f"{rest:,} more problems not shown; the first are listed")
    return [*first, note]


def _column_problems(
    table: _Table,
    targets: Sequence[Target],
    bank: Bank,
    mapping: SurveyMapping | None,
    shown: str,
    team: str | None,
) -> list[Problem]:
    """Problems with the columns as a whole: doubled questions, no team, mapped headers that
    are not there."""
    problems: list[Problem] = []
    header_row = 1
    seen: dict[tuple[str, str, str], Column] = {}
    answered_by: dict[str, set[str]] = {}
    for column, target in zip(table.columns, targets, strict=True):
        if target.kind in ("question", "option", "note", "team", "role"):
            slot = (target.kind, target.key, target.option)
            first = seen.get(slot)
            if first is not None:
                what = {
                    "question": f"answers {target.key}",
                    "option": f"is option {target.option} of {target.key}",
                    "note": f"is the note of {target.key}",
                    "team": "names the team",
                    "role": "names the role",
                }[target.kind]
                problems.append(
                    CsvProblem(
                        shown,
                        header_row,
                        column.index + 1,
                        column.shown,
                        f'{what}, as column "{first.shown}" does; '
                        "keep one, or name the one to use in a mapping file",
                    )
                )
            seen.setdefault(slot, column)
        if target.kind in ("question", "option"):
            answered_by.setdefault(target.key, set()).add(target.kind)
    for key, kinds in answered_by.items():
        if len(kinds) > 1:
            problems.append(
                CsvProblem(
                    shown,
                    header_row,
                    0,
                    "",
                    f"{key} is answered both in one column and in a column per option; "
                    "keep one of the two",
                )
            )
    if team is None and not any(t.kind == "team" for t in targets):
        problems.append(
            CsvProblem(
                shown,
                0,
                0,
                "",
                'no team column (such as "Team" or "Which team are you in?"); add one, '
                "give --team, or name the column in a mapping file (columns: {Header: team})",
            )
        )
    if mapping is not None:
        present = {normalize(c.header) for c in table.columns} | {
            normalize(c.title) for c in table.columns
        }
        for normal, (header, line, column_number) in mapping.headers.items():
            if normal not in present:
                problems.append(
                    Problem(
                        mapping.path,
                        line,
                        column_number,
                        f"columns.{header}",
                        f"no column of {shown} is headed so"
                        + _suggest(header, [c.header for c in table.columns]),
                    )
                )
    return problems


def _read_row(
    table: _Table,
    targets: Sequence[Target],
    bank: Bank,
    mapping: SurveyMapping | None,
    shown: str,
    row: int,
    cells: Sequence[str],
    team: str | None,
    problems: list[Problem],
    keep_identity: bool,
) -> tuple[str | None, str, str | None, dict[str, object]] | None:
    """One row as (respondent, team, role, answers), or ``None`` after adding its problems."""
    before = len(problems)
    answers: dict[str, object] = {}
    options: dict[str, list[str]] = {}
    notes: dict[str, tuple[str, Column]] = {}
    identity: dict[str, list[str]] = {}
    row_team, role = team, None
    for column, target, text in zip(table.columns, targets, cells, strict=False):
        kind = target.kind

        def problem(message: str, column: Column = column) -> None:
            problems.append(CsvProblem(shown, row, column.index + 1, column.shown, message))

        if kind == "team" and team is None:
            if not text:
                problem("the team is blank; every answer sheet needs a team")
            row_team = text or None
        elif kind == "role":
            role = text or None
        elif kind in IDENTITY_KINDS:
            if text and normalize(text) != "anonymous":
                identity.setdefault(kind, []).append(text)
        elif kind == "note" and text:
            notes[target.key] = (text, column)
        elif kind == "option":
            question = bank.questions[target.key]
            option = question.scale.option(target.option)
            assert option is not None
            try:
                if _option_selected(option, text):
                    options.setdefault(target.key, []).append(option.id)
            except _BadCell as bad:
                problem(str(bad))
        elif kind == "question" and text:
            question = bank.questions[target.key]
            try:
                if question.scale.kind == "multi":
                    value = _multi_answer(question, text, mapping)
                else:
                    value = _single_answer(question, text, mapping)
                answer_score(question, value)
            except (_BadCell, BadAnswer) as bad:
                problem(str(bad))
                continue
            answers[target.key] = value
    for key, chosen in options.items():
        try:
            answer_score(bank.questions[key], chosen)
        except BadAnswer as bad:
            problems.append(CsvProblem(shown, row, 0, "", f"{key}: {bad}"))
            continue
        answers[key] = chosen
    for key, (note, column) in notes.items():
        if key not in answers:
            problems.append(
                CsvProblem(
                    shown,
                    row,
                    column.index + 1,
                    column.shown,
                    f"a note on {key}, which is not answered; answer it (n/a if it does not "
                    "apply) or clear the note",
                )
            )
            continue
        answers[key] = {"answer": answers[key], "note": note}
    if len(problems) > before or row_team is None:
        return None
    respondent = None
    if keep_identity:
        named = identity.get("respondent") or identity.get("name") or identity.get("email")
        respondent = " ".join(named) if named else None
    ordered = {key: answers[key] for key in bank.questions if key in answers}
    return respondent, row_team, role, ordered


# Answer sheets as files -------------------------------------------------------------------------


def _yaml_scalar(value: object) -> str:
    if isinstance(value, bool) or value is None:
        raise TypeError(value)  # never produced: answers are numbers, ids, lists or n/a
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if (
        _PLAIN_YAML.match(text)
        and text.lower() not in _YAML_WORDS
        and text == text.strip()
        and ": " not in text
    ):
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one
    return _YAML_RAW_REFUSED.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _yaml_value(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        parts = [f"answer: {_yaml_value(value['answer'])}", f"note: {_yaml_scalar(value['note'])}"]
        return "{" + ", ".join(parts) + "}"
    return _yaml_scalar(value)


def sheet_text(sheet: ImportedSheet, source: str, schema_path: str | None) -> str:
    """The answer-sheet file for one imported row, with the schema line editors read."""
    lines = []
    if schema_path:
        lines.append(f"# yaml-language-server: $schema={schema_path}")
    lines.append(f"# Imported by `cxmaturity import` from {Path(source).name}, row {sheet.row}.")
    for name, value in sheet.data().items():
        if name == "answers":
            lines.append("answers:" if value else "answers: {}")
            lines += [f"  {key}: {_yaml_value(answer)}" for key, answer in value.items()]
        else:
            lines.append(f"{name}: {_yaml_scalar(value)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class PlannedSheet:
    """An answer sheet the import will write, and whether it replaces a file."""

    path: Path
    shown: str
    text: str
    sheet: ImportedSheet
    replaces: bool


def plan_import(
    survey: SurveyImport,
    bank: Bank,
    project: Path,
    round_id: str | None,
    *,
    display: str | None = None,
    schema_file: Path | None = None,
    force: bool = False,
) -> list[PlannedSheet]:
    """Where each sheet goes and its text, after checking that writing them is safe.

    Sheets go to ``answers/<round>/<team>/<respondent>.yml`` (``answers/<team>/…`` without
    rounds). Raises :class:`InputError` when a file exists (unless ``force``), when two rows
    would share a file, or when a respondent already answered the round in another file.
    Reads the project; writes nothing.
    """
    shown_root = display if display is not None else str(project)
    folder = project / "answers" / round_id if round_id else project / "answers"
    problems: list[Problem] = []
    planned: list[PlannedSheet] = []
    by_path: dict[Path, ImportedSheet] = {}
    for sheet in survey.sheets:
        team_slug, name_slug = slugify(sheet.team), slugify(sheet.respondent)
        if not team_slug or not name_slug:
            what = "team" if not team_slug else "respondent"
            problems.append(
                CsvProblem(
                    survey.path,
                    sheet.row,
                    0,
                    "",
                    f"the {what} has no letters or digits to name a file with",
                )
            )
            continue
        path = folder / team_slug / f"{name_slug}.yml"
        shown = _shown_path(shown_root, path.relative_to(project))
        earlier = by_path.get(path)
        if earlier is not None:
            problems.append(
                CsvProblem(
                    survey.path,
                    sheet.row,
                    0,
                    "",
                    f"would be written to {shown}, as row {earlier.row} is",
                )
            )
            continue
        by_path[path] = sheet
        exists = path.exists() or path.is_symlink()
        if exists and (not force or not path.is_file() or path.is_symlink()):
            problems.append(
                Problem(
                    shown,
                    0,
                    0,
                    "",
                    "already exists; not overwritten (use --force to replace it)"
                    if path.is_file() and not path.is_symlink()
                    else "exists and is not a regular file; not overwritten",
                )
            )
            continue
        schema = (
            os.path.relpath(schema_file, path.parent).replace(os.sep, "/") if schema_file else None
        )
        planned.append(
            PlannedSheet(path, shown, sheet_text(sheet, survey.path, schema), sheet, exists)
        )
    problems += _respondent_clashes(planned, folder, project, shown_root)
    for item in planned:
        document, read = parse_text(item.text, item.shown)
        built, built_problems = build_sheet(document, bank) if document else (None, read)
        if built is None or read or built_problems:  # pragma: no cover - a bug, not user input
            raise AssertionError(f"imported sheet does not load: {read + built_problems}")
    if problems:
        raise InputError(problems)
    return planned


def _shown_path(root: str, relative: Path) -> str:
    text = relative.as_posix()
    return text if root in ("", ".") else f"{root.rstrip('/')}/{text}"


def _respondent_clashes(
    planned: Sequence[PlannedSheet], folder: Path, project: Path, shown_root: str
) -> list[Problem]:
    """Sheets already in the round whose respondent an imported sheet would repeat.

    Respondents must be unique in a round; a file the import replaces does not count.
    """
    wanted = {item.sheet.respondent: item for item in planned}
    replaced = {item.path for item in planned}
    if not folder.is_dir() or not wanted:
        return []
    problems: list[Problem] = []
    highest = 0
    for existing in sorted(folder.rglob("*")):
        if (
            existing in replaced
            or existing.name.startswith(".")
            or existing.suffix not in (".yml", ".yaml")
            or not existing.is_file()
        ):
            continue
        document, _ = read_document(existing, str(existing))
        respondent = existing.stem
        if document is not None and isinstance(document.data.get("respondent"), str):
            respondent = document.data["respondent"]
        match = re.fullmatch(rf"{RESPONDENT_PREFIX}(\d+)", respondent)
        if match:
            highest = max(highest, int(match.group(1)))
        clash = wanted.get(respondent)
        if clash is not None:
            problems.append(
                Problem(
                    _shown_path(shown_root, existing.relative_to(project)),
                    0,
                    0,
                    "",
                    f"already has respondent '{respondent}', whom row {clash.sheet.row} would "
                    "add again",
                )
            )
    if problems and highest:
        problems.append(
            Problem(
                _shown_path(shown_root, folder.relative_to(project)),
                0,
                0,
                "",
                f"to add these responses to the ones already there, number them on with "
                f"--first-number {highest + 1}",
            )
        )
    return problems


__all__ = [
    "Column",
    "CsvProblem",
    "ImportedSheet",
    "MatchedColumn",
    "PlannedSheet",
    "SurveyImport",
    "SurveyMapping",
    "Target",
    "normalize",
    "plan_import",
    "read_mapping",
    "read_survey",
    "sheet_text",
]
