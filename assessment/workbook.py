"""The scores and the plan as one spreadsheet (``cxmaturity export --format xlsx``).

Sheets: **Overall** (one row per round), **Dimensions**, **Questions** (with n, spread and,
when the results carry them, intervals and agreement), **Teams**, **Roles** and **Plan**
(with each item's owner, due date and status from ``actions.yml``). Every cell is taken
from :func:`assessment.document.results_document`, the document ``score --format json``
prints, so the workbook holds exactly its numbers: numbers stay numbers (with a number
format for reading), text stays text.

* Text is written as text: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is stored as a string with Excel's quote prefix, never as a formula.
* Header rows are frozen and carry a filter.
* The same input gives the same bytes: the document properties carry the round's date,
  and every part of the zip the same timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from .cells import FORMULA_STARTS
from .document import results_document
from .model import Assessment
from .planning import TuneUpPlan
from .scoring import Results
from .tracking import round_day

Kind = Literal["text", "int", "score", "share", "delta", "number", "date", "bool"]
FORMATS: dict[Kind, str] = {
    "int": "0",
    "score": "0.0",
    "share": "0.0%",
    "delta": "+0.0;-0.0;0.0",
    "number": "General",
    "date": "yyyy-mm-dd",
}
WIDTHS: dict[Kind, int] = {"text": 24, "date": 12, "bool": 10}
UNDATED = dt.date(2000, 1, 1)
"""The date of a workbook whose assessment has none (as the site's build date)."""
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="E8EAF0")


@dataclass(frozen=True)
class Column:
    """One column: its header, how to get its value from a row, and what kind it is."""

    header: str
    value: Callable[[dict[str, Any]], Any]
    kind: Kind = "text"
    width: int | None = None


def _key(name: str) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row.get(name)


def _part(name: str, index: int) -> Callable[[dict[str, Any]], Any]:
    def value(row: dict[str, Any]) -> Any:
        pair = row.get(name)
        return pair[index] if pair else None

    return value


def _iso_date(name: str) -> Callable[[dict[str, Any]], Any]:
    def value(row: dict[str, Any]) -> Any:
        text = row.get(name)
        return dt.date.fromisoformat(text) if text else None

    return value


def _when_present(
    rows: Sequence[dict[str, Any]], name: str, columns: Sequence[Column]
) -> list[Column]:
    """``columns`` when any row has the key ``name`` (a figure not every result carries)."""
    return list(columns) if any(name in row for row in rows) else []


def _interval(rows: Sequence[dict[str, Any]]) -> list[Column]:
    return _when_present(
        rows,
        "interval",
        [
            Column("90% low", _part("interval", 0), "score"),
            Column("90% high", _part("interval", 1), "score"),
        ],
    )


FIGURES = [
    Column("Score", _key("score"), "score"),
    Column("Level", _key("level")),
    Column("Coverage", _key("coverage"), "share"),
    Column("To target", _key("to_target"), "share"),
    Column("Change", _key("delta"), "delta"),
    Column("Progress", _key("progress"), "share"),
    Column("Asked", _key("asked"), "int"),
    Column("Answered", _key("answered"), "int"),
    Column("N/a", _key("na"), "int"),
    Column("Unanswered", _key("unanswered"), "int"),
    Column("Low confidence", _key("low_confidence"), "bool"),
]


def _overall(document: dict[str, Any]) -> tuple[list[Column], list[dict[str, Any]]]:
    current = document["round"]["id"]
    rows = []
    for entry in document["rounds"]:
        row = {"round": entry["id"]} | {k: v for k, v in entry.items() if k != "dimensions"}
        if entry["id"] == current:
            row |= {k: v for k, v in document["overall"].items() if k != "dimensions"}
        rows.append(row)
    columns = [
        Column("Round", _key("round")),
        Column("Respondents", _key("respondents"), "int"),
        *FIGURES[:1],
        *_interval(rows),
        *FIGURES[1:],
    ]
    return columns, rows


def _dimensions(document: dict[str, Any]) -> tuple[list[Column], list[dict[str, Any]]]:
    rows = document["overall"]["dimensions"]
    columns = [
        Column("Dimension", _key("id"), width=16),
        Column("Title", _key("title"), width=30),
        Column("Weight", _key("weight"), "number"),
        Column("Respondents", _key("respondents"), "int"),
        *FIGURES[:1],
        *_interval(rows),
        *FIGURES[1:],
    ]
    return columns, rows


def _questions(document: dict[str, Any]) -> tuple[list[Column], list[dict[str, Any]]]:
    rows = [
        {"dimension": d["id"]} | q
        for d in document["overall"]["dimensions"]
        for q in d["questions"]
    ]
    columns = [
        Column("Dimension", _key("dimension"), width=16),
        Column("Question", _key("key"), width=30),
        Column("Text", _key("text"), width=60),
        Column("Weight", _key("weight"), "number"),
        Column("Score", _key("score"), "score"),
        *_interval(rows),
        Column("n", _key("n"), "int"),
        Column("N/a", _key("na"), "int"),
        Column("Unanswered", _key("unanswered"), "int"),
        *_when_present(rows, "dont_know", [Column("Don't know", _key("dont_know"), "int")]),
        Column("Spread (sd)", _key("sd"), "score"),
        Column("Lowest", _key("min"), "score"),
        Column("Highest", _key("max"), "score"),
        *_when_present(
            rows,
            "agreement",
            [
                Column("Agreement", _key("agreement"), "number"),
                Column("Agreement label", _key("agreement_label")),
            ],
        ),
        Column("Disagreement", _key("disagreement"), "bool"),
        Column("Low confidence", _key("low_confidence"), "bool"),
        Column("Change", _key("delta"), "delta"),
    ]
    return columns, rows


def _groups(
    document: dict[str, Any], kind: str, header: str
) -> tuple[list[Column], list[dict[str, Any]]]:
    rows = document[kind]
    titles = [(d["id"], d["title"]) for d in document["overall"]["dimensions"]]

    def dimension_score(dimension_id: str) -> Callable[[dict[str, Any]], Any]:
        def value(row: dict[str, Any]) -> Any:
            for entry in row.get("dimensions", ()):
                if entry["id"] == dimension_id:
                    return entry["score"]
            return None

        return value

    columns = [
        Column(header, _key("name")),
        Column("Respondents", _key("respondents"), "int"),
        Column("Shown", _key("shown"), "bool"),
        *FIGURES[:1],
        *_interval(rows),
        *FIGURES[1:5],
        *(Column(title, dimension_score(i), "score", width=16) for i, title in titles),
    ]
    return columns, rows


def _plan(document: dict[str, Any]) -> tuple[list[Column], list[dict[str, Any]]]:
    actions = document.get("actions") or {}
    state = {a["id"]: a for a in actions.get("items", ())}
    rows = [item | {"action": state.get(item["id"], {})} for item in document["plan"]]

    def action(name: str) -> Callable[[dict[str, Any]], Any]:
        return lambda row: row["action"].get(name)

    def action_date(name: str) -> Callable[[dict[str, Any]], Any]:
        return lambda row: _iso_date(name)(row["action"])

    columns = [
        Column("Rank", _key("rank"), "int", width=8),
        Column("When", _key("horizon"), width=10),
        Column("Item", _key("id"), width=36),
        Column("Title", _key("title"), width=40),
        Column("Dimension", _key("dimension"), width=16),
        Column("Question", _key("question"), width=30),
        Column("Score", _key("score"), "score"),
        Column("Applies below", _key("below"), "number"),
        Column("Gap", _key("gap"), "score"),
        Column("Expected gain", _key("gain"), "delta"),
        Column("Priority", _key("priority"), "score"),
        Column("Effort", _key("effort"), width=10),
        Column("Impact", _key("impact"), width=10),
        Column("Quick win", _key("quick_win"), "bool"),
        Column("Status", action("status"), width=12),
        Column("Owner", action("owner")),
        Column("Due", action_date("due"), "date"),
        Column("Done", action_date("done"), "date"),
        Column("Overdue", action("overdue"), "bool"),
        Column("Note", action("note"), width=40),
        Column("Link", action("link"), width=40),
    ]
    return columns, rows


def _write_text(cell: Any, text: str) -> None:
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # and Excel keeps it text when someone edits the cell


def _fill(sheet: Worksheet, columns: Sequence[Column], rows: Sequence[dict[str, Any]]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        _write_text(cell, column.header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        width = column.width or WIDTHS.get(column.kind, 12)
        sheet.column_dimensions[get_column_letter(index)].width = max(width, len(column.header) + 2)
    for row_number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = column.value(row)
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=index)
            if isinstance(value, str):
                _write_text(cell, value)
            else:
                cell.value = value
                if isinstance(value, float):
                    # openpyxl writes numbers with 16 significant digits, which can change
                    # the last bit of a float; repr gives the shortest text that reads
                    # back as the same float, so the cell holds exactly the JSON's number.
                    cell._value = repr(value)  # type: ignore[union-attr]
                if column.kind in FORMATS:
                    cell.number_format = FORMATS[column.kind]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"


def _reproducible(data: bytes, day: dt.date) -> bytes:
    """The same zip with every part stamped ``day`` (zip entries carry the time written)."""
    stamp = (day.year, day.month, day.day, 0, 0, 0)
    out = io.BytesIO()
    with ZipFile(io.BytesIO(data)) as source, ZipFile(out, "w", ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = ZipInfo(info.filename, date_time=stamp)
            part.compress_type = ZIP_DEFLATED
            part.external_attr = 0o644 << 16
            target.writestr(part, source.read(info.filename))
    return out.getvalue()


def workbook(assessment: Assessment, results: Results, plan: TuneUpPlan) -> bytes:
    """The scores and the plan as the bytes of an ``.xlsx`` file."""
    document = results_document(assessment, results, plan)
    day = round_day(assessment, results) or UNDATED
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    sheets = {
        "Overall": _overall(document),
        "Dimensions": _dimensions(document),
        "Questions": _questions(document),
        "Teams": _groups(document, "teams", "Team"),
        "Roles": _groups(document, "roles", "Role"),
        "Plan": _plan(document),
    }
    for title, (columns, rows) in sheets.items():
        _fill(book.create_sheet(title), columns, rows)
    when = dt.datetime(day.year, day.month, day.day)
    properties = book.properties
    properties.creator = "cxmaturity"
    properties.title = f"{' '.join(assessment.settings.client.split())}: maturity scores"
    properties.created = properties.modified = when
    properties.lastModifiedBy = None
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return _reproducible(buffer.getvalue(), day)
