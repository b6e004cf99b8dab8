"""``cxmaturity plan``: the tune-up plan with who does what, by when, and how far it got.

The plan comes from :mod:`assessment.planning`, its state from ``actions.yml``
(:mod:`assessment.actions`, :mod:`assessment.tracking`). ``--init`` adds the Now items
not yet listed to ``actions.yml``, as text appended at the end: what the file holds,
comments included, is never rewritten.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assessment.problems import printable

from .cli import _fail, _warn
from .files import write_atomic

if TYPE_CHECKING:
    from assessment.tracking import LoopItem, PlanTracking, TrackedItem

HORIZONS = (("now", "Now"), ("next", "Next"), ("later", "Later"))


def _day(value: dt.date | None) -> str:
    return "no date" if value is None else f"{value.day} {value:%B %Y}"


def _state(tracked: TrackedItem) -> str:
    """ "doing · Lee · due 1 May 2026 · OVERDUE", or "not in actions.yml"."""
    action = tracked.action
    if action is None:
        return "not in actions.yml"
    if action.status == "done":
        parts = [f"done {_day(action.done)}" if action.done else "done (date not given)"]
    else:
        parts = [action.status]
    if action.owner:
        parts.append(printable(action.owner))
    if action.due:
        parts.append(f"due {_day(action.due)}")
    if tracked.overdue:
        parts.append("OVERDUE")
    return " · ".join(parts)


def _item_lines(tracked: TrackedItem) -> list[str]:
    item = tracked.item
    lines = [f"{item.rank:>4}. {printable(item.title)}  [{item.id}]", f"      {_state(tracked)}"]
    action = tracked.action
    if action is not None and action.note:
        lines.append(f"      note: {printable(' '.join(action.note.split()))}")
    if action is not None and action.link:
        lines.append(f"      {printable(action.link)}")
    return lines


def _loop_lines(items: tuple[LoopItem, ...]) -> list[str]:
    lines = []
    for item in items:
        lines.append(f"  {printable(item.sentence)}")
        if item.flag:
            lines.append(f"    ! {item.flag}")
    return lines


def plan_text(tracking: PlanTracking, heading: str) -> str:
    """The plan with its state, for a terminal."""
    from assessment.tracking import now_status

    lines = [heading, ""]
    if not tracking.items:
        lines.append("Every question scores above its tune-up thresholds: nothing to tune up.")
    for horizon, title in HORIZONS:
        items = tracking.horizon(horizon)  # type: ignore[arg-type]
        if items:
            lines.append(title)
            for item in items:
                lines += _item_lines(tracking.of(item))
            lines.append("")
    if tracking.dropped:
        lines.append("Dropped (out of Now, Next and Later; ranks kept)")
        for tracked in tracking.dropped:
            lines += _item_lines(tracked)
        lines.append("")
    if tracking.outside_plan:
        lines.append("Tracked, no longer in the plan (their question scores above the threshold)")
        for action in tracking.outside_plan:
            title = tracking.titles.get(action.id, action.id)
            lines.append(f"      {printable(title)}  [{action.id}]: {action.status}")
        lines.append("")
    since = tracking.since
    if since is not None and since.items:
        lines.append(f"Since round {since.previous_round}")
        lines += _loop_lines(since.items)
        lines.append("")
    now = now_status(tracking)
    if now.total:
        lines.append(f"Now: {now.words}.")
    return "\n".join(lines).rstrip() + "\n"


@click.command("plan")
@click.argument("project", default=".")
@click.option("--round", "round_id", help="The plan of this round (default: the last).")
@click.option(
    "--on",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Judge what is overdue on this day, YYYY-MM-DD (default: today).",
)
@click.option(
    "--init",
    is_flag=True,
    help="Add the Now items not yet in actions.yml to it (appended; nothing else changes).",
)
def plan_command(project: str, round_id: str | None, on: dt.datetime | None, init: bool) -> None:
    """Print the tune-up plan with each item's owner, due date and status.

    \b
    The state comes from PROJECT/actions.yml (optional). An item is overdue when it
    is due before today (or --on) and still planned or doing; dropped items leave
    their horizon but keep their rank. After a second round, each tracked item is
    shown with its question's change since the first.
    Examples:
      cxmaturity plan acme --init      # start tracking the Now items
      cxmaturity plan acme
    """
    from assessment.actions import ACTIONS_FILE, CannotAppend, NewEntry, appended
    from assessment.tracking import track

    from .site import prepare

    assessment, results, plan = prepare(project, round_id)
    _warn(assessment.warnings)
    if init:
        listed = assessment.actions.items if assessment.actions is not None else {}
        entries = [
            NewEntry(i.id, i.title, i.rank) for i in plan.horizon("now") if i.id not in listed
        ]
        path = Path(project) / ACTIONS_FILE
        if not plan.horizon("now"):
            click.echo("The plan has no Now item; nothing written.")
            return
        if not entries:
            click.echo(f"Every Now item is already in {path}; nothing written.")
            return
        # Decoded as is (line endings included), so every byte already there is kept.
        existing = path.read_bytes().decode("utf-8") if assessment.actions is not None else None
        heading = f"Added by `cxmaturity plan --init` for round {results.current.id}: Now items"
        try:
            text = appended(existing, entries, heading)
        except CannotAppend as error:
            _fail(f"{path}: {error}")
        write_atomic(path, text.encode("utf-8"))
        click.echo(f"Added {len(entries)} item{'s' * (len(entries) != 1)} to {path}:")
        for entry in entries:
            click.echo(f"  {entry.id}")
        click.echo("Fill in each owner and due date, then run: cxmaturity plan " + project)
        return
    day = on.date() if on is not None else dt.date.today()
    tracking = track(assessment, results, plan, day)
    source = assessment.actions.path if assessment.actions is not None else None
    heading = f"Tune-up plan of {printable(assessment.settings.client)}, round {results.current.id}"
    if source is None:
        heading += f"\nNo {ACTIONS_FILE} yet: `cxmaturity plan {project} --init` starts one."
    else:
        heading += f"\nState from {printable(source)}; overdue as of {_day(day)}."
    click.echo(plan_text(tracking, heading), nl=False)


def plan_export(project: str, output: str, round_id: str | None) -> tuple[str | bytes, str]:
    """``export --format jira|github|xlsx``: the content, and what it is for the message."""
    from assessment.trackers import github_issues, jira_csv

    from .site import prepare

    assessment, results, plan = prepare(project, round_id)
    _warn(assessment.warnings)
    if output == "jira":
        return jira_csv(assessment, results, plan), "the plan for Jira's CSV importer"
    if output == "github":
        return github_issues(assessment, results, plan), "the plan as GitHub issues"
    from assessment.workbook import workbook

    return workbook(assessment, results, plan), "the workbook"
