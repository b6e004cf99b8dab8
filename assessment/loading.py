"""Load and validate banks, answer sheets and ``assessment.yml`` into an :class:`Assessment`.

Every file is read and checked before anything is raised, so one run reports every
problem of the project at once, each as ``path:line:column: key: message``.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pydantic

from .answers import BadAnswer, answer_score, build_sheet
from .banks import build_bank, bundled_banks, bundled_path, load_bank, merge_banks
from .formats import ProjectSpec
from .model import PROJECT_FILE, Assessment, Bank, Round, Settings, Sheet
from .problems import InputError, Problem, did_you_mean
from .source import Document, Location, format_location, read_document
from .spec_errors import spec_problems

ANSWER_SUFFIXES = (".yml", ".yaml")
DEFAULT_ROUND = "current"

MATERIAL_COLOURS = [
    "red",
    "pink",
    "purple",
    "deep-purple",
    "indigo",
    "blue",
    "light-blue",
    "cyan",
    "teal",
    "green",
    "light-green",
    "lime",
    "yellow",
    "amber",
    "orange",
    "deep-orange",
    "brown",
    "grey",
    "blue-grey",
    "black",
    "white",
]
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}\Z")  # \Z: "$" would let a line break through


# The project --------------------------------------------------------------------------------


def _answer_files(root: Path, display: str) -> Iterator[tuple[Path, str, list[Problem]]]:
    """Every YAML file under ``answers/``, sorted, never following links out of the project."""
    answers = root / "answers"
    real_root = Path(os.path.realpath(root))
    if answers.is_symlink():
        message = "is a link to a folder; answer folders must be real folders (not followed)"
        yield (
            answers,
            _join(display, "answers"),
            [Problem(_join(display, "answers"), 0, 0, "", message)],
        )
        return
    for folder, dirnames, filenames in os.walk(answers):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(ANSWER_SUFFIXES):
                continue
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            shown = _join(display, relative)
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
                shown = _join(display, link.relative_to(root).as_posix())
                message = (
                    "is a link to a folder; answer folders must be real folders (not followed)"
                )
                yield link, shown, [Problem(shown, 0, 0, "", message)]


def _join(display: str, relative: str) -> str:
    return relative if display in ("", ".") else f"{display.rstrip('/')}/{relative}"


def _load_project_banks(
    spec: ProjectSpec, document: Document, root: Path, display: str, problems: list[Problem]
) -> Bank | None:
    banks = []
    bundled = bundled_banks()
    dimension_ids: dict[str, str] = {}
    for index, entry in enumerate(spec.bank):
        where: Location = ("bank",) if len(spec.bank) == 1 else ("bank", index)
        if "/" in entry or entry.endswith(ANSWER_SUFFIXES):
            path, shown = root / entry, _join(display, entry)
        elif (root / "banks" / f"{entry}.yml").exists():
            path, shown = root / "banks" / f"{entry}.yml", _join(display, f"banks/{entry}.yml")
        elif entry in bundled:
            path, shown = bundled[entry], str(bundled[entry])
        else:
            problems.append(
                document.problem(
                    where,
                    f"unknown bank '{entry}'"
                    + did_you_mean(entry, bundled)
                    + f"; bundled banks: {', '.join(bundled)}; or give a path to a bank file",
                )
            )
            continue
        if not path.exists():
            problems.append(document.problem(where, f"bank file not found: {shown}"))
            continue
        try:
            bank = load_bank(path, shown)
        except InputError as error:
            problems += error.problems
            continue
        for dimension in bank.dimensions:
            if dimension.id in dimension_ids:
                problems.append(
                    document.problem(
                        where,
                        f"dimension '{dimension.id}' is in both {dimension_ids[dimension.id]} "
                        f"and {shown}",
                    )
                )
            dimension_ids[dimension.id] = shown
        banks.append(bank)
    if not banks or len(banks) != len(spec.bank):
        return None
    return merge_banks(banks)


def _settings(
    spec: ProjectSpec, document: Document, root: Path, display: str, problems: list[Problem]
) -> Settings:
    for name in ("primary", "accent"):
        colour = getattr(spec.branding, name)
        if colour not in MATERIAL_COLOURS and not _HEX_COLOUR.match(colour):
            problems.append(
                document.problem(
                    ("branding", name),
                    f"unknown colour '{colour}'"
                    + did_you_mean(colour, sorted(MATERIAL_COLOURS))
                    + "; use a Material colour name (indigo, teal, ...) or #rrggbb",
                )
            )
    logo = spec.branding.logo
    if logo is not None:
        logo_path = root / logo
        if not logo_path.resolve().is_relative_to(root.resolve()):
            problems.append(
                document.problem(("branding", "logo"), "the logo must be inside the project")
            )
        elif not logo_path.is_file():
            problems.append(
                document.problem(
                    ("branding", "logo"), f"logo file not found: {_join(display, logo)}"
                )
            )
    roles = spec.roles
    return Settings(
        client=spec.client,
        target=spec.target,
        date=spec.date,
        min_group_size=spec.report.min_group_size,
        show_respondents=spec.report.show_respondents,
        leadership_roles=tuple(roles.leadership) if roles else (),
        frontline_roles=tuple(roles.frontline) if roles else (),
        primary=spec.branding.primary,
        accent=spec.branding.accent,
        logo=logo,
    )


def _read_config(root: Path, display: str) -> tuple[ProjectSpec, Document, list[Problem]]:
    """Read and check ``assessment.yml``; raises when it cannot be used at all."""
    config_shown = _join(display, PROJECT_FILE)
    if not root.is_dir():
        raise InputError([Problem(display, 0, 0, "", "project folder not found")])
    if not (root / PROJECT_FILE).exists():
        raise InputError(
            [
                Problem(
                    config_shown,
                    0,
                    0,
                    "",
                    "file not found: is this a cxmaturity project? (`cxmaturity init` makes one)",
                )
            ]
        )
    document, problems = read_document(root / PROJECT_FILE, config_shown)
    if document is None:
        raise InputError(problems)
    try:
        spec = ProjectSpec.model_validate(document.data)
    except pydantic.ValidationError as error:
        raise InputError(problems + spec_problems(document, error, ProjectSpec)) from None
    return spec, document, problems


def load_project_bank(project: Path | str = ".") -> Bank:
    """Only the bank a project asks (its answer sheets are not read), or raise."""
    root, display = Path(project), str(project)
    spec, document, problems = _read_config(root, display)
    bank = _load_project_banks(spec, document, root, display, problems)
    if problems or bank is None:
        raise InputError(problems)
    return bank


def load_assessment(project: Path | str = ".") -> Assessment:
    """Read a project folder into an :class:`Assessment`, or raise :class:`InputError`.

    Every file is read and checked before raising, so the error lists every problem.
    """
    root, display = Path(project), str(project)
    spec, document, problems = _read_config(root, display)
    settings = _settings(spec, document, root, display, problems)
    bank = _load_project_banks(spec, document, root, display, problems)
    round_specs = spec.rounds or []
    round_ids = [r.id for r in round_specs]
    for index, round_spec in enumerate(round_specs):
        if round_ids.index(round_spec.id) != index:
            problems.append(
                document.problem(("rounds", index), f"round '{round_spec.id}' is listed twice")
            )
    if spec.rounds is not None and not spec.rounds:
        problems.append(document.problem(("rounds",), "must list at least one round"))
    sheets: dict[str, list[Sheet]] = {r: [] for r in round_ids or [DEFAULT_ROUND]}
    respondents: dict[tuple[str, str], str] = {}
    with _collector_paused():
        _read_sheets(root, display, round_ids, bank, sheets, respondents, problems)
    if problems or bank is None:
        raise InputError(problems)
    if round_specs:
        rounds = tuple(Round(r.id, r.date, r.title, tuple(sheets[r.id])) for r in round_specs)
    else:
        rounds = (Round(DEFAULT_ROUND, spec.date, None, tuple(sheets[DEFAULT_ROUND])),)
    return Assessment(settings, bank, rounds, display)


@contextmanager
def _collector_paused() -> Iterator[None]:
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


def _read_sheets(
    root: Path,
    display: str,
    round_ids: list[str],
    bank: Bank | None,
    sheets: dict[str, list[Sheet]],
    respondents: dict[tuple[str, str], str],
    problems: list[Problem],
) -> None:
    """Read every answer sheet into ``sheets`` by round, collecting problems."""
    for path, shown, file_problems in _answer_files(root, display):
        problems += file_problems
        if file_problems:
            continue
        parts = path.relative_to(root / "answers").parts
        round_id = DEFAULT_ROUND
        if round_ids:
            if len(parts) < 2 or parts[0] not in round_ids:
                folder = parts[0] if len(parts) > 1 else ""
                hint = did_you_mean(folder, round_ids) if folder else ""
                problems.append(
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
        problems += read_problems
        if sheet_document is None or bank is None:
            continue
        sheet, sheet_problems = build_sheet(sheet_document, bank)
        problems += sheet_problems
        if sheet is None or read_problems:
            continue
        earlier = respondents.get((round_id, sheet.respondent))
        if earlier is not None:
            problems.append(
                sheet_document.problem(
                    ("respondent",),
                    f"respondent '{sheet.respondent}' already answered this round in {earlier}",
                )
            )
            continue
        respondents[(round_id, sheet.respondent)] = shown
        sheets[round_id].append(sheet)


__all__ = [
    "BadAnswer",
    "answer_score",
    "build_bank",
    "build_sheet",
    "bundled_banks",
    "bundled_path",
    "format_location",
    "load_assessment",
    "load_bank",
]
