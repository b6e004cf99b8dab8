"""The tune-up plan: which recommendations apply, in what order, and when to do them.

* Every tune-up whose question scores under its ``below`` is a candidate.
* Priority = gap to target x question weight x dimension weight x impact / effort, with
  low/medium/high counted 1/2/3. The gap is ``max(0, target - score)``.
* A question the group disagrees on (see :mod:`assessment.scoring`) adds an "align the
  team" item; its spread (standard deviation) stands in for the gap, with medium impact
  and medium effort (a session to compare answers and agree on the facts).
* Items are ranked by priority. The first ``NOW_COUNT`` and every quick win (low effort,
  high impact) with a gap are **Now**; up to rank ``NEXT_UNTIL`` is **Next**; the rest
  **Later**.
* A team's own plan keeps the items whose question scores worse in the team than for
  everyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from .model import RATING_VALUE, Bank, Question, TuneUp
from .scoring import GroupResult, QuestionResult, Results

NOW_COUNT = 5
NEXT_UNTIL = 15
ALIGN_ID = "align"

Horizon = Literal["now", "next", "later"]
ItemKind = Literal["tune-up", "align"]


@dataclass(frozen=True)
class PlanItem:
    """One thing to do, tied to the question whose score calls for it."""

    id: str
    kind: ItemKind
    question: str
    dimension: str
    title: str
    body: str
    effort: str
    impact: str
    score: float
    below: float | None
    gap: float
    spread: float | None
    priority: float
    quick_win: bool
    rank: int = 0
    horizon: Horizon = "later"
    gain: float = 0.0
    """Points the overall score would gain if the question reached the item's aim."""
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class TuneUpPlan:
    """Items for everyone, in priority order, and each shown team's own items."""

    items: tuple[PlanItem, ...]
    teams: Mapping[str, tuple[PlanItem, ...]]

    @property
    def quick_wins(self) -> tuple[PlanItem, ...]:
        return tuple(item for item in self.items if item.quick_win)

    def horizon(self, horizon: Horizon) -> tuple[PlanItem, ...]:
        return tuple(item for item in self.items if item.horizon == horizon)


def priority(
    gap: float, question_weight: float, dimension_weight: float, impact: str, effort: str
) -> float:
    """DESIGN.md's priority: gap x weights x impact / effort (low=1, medium=2, high=3)."""
    return gap * question_weight * dimension_weight * RATING_VALUE[impact] / RATING_VALUE[effort]


def _tune_up_item(
    question: Question, dimension_weight: float, tune_up: TuneUp, score: float, target: float
) -> PlanItem:
    gap = max(0.0, target - score)
    return PlanItem(
        id=f"{question.key}.{tune_up.id}",
        kind="tune-up",
        question=question.key,
        dimension=question.dimension_id,
        title=tune_up.title,
        body=tune_up.body,
        effort=tune_up.effort,
        impact=tune_up.impact,
        score=score,
        below=tune_up.below,
        gap=gap,
        spread=None,
        priority=priority(gap, question.weight, dimension_weight, tune_up.impact, tune_up.effort),
        quick_win=tune_up.effort == "low" and tune_up.impact == "high",
    )


def _align_item(
    question: Question, dimension_weight: float, result: QuestionResult, target: float
) -> PlanItem:
    assert result.score is not None and result.sd is not None
    return PlanItem(
        id=f"{question.key}.{ALIGN_ID}",
        kind="align",
        question=question.key,
        dimension=question.dimension_id,
        title="Align the team on where you stand",
        body="",
        effort="medium",
        impact="medium",
        score=result.score,
        below=None,
        gap=max(0.0, target - result.score),
        spread=result.sd,
        priority=priority(result.sd, question.weight, dimension_weight, "medium", "medium"),
        quick_win=False,
    )


def candidates(group: GroupResult, bank: Bank, target: float) -> list[PlanItem]:
    """Every tune-up and align item that applies to a group's scores, unranked."""
    items = []
    for dimension in bank.dimensions:
        dimension_result = group.dimension(dimension.id)
        for question in dimension.questions:
            result = dimension_result.question(question.key)
            if result.score is None:
                continue
            for tune_up in question.tune_ups:
                if result.score < tune_up.below:
                    items.append(
                        _tune_up_item(question, dimension.weight, tune_up, result.score, target)
                    )
            if result.disagreement:
                items.append(_align_item(question, dimension.weight, result, target))
    return items


def rank(items: list[PlanItem]) -> tuple[PlanItem, ...]:
    """Order by priority (bank order breaks ties) and place each item in Now, Next or Later."""
    ordered = sorted(enumerate(items), key=lambda pair: (-pair[1].priority, pair[0]))
    ranked = []
    for position, (_, item) in enumerate(ordered, start=1):
        horizon: Horizon
        if position <= NOW_COUNT or (item.quick_win and item.gap > 0):
            horizon = "now"
        elif position <= NEXT_UNTIL:
            horizon = "next"
        else:
            horizon = "later"
        ranked.append(replace(item, rank=position, horizon=horizon))
    return tuple(ranked)


def plan(results: Results, bank: Bank) -> TuneUpPlan:
    """The tune-up plan of the current round, for everyone and for each shown team."""
    target = results.target
    everyone = results.current.all
    teams = {}
    for team in results.current.teams:
        if not team.shown:
            continue
        own = []
        for item in candidates(team, bank, target):
            overall = everyone.question(item.question).score
            if overall is not None and item.score < overall:
                own.append(item)
        teams[team.name] = rank(own)
    return TuneUpPlan(rank(candidates(everyone, bank, target)), teams)
