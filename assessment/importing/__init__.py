"""Turn a survey tool's CSV export into answer sheets (``cxmaturity import``).

Google Forms, Microsoft Forms, Typeform, SurveyMonkey and spreadsheets all export one row
per respondent, but each lays out its columns and joins its multi answers its own way.
This package reads such a file (any of the usual encodings and delimiters,
:mod:`.table`), matches its columns to the bank's questions (:mod:`.columns`, with a
:mod:`.mapping` file for the rest), converts every cell to the form an answer sheet uses
(:mod:`.values`) and checks it with the same :func:`~assessment.answers.answer_score` as
the YAML loader, so a CSV and a YAML file can never disagree about what is a valid answer.
:mod:`.survey` puts these together; :mod:`.sheets` plans the files.

Everything here reads; nothing writes. Every problem of the file is collected first and
raised once, each naming its row (as a spreadsheet numbers it) and column.
"""

from __future__ import annotations

from .columns import MatchedColumn
from .mapping import SurveyMapping, Target, read_mapping
from .sheets import PlannedSheet, plan_import, sheet_text
from .survey import ImportedSheet, SurveyImport, read_survey
from .table import Column, CsvProblem
from .text import normalize

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
