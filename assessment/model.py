"""The typed, immutable assessment: a bank, the answer sheets of each round, the settings.

Everything here has passed validation; scoring and planning take these types and nothing
else, so they never need to check their input again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, NamedTuple

from .problems import Problem

PROJECT_FILE = "assessment.yml"
"""The file that makes a folder a cxmaturity project."""

ScaleKind = Literal["points", "choices", "multi"]
Rating = Literal["low", "medium", "high"]
QuestionKind = Literal["perception", "fact"]
AnswerKind = Literal["scored", "na", "dont-know"]
RATING_VALUE: Mapping[str, int] = {"low": 1, "medium": 2, "high": 3}
NOT_APPLICABLE = frozenset({"n/a", "na"})
"""Answers meaning "not applicable" (compared lower-cased, so N/A and NA count too)."""
DONT_KNOW = "dont-know"
"""How sheets write "don't know": excluded from scores like n/a, but counted on its own."""
DONT_KNOW_ANSWERS = frozenset({DONT_KNOW, "don't know", "don’t know", "dont know", "?"})
"""Answers meaning "don't know" (compared lower-cased, spaces trimmed)."""


@dataclass(frozen=True)
class Option:
    """A point on a points scale, a choice of a choices scale, or an option of a multi question.

    For points ``id`` is the number as text; ``score`` is the option's worth in 0..1
    (for multi options, its weight).
    """

    id: str
    label: str
    score: float


@dataclass(frozen=True)
class Scale:
    """How a question is answered and how an answer becomes a score in 0..100."""

    name: str
    kind: ScaleKind
    options: tuple[Option, ...]
    dont_know: bool = True
    """Whether "don't know" is an answer (the form and template offer it where it is)."""

    @property
    def values(self) -> tuple[int, ...]:
        """The numbers of a points scale, lowest first."""
        return tuple(int(option.id) for option in self.options)

    @cached_property
    def scores(self) -> Mapping[object, float]:
        """Score in 0..100 of each valid single answer: numbers for points, ids for choices."""
        if self.kind == "points":
            return {int(o.id): o.score * 100 for o in self.options}
        return {o.id: o.score * 100 for o in self.options}

    def option(self, option_id: str) -> Option | None:
        """The option with this id (for points: the number as text), if any."""
        for option in self.options:
            if option.id == option_id:
                return option
        return None

    def describe(self) -> str:
        """A one-line summary of the allowed answers, for messages and templates."""
        if self.kind == "points":
            return " · ".join(f"{o.id} = {o.label}" for o in self.options)
        return ", ".join(o.id for o in self.options)


@dataclass(frozen=True)
class TuneUp:
    """A recommendation that applies while its question scores below ``below``.

    ``requires`` holds full plan-item ids (``dimension.question.tune-up``) of tune-ups to
    do first; ``owner`` is a role, ``measure`` says how to tell it worked (Markdown).
    """

    id: str
    below: float
    title: str
    body: str
    effort: Rating
    impact: Rating
    requires: tuple[str, ...] = ()
    owner: str | None = None
    measure: str = ""
    timebox: str | None = None


@dataclass(frozen=True)
class Question:
    """One question. ``kind`` fact: one accountable person answers, and the report shows
    the fact rather than an average; ``about`` leaders: scored from the front line, the
    leaders' own answers shown as their self-view."""

    id: str
    dimension_id: str
    text: str
    help: str
    weight: float
    scale: Scale
    tune_ups: tuple[TuneUp, ...] = ()
    short: str | None = None
    kind: QuestionKind = "perception"
    about: Literal["leaders"] | None = None
    dont_know: bool = True
    references: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()
    """Keys (``dimension.question``) this question replaces from an earlier bank version."""

    @property
    def key(self) -> str:
        """How answer sheets address the question: ``dimension.question``."""
        return f"{self.dimension_id}.{self.id}"

    @property
    def label(self) -> str:
        """The short label for charts and tables, or the whole text."""
        return self.short or self.text


@dataclass(frozen=True)
class Dimension:
    id: str
    title: str
    summary: str
    weight: float
    questions: tuple[Question, ...]
    short: str | None = None

    @property
    def label(self) -> str:
        """The short label for charts, or the title."""
        return self.short or self.title


@dataclass(frozen=True)
class Level:
    name: str
    min: float
    description: str


@dataclass(frozen=True)
class Bank:
    """One or more question banks merged into the set of dimensions an assessment asks."""

    id: str
    title: str
    version: str
    description: str
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    scales: tuple[Scale, ...] = ()
    questions: Mapping[str, Question] = field(default_factory=dict, compare=False)
    subject: str | None = None
    """What the bank measures ("Customer experience"); None for banks that do not say."""
    source: str = ""
    licence: str | None = None
    attribution: str = ""
    format: int = 1

    def __post_init__(self) -> None:
        if not self.questions:
            index = {q.key: q for d in self.dimensions for q in d.questions}
            object.__setattr__(self, "questions", index)

    def level_for(self, score: float) -> Level:
        """The highest level whose minimum the score reaches."""
        chosen = self.levels[0]
        for level in self.levels:
            if score >= level.min:
                chosen = level
        return chosen


class Answer(NamedTuple):
    """One answer: the value as written, its score (``None`` for n/a and don't know) and
    any note."""

    value: object
    score: float | None
    note: str | None = None

    @property
    def kind(self) -> AnswerKind:
        """Whether the answer is scored, n/a or don't know."""
        if self.score is not None:
            return "scored"
        return "dont-know" if is_dont_know(self.value) else "na"


def is_dont_know(value: object) -> bool:
    """Whether an answer as written means "don't know"."""
    return isinstance(value, str) and value.strip().lower() in DONT_KNOW_ANSWERS


@dataclass(frozen=True)
class Sheet:
    """One respondent's answers in one round. Unanswered questions are simply absent."""

    path: str
    respondent: str
    team: str
    role: str | None
    answers: Mapping[str, Answer]


@dataclass(frozen=True)
class Round:
    """One round's sheets; ``bank`` is set when the round was answered on a bank of its
    own (an earlier version), else the assessment's bank applies."""

    id: str
    date: dt.date | None
    title: str | None
    sheets: tuple[Sheet, ...]
    bank: Bank | None = None


@dataclass(frozen=True)
class Thresholds:
    """The rules' thresholds, from ``thresholds:`` in ``assessment.yml``."""

    agreement_min_n: int = 5
    agreement_strong: float = 0.70
    agreement_mixed: float = 0.50
    group_difference: float = 0.50
    min_coverage: float = 0.5
    dont_know: float = 0.30
    perception_gap: float = 15
    large_effect: float = 0.8


@dataclass(frozen=True)
class Settings:
    """The scoring and report settings of ``assessment.yml``."""

    client: str
    target: float = 80
    date: dt.date | None = None
    min_group_size: int = 3
    show_respondents: bool = False
    leadership_roles: tuple[str, ...] = ()
    frontline_roles: tuple[str, ...] = ()
    primary: str = "indigo"
    accent: str = "amber"
    logo: str | None = None
    teams: tuple[str, ...] = ()
    """The teams listed in ``assessment.yml`` (empty: any team name is accepted)."""
    population: int | None = None
    """Headcount of everyone the assessment is about, for the finite-population correction."""
    team_population: Mapping[str, int] = field(default_factory=dict)
    thresholds: Thresholds = Thresholds()
    plan_now: int = 5
    plan_next: int = 10
    form: bool = True


@dataclass(frozen=True)
class Assessment:
    """A whole engagement: settings, the bank and every round (the last is current)."""

    settings: Settings
    bank: Bank
    rounds: tuple[Round, ...]
    root: str = "."
    warnings: tuple[Problem, ...] = ()
    """What is worth saying but does not stop the run (near-duplicate team names, ...)."""

    def bank_of(self, round_: Round) -> Bank:
        """The bank a round was answered on."""
        return round_.bank or self.bank

    def round(self, round_id: str | None = None) -> Round:
        """The round with this id, or the current (last) round."""
        if round_id is None:
            return self.rounds[-1]
        for candidate in self.rounds:
            if candidate.id == round_id:
                return candidate
        raise KeyError(round_id)

    def previous(self, round_id: str) -> Round | None:
        """The round before ``round_id``, if any."""
        ids = [r.id for r in self.rounds]
        index = ids.index(round_id)
        return self.rounds[index - 1] if index > 0 else None
