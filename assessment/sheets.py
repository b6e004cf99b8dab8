"""A commented, ready-to-fill answer sheet for a bank (``cxmaturity template``)."""

from __future__ import annotations

import textwrap

from .model import DONT_KNOW, Bank, Question

NA_HINT = "n/a"
FACT_HINT = "A fact: answer it if you are the one accountable for it; otherwise leave it blank."


def _comment(text: str, indent: str, width: int = 88) -> list[str]:
    lines = []
    for paragraph in text.strip().splitlines() or [""]:
        wrapped = textwrap.wrap(paragraph, width - len(indent) - 2) or [""]
        lines += [f"{indent}# {line}".rstrip() for line in wrapped]
    return lines


def _allowed(question: Question) -> str:
    scale = question.scale
    others = f" · {NA_HINT}" + (f" · {DONT_KNOW}" if question.dont_know else "")
    if scale.kind == "points":
        return " · ".join(f"{o.id} {o.label}" for o in scale.options) + others
    if scale.kind == "choices":
        return " · ".join(f"{o.id} ({o.label})" for o in scale.options) + others
    return (
        "select all that apply, as a list such as [a, b]: "
        + " · ".join(f"{o.id} ({o.label})" for o in scale.options)
        + others
    )


def answer_sheet_template(bank: Bank, schema_path: str | None, team: str = "") -> str:
    """Every question of the bank as a comment above an empty answer, grouped by dimension.

    Blank answers count as unanswered, so a half-filled sheet is already valid.
    """
    lines = []
    if schema_path:
        lines.append(f"# yaml-language-server: $schema={schema_path}")
    lines += [
        f"# Answer sheet: {bank.title} ({bank.id} {bank.version})",
        "# Answer each question with the number or id shown under it; write n/a where a",
        "# question does not apply to your team, dont-know where you cannot tell; leave",
        "# blank what you would rather not answer.",
        "# To add a note: strategy.example: {answer: 3, note: Why we answered so.}",
        "",
        "respondent:          # optional: your name or initials; not shown in the report",
        f"team: {team}" if team else "team:                # required: your team's name",
        "role:                # optional: e.g. Team lead or Agent",
        "answers:",
    ]
    for dimension in bank.dimensions:
        lines += ["", f"  # == {dimension.title} " + "=" * max(3, 70 - len(dimension.title))]
        for question in dimension.questions:
            lines += ["", *_comment(question.text, "  ")]
            if question.kind == "fact":
                lines += _comment(FACT_HINT, "  ")
            lines += _comment(_allowed(question), "  ")
            lines.append(f"  {question.key}:")
    return "\n".join(line.rstrip() for line in lines) + "\n"
