"""Load and validate banks, answer sheets and ``assessment.yml`` into an :class:`Assessment`.

Every file is read and checked before anything is raised, so one run reports every
problem of the project at once, each as ``path:line:column: key: message``.
"""

from __future__ import annotations

import gc
import os
import re
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel

from .formats import ID_PATTERN, ID_RULE, BankSpec, ProjectSpec, ScaleSpec, SheetSpec
from .model import (
    NOT_APPLICABLE,
    PROJECT_FILE,
    Answer,
    Assessment,
    Bank,
    Dimension,
    Level,
    Option,
    Question,
    Round,
    Scale,
    Settings,
    Sheet,
    TuneUp,
)
from .problems import InputError, Problem, did_you_mean
from .source import Document, Location, format_location, read_document

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
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_RAW_HTML = re.compile(r"<(?!https?://|mailto:)[a-zA-Z!/?]")
_UNSAFE_LINK = re.compile(r"\b(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
_ID = re.compile(ID_PATTERN)


def bundled_path(*parts: str) -> Path:
    """A file shipped with the tool: inside the installed package, or in the checkout."""
    here = Path(__file__).resolve().parent
    installed = here.joinpath("content", *parts)
    if installed.exists():
        return installed
    return here.parent.joinpath("content", *parts)


def bundled_banks() -> dict[str, Path]:
    """The bank ids shipped with the tool and their files."""
    folder = bundled_path("banks")
    return {p.stem: p for p in sorted(folder.glob("*.yml"))}


# Pydantic errors into our messages ----------------------------------------------------


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "date_type": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
}


def _fields_at(model: type[BaseModel], location: Location) -> list[str]:
    """The keys allowed in the mapping at ``location`` of ``model``'s documents."""
    current: Any = model
    for part in location:
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return []
            current = current.model_fields[part].annotation
        else:
            current = _unwrap(current)
            origin = typing.get_origin(current)
            args = typing.get_args(current)
            if origin is list and args:
                current = args[0]
            elif origin is dict and len(args) == 2:
                current = args[1]
            else:
                return []
        current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional so the model or container inside shows."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def spec_problems(
    document: Document, error: pydantic.ValidationError, model: type[BaseModel]
) -> list[Problem]:
    """Turn pydantic's errors into problems that name the file, line, column and key."""
    problems = []
    for item in error.errors():
        location: Location = tuple(item["loc"])
        kind = item["type"]
        value = item.get("input")
        ctx = item.get("ctx") or {}
        at_key = False
        if kind == "extra_forbidden":
            name = str(location[-1])
            message = "unknown key" + did_you_mean(name, _fields_at(model, location[:-1]))
            at_key = True
        elif kind == "missing":
            message = "required key is missing"
        elif kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
            message = f"{_show(value)} is not a valid id: {ID_RULE} characters"
        elif kind == "string_too_short":
            message = "must not be empty"
        elif kind == "too_short":
            message = "must list at least one item"
        elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
            bound = {
                "greater_than_equal": ("at least", "ge"),
                "greater_than": ("more than", "gt"),
                "less_than_equal": ("at most", "le"),
                "less_than": ("less than", "lt"),
            }[kind]
            message = f"must be {bound[0]} {_number(ctx[bound[1]])}, got {_show(value)}"
        elif kind == "finite_number":
            message = f"must be a finite number, got {_show(value)}"
        elif kind == "literal_error":
            message = f"must be one of {ctx.get('expected')}, got {_show(value)}"
        elif kind in _EXPECTED:
            message = f"expected {_EXPECTED[kind]}, got {_show(value)}"
            if kind == "string_type" and isinstance(value, int | float):
                message += " (put it in quotes to make it text)"
        else:
            message = str(item["msg"])
        problems.append(document.problem(location, message, key=at_key))
    return problems


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


# Banks --------------------------------------------------------------------------------


def _markdown_problems(document: Document, texts: Iterable[tuple[Location, str]]) -> list[Problem]:
    problems = []
    for location, text in texts:
        if _RAW_HTML.search(text):
            problems.append(
                document.problem(location, "raw HTML is not allowed in bank text; use Markdown")
            )
        if _UNSAFE_LINK.search(text):
            problems.append(
                document.problem(location, "javascript:, vbscript: and data: links are not allowed")
            )
    return problems


def _build_scale(
    document: Document, name: str, spec: ScaleSpec, problems: list[Problem]
) -> Scale | None:
    where: Location = ("scales", name)
    if not _ID.match(name):
        problems.append(
            document.problem(
                where, f"{_show(name)} is not a valid scale name: {ID_RULE} characters", key=True
            )
        )
    if (spec.points is None) == (spec.choices is None):
        problems.append(document.problem(where, "a scale needs either points or choices, not both"))
        return None
    if spec.points is not None:
        values = [p.value for p in spec.points]
        if len(spec.points) < 2:
            problems.append(document.problem((*where, "points"), "needs at least two points"))
            return None
        seen: set[int] = set()
        for index, point in enumerate(spec.points):
            if point.value in seen:
                problems.append(
                    document.problem(
                        (*where, "points", index, "value"), f"value {point.value} is listed twice"
                    )
                )
            seen.add(point.value)
        low, high = min(values), max(values)
        if low == high:
            return None
        options = tuple(
            Option(str(p.value), p.label, (p.value - low) / (high - low))
            for p in sorted(spec.points, key=lambda p: p.value)
        )
        return Scale(name, "points", options)
    assert spec.choices is not None
    if not spec.choices:
        problems.append(document.problem((*where, "choices"), "needs at least one choice"))
        return None
    return Scale(
        name,
        "choices",
        _unique_options(
            document,
            (*where, "choices"),
            [(c.id, c.label, c.score) for c in spec.choices],
            problems,
        ),
    )


def _unique_options(
    document: Document,
    where: Location,
    options: list[tuple[str, str, float]],
    problems: list[Problem],
) -> tuple[Option, ...]:
    seen: set[str] = set()
    result = []
    for index, (option_id, label, score) in enumerate(options):
        if option_id in seen:
            problems.append(
                document.problem((*where, index, "id"), f"choice id '{option_id}' is used twice")
            )
        elif option_id in NOT_APPLICABLE:
            problems.append(
                document.problem(
                    (*where, index, "id"), f"'{option_id}' is reserved for 'not applicable'"
                )
            )
        seen.add(option_id)
        result.append(Option(option_id, label, score))
    return tuple(result)


def build_bank(document: Document) -> tuple[Bank | None, list[Problem]]:
    """Check a parsed bank file and build the :class:`Bank` it describes."""
    try:
        spec = BankSpec.model_validate(document.data)
    except pydantic.ValidationError as error:
        return None, spec_problems(document, error, BankSpec)
    problems: list[Problem] = []
    scales = {}
    for name, scale_spec in spec.scales.items():
        scale = _build_scale(document, name, scale_spec, problems)
        if scale is not None:
            scales[name] = scale
    if spec.default_scale is not None and spec.default_scale not in spec.scales:
        problems.append(
            document.problem(
                ("default_scale",),
                f"unknown scale '{spec.default_scale}'" + did_you_mean(spec.default_scale, scales),
            )
        )
    levels = _build_levels(document, spec, problems)
    texts: list[tuple[Location, str]] = [(("description",), spec.description)]
    texts += [(("levels", i, "description"), lv.description) for i, lv in enumerate(spec.levels)]
    dimensions = []
    dimension_ids: set[str] = set()
    for d_index, d_spec in enumerate(spec.dimensions):
        d_where: Location = ("dimensions", d_index)
        if d_spec.id in dimension_ids:
            problems.append(
                document.problem((*d_where, "id"), f"dimension id '{d_spec.id}' is used twice")
            )
        dimension_ids.add(d_spec.id)
        texts.append(((*d_where, "summary"), d_spec.summary))
        questions = []
        question_ids: set[str] = set()
        for q_index, q_spec in enumerate(d_spec.questions):
            q_where: Location = (*d_where, "questions", q_index)
            if q_spec.id in question_ids:
                problems.append(
                    document.problem(
                        (*q_where, "id"),
                        f"question id '{q_spec.id}' is used twice in dimension '{d_spec.id}'",
                    )
                )
            question_ids.add(q_spec.id)
            texts.append(((*q_where, "help"), q_spec.help))
            question_scale = _question_scale(document, spec, q_spec, q_where, scales, problems)
            tune_ups = []
            tune_up_ids: set[str] = set()
            for t_index, t_spec in enumerate(q_spec.tune_ups):
                tune_up_id = t_spec.id or str(t_index + 1)
                if tune_up_id in tune_up_ids:
                    problems.append(
                        document.problem(
                            (*q_where, "tune_ups", t_index, "id"),
                            f"tune-up id '{tune_up_id}' is used twice",
                        )
                    )
                tune_up_ids.add(tune_up_id)
                texts.append(((*q_where, "tune_ups", t_index, "body"), t_spec.body))
                tune_ups.append(
                    TuneUp(
                        tune_up_id,
                        t_spec.below,
                        t_spec.title,
                        t_spec.body,
                        t_spec.effort,
                        t_spec.impact,
                    )
                )
            if question_scale is not None:
                questions.append(
                    Question(
                        q_spec.id,
                        d_spec.id,
                        q_spec.text,
                        q_spec.help,
                        q_spec.weight,
                        question_scale,
                        tuple(tune_ups),
                    )
                )
        dimensions.append(
            Dimension(d_spec.id, d_spec.title, d_spec.summary, d_spec.weight, tuple(questions))
        )
    problems += _markdown_problems(document, texts)
    if problems:
        return None, problems
    bank = Bank(
        spec.id,
        spec.title,
        spec.version,
        spec.description,
        tuple(levels),
        tuple(dimensions),
        tuple(scales.values()),
    )
    return bank, []


def _build_levels(document: Document, spec: BankSpec, problems: list[Problem]) -> list[Level]:
    levels = []
    names: set[str] = set()
    previous: float | None = None
    for index, level in enumerate(spec.levels):
        where: Location = ("levels", index)
        if index == 0 and level.min != 0:
            problems.append(
                document.problem(
                    (*where, "min"), f"the first level must start at 0, not {_number(level.min)}"
                )
            )
        if previous is not None and level.min <= previous:
            problems.append(
                document.problem(
                    (*where, "min"),
                    f"level thresholds must ascend: {_number(level.min)} does not come after "
                    f"{_number(previous)}",
                )
            )
        if level.name in names:
            problems.append(
                document.problem((*where, "name"), f"level name '{level.name}' is used twice")
            )
        names.add(level.name)
        previous = level.min
        levels.append(Level(level.name, level.min, level.description))
    return levels


def _question_scale(
    document: Document,
    spec: BankSpec,
    q_spec: Any,
    where: Location,
    scales: Mapping[str, Scale],
    problems: list[Problem],
) -> Scale | None:
    if q_spec.select == "multi":
        if q_spec.scale is not None:
            problems.append(
                document.problem(
                    (*where, "scale"), "a select: multi question lists its own choices; no scale"
                )
            )
        if not q_spec.choices:
            problems.append(
                document.problem((*where, "choices"), "a select: multi question needs choices")
            )
            return None
        options = _unique_options(
            document,
            (*where, "choices"),
            [(c.id, c.label, c.weight) for c in q_spec.choices],
            problems,
        )
        if sum(o.score for o in options) <= 0:
            problems.append(
                document.problem((*where, "choices"), "the choices' weights add up to 0")
            )
            return None
        return Scale(f"{q_spec.id}-choices", "multi", options)
    if q_spec.choices is not None:
        problems.append(
            document.problem(
                (*where, "choices"),
                "choices belong to a select: multi question; for one answer, define a scale",
            )
        )
    name = q_spec.scale or spec.default_scale
    if name is None:
        problems.append(document.problem(where, "no scale given and the bank has no default_scale"))
        return None
    scale = scales.get(name)
    if scale is None and name in spec.scales:
        return None  # the scale itself is broken and already reported
    if scale is None:
        if q_spec.scale is not None:
            problems.append(
                document.problem(
                    (*where, "scale"), f"unknown scale '{name}'" + did_you_mean(name, spec.scales)
                )
            )
        return None
    return scale


def load_bank(path: Path, display: str | None = None) -> Bank:
    """Load one bank file, raising :class:`InputError` with every problem found."""
    document, problems = read_document(path, display)
    if document is None:
        raise InputError(problems)
    bank, bank_problems = build_bank(document)
    if bank is None or problems:
        raise InputError(problems + bank_problems)
    return bank


def merge_banks(banks: list[Bank]) -> Bank:
    """One bank made of several: the first gives the title and levels."""
    if len(banks) == 1:
        return banks[0]
    first = banks[0]
    return Bank(
        "+".join(b.id for b in banks),
        first.title,
        "+".join(b.version for b in banks),
        first.description,
        first.levels,
        tuple(d for b in banks for d in b.dimensions),
        tuple(s for b in banks for s in b.scales),
    )


# Answer sheets --------------------------------------------------------------------------


class BadAnswer(Exception):
    """An answer that does not fit its question's scale; the message is for people."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


def answer_score(question: Question, value: Any) -> float | None:
    """The score in 0..100 of one answer to ``question``, or ``None`` for n/a.

    Raises ``BadAnswer`` with a message for people when the value does not fit.
    """
    scale = question.scale
    # The common case first: a valid number on a points scale or a valid choice id.
    # (type() rather than isinstance: true must not count as 1.)
    if type(value) in (int, str) and scale.kind != "multi":
        score = scale.scores.get(value)
        if score is not None:
            return score
    if isinstance(value, str) and value.lower() in NOT_APPLICABLE:
        return None
    if scale.kind == "points":
        if type(value) is float and value.is_integer():
            value = int(value)
        if type(value) is int:
            option = scale.option(str(value))
            if option is not None:
                return option.score * 100
            values = scale.values
            if values[0] <= value <= values[-1]:
                raise BadAnswer(
                    f"{value} is not a point of scale {scale.name} ({', '.join(map(str, values))})"
                )
            raise BadAnswer(f"{value} is outside scale {scale.name} ({values[0]} to {values[-1]})")
        if isinstance(value, str):
            for option in scale.options:
                if option.label.lower() == value.strip().lower():
                    raise BadAnswer(f"{_show(value)} is a label: write its number, {option.id}")
        values = scale.values
        raise BadAnswer(
            f"expected a whole number from {values[0]} to {values[-1]} "
            f"(scale {scale.name}) or n/a, got {_show(value)}"
        )
    if scale.kind == "choices":
        if isinstance(value, str):
            option = scale.option(value)
            if option is not None:
                return option.score * 100
            for option in scale.options:
                if option.label.lower() == value.strip().lower():
                    raise BadAnswer(f"{_show(value)} is a label: write its id, {option.id}")
            ids = [o.id for o in scale.options]
            raise BadAnswer(
                f"{_show(value)} is not a choice of scale {scale.name}"
                + did_you_mean(value, ids)
                + f"; answer one of: {', '.join(ids)}, n/a"
            )
        raise BadAnswer(
            f"expected one of: {scale.describe()}, n/a (scale {scale.name}), got {_show(value)}"
        )
    if not isinstance(value, list):
        raise BadAnswer(
            f"expected a list of the options that apply, such as [{scale.options[0].id}], "
            f"or n/a, got {_show(value)}"
        )
    total = sum(o.score for o in scale.options)
    chosen = 0.0
    seen: set[str] = set()
    for index, item in enumerate(value):
        option = scale.option(item) if isinstance(item, str) else None
        if option is None:
            ids = [o.id for o in scale.options]
            hint = did_you_mean(item, ids) if isinstance(item, str) else ""
            raise BadAnswer(
                f"{_show(item)} is not an option of this question{hint}; options: {', '.join(ids)}",
                index,
            )
        if item in seen:
            raise BadAnswer(f"'{item}' is selected twice", index)
        seen.add(item)
        chosen += option.score
    return chosen / total * 100


def build_sheet(document: Document, bank: Bank) -> tuple[Sheet | None, list[Problem]]:
    """Check a parsed answer sheet against the bank and build the :class:`Sheet`."""
    try:
        spec = SheetSpec.model_validate(document.data)
    except pydantic.ValidationError as error:
        return None, spec_problems(document, error, SheetSpec)
    problems: list[Problem] = []
    answers: dict[str, Answer] = {}
    questions = bank.questions
    for key, raw in spec.answers.items():
        where: Location = ("answers", key)
        question = questions.get(key)
        if question is None:
            problems.append(
                document.problem(
                    where, f"unknown question '{key}'" + did_you_mean(key, questions), key=True
                )
            )
            continue
        if raw is None:
            continue  # a blank answer, as a filled-in template leaves it: unanswered
        note = None
        value = raw
        if type(raw) is dict:
            unknown = [k for k in raw if k not in ("answer", "note")]
            for name in unknown:
                problems.append(
                    document.problem(
                        (*where, name),
                        "unknown key" + did_you_mean(name, ["answer", "note"]),
                        key=True,
                    )
                )
            if "answer" not in raw:
                problems.append(document.problem((*where, "answer"), "required key is missing"))
                continue
            note = raw.get("note")
            if note is not None and not isinstance(note, str):
                problems.append(
                    document.problem((*where, "note"), f"expected text, got {_show(note)}")
                )
                continue
            if unknown:
                continue
            value = raw["answer"]
            where = (*where, "answer")
        try:
            score = answer_score(question, value)
        except BadAnswer as bad:
            at = where if bad.index is None else (*where, bad.index)
            problems.append(document.problem(at, str(bad)))
            continue
        answers[key] = Answer(value, score, note or None)
    if problems:
        return None, problems
    respondent = spec.respondent or Path(document.path).stem
    return Sheet(document.path, respondent, spec.team, spec.role, answers), []


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
    "answer_score",
    "build_bank",
    "build_sheet",
    "bundled_banks",
    "bundled_path",
    "format_location",
    "load_assessment",
    "load_bank",
]
