"""Question banks: check a parsed bank file and build the :class:`Bank` it describes."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pydantic

from .formats import ID_PATTERN, ID_RULE, BankSpec, QuestionSpec, ScaleSpec
from .markup import ImageFolder, markup_problems
from .model import (
    DONT_KNOW_ANSWERS,
    NOT_APPLICABLE,
    Bank,
    Dimension,
    Level,
    Option,
    Question,
    Scale,
    TuneUp,
)
from .problems import InputError, Problem, did_you_mean
from .source import Document, Location, read_document
from .spec_errors import number_text, show_value, spec_problems

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


def _build_scale(
    document: Document, name: str, spec: ScaleSpec, problems: list[Problem]
) -> Scale | None:
    where: Location = ("scales", name)
    if not _ID.match(name):
        problems.append(
            document.problem(
                where,
                f"{show_value(name)} is not a valid scale name: {ID_RULE} characters",
                key=True,
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
        return Scale(name, "points", options, spec.dont_know)
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
        spec.dont_know,
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
        elif option_id in DONT_KNOW_ANSWERS:
            problems.append(
                document.problem(
                    (*where, index, "id"), f"'{option_id}' is reserved for \"don't know\""
                )
            )
        seen.add(option_id)
        result.append(Option(option_id, label, score))
    return tuple(result)


def build_bank(
    document: Document, images: ImageFolder | None = None
) -> tuple[Bank | None, list[Problem]]:
    """Check a parsed bank file and build the :class:`Bank` it describes.

    ``images`` is where images in its Markdown must be (the project); without it only
    their addresses are checked.
    """
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
    texts: list[tuple[Location, str]] = [
        (("description",), spec.description),
        (("source",), spec.source),
        (("attribution",), spec.attribution),
    ]
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
            question = _build_question(
                document, spec, d_spec.id, q_spec, q_where, scales, texts, problems
            )
            if question is not None:
                questions.append(question)
        dimensions.append(
            Dimension(
                d_spec.id,
                d_spec.title,
                d_spec.summary,
                d_spec.weight,
                tuple(questions),
                d_spec.short,
            )
        )
    problems += markup_problems(document, texts, images)
    problems += _link_problems(document, spec, dimensions)
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
        subject=spec.subject,
        source=spec.source,
        licence=spec.licence,
        attribution=spec.attribution,
        format=spec.format,
    )
    return bank, []


def _build_question(
    document: Document,
    spec: BankSpec,
    dimension_id: str,
    q_spec: QuestionSpec,
    where: Location,
    scales: Mapping[str, Scale],
    texts: list[tuple[Location, str]],
    problems: list[Problem],
) -> Question | None:
    """One question with its scale and tune-ups; ``None`` when its scale is unusable."""
    scale = _question_scale(document, spec, q_spec, where, scales, problems)
    key = f"{dimension_id}.{q_spec.id}"
    tune_ups = []
    tune_up_ids: set[str] = set()
    for t_index, t_spec in enumerate(q_spec.tune_ups):
        t_where: Location = (*where, "tune_ups", t_index)
        tune_up_id = t_spec.id or str(t_index + 1)
        if tune_up_id in tune_up_ids:
            problems.append(
                document.problem((*t_where, "id"), f"tune-up id '{tune_up_id}' is used twice")
            )
        tune_up_ids.add(tune_up_id)
        texts.append(((*t_where, "body"), t_spec.body))
        texts.append(((*t_where, "measure"), t_spec.measure))
        tune_ups.append(
            TuneUp(
                tune_up_id,
                t_spec.below,
                t_spec.title,
                t_spec.body,
                t_spec.effort,
                t_spec.impact,
                requires=tuple(
                    _full_id(document, (*t_where, "requires", i), key, r, 3, problems)
                    for i, r in enumerate(t_spec.requires)
                ),
                owner=t_spec.owner,
                measure=t_spec.measure,
                timebox=t_spec.timebox,
            )
        )
    replaces = tuple(
        _full_id(document, (*where, "replaces", i), dimension_id, old, 2, problems)
        for i, old in enumerate(q_spec.replaces)
    )
    if scale is None:
        return None
    return Question(
        q_spec.id,
        dimension_id,
        q_spec.text,
        q_spec.help,
        q_spec.weight,
        scale,
        tuple(tune_ups),
        short=q_spec.short,
        kind=q_spec.kind,
        about=q_spec.about,
        dont_know=scale.dont_know if q_spec.dont_know is None else q_spec.dont_know,
        references=tuple(q_spec.references),
        replaces=replaces,
    )


def _full_id(
    document: Document,
    where: Location,
    parent: str,
    given: str,
    parts: int,
    problems: list[Problem],
) -> str:
    """A reference as a full dotted id: a bare id is completed with ``parent``.

    ``parts`` is how many ids the full form has (2: ``dimension.question``, 3: a tune-up).
    """
    pieces = given.split(".")
    full = given if len(pieces) == parts else f"{parent}.{given}"
    if len(full.split(".")) != parts or not all(_ID.match(p) for p in full.split(".")):
        shape = "dimension.question" if parts == 2 else "dimension.question.tune-up"
        problems.append(
            document.problem(
                where, f"{show_value(given)} is not an id here: write an id or {shape}"
            )
        )
    return full


def _link_problems(
    document: Document, spec: BankSpec, dimensions: Sequence[Dimension]
) -> list[Problem]:
    """Tune-ups' ``requires`` must name tune-ups of this bank, without cycles; a question
    cannot replace one that is still in the bank, nor two replace the same one."""
    problems: list[Problem] = []
    tune_ups = {f"{q.key}.{t.id}": t for d in dimensions for q in d.questions for t in q.tune_ups}
    keys = {q.key for d in dimensions for q in d.questions}
    replaced: dict[str, str] = {}
    for d_index, dimension in enumerate(dimensions):
        positions = {q.id: i for i, q in enumerate(spec.dimensions[d_index].questions)}
        for question in dimension.questions:
            q_where: Location = ("dimensions", d_index, "questions", positions[question.id])
            for r_index, old in enumerate(question.replaces):
                where: Location = (*q_where, "replaces", r_index)
                if old in keys:
                    problems.append(
                        document.problem(
                            where, f"'{old}' is still in this bank: a question cannot replace it"
                        )
                    )
                elif old in replaced:
                    problems.append(
                        document.problem(where, f"'{old}' is already replaced by {replaced[old]}")
                    )
                replaced.setdefault(old, question.key)
            for t_index, tune_up in enumerate(question.tune_ups):
                for r_index, required in enumerate(tune_up.requires):
                    if required not in tune_ups:
                        problems.append(
                            document.problem(
                                (*q_where, "tune_ups", t_index, "requires", r_index),
                                f"unknown tune-up '{required}'" + did_you_mean(required, tune_ups),
                            )
                        )
    cycle = _requires_cycle({name: t.requires for name, t in tune_ups.items()})
    if cycle:
        problems.append(
            document.problem(
                ("dimensions",), "tune-ups require each other in a circle: " + " -> ".join(cycle)
            )
        )
    return problems


def _requires_cycle(requires: Mapping[str, tuple[str, ...]]) -> list[str]:
    """A circle of ``requires`` (the ids around it, the first repeated last), or ``[]``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = 1
        for after in requires.get(node, ()):
            if state.get(after) == 1:
                return [*path[path.index(after) :], after] if after in path else [node, after]
            if after in requires and after not in state:
                found = visit(after, [*path, after])
                if found:
                    return found
        state[node] = 2
        return []

    for start in requires:
        if start not in state:
            found = visit(start, [start])
            if found:
                return found
    return []


def _build_levels(document: Document, spec: BankSpec, problems: list[Problem]) -> list[Level]:
    levels = []
    names: set[str] = set()
    previous: float | None = None
    for index, level in enumerate(spec.levels):
        where: Location = ("levels", index)
        if index == 0 and level.min != 0:
            problems.append(
                document.problem(
                    (*where, "min"),
                    f"the first level must start at 0, not {number_text(level.min)}",
                )
            )
        if previous is not None and level.min <= previous:
            problems.append(
                document.problem(
                    (*where, "min"),
                    f"level thresholds must ascend: {number_text(level.min)} does not come after "
                    f"{number_text(previous)}",
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
    q_spec: QuestionSpec,
    where: Location,
    scales: Mapping[str, Scale],
    problems: list[Problem],
) -> Scale | None:
    """The scale a question is answered on: a named scale, or its own ``choices``
    (one answer, each with a score; or ``select: multi``, each with a weight)."""
    if q_spec.choices is not None:
        return _own_choices(document, q_spec, where, problems)
    if q_spec.select == "multi":
        problems.append(
            document.problem((*where, "choices"), "a select: multi question needs choices")
        )
        return None
    name = q_spec.scale or spec.default_scale
    if name is None:
        problems.append(
            document.problem(where, "no scale or choices given and the bank has no default_scale")
        )
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


def _own_choices(
    document: Document, q_spec: QuestionSpec, where: Location, problems: list[Problem]
) -> Scale | None:
    multi = q_spec.select == "multi"
    choices = q_spec.choices or []
    if q_spec.scale is not None:
        problems.append(
            document.problem(
                (*where, "scale"), "a question with its own choices takes no scale; drop one"
            )
        )
    if not choices:
        problems.append(document.problem((*where, "choices"), "needs at least one choice"))
        return None
    worth = []
    for index, choice in enumerate(choices):
        at: Location = (*where, "choices", index)
        if multi:
            if choice.score is not None:
                problems.append(
                    document.problem(
                        (*at, "score"),
                        "options of a select: multi question have a weight, not a score",
                    )
                )
            worth.append(1.0 if choice.weight is None else choice.weight)
        else:
            if choice.weight is not None:
                problems.append(
                    document.problem(
                        (*at, "weight"),
                        "a one-answer choice has a score from 0 to 1, not a weight "
                        "(or add select: multi for 'select all that apply')",
                    )
                )
            if choice.score is None:
                problems.append(
                    document.problem(at, "a one-answer choice needs a score from 0 to 1")
                )
            worth.append(choice.score or 0.0)
    options = _unique_options(
        document,
        (*where, "choices"),
        [(c.id, c.label, w) for c, w in zip(choices, worth, strict=True)],
        problems,
    )
    if multi and sum(o.score for o in options) <= 0:
        problems.append(document.problem((*where, "choices"), "the choices' weights add up to 0"))
        return None
    return Scale(f"{q_spec.id}-choices", "multi" if multi else "choices", options)


def load_bank(path: Path, display: str | None = None, images: ImageFolder | None = None) -> Bank:
    """Load one bank file, raising :class:`InputError` with every problem found."""
    document, problems = read_document(path, display)
    if document is None:
        raise InputError(problems)
    bank, bank_problems = build_bank(document, images)
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
        subject=first.subject,
        source="\n\n".join(b.source for b in banks if b.source),
        licence=" + ".join(dict.fromkeys(b.licence for b in banks if b.licence)) or None,
        attribution="\n\n".join(b.attribution for b in banks if b.attribution),
        format=max(b.format for b in banks),
    )
