"""Plain-text views of results for the terminal: the validate summary and the score table."""

from __future__ import annotations

from collections.abc import Sequence

from assessment.model import Assessment
from assessment.planning import TuneUpPlan
from assessment.problems import printable
from assessment.scoring import GroupResult, Results


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:5.1f}"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:3.0f}%"


def _delta(value: float | None) -> str:
    return "" if value is None else f"{value:+5.1f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(cell).ljust(w) if a == "<" else str(cell).rjust(w)
            for cell, w, a in zip(cells, widths, align, strict=True)
        ]
        return "  ".join(parts).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def validate_summary(assessment: Assessment, project: str) -> str:
    """One screen saying what was read: bank, rounds, respondents, teams, roles, coverage."""
    bank = assessment.bank
    questions = len(bank.questions)
    current = assessment.rounds[-1]
    lines = [
        f"{project}: valid",
        f"  client     {assessment.settings.client}",
        f"  bank       {bank.id} {bank.version}: {len(bank.dimensions)} dimensions, "
        f"{questions} questions",
    ]
    for round_ in assessment.rounds:
        marker = " (current)" if round_ is current else ""
        lines.append(f"  round      {round_.id}{marker}: {len(round_.sheets)} answer sheets")
    teams: dict[str, int] = {}
    roles: dict[str, int] = {}
    for sheet in current.sheets:
        teams[sheet.team] = teams.get(sheet.team, 0) + 1
        roles[sheet.role or "(no role)"] = roles.get(sheet.role or "(no role)", 0) + 1
    if teams:
        lines.append("  teams      " + ", ".join(f"{k} {v}" for k, v in sorted(teams.items())))
        lines.append("  roles      " + ", ".join(f"{k} {v}" for k, v in sorted(roles.items())))
    asked = len(current.sheets) * questions
    answers = [a for sheet in current.sheets for a in sheet.answers.values()]
    scored = sum(1 for a in answers if a.score is not None)
    na = len(answers) - scored
    if asked:
        lines.append(
            f"  coverage   {scored / asked:.0%} of {asked} answers scored, {na} n/a, "
            f"{asked - len(answers)} unanswered"
        )
        small = [
            name for name, count in teams.items() if count < assessment.settings.min_group_size
        ]
        if small:
            lines.append(
                f"  note       teams under {assessment.settings.min_group_size} respondents are "
                f"shown only inside the totals: {', '.join(sorted(small))}"
            )
    else:
        lines.append("  no answer sheets yet: copy the template into answers/ and fill it in")
    return "\n".join(printable(line) for line in lines)


def score_table(
    assessment: Assessment, results: Results, plan: TuneUpPlan, by: str | None = None
) -> str:
    """The current round's scores by dimension, for everyone or for each team or role."""
    bank = assessment.bank_of(assessment.round(results.current.id))
    current = results.current
    lines = [
        f"{assessment.settings.client} · round {current.id} · {current.respondents} respondents"
        + (f" · compared with {results.previous.id}" if results.previous else ""),
        "",
    ]
    if by is None:
        overall = current.all
        lines.append(
            f"Overall {_score(overall.score).strip()} / 100, level {overall.level or '—'}, "
            f"target {results.target:g}, coverage {_percent(overall.coverage).strip()}"
            + (
                f", {_delta(overall.delta).strip()} since {results.previous.id}"
                if results.previous and overall.delta is not None
                else ""
            )
        )
        lines.append("")
        rows = []
        for dimension, result in zip(bank.dimensions, overall.dimensions, strict=True):
            flags = []
            if result.low_confidence:
                flags.append("low confidence")
            disagreements = sum(q.disagreement for q in result.questions)
            if disagreements:
                flags.append(f"{disagreements} disagreement{'s' * (disagreements > 1)}")
            rows.append(
                [
                    dimension.title,
                    _score(result.score),
                    result.level or "—",
                    _delta(result.delta),
                    _percent(result.coverage),
                    str(result.respondents),
                    ", ".join(flags),
                ]
            )
        lines += _table(
            ["Dimension", "Score", "Level", "Change", "Coverage", "People", "Notes"],
            rows,
            "<><>>><",
        )
        if current.perception and current.perception.gap is not None:
            gap = current.perception
            lines += [
                "",
                f"Perception gap: leadership {_score(gap.leadership.score).strip()} vs frontline "
                f"{_score(gap.frontline.score).strip()} ({gap.gap:+.1f})",
            ]
            titles = {d.id: d.title for d in bank.dimensions}
            for finding in gap.dimensions:
                if finding.finding and finding.gap is not None:
                    lines.append(
                        f"  {titles[finding.id]}: leadership {finding.leadership:.1f} vs "
                        f"frontline {finding.frontline:.1f} ({finding.gap:+.1f})"
                    )
        top = plan.items[:5]
        if top:
            lines += ["", "First tune-ups:"]
            for item in top:
                lines.append(
                    f"  {item.rank}. {item.title}  [{item.question}, {item.effort} effort, "
                    f"{item.impact} impact{', quick win' if item.quick_win else ''}]"
                )
        return "\n".join(printable(line) for line in lines)
    groups: Sequence[GroupResult] = current.groups(by)
    header = [by.capitalize(), "People", "Overall", *(d.id for d in bank.dimensions)]
    rows = []
    for group in groups:
        if not group.shown:
            rows.append(
                [group.name, str(group.respondents), "hidden", *("" for _ in bank.dimensions)]
            )
            continue
        rows.append(
            [
                group.name,
                str(group.respondents),
                _score(group.score),
                *(_score(d.score) for d in group.dimensions),
            ]
        )
    lines += _table(header, rows, "<>>" + ">" * len(bank.dimensions))
    if any(not g.shown for g in groups):
        lines += [
            "",
            f"hidden: fewer than {results.min_group_size} respondents; "
            "counted only in the totals (report.min_group_size)",
        ]
    return "\n".join(printable(line) for line in lines)
