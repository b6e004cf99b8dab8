"""Filing returned answer sheets (``cxmaturity collect``): check each one, then plan where
it goes; nothing is written here.

A sheet goes to ``answers/<round>/<team>/<respondent>.yml`` (``answers/<team>/…`` without
rounds), named after its team as the project lists it and its respondent; a sheet that
names no respondent gets the next free ``respondent-NNN``, the name ``cxmaturity import``
gives, so that its respondent (its file name) is unique in the round. Every sheet must
load as ``validate`` would load it, no file is replaced unless asked, and a sheet already
filed byte for byte is recognised rather than filed twice.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from slugify import slugify

from .answers import build_sheet
from .model import Assessment, Sheet
from .names import folded
from .problems import InputError, Problem, did_you_mean
from .sheet_files import DEFAULT_ROUND, join
from .source import parse_text, read_text

RESPONDENT_PREFIX = "respondent-"
"""How a sheet without a respondent is named, as ``cxmaturity import`` names them."""
SCHEMA_LINE = "# yaml-language-server: $schema="
"""A sheet's first line that tells editors its schema; its path is made right for where
the sheet is filed."""
_NUMBERED = re.compile(rf"{RESPONDENT_PREFIX}(\d+)")


@dataclass(frozen=True)
class CollectedSheet:
    """A returned sheet and where it goes. ``already`` names the file it is already filed
    as, byte for byte (then nothing is written); ``replaces`` says a file is replaced."""

    source: str
    path: Path
    shown: str
    content: bytes
    team: str
    replaces: bool = False
    already: str | None = None


def round_folder(project: Path, round_id: str) -> Path:
    """``answers/<round>``, or ``answers`` for a project without rounds."""
    return project / "answers" if round_id == DEFAULT_ROUND else project / "answers" / round_id


def _with_schema_line(text: str, path: Path, schema: Path | None) -> str:
    """The sheet with its schema line (if it has one) pointing at ``schema`` from ``path``."""
    first, newline, rest = text.partition("\n")
    if schema is None or not first.startswith(SCHEMA_LINE):
        return text
    relative = os.path.relpath(schema, path.parent).replace(os.sep, "/")
    ending = "\r" if first.endswith("\r") else ""
    return f"{SCHEMA_LINE}{relative}{ending}{newline}{rest}"


def _linked(project: Path, folder: Path) -> Path | None:
    """The first folder from ``answers/`` down to ``folder`` that is a link, if any."""
    for part in [folder, *folder.parents]:
        if part == project:
            return None
        if part.is_symlink():
            return part
    return None


def _team_name(sheet: Sheet, teams: Sequence[str]) -> tuple[str | None, str | None]:
    """The sheet's team as the project lists it, or why it cannot be filed."""
    if not teams:
        return sheet.team, None
    for name in teams:
        if folded(name) == folded(sheet.team):
            return name, None
    return None, (
        f"unknown team '{sheet.team}'"
        + did_you_mean(sheet.team, teams)
        + f"; teams are {', '.join(teams)}"
    )


def plan_collect(
    files: Sequence[Path],
    assessment: Assessment,
    round_id: str,
    *,
    schema: Path | None = None,
    force: bool = False,
) -> list[CollectedSheet]:
    """Where each of ``files`` goes in ``round_id``, after checking every one of them.

    Raises :class:`InputError` with every problem of every file: a sheet that does not
    load against the round's bank, a team the project does not list, a respondent who
    already answered the round in another file, two sheets for one file, a file in the way
    (unless ``force``) or a linked folder. Reads the project; writes nothing.
    """
    project = Path(assessment.root)
    round_ = assessment.round(round_id)
    bank = assessment.bank_of(round_)
    folder = round_folder(project, round_id)
    existing = {filed.respondent: filed.path for filed in round_.sheets}
    contents: dict[bytes, str] = {}
    for filed in round_.sheets:
        try:
            contents.setdefault(Path(filed.path).read_bytes(), filed.path)
        except OSError:
            continue
    numbers = [int(m.group(1)) for r in existing if (m := _NUMBERED.fullmatch(r))]
    next_number = max(numbers, default=0) + 1
    problems: list[Problem] = []
    planned: list[CollectedSheet] = []
    targets: dict[Path, str] = {}
    respondents: dict[str, str] = {}
    for file in files:
        source = str(file)
        text, read_problems = read_text(file, source)
        problems += read_problems
        if text is None:
            continue
        document, parse_problems = parse_text(text, source)
        problems += parse_problems
        if document is None or parse_problems:
            continue
        sheet, sheet_problems = build_sheet(document, bank)
        problems += sheet_problems
        if sheet is None:
            continue
        team, why = _team_name(sheet, assessment.settings.teams)
        if team is None:
            problems.append(document.problem(("team",), why or ""))
            continue
        named = document.data.get("respondent") is not None
        respondent = sheet.respondent if named else f"{RESPONDENT_PREFIX}{next_number:03d}"
        team_slug, name_slug = slugify(team), slugify(respondent)
        if not team_slug or not name_slug:
            what = "team" if not team_slug else "respondent"
            message = f"the {what} has no letters or digits to name a file with"
            problems.append(document.problem((what,), message))
            continue
        path = folder / team_slug / f"{name_slug}.yml"
        shown = join(assessment.root, path.relative_to(project).as_posix())
        content = _with_schema_line(text, path, schema).encode("utf-8")
        already = contents.get(content)
        if already is not None:
            planned.append(
                CollectedSheet(source, Path(already), already, content, team, False, already)
            )
            continue
        if not named:
            next_number += 1
        link = _linked(project, path.parent)
        if link is not None:
            problems.append(
                Problem(
                    join(assessment.root, link.relative_to(project).as_posix()),
                    0,
                    0,
                    "",
                    "is a link to a folder; answer folders must be real folders (not written to)",
                )
            )
            continue
        earlier = targets.get(path)
        if earlier is not None:
            problems.append(
                Problem(source, 0, 0, "", f"would be filed as {shown}, as {earlier} is")
            )
            continue
        targets[path] = source
        answered = existing.get(respondent)
        if answered is not None and answered != shown:
            problems.append(
                document.problem(
                    ("respondent",),
                    f"respondent '{respondent}' already answered this round in {answered}",
                )
            )
            continue
        twice = respondents.get(respondent)
        if twice is not None:
            problems.append(
                document.problem(
                    ("respondent",), f"respondent '{respondent}' also answered in {twice}"
                )
            )
            continue
        respondents[respondent] = source
        exists = path.exists() or path.is_symlink()
        if exists and (not force or not path.is_file() or path.is_symlink()):
            message = (
                "already exists; not overwritten (use --force to replace it)"
                if path.is_file() and not path.is_symlink()
                else "exists and is not a regular file; not overwritten"
            )
            problems.append(Problem(shown, 0, 0, "", f"{message}: {source} would be filed there"))
            continue
        planned.append(CollectedSheet(source, path, shown, content, team, exists))
    if problems:
        raise InputError(problems)
    return planned
