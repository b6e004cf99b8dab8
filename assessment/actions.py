"""``actions.yml``: who does each plan item, by when, and how far it got.

The file is optional and sits beside ``assessment.yml``. It maps plan item ids (the
``dimension.question.tune-up`` of a tune-up, or the id of the round's one "agree on the
facts" item) to their state::

    needs.journey-owner.name-owners:
      owner: Dana (Head of service)
      due: 2026-03-31
      status: done            # planned, doing, done or dropped
      done: 2026-03-02        # the day it was done, so the next round can tell
      note: Owners named for the five key journeys.
      link: https://tracker.example.com/CX-12

Every key but the id is optional (an id alone is a planned item). Links are published,
so only ``http`` and ``https`` addresses are accepted. :func:`load_actions` checks the
file like every other: each problem names its line, column and key.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

import pydantic
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from .model import Bank
from .planning import ALIGN_ID
from .problems import Problem, did_you_mean
from .sheet_files import join
from .source import Document, Location, parse_text, read_text
from .spec_errors import show_value, spec_problems

ACTIONS_FILE = "actions.yml"
Status = Literal["planned", "doing", "done", "dropped"]
STATUSES: tuple[Status, ...] = get_args(Status)
OPEN_STATUSES = frozenset({"planned", "doing"})
"""Statuses of work still to do: such an item can be overdue."""
MAX_LINK = 2000
MAX_NOTE = 2000
MAX_OWNER = 200


def _status(value: str) -> str:
    if value not in STATUSES:
        raise ValueError(
            f"unknown status {show_value(value)}"
            + did_you_mean(value.lower(), STATUSES)
            + f"; use {', '.join(STATUSES[:-1])} or {STATUSES[-1]}"
        )
    return value


def _link(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"must be an http:// or https:// address (it is published), got {show_value(value)}"
        )
    if re.search(r"\s", value):
        raise ValueError("must not contain spaces or line breaks; encode them as %20")
    return value


class ActionSpec(BaseModel):
    """The state of one plan item."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    owner: Annotated[str, StringConstraints(min_length=1, max_length=MAX_OWNER)] | None = Field(
        default=None, description="Who leads it: a name, an e-mail address or a @github-login."
    )
    due: dt.date | None = Field(default=None, description="When it is due: YYYY-MM-DD.")
    status: Annotated[str, AfterValidator(_status)] = Field(
        default="planned",
        description="planned, doing, done (give the day with `done:`) or dropped.",
        json_schema_extra={"enum": list(STATUSES)},
    )
    done: dt.date | None = Field(
        default=None,
        description="The day it was done (YYYY-MM-DD), with status: done; the next round "
        "shows what changed since.",
    )
    note: Annotated[str, StringConstraints(max_length=MAX_NOTE)] | None = Field(
        default=None, description="A short note, published as plain text."
    )
    link: Annotated[str, StringConstraints(max_length=MAX_LINK), AfterValidator(_link)] | None = (
        Field(
            default=None,
            description="An http:// or https:// address (a ticket, a document); published.",
        )
    )


@dataclass(frozen=True)
class Action:
    """The state of one plan item, as ``actions.yml`` gives it."""

    id: str
    status: Status = "planned"
    owner: str | None = None
    due: dt.date | None = None
    done: dt.date | None = None
    """The day it was done (status ``done`` only; may be unknown)."""
    note: str | None = None
    link: str | None = None

    @property
    def open(self) -> bool:
        """Still to do: planned or doing."""
        return self.status in OPEN_STATUSES

    def overdue(self, on: dt.date | None) -> bool:
        """Due before ``on`` and still to do (never without both dates)."""
        return self.open and self.due is not None and on is not None and self.due < on


@dataclass(frozen=True)
class Actions:
    """Every item of ``actions.yml``, in the file's order."""

    path: str
    """The file as shown in messages."""
    items: Mapping[str, Action]

    def get(self, item_id: str) -> Action | None:
        return self.items.get(item_id)


def tune_up_titles(banks: Iterable[Bank]) -> dict[str, str]:
    """The id and title of every tune-up of these banks: the items a plan can hold."""
    titles: dict[str, str] = {}
    for bank in banks:
        for question in bank.questions.values():
            for tune_up in question.tune_ups:
                titles.setdefault(f"{question.key}.{tune_up.id}", tune_up.title)
    return titles


def item_ids(banks: Iterable[Bank]) -> dict[str, str]:
    """Every id ``actions.yml`` may use, with a title for editors and messages."""
    banks = list(banks)
    ids = tune_up_titles(banks)
    for bank in banks:
        for question in bank.questions.values():
            ids.setdefault(f"{question.key}.{ALIGN_ID}", "Align the team on where you stand")
    return ids


class _EntryDocument(Document):
    """The document seen from one entry: problems are placed under the entry's id."""

    def __init__(self, document: Document, prefix: Location) -> None:
        super().__init__(document.path, document.data, document.root)
        self.prefix = prefix

    def problem(
        self, location: Location, message: str, *, key: bool = False, warning: bool = False
    ) -> Problem:
        return super().problem((*self.prefix, *location), message, key=key, warning=warning)


_BLANK = re.compile(r"^\s*(#.*)?$")


def _is_blank(text: str) -> bool:
    """Nothing but comments and blank lines (a file ``plan --init`` has not filled yet)."""
    return all(_BLANK.match(line) for line in text.splitlines())


def read_actions(
    path: Path, display: str, banks: Iterable[Bank]
) -> tuple[Actions, list[Problem], list[Problem]]:
    """Read and check an ``actions.yml``; returns the actions, problems and warnings."""
    text, problems = read_text(path, display)
    if text is None:
        return Actions(display, {}), problems, []
    if _is_blank(text):
        return Actions(display, {}), [], []
    document, problems = parse_text(text, display)
    if document is None:
        return Actions(display, {}), problems, []
    known = item_ids(banks)
    items: dict[str, Action] = {}
    warnings: list[Problem] = []
    for item_id, value in document.data.items():
        where: Location = (item_id,)
        if item_id not in known:
            problems.append(
                document.problem(
                    where,
                    f"unknown plan item '{item_id}'" + did_you_mean(item_id, known),
                    key=True,
                )
            )
            continue
        try:
            spec = ActionSpec.model_validate({} if value is None else value)
        except pydantic.ValidationError as error:
            problems += spec_problems(_EntryDocument(document, where), error, ActionSpec)
            continue
        if spec.done is not None and spec.status != "done":
            problems.append(
                document.problem(
                    (*where, "done"),
                    f"a done date needs status: done (the status is '{spec.status}')",
                )
            )
            continue
        if spec.status == "done" and spec.done is None:
            warnings.append(
                document.problem(
                    (*where, "status"),
                    "done, but not when: add done: YYYY-MM-DD so the next round can show "
                    "what changed since",
                    warning=True,
                )
            )
        items[item_id] = Action(item_id, **spec.model_dump())
    return Actions(display, items), problems, warnings


def load_actions(
    root: Path, display: str, banks: Iterable[Bank]
) -> tuple[Actions | None, list[Problem], list[Problem]]:
    """The project's ``actions.yml`` (``None`` when it has none), problems and warnings."""
    path = root / ACTIONS_FILE
    if not path.exists() and not path.is_symlink():
        return None, [], []
    return read_actions(path, join(display, ACTIONS_FILE), banks)


def actions_schema(bank: Bank) -> dict[str, Any]:
    """JSON Schema of ``actions.yml`` for a bank: editors complete every plan item id."""
    entry = ActionSpec.model_json_schema()
    entry["title"] = "The state of one plan item"
    properties = {
        item_id: {"description": title, "anyOf": [{"$ref": "#/$defs/action"}, {"type": "null"}]}
        for item_id, title in item_ids([bank]).items()
    }
    return {
        "title": "cxmaturity actions.yml",
        "description": "Owner, due date and status of each item of the tune-up plan.",
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "$defs": {"action": entry},
    }


# plan --init ---------------------------------------------------------------------------------

SCHEMA_LINE = "# yaml-language-server: $schema=schemas/actions.schema.json"
NEW_FILE_HEADER = f"""\
{SCHEMA_LINE}
# Who does each item of the tune-up plan, by when, and how far it got.
# status: planned, doing, done (add the day: done: YYYY-MM-DD) or dropped.
# owner, due (YYYY-MM-DD), note and link (http:// or https://) are optional and published.
"""


@dataclass(frozen=True)
class NewEntry:
    """A plan item to start tracking: its id, and what the comment beside it says."""

    id: str
    title: str
    rank: int


class CannotAppend(ValueError):
    """The file's layout does not let entries be appended as text (the message says why)."""


def _entry_text(entry: NewEntry) -> str:
    title = " ".join(entry.title.split())
    return f"{entry.id}:  # {entry.rank}. {title}\n  owner:\n  due:\n  status: planned\n"


def appended(existing: str | None, entries: list[NewEntry], heading: str) -> str:
    """``existing`` (the file's text, ``None`` when there is none) with ``entries`` added
    at the end, as text: what is already there, comments included, stays byte for byte.

    Raises :class:`CannotAppend` when the result would not read back as the same entries
    plus the new ones (a file written in flow style, or ending in a document marker).
    """
    before = existing if existing is not None else NEW_FILE_HEADER
    if before and not before.endswith("\n"):
        before += "\r\n" if "\r\n" in before else "\n"
    added = f"\n# {heading}\n" + "".join(_entry_text(e) for e in entries)
    if "\r\n" in before:
        added = added.replace("\n", "\r\n")
    text = before + added
    old = {} if existing is None or _is_blank(existing) else _data(existing)
    new = _data(text)
    expected = old | {e.id: {"owner": None, "due": None, "status": "planned"} for e in entries}
    if new != expected:
        raise CannotAppend(
            "its layout does not allow adding entries at the end (flow style, or a '...' or "
            "'---' marker); add them by hand"
        )
    return text


def _data(text: str) -> dict[str, Any]:
    document, problems = parse_text(text, ACTIONS_FILE)
    if document is None or problems:
        raise CannotAppend("it does not read as YAML after adding the entries; add them by hand")
    data: dict[str, Any] = document.data
    return data
