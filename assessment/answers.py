"""Answer sheets: each answer checked against its question and turned into a score."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic

from .formats import SheetSpec
from .model import NOT_APPLICABLE, Answer, AnswerKind, Bank, Question, Sheet, is_dont_know
from .problems import Problem, did_you_mean
from .source import Document, Location
from .spec_errors import show_value, spec_problems

OUTSIDE_ANSWERS = "not under 'answers:'; indent the answers by two spaces below 'answers:'"


class BadAnswer(Exception):
    """An answer that does not fit its question's scale; the message is for people."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


def unscored_kind(question: Question, value: Any) -> AnswerKind | None:
    """``"na"`` or ``"dont-know"`` when the answer says so, else ``None``.

    Raises ``BadAnswer`` for "don't know" where the bank does not take it.
    """
    if not isinstance(value, str):
        return None
    if value.lower() in NOT_APPLICABLE:
        return "na"
    if is_dont_know(value):
        if not question.dont_know:
            raise BadAnswer(
                'this question does not take "don\'t know": the bank expects everyone '
                "to be able to answer it"
            )
        return "dont-know"
    return None


def answer_score(question: Question, value: Any) -> float | None:
    """The score in 0..100 of one answer to ``question``, or ``None`` for n/a and don't know.

    Raises ``BadAnswer`` with a message for people when the value does not fit.
    """
    scale = question.scale
    # The common case first: a valid number on a points scale or a valid choice id.
    # (type() rather than isinstance: true must not count as 1.)
    if type(value) in (int, str) and scale.kind != "multi":
        score = scale.scores.get(value)
        if score is not None:
            return score
    if unscored_kind(question, value) is not None:
        return None
    if scale.kind == "points":
        if type(value) is float and value.is_integer():
            value = int(value)
        if type(value) is int:
            option = scale.option(str(value))
            if option is not None:
                return option.score * 100
            values = scale.values
            if values[0] <= value <= values[-1]:
                raise BadAnswer(
                    f"{value} is not a point of scale {scale.name} ({', '.join(map(str, values))})"
                )
            raise BadAnswer(f"{value} is outside scale {scale.name} ({values[0]} to {values[-1]})")
        if isinstance(value, str):
            for option in scale.options:
                if option.label.lower() == value.strip().lower():
                    raise BadAnswer(
                        f"{show_value(value)} is a label: write its number, {option.id}"
                    )
        values = scale.values
        raise BadAnswer(
            f"expected a whole number from {values[0]} to {values[-1]} "
            f"(scale {scale.name}) or n/a, got {show_value(value)}"
        )
    if scale.kind == "choices":
        if isinstance(value, str):
            option = scale.option(value)
            if option is not None:
                return option.score * 100
            for option in scale.options:
                if option.label.lower() == value.strip().lower():
                    raise BadAnswer(f"{show_value(value)} is a label: write its id, {option.id}")
            ids = [o.id for o in scale.options]
            raise BadAnswer(
                f"{show_value(value)} is not a choice of scale {scale.name}"
                + did_you_mean(value, ids)
                + f"; answer one of: {', '.join(ids)}, n/a"
            )
        raise BadAnswer(
            f"expected one of: {scale.describe()}, n/a (scale {scale.name}), "
            f"got {show_value(value)}"
        )
    if not isinstance(value, list):
        raise BadAnswer(
            f"expected a list of the options that apply, such as [{scale.options[0].id}], "
            f"or n/a, got {show_value(value)}"
        )
    total = sum(o.score for o in scale.options)
    chosen = 0.0
    seen: set[str] = set()
    for index, item in enumerate(value):
        option = scale.option(item) if isinstance(item, str) else None
        if option is None:
            ids = [o.id for o in scale.options]
            hint = did_you_mean(item, ids) if isinstance(item, str) else ""
            raise BadAnswer(
                f"{show_value(item)} is not an option of this question{hint}; "
                f"options: {', '.join(ids)}",
                index,
            )
        if item in seen:
            raise BadAnswer(f"'{item}' is selected twice", index)
        seen.add(item)
        chosen += option.score
    return chosen / total * 100


def _outside_answers(document: Document, problems: list[Problem]) -> list[Problem]:
    """Answers written flush left, below an empty ``answers:``, get one hint each instead
    of "unknown key" (and ``answers:`` no "got nothing")."""
    data = document.data
    if data.get("answers") is not None:
        return problems
    stray = {key for key in data if "." in key and key not in SheetSpec.model_fields}
    if not stray:
        return problems
    hints = [document.problem((key,), OUTSIDE_ANSWERS, key=True) for key in sorted(stray)]
    return hints + [p for p in problems if p.key not in stray and p.key != "answers"]


def build_sheet(document: Document, bank: Bank) -> tuple[Sheet | None, list[Problem]]:
    """Check a parsed answer sheet against the bank and build the :class:`Sheet`."""
    try:
        spec = SheetSpec.model_validate(document.data)
    except pydantic.ValidationError as error:
        return None, _outside_answers(document, spec_problems(document, error, SheetSpec))
    problems: list[Problem] = []
    answers: dict[str, Answer] = {}
    questions = bank.questions
    for key, raw in spec.answers.items():
        where: Location = ("answers", key)
        question = questions.get(key)
        if question is None:
            problems.append(
                document.problem(
                    where, f"unknown question '{key}'" + did_you_mean(key, questions), key=True
                )
            )
            continue
        if raw is None:
            continue  # a blank answer, as a filled-in template leaves it: unanswered
        note = None
        value = raw
        if type(raw) is dict:
            unknown = [k for k in raw if k not in ("answer", "note")]
            for name in unknown:
                problems.append(
                    document.problem(
                        (*where, name),
                        "unknown key" + did_you_mean(name, ["answer", "note"]),
                        key=True,
                    )
                )
            if "answer" not in raw:
                problems.append(document.problem((*where, "answer"), "required key is missing"))
                continue
            note = raw.get("note")
            if note is not None and not isinstance(note, str):
                problems.append(
                    document.problem((*where, "note"), f"expected text, got {show_value(note)}")
                )
                continue
            if unknown:
                continue
            value = raw["answer"]
            where = (*where, "answer")
        try:
            score = answer_score(question, value)
        except BadAnswer as bad:
            at = where if bad.index is None else (*where, bad.index)
            problems.append(document.problem(at, str(bad)))
            continue
        answers[key] = Answer(value, score, note or None)
    if problems:
        return None, problems
    respondent = spec.respondent or Path(document.path).stem
    return Sheet(document.path, respondent, spec.team, spec.role, answers), []
