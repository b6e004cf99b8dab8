"""Finding and reading the answer sheets of a project: ``answers/**`` and nothing else.

Links are never followed (a sheet or folder that is a link is reported), every sheet is
checked against the bank of its round, and what would otherwise be skipped without a word
(a file that is not YAML, a sheet saved beside ``assessment.yml``, an exact copy of a
sheet) gets a warning.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .answer_folders import LINKED_FOLDER
from .answers import build_sheet
from .model import PROJECT_FILE, Bank, Sheet
from .names import Field, NamePlace
from .problems import Problem, did_you_mean
from .source import read_document

ANSWER_SUFFIXES = (".yml", ".yaml")
DEFAULT_ROUND = "current"
PROJECT_FILES = frozenset({PROJECT_FILE, "actions.yml", "mkdocs.yml"})
"""YAML files of the project root that are not answer sheets."""
NOT_SHEETS = (".md", ".txt")
"""Files under answers/ that are plainly notes, not sheets: read by people, not warned about."""
NAME_FIELDS: tuple[Field, ...] = ("team", "role")
_ANSWERS_KEY = re.compile(r"^answers\s*:", re.MULTILINE)


def join(display: str, relative: str) -> str:
    """``relative`` as shown to people, under the project as they named it."""
    return relative if display in ("", ".") else f"{display.rstrip('/')}/{relative}"


def is_sheet_name(name: str) -> bool:
    """Whether a file name is one of an answer sheet (``.yml``/``.yaml``, any case)."""
    return not name.startswith(".") and name.lower().endswith(ANSWER_SUFFIXES)


def answer_files(root: Path, display: str) -> Iterator[tuple[Path, str, list[Problem]]]:
    """Every YAML file under ``answers/``, sorted, never following links out of the project.

    A file comes with its problems (a link: not read) or warnings (not a sheet: not read).
    """
    answers = root / "answers"
    real_root = Path(os.path.realpath(root))
    if answers.is_symlink():
        yield (
            answers,
            join(display, "answers"),
            [Problem(join(display, "answers"), 0, 0, "", LINKED_FOLDER)],
        )
        return
    for folder, dirnames, filenames in os.walk(answers):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            shown = join(display, relative)
            if not is_sheet_name(name):
                if not name.startswith(".") and not name.lower().endswith(NOT_SHEETS):
                    message = "not read: answer sheets are .yml or .yaml files"
                    yield path, shown, [Problem(shown, 0, 0, "", message, warning=True)]
                continue
            if path.is_symlink():
                # realpath, unlike resolve(), does not raise on a link loop
                target = Path(os.path.realpath(path))
                where = "outside" if not target.is_relative_to(real_root) else "inside"
                message = f"is a link to a file {where} the project; answer sheets must be files"
                yield path, shown, [Problem(shown, 0, 0, "", message + " (not followed)")]
                continue
            yield path, shown, []
        for name in dirnames:
            link = Path(folder) / name
            if link.is_symlink():
                shown = join(display, link.relative_to(root).as_posix())
                yield link, shown, [Problem(shown, 0, 0, "", LINKED_FOLDER)]


def stray_sheets(root: Path, display: str) -> list[Problem]:
    """Warnings for answer sheets saved in the project folder itself, where none is read."""
    warnings = []
    for path in sorted(root.iterdir()):
        if not path.is_file() or path.is_symlink() or not is_sheet_name(path.name):
            continue
        if path.name in PROJECT_FILES:
            continue
        try:
            with path.open("rb") as handle:
                head = handle.read(65536).decode("utf-8", errors="replace")
        except OSError:
            continue
        if _ANSWERS_KEY.search(head):
            shown = join(display, path.name)
            warnings.append(
                Problem(
                    shown,
                    0,
                    0,
                    "",
                    "looks like an answer sheet, but only sheets under answers/ are read: "
                    f"move it to {join(display, 'answers/')}",
                    warning=True,
                )
            )
    return warnings


@dataclass
class SheetsRead:
    """What reading the sheets found: sheets by round, where each names its team and role,
    the sheets that do not name their respondent, problems and warnings."""

    sheets: dict[str, list[Sheet]]
    places: dict[tuple[str, Field], NamePlace] = field(default_factory=dict)
    unnamed: dict[str, bytes] = field(default_factory=dict)
    """Sheets that do not name their respondent, with a digest of their bytes."""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while reading sheets.

    Reading makes no reference cycles, but every sheet keeps a few dozen tracked objects,
    and full collections over that growing heap cost a third of the load time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_sheets(
    root: Path,
    display: str,
    round_ids: list[str],
    banks: Mapping[str, Bank | None],
) -> SheetsRead:
    """Read every answer sheet by round, each checked against its round's bank."""
    found = SheetsRead({r: [] for r in round_ids or [DEFAULT_ROUND]})
    respondents: dict[tuple[str, str], str] = {}
    for path, shown, file_problems in answer_files(root, display):
        if file_problems:
            for problem in file_problems:
                (found.warnings if problem.warning else found.problems).append(problem)
            continue
        parts = path.relative_to(root / "answers").parts
        round_id = DEFAULT_ROUND
        if round_ids:
            if len(parts) < 2 or parts[0] not in round_ids:
                folder = parts[0] if len(parts) > 1 else ""
                hint = did_you_mean(folder, round_ids) if folder else ""
                found.problems.append(
                    Problem(
                        shown,
                        0,
                        0,
                        "",
                        f"not in a round folder{hint}: answer sheets go in answers/<round>/, "
                        f"rounds are {', '.join(round_ids)}",
                    )
                )
                continue
            round_id = parts[0]
        sheet_document, read_problems = read_document(path, shown)
        found.problems += read_problems
        bank = banks.get(round_id)
        if sheet_document is None or bank is None:
            continue
        sheet, sheet_problems = build_sheet(sheet_document, bank)
        found.problems += sheet_problems
        if sheet is None or read_problems:
            continue
        earlier = respondents.get((round_id, sheet.respondent))
        if earlier is not None:
            found.problems.append(
                sheet_document.problem(
                    ("respondent",),
                    f"respondent '{sheet.respondent}' already answered this round in {earlier}",
                )
            )
            continue
        respondents[(round_id, sheet.respondent)] = shown
        found.sheets[round_id].append(sheet)
        for name in NAME_FIELDS:
            line, column = sheet_document.locate((name,))
            found.places[(sheet.path, name)] = NamePlace(shown, line, column)
        data = sheet_document.data
        if isinstance(data, dict) and data.get("respondent") is None:
            found.unnamed[sheet.path] = hashlib.blake2b(path.read_bytes()).digest()
    return found


def copied_sheets(sheets: Mapping[str, list[Sheet]], unnamed: Mapping[str, bytes]) -> list[Problem]:
    """Warnings for sheets whose file is byte for byte another sheet's of the same round
    where neither names its respondent: one file copied, which would count twice."""
    warnings = []
    for round_sheets in sheets.values():
        seen: dict[bytes, Sheet] = {}
        for sheet in round_sheets:
            digest = unnamed.get(sheet.path)
            if digest is None:
                continue
            first = seen.setdefault(digest, sheet)
            if first is not sheet:
                warnings.append(
                    Problem(
                        sheet.path,
                        0,
                        0,
                        "",
                        f"the same file as {first.path}, and neither names its respondent: "
                        "a copied file counts twice (delete one, or add respondent: to each)",
                        warning=True,
                    )
                )
    return warnings
