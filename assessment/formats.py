"""The shape of the three file kinds (bank, answer sheet, assessment.yml) as pydantic models.

These models check types and keys only; what needs the whole file (unique ids, scale
references, values against a scale) is checked in :mod:`assessment.loading`. They also
give the JSON Schemas that editors use to complete and check files as people type.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,63}$"
"""Ids are safe in URLs and file names: no id can leave the output folder."""
ID_RULE = "use lowercase letters, digits, '-' and '_', starting with a letter or digit, at most 64"
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)
"""Device names Windows cannot create files for; ids become file names, so they are refused."""
MAX_WEIGHT = 1000
"""Weights above this are refused: a product of weights must stay a readable number."""
BANK_FORMATS = (1, 2)


def _not_reserved(value: str) -> str:
    if value in WINDOWS_RESERVED:
        raise ValueError(
            f"'{value}' is a device name on Windows, where no file can have it; choose another id"
        )
    return value


Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    AfterValidator(_not_reserved),
    WithJsonSchema(
        {"type": "string", "pattern": ID_PATTERN, "not": {"enum": sorted(WINDOWS_RESERVED)}}
    ),
]
Text = Annotated[str, StringConstraints(min_length=1)]
Markdown = str
Rating = Literal["low", "medium", "high"]
Weight = Annotated[float, Field(ge=0, le=MAX_WEIGHT, allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# Banks -------------------------------------------------------------------------------


class PointSpec(_Strict):
    value: int = Field(description="The number people answer with.")
    label: Text = Field(description="What the number means, shown beside it.")


class ChoiceSpec(_Strict):
    id: Id = Field(description="What people answer with.")
    label: Text
    score: Annotated[float, Field(ge=0, le=1)] = Field(
        description="What this choice is worth, from 0 (nothing) to 1 (full marks)."
    )


class ScaleSpec(_Strict):
    points: list[PointSpec] | None = Field(
        default=None,
        description="A rating scale such as 1 to 5; the lowest scores 0, the highest 100.",
    )
    choices: list[ChoiceSpec] | None = Field(
        default=None, description="Labelled options, each worth a score from 0 to 1."
    )
    dont_know: bool = Field(
        default=True,
        description="Whether \"don't know\" (dont-know) is an answer to this scale's questions.",
    )


class QuestionChoiceSpec(_Strict):
    """A choice of a question's own list: with ``score`` for one answer, with ``weight``
    for ``select: multi``."""

    id: Id
    label: Text
    score: Annotated[float, Field(ge=0, le=1)] | None = Field(
        default=None,
        description="One-answer questions: what this choice is worth, from 0 to 1.",
    )
    weight: Weight | None = Field(
        default=None,
        description="select: multi questions: how much selecting this option counts (default 1).",
    )


def _ids_from_text(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


IdList = Annotated[
    list[Text],
    BeforeValidator(_ids_from_text),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]


class TuneUpSpec(_Strict):
    id: Id | None = Field(default=None, description="Optional; defaults to the position.")
    below: Annotated[float, Field(gt=0, le=100)] = Field(
        description="The tune-up applies while the question scores under this (0-100)."
    )
    title: Text
    body: Markdown = ""
    effort: Rating = "medium"
    impact: Rating = "medium"
    requires: IdList = Field(
        default=[],
        description="Tune-ups to do first: an id on the same question, or "
        "dimension.question.tune-up.",
    )
    owner: Text | None = Field(default=None, description="Who usually leads it: a role.")
    measure: Markdown = Field(default="", description="How you will know it worked.")
    timebox: Text | None = Field(default=None, description="How long to give it, e.g. 6 weeks.")


class QuestionSpec(_Strict):
    id: Id
    text: Text
    short: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = Field(
        default=None, description="A short label for charts and tables (at most 40 characters)."
    )
    help: Markdown = ""
    kind: Literal["perception", "fact"] = Field(
        default="perception",
        description="fact: one accountable person answers, and the report shows the fact.",
    )
    about: Literal["leaders"] | None = Field(
        default=None,
        description="leaders: about leaders' own behaviour; scored from the front line.",
    )
    weight: Weight = 1
    scale: Id | None = Field(default=None, description="A scale name; default_scale otherwise.")
    select: Literal["multi"] | None = Field(
        default=None, description="`multi`: select all that apply, from `choices`."
    )
    choices: list[QuestionChoiceSpec] | None = Field(
        default=None,
        description="The question's own choices: one answer (each with a score), or with "
        "select: multi, all that apply (each with a weight).",
    )
    dont_know: bool | None = Field(
        default=None, description="Whether \"don't know\" is an answer; the scale's otherwise."
    )
    references: list[Text] = Field(default=[], description="Short citations of sources.")
    replaces: IdList = Field(
        default=[],
        description="Ids of questions of an earlier bank version this one replaces: an id in "
        "the same dimension, or dimension.question.",
    )
    tune_ups: list[TuneUpSpec] = []


class DimensionSpec(_Strict):
    id: Id
    title: Text
    short: Annotated[str, StringConstraints(min_length=1, max_length=24)] | None = Field(
        default=None, description="A short label for charts (at most 24 characters)."
    )
    summary: Markdown = ""
    weight: Weight = 1
    questions: Annotated[list[QuestionSpec], Field(min_length=1)]


class LevelSpec(_Strict):
    name: Text
    min: Annotated[float, Field(ge=0, le=100)]
    description: Markdown = ""


class BankSpec(_Strict):
    """A question bank file."""

    model_config = ConfigDict(title="cxmaturity question bank")
    format: Literal[1, 2] = Field(default=1, description="The bank format: 1 or 2.")
    id: Id
    title: Text
    subject: Text | None = Field(
        default=None,
        description="What the bank measures, e.g. Customer experience: used in the site name, "
        "header and PDF cover.",
    )
    version: Text = "1"
    description: Markdown = ""
    source: Markdown = Field(default="", description="Where the bank's ideas come from.")
    licence: Text | None = Field(default=None, description="The bank's licence, e.g. CC-BY-4.0.")
    attribution: Markdown = Field(default="", description="How to credit the bank.")
    scales: dict[str, ScaleSpec] = {}
    default_scale: Id | None = None
    levels: Annotated[list[LevelSpec], Field(min_length=1)]
    dimensions: Annotated[list[DimensionSpec], Field(min_length=1)]


# Answer sheets -------------------------------------------------------------------------


class SheetSpec(_Strict):
    """An answer sheet; each answer is checked against the bank afterwards."""

    respondent: Text | None = None
    team: Text
    role: Text | None = None
    answers: dict[str, Any] = {}


class AnswerWithNoteSpec(_Strict):
    answer: Any
    note: str | None = None


# assessment.yml --------------------------------------------------------------------------


def _round_from_text(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


def _list_from_text(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


BankList = Annotated[
    list[Text],
    BeforeValidator(_list_from_text),
    Field(min_length=1),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            "description": "A bundled bank id, a file in banks/, or a path to a bank file; "
            "or a list of them.",
        }
    ),
]


class RoundSpec(_Strict):
    id: Id
    date: dt.date | None = None
    title: Text | None = None
    bank: BankList | None = Field(
        default=None,
        description="The bank this round was answered on, when not the assessment's "
        "(an earlier version).",
    )


_ROUND_SCHEMA = RoundSpec.model_json_schema()


class RolesSpec(_Strict):
    leadership: list[Text] = []
    frontline: list[Text] = []


class BrandingSpec(_Strict):
    primary: Text = "indigo"
    accent: Text = "amber"
    logo: Text | None = None


class PlanSpec(_Strict):
    now: Annotated[int, Field(ge=1, le=50)] = 5
    next: Annotated[int, Field(ge=0, le=100)] = 10


class ReportSpec(_Strict):
    show_respondents: bool = False
    min_group_size: Annotated[int, Field(ge=1)] = 3
    plan: PlanSpec = PlanSpec()
    form: bool = Field(default=True, description="Publish the answer form on the site.")


Share = Annotated[float, Field(ge=0, le=1)]


class ThresholdsSpec(_Strict):
    agreement_min_n: Annotated[int, Field(ge=2)] = 5
    agreement_strong: Share = 0.70
    agreement_mixed: Share = 0.50
    group_difference: Share = 0.50
    min_coverage: Share = 0.5
    dont_know: Share = 0.30
    perception_gap: Annotated[float, Field(ge=0, le=100)] = 15
    large_effect: Annotated[float, Field(ge=0, le=10)] = 0.8


Headcount = Annotated[int, Field(ge=1, le=10_000_000)]


class ProjectSpec(_Strict):
    """The ``assessment.yml`` of one engagement."""

    model_config = ConfigDict(title="cxmaturity assessment.yml")
    client: Text
    bank: BankList = ["cx-core"]
    target: Annotated[float, Field(gt=0, le=100)] = 80
    date: dt.date | None = None
    rounds: (
        list[
            Annotated[
                RoundSpec,
                BeforeValidator(_round_from_text),
                WithJsonSchema(
                    {"anyOf": [{"type": "string", "pattern": ID_PATTERN}, _ROUND_SCHEMA]}
                ),
            ]
        ]
        | None
    ) = None
    roles: RolesSpec | None = None
    teams: list[Text] | None = Field(
        default=None, description="The teams that answer; a sheet's team must be one of them."
    )
    population: Headcount | dict[str, Headcount] | None = Field(
        default=None,
        description="How many people the assessment is about: a number for everyone, or a "
        "headcount per team. Narrows the intervals when many of them answered.",
    )
    thresholds: ThresholdsSpec = ThresholdsSpec()
    branding: BrandingSpec = BrandingSpec()
    report: ReportSpec = ReportSpec()
