"""Scoring: pure functions from an :class:`Assessment` to :class:`Results`.

The rules are DESIGN.md's, in one place:

* an answer is a score in 0..100 (done when the sheet is loaded, see ``answer_score``);
* a question's score in a group is the mean over the respondents who gave a scored answer
  (n/a and unanswered are excluded and counted), with population standard deviation, min
  and max; a spread of ``DISAGREEMENT_SD`` points or more with at least
  ``DISAGREEMENT_MIN_N`` answers is a disagreement;
* a dimension's score is the weighted mean of its questions' scores, the overall score the
  weighted mean of the dimensions' (only what has a score counts, weights re-normalised);
* coverage is scored answers over answers asked (respondents x questions);
* to target is ``1 - sum(max(0, target - score)) / sum(target)`` over scored questions;
  progress between rounds is ``(now - before) / (target - before)``;
* groups (teams, roles) smaller than ``min_group_size`` are not shown on their own, and a
  score resting on fewer answers than that is marked low-confidence.

Sums use ``math.fsum`` so the order of respondents never changes a result.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .model import Assessment, Bank, Dimension, Round, Settings, Sheet

DISAGREEMENT_SD = 25.0
DISAGREEMENT_MIN_N = 3
PERCEPTION_GAP = 20.0

GroupKind = Literal["all", "team", "role", "side"]
AgreementLabel = Literal["strong", "mixed", "split"]
Interval = tuple[float, float]
LEADERSHIP = "leadership"
FRONTLINE = "frontline"
_LEADER_WORDS = re.compile(
    r"\b(lead|leader|leadership|manager|management|director|head|chief|vp|vice|president|"
    r"executive|exec|owner|founder|ceo|coo|cfo|cto|cxo|cco|supervisor)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Explained:
    """A split that a partition of respondents explains: a group difference."""

    kind: Literal["team", "role"]
    eta2: float
    groups: tuple[tuple[str, float], ...]
    """The shown groups' mean scores, as (name, score)."""


@dataclass(frozen=True)
class SelfView:
    """Leaders' own answers to a question about leaders, beside the front line's score."""

    score: float
    n: int
    verdict: Literal["over-rating", "under-rating", "in agreement"]


@dataclass(frozen=True)
class Fact:
    """What a fact question's accountable respondent answered."""

    answer_label: str
    roles: tuple[str, ...]
    conflicting: bool


@dataclass(frozen=True)
class QuestionResult:
    """One question in one group: the mean score and how it is spread."""

    key: str
    score: float | None
    n: int
    na: int
    unanswered: int
    sd: float | None
    min: float | None
    max: float | None
    disagreement: bool
    low_confidence: bool
    delta: float | None = None
    interval: Interval | None = None
    dont_know: int = 0
    agreement: float | None = None
    agreement_label: AgreementLabel | None = None
    explained_by: Explained | None = None
    delta_interval: Interval | None = None
    delta_clear: bool | None = None
    self_view: SelfView | None = None
    published: bool = True
    fact: Fact | None = None


@dataclass(frozen=True)
class DimensionResult:
    id: str
    score: float | None
    level: str | None
    asked: int
    answered: int
    na: int
    unanswered: int
    coverage: float | None
    respondents: int
    to_target: float | None
    low_confidence: bool
    questions: tuple[QuestionResult, ...]
    delta: float | None = None
    progress: float | None = None
    interval: Interval | None = None
    level_range: tuple[str, str] | None = None
    delta_interval: Interval | None = None
    delta_clear: bool | None = None
    dont_know: int = 0

    def question(self, key: str) -> QuestionResult:
        return next(q for q in self.questions if q.key == key)


@dataclass(frozen=True)
class GroupResult:
    """Scores for one group of respondents: everyone, a team, a role or a side."""

    kind: GroupKind
    name: str
    respondents: int
    shown: bool
    score: float | None
    level: str | None
    asked: int
    answered: int
    na: int
    unanswered: int
    coverage: float | None
    to_target: float | None
    low_confidence: bool
    dimensions: tuple[DimensionResult, ...]
    delta: float | None = None
    progress: float | None = None
    interval: Interval | None = None
    level_range: tuple[str, str] | None = None
    delta_interval: Interval | None = None
    delta_clear: bool | None = None
    dont_know: int = 0

    def dimension(self, dimension_id: str) -> DimensionResult:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def question(self, key: str) -> QuestionResult:
        return self.dimension(key.split(".", 1)[0]).question(key)


@dataclass(frozen=True)
class DimensionGap:
    id: str
    leadership: float | None
    frontline: float | None
    gap: float | None
    finding: bool
    interval: Interval | None = None
    g: float | None = None
    large: bool = False
    leadership_n: int = 0
    frontline_n: int = 0


@dataclass(frozen=True)
class PerceptionGap:
    """Leadership and frontline side by side; a gap of ``PERCEPTION_GAP`` or more is a finding."""

    leadership: GroupResult
    frontline: GroupResult
    gap: float | None
    dimensions: tuple[DimensionGap, ...]


@dataclass(frozen=True)
class RoundResult:
    id: str
    respondents: int
    all: GroupResult
    teams: tuple[GroupResult, ...]
    roles: tuple[GroupResult, ...]
    perception: PerceptionGap | None
    findings: tuple[Finding, ...] = ()

    def groups(self, by: str | None = None) -> tuple[GroupResult, ...]:
        """Everyone, or the teams or roles."""
        if by == "team":
            return self.teams
        if by == "role":
            return self.roles
        return (self.all,)


@dataclass(frozen=True)
class Results:
    """Every round scored; ``current`` is the chosen round with deltas against ``previous``."""

    target: float
    min_group_size: int
    rounds: tuple[RoundResult, ...]
    current: RoundResult
    previous: RoundResult | None


FindingKind = Literal[
    "perception-gap",
    "group-difference",
    "disagreement",
    "dont-know",
    "weakest",
    "clear-change",
    "low-coverage",
]


@dataclass(frozen=True)
class Finding:
    """Something a reader should know, most important first in ``RoundResult.findings``."""

    kind: FindingKind
    title: str
    detail: str
    dimension: str | None = None
    question: str | None = None
    size: float | None = None


# Small pure helpers ------------------------------------------------------------------------


def weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Mean of the scores that exist, by weight; ``None`` when nothing has a score."""
    present = [(score, weight) for score, weight in pairs if score is not None]
    total = math.fsum(weight for _, weight in present)
    if not present or total <= 0:
        return None
    mean = math.fsum(score * weight for score, weight in present) / total
    # Rounding can put the mean a hair outside the scores it averages (100.00000000000001).
    scores = [score for score, _ in present]
    return min(max(mean, min(scores)), max(scores))


def to_target(scores: Iterable[float | None], target: float) -> float | None:
    """``1 - sum(max(0, target - score)) / sum(target)`` over the scores that exist."""
    present = [s for s in scores if s is not None]
    if not present:
        return None
    return 1 - math.fsum(max(0.0, target - s) for s in present) / (target * len(present))


def progress(now: float | None, before: float | None, target: float) -> float | None:
    """Share of the way from the previous score to the target covered since; ``None`` when
    there is no previous score or it was already at or above target."""
    if now is None or before is None or before >= target:
        return None
    return (now - before) / (target - before)


def level_name(bank: Bank, score: float | None) -> str | None:
    return None if score is None else bank.level_for(score).name


def side_of(role: str | None, settings: Settings) -> str | None:
    """Whether a role counts as leadership or frontline for the perception gap.

    Roles listed in ``assessment.yml`` win; otherwise a role naming a lead, manager,
    director, head, chief or executive is leadership and any other role is frontline.
    """
    if role is None:
        return None
    if settings.leadership_roles or settings.frontline_roles:
        folded = role.casefold()
        if folded in (r.casefold() for r in settings.leadership_roles):
            return LEADERSHIP
        if folded in (r.casefold() for r in settings.frontline_roles):
            return FRONTLINE
        return None
    return LEADERSHIP if _LEADER_WORDS.search(role) else FRONTLINE


# Scoring one group ------------------------------------------------------------------------


def score_question(
    key: str, scores: Sequence[float], na: int, asked: int, min_n: int
) -> QuestionResult:
    """Mean, spread and counts of one question's scored answers in a group."""
    n = len(scores)
    if n == 0:
        return QuestionResult(key, None, 0, na, asked - na, None, None, None, False, min_n > 0)
    mean = math.fsum(scores) / n
    sd = math.sqrt(math.fsum((s - mean) ** 2 for s in scores) / n)
    return QuestionResult(
        key,
        mean,
        n,
        na,
        asked - n - na,
        sd,
        min(scores),
        max(scores),
        sd >= DISAGREEMENT_SD and n >= DISAGREEMENT_MIN_N,
        n < min_n,
    )


def score_group(
    kind: GroupKind,
    name: str,
    sheets: Sequence[Sheet],
    bank: Bank,
    settings: Settings,
) -> GroupResult:
    """Score one group of respondents on every question, dimension and overall."""
    scored: dict[str, list[float]] = {key: [] for key in bank.questions}
    na: dict[str, int] = dict.fromkeys(bank.questions, 0)
    dont_know: dict[str, int] = dict.fromkeys(bank.questions, 0)
    active: dict[str, set[int]] = {d.id: set() for d in bank.dimensions}
    dimension_of = {key: q.dimension_id for key, q in bank.questions.items()}
    for index, sheet in enumerate(sheets):
        reached: set[str] = set()
        for key, answer in sheet.answers.items():
            if answer.score is None:
                if answer.kind == "dont-know":
                    dont_know[key] += 1
                else:
                    na[key] += 1
            else:
                scored[key].append(answer.score)
                reached.add(dimension_of[key])
        for dimension_id in reached:
            active[dimension_id].add(index)
    min_n = settings.min_group_size
    respondents = len(sheets)
    dimensions = []
    for dimension in bank.dimensions:
        questions = tuple(
            replace(
                score_question(q.key, scored[q.key], na[q.key], respondents, min_n),
                dont_know=dont_know[q.key],
                unanswered=respondents - len(scored[q.key]) - na[q.key] - dont_know[q.key],
            )
            for q in dimension.questions
        )
        dimensions.append(
            _dimension_result(dimension, questions, respondents, active, bank, settings)
        )
    score = weighted_mean(
        (d.score, bank_dimension.weight)
        for d, bank_dimension in zip(dimensions, bank.dimensions, strict=True)
    )
    asked = sum(d.asked for d in dimensions)
    answered = sum(d.answered for d in dimensions)
    all_questions = [q for d in dimensions for q in d.questions]
    return GroupResult(
        kind=kind,
        name=name,
        respondents=respondents,
        shown=kind == "all" or respondents >= min_n,
        score=score,
        level=level_name(bank, score),
        asked=asked,
        answered=answered,
        na=sum(d.na for d in dimensions),
        unanswered=sum(d.unanswered for d in dimensions),
        dont_know=sum(d.dont_know for d in dimensions),
        coverage=answered / asked if asked else None,
        to_target=to_target((q.score for q in all_questions), settings.target),
        low_confidence=respondents < min_n,
        dimensions=tuple(dimensions),
    )


def _dimension_result(
    dimension: Dimension,
    questions: tuple[QuestionResult, ...],
    respondents: int,
    active: Mapping[str, set[int]],
    bank: Bank,
    settings: Settings,
) -> DimensionResult:
    score = weighted_mean(
        (result.score, question.weight)
        for result, question in zip(questions, dimension.questions, strict=True)
    )
    asked = respondents * len(questions)
    answered = sum(q.n for q in questions)
    people = len(active[dimension.id])
    return DimensionResult(
        id=dimension.id,
        score=score,
        level=level_name(bank, score),
        asked=asked,
        answered=answered,
        na=sum(q.na for q in questions),
        unanswered=sum(q.unanswered for q in questions),
        dont_know=sum(q.dont_know for q in questions),
        coverage=answered / asked if asked else None,
        respondents=people,
        to_target=to_target((q.score for q in questions), settings.target),
        low_confidence=people < settings.min_group_size,
        questions=questions,
    )


# Rounds, deltas, perception ------------------------------------------------------------------


def _grouped(sheets: Iterable[Sheet], key: str) -> dict[str, list[Sheet]]:
    groups: dict[str, list[Sheet]] = {}
    for sheet in sheets:
        name = sheet.team if key == "team" else sheet.role
        if name is not None:
            groups.setdefault(name, []).append(sheet)
    return dict(sorted(groups.items(), key=lambda item: (item[0].casefold(), item[0])))


def score_round(round_: Round, bank: Bank, settings: Settings) -> RoundResult:
    """Score one round for everyone, each team, each role, and leadership against frontline."""
    sheets = round_.sheets
    teams = tuple(
        score_group("team", name, members, bank, settings)
        for name, members in _grouped(sheets, "team").items()
    )
    roles = tuple(
        score_group("role", name, members, bank, settings)
        for name, members in _grouped(sheets, "role").items()
    )
    return RoundResult(
        id=round_.id,
        respondents=len(sheets),
        all=score_group("all", "All respondents", sheets, bank, settings),
        teams=teams,
        roles=roles,
        perception=perception_gap(sheets, bank, settings),
    )


def perception_gap(sheets: Sequence[Sheet], bank: Bank, settings: Settings) -> PerceptionGap | None:
    """Leadership against frontline, or ``None`` when either side has no respondents."""
    sides: dict[str, list[Sheet]] = {LEADERSHIP: [], FRONTLINE: []}
    for sheet in sheets:
        side = side_of(sheet.role, settings)
        if side is not None:
            sides[side].append(sheet)
    if not sides[LEADERSHIP] or not sides[FRONTLINE]:
        return None
    leaders = score_group("side", LEADERSHIP, sides[LEADERSHIP], bank, settings)
    front = score_group("side", FRONTLINE, sides[FRONTLINE], bank, settings)
    visible = leaders.shown and front.shown
    gaps = []
    for lead_dim, front_dim in zip(leaders.dimensions, front.dimensions, strict=True):
        gap = _difference(lead_dim.score, front_dim.score) if visible else None
        gaps.append(
            DimensionGap(
                lead_dim.id,
                lead_dim.score if visible else None,
                front_dim.score if visible else None,
                gap,
                gap is not None and abs(gap) >= PERCEPTION_GAP,
            )
        )
    overall = _difference(leaders.score, front.score) if visible else None
    return PerceptionGap(leaders, front, overall, tuple(gaps))


def _difference(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def compare(now: GroupResult, before: GroupResult | None, target: float) -> GroupResult:
    """``now`` with deltas and progress against the same group in an earlier round."""
    if before is None:
        return now
    dimensions = []
    for dimension in now.dimensions:
        earlier = next((d for d in before.dimensions if d.id == dimension.id), None)
        if earlier is None:
            dimensions.append(dimension)
            continue
        earlier_questions = {q.key: q for q in earlier.questions}
        questions = tuple(
            replace(q, delta=_difference(q.score, _score_of(earlier_questions.get(q.key))))
            for q in dimension.questions
        )
        dimensions.append(
            replace(
                dimension,
                questions=questions,
                delta=_difference(dimension.score, earlier.score),
                progress=progress(dimension.score, earlier.score, target),
            )
        )
    return replace(
        now,
        dimensions=tuple(dimensions),
        delta=_difference(now.score, before.score),
        progress=progress(now.score, before.score, target),
    )


def _score_of(result: QuestionResult | None) -> float | None:
    return None if result is None else result.score


def _compare_round(now: RoundResult, before: RoundResult, target: float) -> RoundResult:
    def match(group: GroupResult, earlier: Sequence[GroupResult]) -> GroupResult:
        # A group too small to show then has no change now: it would give its score away.
        same = next((g for g in earlier if g.name == group.name and g.shown), None)
        return compare(group, same, target)

    return replace(
        now,
        all=compare(now.all, before.all, target),
        teams=tuple(match(g, before.teams) for g in now.teams),
        roles=tuple(match(g, before.roles) for g in now.roles),
    )


def score_assessment(assessment: Assessment, round_id: str | None = None) -> Results:
    """Score every round up to ``round_id`` (default: the last); the chosen one is current."""
    current_round = assessment.round(round_id)
    index = assessment.rounds.index(current_round)
    settings = assessment.settings
    rounds = [
        score_round(r, assessment.bank_of(r), settings) for r in assessment.rounds[: index + 1]
    ]
    previous = rounds[-2] if len(rounds) > 1 else None
    if previous is not None:
        rounds[-1] = _compare_round(rounds[-1], previous, settings.target)
    return Results(
        target=settings.target,
        min_group_size=settings.min_group_size,
        rounds=tuple(rounds),
        current=rounds[-1],
        previous=previous,
    )
