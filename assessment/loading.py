"""Load and validate banks, answer sheets and ``assessment.yml`` into an :class:`Assessment`.

Every file is read and checked before anything is raised, so one run reports every
problem of the project at once, each as ``path:line:column: key: message``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pydantic

from .actions import load_actions
from .answers import BadAnswer, answer_score, build_sheet
from .banks import build_bank, bundled_banks, bundled_path, load_bank, merge_banks
from .formats import ProjectSpec
from .logo import logo_problem
from .markup import ImageFolder
from .model import PROJECT_FILE, Assessment, Bank, Round, Settings, Sheet, Thresholds
from .names import folded, merge_names
from .problems import InputError, Problem, did_you_mean
from .sheet_files import (
    ANSWER_SUFFIXES,
    DEFAULT_ROUND,
    collector_paused,
    copied_sheets,
    join,
    read_sheets,
    stray_sheets,
)
from .source import Document, Location, format_location, read_document
from .spec_errors import spec_problems

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


def _load_banks(
    entries: list[str],
    where: Location,
    document: Document,
    root: Path,
    display: str,
    problems: list[Problem],
) -> Bank | None:
    """The bank (or banks, merged) that ``entries`` name, at ``where`` in assessment.yml."""
    banks = []
    bundled = bundled_banks()
    dimension_ids: dict[str, str] = {}
    for index, entry in enumerate(entries):
        at: Location = where if len(entries) == 1 else (*where, index)
        if "/" in entry or entry.lower().endswith(ANSWER_SUFFIXES):
            path, shown = root / entry, join(display, entry)
        elif (root / "banks" / f"{entry}.yml").exists():
            path, shown = root / "banks" / f"{entry}.yml", join(display, f"banks/{entry}.yml")
        elif entry in bundled:
            path, shown = bundled[entry], str(bundled[entry])
        else:
            problems.append(
                document.problem(
                    at,
                    f"unknown bank '{entry}'"
                    + did_you_mean(entry, bundled)
                    + f"; bundled banks: {', '.join(bundled)}; or give a path to a bank file",
                )
            )
            continue
        if not path.exists():
            problems.append(document.problem(at, f"bank file not found: {shown}"))
            continue
        try:
            bank = load_bank(path, shown, ImageFolder(root, display))
        except InputError as error:
            problems += error.problems
            continue
        for dimension in bank.dimensions:
            if dimension.id in dimension_ids:
                problems.append(
                    document.problem(
                        at,
                        f"dimension '{dimension.id}' is in both {dimension_ids[dimension.id]} "
                        f"and {shown}",
                    )
                )
            dimension_ids[dimension.id] = shown
        banks.append(bank)
    if not banks or len(banks) != len(entries):
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
    if logo is not None and (problem := logo_problem(root, logo, join(display, logo))):
        problems.append(document.problem(("branding", "logo"), problem))
    roles = spec.roles
    thresholds = spec.thresholds
    if thresholds.agreement_mixed > thresholds.agreement_strong:
        problems.append(
            document.problem(
                ("thresholds", "agreement_mixed"),
                f"must not be above agreement_strong ({thresholds.agreement_strong:g})",
            )
        )
    population = spec.population
    team_population = population if isinstance(population, dict) else {}
    if spec.teams is not None:
        listed = {folded(t): t for t in spec.teams}
        for index, team in enumerate(spec.teams):
            if list(listed).index(folded(team)) != index:
                problems.append(
                    document.problem(("teams", index), f"team '{team}' is listed twice")
                )
        for team in team_population:
            if folded(team) not in listed:
                problems.append(
                    document.problem(
                        ("population", team),
                        f"unknown team '{team}'" + did_you_mean(team, spec.teams),
                        key=True,
                    )
                )
        team_population = {listed.get(folded(t), t): n for t, n in team_population.items()}
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
        teams=tuple(spec.teams or ()),
        population=population if isinstance(population, int) else None,
        team_population=team_population,
        thresholds=Thresholds(**thresholds.model_dump()),
        plan_now=spec.report.plan.now,
        plan_next=spec.report.plan.next,
        form=spec.report.form,
    )


def _read_config(root: Path, display: str) -> tuple[ProjectSpec, Document, list[Problem]]:
    """Read and check ``assessment.yml``; raises when it cannot be used at all."""
    config_shown = join(display, PROJECT_FILE)
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
    bank = _load_banks(spec.bank, ("bank",), document, root, display, problems)
    if problems or bank is None:
        raise InputError(problems)
    return bank


def load_assessment(project: Path | str = ".", *, with_sheets: bool = True) -> Assessment:
    """Read a project folder into an :class:`Assessment`, or raise :class:`InputError`.

    Every file is read and checked before raising, so the error lists every problem (and
    the warnings found on the way). ``with_sheets=False`` reads only ``assessment.yml`` and
    the banks (the rounds come without sheets): what a blank form or template needs, which
    a broken answer sheet must never block.
    """
    root, display = Path(project), str(project)
    spec, document, problems = _read_config(root, display)
    settings = _settings(spec, document, root, display, problems)
    bank = _load_banks(spec.bank, ("bank",), document, root, display, problems)
    round_specs = spec.rounds or []
    round_ids = [r.id for r in round_specs]
    for index, round_spec in enumerate(round_specs):
        if round_ids.index(round_spec.id) != index:
            problems.append(
                document.problem(("rounds", index), f"round '{round_spec.id}' is listed twice")
            )
    if spec.rounds is not None and not spec.rounds:
        problems.append(document.problem(("rounds",), "must list at least one round"))
    own_banks = {
        r.id: _load_banks(r.bank, ("rounds", i, "bank"), document, root, display, problems)
        for i, r in enumerate(round_specs)
        if r.bank is not None
    }
    if not with_sheets:
        if problems or bank is None:
            raise InputError(problems)
        return Assessment(settings, bank, _rounds(spec, {}, own_banks), display)
    banks = {r: own_banks.get(r, bank) for r in round_ids or [DEFAULT_ROUND]}
    with collector_paused():
        found = read_sheets(root, display, round_ids, banks)
    problems += found.problems
    warnings = found.warnings + stray_sheets(root, display)
    sheets = merge_names(
        found.sheets,
        "team",
        found.places,
        settings.teams,
        problems,
        warnings,
        strict=bool(settings.teams),
    )
    roles = (*settings.leadership_roles, *settings.frontline_roles)
    sheets = merge_names(sheets, "role", found.places, roles, problems, warnings)
    warnings += copied_sheets(sheets, found.unnamed)
    known_banks = [b for b in (bank, *own_banks.values()) if b is not None]
    actions, action_problems, action_warnings = load_actions(root, display, known_banks)
    problems += action_problems
    warnings += action_warnings
    if problems or bank is None:
        raise InputError(problems + warnings)
    rounds = _rounds(spec, sheets, own_banks)
    return Assessment(settings, bank, rounds, display, tuple(sorted(warnings)), actions)


def _rounds(
    spec: ProjectSpec, sheets: Mapping[str, list[Sheet]], own_banks: Mapping[str, Bank | None]
) -> tuple[Round, ...]:
    if spec.rounds:
        return tuple(
            Round(r.id, r.date, r.title, tuple(sheets.get(r.id, ())), own_banks.get(r.id))
            for r in spec.rounds
        )
    return (Round(DEFAULT_ROUND, spec.date, None, tuple(sheets.get(DEFAULT_ROUND, ()))),)


__all__ = [
    "ANSWER_SUFFIXES",
    "DEFAULT_ROUND",
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
