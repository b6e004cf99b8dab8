"""The plan's open items for issue trackers (``cxmaturity export --format jira|github``).

* **Jira**: a CSV that Jira's CSV importer maps by its header, one issue per row:
  ``Summary``, ``Description``, ``Assignee``, ``Due date``, ``Priority`` and two ``Labels``
  columns (Jira reads a field given in several columns of the same name as several
  values): the dimension's id and the horizon. Due dates are written in the importer's
  default date format, ``dd/MMM/yy h:mm a``; priorities are Jira's default names (Now
  High, Next Medium, Later Low).
* **GitHub**: JSON lines, one issue each, with ``title``, ``body`` (Markdown: the question,
  its score, the expected gain, the tune-up), ``labels`` and ``assignees``: the fields of
  GitHub's "create an issue", ready for ``gh``. An owner written ``@login`` becomes the
  assignee; any other owner is named in the body.

Items done or dropped in ``actions.yml`` are left out: trackers get the work still to do.
Nothing here touches the network or a file; both return text.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

from .cells import csv_text
from .model import Assessment
from .planning import PlanItem, TuneUpPlan
from .scoring import Results
from .sheet_files import DEFAULT_ROUND
from .tracking import TrackedItem, report_tracking

JIRA_COLUMNS = ("Summary", "Description", "Assignee", "Due date", "Priority", "Labels", "Labels")
JIRA_PRIORITY = {"now": "High", "next": "Medium", "later": "Low"}
JIRA_SUMMARY_MAX = 255
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
GITHUB_LOGIN = re.compile(r"^@([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$")
"""An owner written as a GitHub login: ``@`` and up to 39 letters, digits or single hyphens."""


def open_items(assessment: Assessment, results: Results, plan: TuneUpPlan) -> Iterator[TrackedItem]:
    """The plan's items still to do (not done, not dropped), in plan order."""
    for tracked in report_tracking(assessment, results, plan).items:
        if tracked.action is None or tracked.action.open:
            yield tracked


def jira_date(day: dt.date) -> str:
    """A day in the Jira CSV importer's default date format, ``dd/MMM/yy h:mm a``."""
    return f"{day.day:02d}/{_MONTHS[day.month - 1]}/{day:%y} 12:00 AM"


def _facts(item: PlanItem, assessment: Assessment, results: Results) -> list[tuple[str, str]]:
    """What every tracker shows about an item, as (label, text) pairs."""
    question = assessment.bank.questions.get(item.question)
    rows = []
    if question is not None:
        rows.append(("Question", f"{question.text} ({item.question})"))
    applies = f" (this applies below {item.below:g})" if item.below is not None else ""
    rows.append(("Score", f"{item.score:.1f} of 100{applies}; target {results.target:g}"))
    rows.append(("Expected gain", f"{item.gain:+.1f} points of the overall score"))
    rows.append(
        (
            "Plan",
            f"{item.horizon.capitalize()}, rank {item.rank}; effort {item.effort}, "
            f"impact {item.impact}" + (" (a quick win)" if item.quick_win else ""),
        )
    )
    return rows


def _measure(item: PlanItem, assessment: Assessment) -> str:
    question = assessment.bank.questions.get(item.question)
    if question is None:
        return ""
    for tune_up in question.tune_ups:
        if f"{question.key}.{tune_up.id}" == item.id:
            return tune_up.measure.strip()
    return ""


def _source(item: PlanItem, assessment: Assessment, results: Results) -> str:
    client = " ".join(assessment.settings.client.split())
    named = "" if results.current.id == DEFAULT_ROUND else f", round {results.current.id}"
    return f"From the cxmaturity plan of {client}{named}: {item.id}"


def jira_csv(assessment: Assessment, results: Results, plan: TuneUpPlan) -> str:
    """The open plan items as a CSV for Jira's importer (header row first); text cells a
    spreadsheet would run as formulas get a ``'`` (:mod:`assessment.cells`)."""
    rows: list[list[object]] = [list(JIRA_COLUMNS)]
    for tracked in open_items(assessment, results, plan):
        item, action = tracked.item, tracked.action
        lines = [f"{label}: {text}" for label, text in _facts(item, assessment, results)]
        if item.body.strip():
            lines += ["", item.body.strip()]
        if measure := _measure(item, assessment):
            lines += ["", f"How you will know it worked: {measure}"]
        if action is not None and action.note:
            lines += ["", f"Note: {action.note}"]
        if action is not None and action.link:
            lines += [f"Link: {action.link}"]
        lines += ["", _source(item, assessment, results)]
        summary = " ".join(item.title.split())[:JIRA_SUMMARY_MAX]
        owner = action.owner if action is not None and action.owner else ""
        due = jira_date(action.due) if action is not None and action.due else ""
        priority = JIRA_PRIORITY[item.horizon]
        rows.append([summary, "\n".join(lines), owner, due, priority, item.dimension, item.horizon])
    return csv_text(rows, line_end="\r\n")


def _github_issue(tracked: TrackedItem, assessment: Assessment, results: Results) -> dict[str, Any]:
    item, action = tracked.item, tracked.action
    owner = action.owner if action is not None and action.owner else None
    login = GITHUB_LOGIN.match(owner) if owner else None
    parts = [
        "\n".join(f"**{label}:** {text}  " for label, text in _facts(item, assessment, results))
    ]
    details = []
    if owner and not login:
        details.append(f"**Owner:** {owner}")
    if action is not None and action.due:
        details.append(f"**Due:** {action.due.isoformat()}")
    if action is not None and action.link:
        details.append(f"**Link:** {action.link}")
    if details:
        parts.append("  \n".join(details))
    if item.body.strip():
        parts.append(item.body.strip())
    if measure := _measure(item, assessment):
        parts.append(f"**How you will know it worked:** {measure}")
    if action is not None and action.note:
        parts.append(f"> {' '.join(action.note.split())}")
    parts.append(f"<sub>{_source(item, assessment, results)}</sub>")
    return {
        "title": " ".join(item.title.split()),
        "body": "\n\n".join(parts) + "\n",
        "labels": [item.dimension, item.horizon],
        "assignees": [login.group(1)] if login else [],
    }


def github_issues(assessment: Assessment, results: Results, plan: TuneUpPlan) -> str:
    """The open plan items as JSON lines of GitHub issues (title, body, labels, assignees)."""
    return "".join(
        json.dumps(_github_issue(t, assessment, results), ensure_ascii=False) + "\n"
        for t in open_items(assessment, results, plan)
    )
