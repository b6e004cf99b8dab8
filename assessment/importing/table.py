"""Reading a survey export: its encoding, delimiter, header rows and cells."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..problems import Problem, printable
from .text import HEADER_SHOWN, cut, normalize

SNIFF_CHARS = 4096
"""What the standard library's dialect sniffer sees: its guess takes time quadratic in the
length of a line, and the first rows are checked against it anyway."""
MAX_CSV_BYTES = 50 * 1024 * 1024
"""Largest survey export read: 50 MB is about 100,000 responses to 50 questions."""
_SUB_HEADERS = frozenset({"", "response", "open ended response"})
"""SurveyMonkey's second header row says "Response" where a column is the whole answer."""


@dataclass(frozen=True)
class CsvProblem(Problem):
    """A problem in a CSV file: ``file.csv:row 14, column "Header…": message``.

    ``line`` is the row as a spreadsheet numbers it (header rows included; 0 for the file
    as a whole), ``column`` the 1-based column, ``key`` the header as shown.
    """

    def __str__(self) -> str:
        place = printable(self.path)
        if self.line:
            place += f":row {self.line}"
        if self.key:
            key = printable(self.key)
            place += f', column "{key}"' if self.line else f': column "{key}"'
        return f"{place}: {printable(self.message)}"


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
            return cut(self.title)
        room = max(12, HEADER_SHOWN - len(self.sub) - 3)
        title = " ".join(self.title.split())
        if len(title) > room:
            title = title[: room - 1].rstrip() + "…"
        return f"{title} / {self.sub}"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells)
    encoding: str
    delimiter: str
    header_rows: int


def decode(raw: bytes) -> tuple[str, str] | None:
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


def read_records(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    dialect = type("_Chosen", (_Dialect,), {"delimiter": delimiter})
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    records = []
    for record in reader:
        records.append(record)
        if limit is not None and len(records) >= limit:
            break
    return records


def choose_delimiter(text: str) -> str:
    """The delimiter: the sniffer's guess if the first rows agree with it, else the one that
    splits the first rows into equally long records, most columns first."""
    sample = text[:65536]
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample[:SNIFF_CHARS], delimiters=",;\t").delimiter
    except csv.Error:
        sniffed = None
    candidates = [d for d in (sniffed, ",", ";", "\t") if d is not None]
    best: tuple[int, int, str] | None = None
    for delimiter in dict.fromkeys(candidates):
        try:
            records = read_records(sample, delimiter, 30)
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


def _cell(text: str) -> str:
    """A cell without surrounding space, its line breaks as ``\\n``."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def read_table(path: Path, display: str) -> tuple[Table | None, list[Problem]]:
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
    decoded = decode(raw)
    if decoded is None:
        return fail("not text in UTF-8 or Windows-1252; save it from your spreadsheet as CSV UTF-8")
    text, encoding = decoded
    if text.count("\x00") > len(text) // 10:  # UTF-16 without a byte-order mark, or binary
        return fail("is not text (it is full of NUL characters); save it as CSV UTF-8")
    if not text.strip():
        return fail("file is empty")
    delimiter = choose_delimiter(text)
    try:
        records = read_records(text, delimiter)
    except csv.Error as error:
        return fail(f"cannot be read as CSV: {error}")
    clean = _cell if "\r" in text else str.strip  # most files have no \r left in a cell
    numbered = [
        (number, tuple(map(clean, record))) for number, record in enumerate(records, start=1)
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
    return Table(tuple(columns), rows, encoding, delimiter, header_rows), []
