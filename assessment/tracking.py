"""The plan with its actions: who does each item, by when, what is overdue or dropped,
and, in a round that follows another, what was done since and whether its question moved.

* An item is **overdue** when it is due before the day the plan is read at (the round's
  date in the report, today in ``cxmaturity plan``) and still planned or doing.
* A **dropped** item leaves its horizon (Now, Next, Later) for a list of its own, keeping
  its rank: the ranks of the others do not change.
* **Closing the loop**: when the round follows another and the project has an
  ``actions.yml``, every tracked item is compared with its question's change since the
  previous round. It counts as done since then when its status is done and its done date
  falls after the previous round's date and on or before this round's (an unknown date or
  round date does not exclude it). Its question **moved** when the change is a clear rise
  (the change's interval excludes 0 and the change is positive). Done items whose question
  did not move, and items not done whose question moved anyway, are flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .actions import STATUSES, Action, Actions, tune_up_titles
from .model import Assessment
from .planning import Horizon, PlanItem, TuneUpPlan
from .scoring import QuestionResult, Results

UNTRACKED = "untracked"
"""The status shown for a plan item ``actions.yml`` does not list."""
Verdict = Literal["done-moved", "done-not-moved", "moved-not-done", "not-done"]
FLAGS: Mapping[Verdict, str] = {
    "done-not-moved": "done, but its question did not clearly rise",
    "moved-not-done": "its question rose although it is not done",
}
"""What the report says of the two verdicts worth a second look."""


@dataclass(frozen=True)
class TrackedItem:
    """A plan item with its action (``None``: not in ``actions.yml``)."""

    item: PlanItem
    action: Action | None
    overdue: bool

    @property
    def status(self) -> str:
        return self.action.status if self.action is not None else UNTRACKED

    @property
    def dropped(self) -> bool:
        return self.action is not None and self.action.status == "dropped"


@dataclass(frozen=True)
class LoopItem:
    """A tracked item in the round after: its status and how its question changed."""

    id: str
    title: str
    question: str
    """The question key, ``dimension.question``."""
    action: Action
    done_since: bool
    """Done after the previous round (and by this one)."""
    delta: float | None
    delta_clear: bool | None
    verdict: Verdict

    @property
    def moved(self) -> bool:
        return self.verdict in ("done-moved", "moved-not-done")

    @property
    def flag(self) -> str | None:
        """Why the item is worth a second look, or ``None``."""
        return FLAGS.get(self.verdict)

    @property
    def sentence(self) -> str:
        """One line: "Title: done in March 2026; needs.journey-owner +22, clear"."""
        return f"{self.title}: {status_words(self.action)}; {change_words(self)}"


@dataclass(frozen=True)
class Since:
    """The loop closed in this round: what was tracked since the previous one."""

    previous_round: str
    items: tuple[LoopItem, ...]

    @property
    def done(self) -> tuple[LoopItem, ...]:
        return tuple(i for i in self.items if i.done_since)

    @property
    def flagged(self) -> tuple[LoopItem, ...]:
        return tuple(i for i in self.items if i.flag)


@dataclass(frozen=True)
class PlanTracking:
    """The round's plan with ``actions.yml`` applied; empty of actions without the file."""

    actions: Actions | None
    on: dt.date | None
    """The day overdue is judged at."""
    items: tuple[TrackedItem, ...]
    """Every plan item, in plan order, dropped ones included."""
    since: Since | None
    """``None`` in a first round, or without ``actions.yml``."""
    titles: Mapping[str, str]
    """The title of every tune-up, for tracked items this round's plan does not hold."""

    def of(self, item: PlanItem) -> TrackedItem:
        return next(t for t in self.items if t.item.id == item.id)

    def horizon(self, horizon: Horizon) -> tuple[PlanItem, ...]:
        """The plan items of a horizon, without those dropped."""
        return tuple(t.item for t in self.items if t.item.horizon == horizon and not t.dropped)

    @property
    def active(self) -> tuple[PlanItem, ...]:
        """The plan items in plan order, without those dropped: what is first to do."""
        return tuple(t.item for t in self.items if not t.dropped)

    @property
    def dropped(self) -> tuple[TrackedItem, ...]:
        return tuple(t for t in self.items if t.dropped)

    @property
    def overdue(self) -> tuple[TrackedItem, ...]:
        return tuple(t for t in self.items if t.overdue)

    @property
    def outside_plan(self) -> tuple[Action, ...]:
        """Tracked items this round's plan no longer holds (their question rose enough)."""
        if self.actions is None:
            return ()
        planned = {t.item.id for t in self.items}
        return tuple(a for i, a in self.actions.items.items() if i not in planned)


@dataclass(frozen=True)
class NowStatus:
    """How far a plan's Now items got: a count per status, and how many are overdue."""

    counts: Mapping[str, int]
    overdue: int
    total: int

    @property
    def words(self) -> str:
        """ "2 done · 1 doing · 2 untracked (1 overdue)", or "none" without Now items."""
        if not self.total:
            return "none"
        order = [*STATUSES, UNTRACKED]
        text = " · ".join(f"{self.counts[s]} {s}" for s in order if self.counts.get(s))
        return text + (f" ({self.overdue} overdue)" if self.overdue else "")


def status_words(action: Action) -> str:
    """ "done in March 2026", "done (date not given)", "doing", "planned"..."""
    if action.status == "done":
        return f"done in {action.done:%B %Y}" if action.done else "done (date not given)"
    return action.status


def change_words(item: LoopItem) -> str:
    """ "needs.journey-owner +22, clear", "... −3, no clear change", or no answers."""
    if item.delta is None:
        return f"{item.question}: no answers to compare"
    change = "±0" if round(item.delta) == 0 else f"{item.delta:+.0f}".replace("-", "−")
    return f"{item.question} {change}, {'clear' if item.delta_clear else 'no clear change'}"


def question_of(item_id: str) -> str:
    """The question key of a plan item id: ``dimension.question.tune-up`` less the tune-up."""
    return item_id.rsplit(".", 1)[0]


def _question_result(assessment: Assessment, results: Results, key: str) -> QuestionResult | None:
    if key not in assessment.bank.questions:
        return None
    return results.current.all.question(key)


def _done_since(action: Action, after: dt.date | None, until: dt.date | None) -> bool:
    if action.status != "done":
        return False
    if action.done is None:
        return True
    return (after is None or action.done > after) and (until is None or action.done <= until)


def _verdict(done_since: bool, moved: bool) -> Verdict:
    if done_since:
        return "done-moved" if moved else "done-not-moved"
    return "moved-not-done" if moved else "not-done"


def close_loop(assessment: Assessment, results: Results, plan: TuneUpPlan) -> Since | None:
    """Each tracked item against its question's change since the previous round."""
    actions = assessment.actions
    if actions is None or results.previous is None:
        return None
    after = assessment.round(results.previous.id).date
    until = round_day(assessment, results)
    titles = {i.id: i.title for i in plan.items}
    titles |= tune_up_titles([assessment.bank, *(r.bank for r in assessment.rounds if r.bank)])
    items = []
    for item_id, action in actions.items.items():
        if action.status == "done" and not _done_since(action, after, until):
            continue  # done before the previous round: that round's loop
        key = question_of(item_id)
        result = _question_result(assessment, results, key)
        delta = result.delta if result is not None else None
        clear = result.delta_clear if result is not None else None
        moved = bool(clear) and delta is not None and delta > 0
        done = _done_since(action, after, until)
        items.append(
            LoopItem(
                item_id,
                titles.get(item_id, item_id),
                key,
                action,
                done,
                delta,
                clear,
                _verdict(done, moved),
            )
        )
    return Since(results.previous.id, tuple(items))


def track(
    assessment: Assessment, results: Results, plan: TuneUpPlan, on: dt.date | None
) -> PlanTracking:
    """The plan with ``actions.yml`` applied, overdue judged at ``on``."""
    actions = assessment.actions
    tracked = []
    for item in plan.items:
        action = actions.get(item.id) if actions is not None else None
        tracked.append(TrackedItem(item, action, action is not None and action.overdue(on)))
    titles = tune_up_titles([assessment.bank])
    return PlanTracking(actions, on, tuple(tracked), close_loop(assessment, results, plan), titles)


def round_day(assessment: Assessment, results: Results) -> dt.date | None:
    """The scored round's date (or the assessment's): the day the report judges overdue at."""
    return assessment.round(results.current.id).date or assessment.settings.date


def report_tracking(assessment: Assessment, results: Results, plan: TuneUpPlan) -> PlanTracking:
    """The plan with its actions as the report shows it: overdue at the round's date."""
    return track(assessment, results, plan, round_day(assessment, results))


def now_status(tracking: PlanTracking) -> NowStatus:
    """The state of the plan's Now items (dropped ones included: they were in Now)."""
    now = [t for t in tracking.items if t.item.horizon == "now"]
    counts = Counter(t.status for t in now)
    return NowStatus(dict(counts), sum(1 for t in now if t.overdue), len(now))


def _action_fields(action: Action | None, on: dt.date | None) -> dict[str, Any]:
    if action is None:
        return {
            "status": UNTRACKED,
            "owner": None,
            "due": None,
            "done": None,
            "note": None,
            "link": None,
            "overdue": False,
        }
    return {
        "status": action.status,
        "owner": action.owner,
        "due": action.due.isoformat() if action.due else None,
        "done": action.done.isoformat() if action.done else None,
        "note": action.note,
        "link": action.link,
        "overdue": action.overdue(on),
    }


def actions_document(tracking: PlanTracking) -> dict[str, Any] | None:
    """The ``actions`` part of ``score --format json`` (``None`` without ``actions.yml``)."""
    if tracking.actions is None:
        return None
    items = [
        {"id": t.item.id, "in_plan": True, "rank": t.item.rank, "horizon": t.item.horizon}
        | _action_fields(t.action, tracking.on)
        for t in tracking.items
    ]
    items += [
        {"id": a.id, "in_plan": False, "rank": None, "horizon": None}
        | _action_fields(a, tracking.on)
        for a in tracking.outside_plan
    ]
    since = tracking.since
    return {
        "file": tracking.actions.path,
        "on": tracking.on.isoformat() if tracking.on else None,
        "items": items,
        "since_previous": None
        if since is None
        else {
            "previous_round": since.previous_round,
            "items": [
                {
                    "id": i.id,
                    "title": i.title,
                    "question": i.question,
                    "status": i.action.status,
                    "done": i.action.done.isoformat() if i.action.done else None,
                    "done_since": i.done_since,
                    "delta": i.delta,
                    "delta_clear": i.delta_clear,
                    "moved": i.moved,
                    "verdict": i.verdict,
                    "flag": i.flag,
                    "text": i.sentence,
                }
                for i in since.items
            ],
        },
    }
