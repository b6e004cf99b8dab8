"""Cells of the CSV files we write, safe to open in a spreadsheet.

Excel, LibreOffice and Google Sheets run a text cell that starts with ``=``, ``+``, ``-``
or ``@`` as a formula (``=HYPERLINK("http://…?"&A1, …)`` sends the sheet's data away), and
a leading tab or carriage return can hide such a start. As OWASP recommends ("CSV
Injection"), such text cells get a leading ``'``, which spreadsheets read as "this is
text" and do not show; numbers stay numbers. Every CSV we write goes through
:func:`csv_text` or :func:`records_csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a text cell that a spreadsheet would read as a formula starts."""


def spreadsheet_cell(value: object) -> object:
    """``value`` as a CSV cell: text a spreadsheet would run as a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[object]], *, line_end: str = "\n") -> str:
    """Rows of cells as CSV text, every text cell made safe for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end)
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def records_csv(
    columns: Sequence[str], records: Iterable[Mapping[str, object]], *, line_end: str = "\n"
) -> str:
    """A header row of ``columns``, then one row per record (a missing key: empty)."""
    return csv_text(
        [columns, *([record.get(name) for name in columns] for record in records)],
        line_end=line_end,
    )
