"""Imported rows as answer-sheet files: their YAML text and where each goes, checked
before anything is written."""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from ..answer_folders import LINKED_FOLDER, linked_folder
from ..answers import build_sheet
from ..model import Bank
from ..problems import InputError, Problem, printable
from ..source import parse_text, read_document
from .survey import RESPONDENT_PREFIX, ImportedSheet, SurveyImport
from .table import CsvProblem

_PLAIN_YAML = re.compile(r"^[^\W\d][\w ./-]*$")
_YAML_RAW_REFUSED = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
"""Characters JSON leaves raw that YAML refuses raw (C1 controls) or reads as line breaks."""
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
MAX_NAME = 100
"""Longest folder or file name made from a team or respondent: file systems allow 255
bytes, and a path of a few such names must still fit where the project is copied to."""
_YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


@functools.lru_cache(maxsize=4096, typed=True)
def _yaml_scalar(value: object) -> str:
    """One value as YAML text: plain where that reads back the same, else double-quoted.

    Remembered: a survey repeats the same few answers on every row.
    """
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


def _naming_problem(team_slug: str, name_slug: str) -> str | None:
    """What is wrong with the folder and file name made from a row's team and respondent."""
    for what, kind, name in (
        ("team", "folder", team_slug),
        ("respondent", "file", f"{name_slug}.yml" if name_slug else ""),
    ):
        if not name:
            return f"the {what} has no letters or digits to name a file with"
        if len(name) > MAX_NAME:
            return (
                f"the {what} makes a {kind} name of {len(name)} characters, more than the "
                f"{MAX_NAME} a folder or file name may have; shorten it"
            )
    return None


def _comment_text(text: str) -> str:
    """Text for a YAML comment: no character that ends the line or that YAML refuses."""
    return _YAML_RAW_REFUSED.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(text))


def sheet_text(sheet: ImportedSheet, source: str, schema_path: str | None) -> str:
    """The answer-sheet file for one imported row, with the schema line editors read."""
    lines = []
    if schema_path:
        lines.append(f"# yaml-language-server: $schema={schema_path}")
    name = _comment_text(Path(source).name)
    lines.append(f"# Imported by `cxmaturity import` from {name}, row {sheet.row}.")
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
    links: set[Path] = set()
    links_of: dict[Path, Path | None] = {}
    for sheet in survey.sheets:
        team_slug, name_slug = slugify(sheet.team), slugify(sheet.respondent)
        naming = _naming_problem(team_slug, name_slug)
        if naming is not None:
            problems.append(CsvProblem(survey.path, sheet.row, 0, "", naming))
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
        if path.parent not in links_of:
            links_of[path.parent] = linked_folder(project, path.parent)
        link = links_of[path.parent]
        if link is not None:
            if link not in links:
                links.add(link)
                shown_link = _shown_path(shown_root, link.relative_to(project))
                problems.append(Problem(shown_link, 0, 0, "", LINKED_FOLDER))
            continue
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
    # Every sheet is made of the same kinds of line; only quoted text (notes, names with
    # punctuation) can surprise a YAML reader, so the first sheet and each sheet with
    # quoted text not seen before are read back in full.
    seen: set[str] = set()
    for number, item in enumerate(planned):
        quoted = set(_QUOTED.findall(item.text))
        if number == 0 or not quoted <= seen:
            _check_loads(item, bank)
            seen |= quoted
    if problems:
        raise InputError(problems)
    return planned


def _check_loads(item: PlannedSheet, bank: Bank) -> None:
    """Read a planned sheet back as the loader will: it must load as it is."""
    document, read = parse_text(item.text, item.shown)
    built, built_problems = build_sheet(document, bank) if document else (None, read)
    if built is None or read or built_problems:  # pragma: no cover - a bug, not user input
        raise AssertionError(f"imported sheet does not load: {read + built_problems}")


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
            or existing.is_symlink()
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
