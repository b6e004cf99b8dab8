"""The shape of the three file kinds (bank, answer sheet, assessment.yml) as pydantic models.

These models check types and keys only; what needs the whole file (unique ids, scale
references, values against a scale) is checked in :mod:`assessment.loading`. They also
give the JSON Schemas that editors use to complete and check files as people type.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
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

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]
Markdown = str
Rating = Literal["low", "medium", "high"]
Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]


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


class MultiChoiceSpec(_Strict):
    id: Id
    label: Text
    weight: Weight = Field(default=1, description="How much selecting this option counts.")


class TuneUpSpec(_Strict):
    id: Id | None = Field(default=None, description="Optional; defaults to the position.")
    below: Annotated[float, Field(gt=0, le=100)] = Field(
        description="The tune-up applies while the question scores under this (0-100)."
    )
    title: Text
    body: Markdown = ""
    effort: Rating = "medium"
    impact: Rating = "medium"


class QuestionSpec(_Strict):
    id: Id
    text: Text
    help: Markdown = ""
    weight: Weight = 1
    scale: Id | None = Field(default=None, description="A scale name; default_scale otherwise.")
    select: Literal["multi"] | None = Field(
        default=None, description="`multi`: select all that apply, from `choices`."
    )
    choices: list[MultiChoiceSpec] | None = None
    tune_ups: list[TuneUpSpec] = []


class DimensionSpec(_Strict):
    id: Id
    title: Text
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
    id: Id
    title: Text
    version: Text = "1"
    description: Markdown = ""
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


class RoundSpec(_Strict):
    id: Id
    date: dt.date | None = None
    title: Text | None = None


_ROUND_SCHEMA = RoundSpec.model_json_schema()


class RolesSpec(_Strict):
    leadership: list[Text] = []
    frontline: list[Text] = []


class BrandingSpec(_Strict):
    primary: Text = "indigo"
    accent: Text = "amber"
    logo: Text | None = None


class ReportSpec(_Strict):
    show_respondents: bool = False
    min_group_size: Annotated[int, Field(ge=1)] = 3


class ProjectSpec(_Strict):
    """The ``assessment.yml`` of one engagement."""

    model_config = ConfigDict(title="cxmaturity assessment.yml")
    client: Text
    bank: Annotated[
        list[Text],
        BeforeValidator(_list_from_text),
        Field(min_length=1),
        WithJsonSchema(
            {
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
                "description": "A bundled bank id, or a path to a bank file; or a list of them.",
            }
        ),
    ] = ["cx-core"]
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
    branding: BrandingSpec = BrandingSpec()
    report: ReportSpec = ReportSpec()
