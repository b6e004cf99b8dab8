"""The tune-up plan on the hand-computed four-respondent project of test_scoring."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from assessment.loading import load_assessment
from assessment.planning import TuneUpPlan, plan, priority
from assessment.scoring import score_assessment

from .conftest import WriteProject
from .test_scoring import SHEETS, SMALL_GROUPS


@pytest.fixture
def four_plan(write_project: WriteProject) -> TuneUpPlan:
    assessment = load_assessment(write_project({**SHEETS, "assessment.yml": SMALL_GROUPS}))
    return plan(score_assessment(assessment), assessment.bank)


@pytest.mark.parametrize(
    ("gap", "q_weight", "d_weight", "impact", "effort", "expected"),
    [
        (23.75, 2, 1, "high", "low", 142.5),  # 23.75 * 2 * 1 * 3 / 1
        (30, 1, 1, "medium", "medium", 30),  # 30 * 2 / 2
        (40, 1, 2, "low", "high", 80 / 3),  # 40 * 2 * 1 / 3
        (0, 5, 5, "high", "low", 0),  # at or above target: nothing to gain
    ],
)
def test_priority(
    gap: float, q_weight: float, d_weight: float, impact: str, effort: str, expected: float
) -> None:
    assert priority(gap, q_weight, d_weight, impact, effort) == pytest.approx(expected)


def test_plan_order_and_priorities(four_plan: TuneUpPlan) -> None:
    # Everyone: one 56.25, two 50, three 125/3; target 80.
    #   Fix one (below 60, low effort, high impact): 23.75 * 2 * 1 * 3 / 1 = 142.5
    #   Fix two (below 80, medium/medium): 30 * 1 * 1 * 2 / 2 = 30
    #   Add channels (below 50, high/high): (80 - 125/3) * 1 * 2 * 3 / 3 = 230/3
    #   Align on one: sd sqrt(1367.1875) * 2 * 1 (medium/medium) = 73.95
    #   Align on two: sd sqrt(5000/3) * 1 * 1 = 40.82
    #   Align on three: sd sqrt(16250/9) * 1 * 2 = 84.98
    items = four_plan.items
    assert [i.id for i in items] == [
        "alpha.one.1",
        "beta.three.align",
        "beta.three.1",
        "alpha.one.align",
        "alpha.two.align",
        "alpha.two.1",
    ]
    expected = [
        142.5,
        math.sqrt(16250 / 9) * 2,
        (80 - 125 / 3) * 2,
        math.sqrt(1367.1875) * 2,
        math.sqrt(5000 / 3),
        30,
    ]
    assert [i.priority for i in items] == pytest.approx(expected)
    assert [i.rank for i in items] == [1, 2, 3, 4, 5, 6]
    assert [i.horizon for i in items] == ["now"] * 5 + ["next"]
    assert [i.title for i in four_plan.quick_wins] == ["Fix one"]
    assert items[1].kind == "align" and items[1].spread == pytest.approx(math.sqrt(16250 / 9))


def test_team_plans_keep_what_is_worse_for_the_team(four_plan: TuneUpPlan) -> None:
    # Sales: one 25, two 0, three 0, each below everyone's score:
    #   Fix one 55 * 2 * 3 = 330; Add channels 80 * 2 * 1 = 160; Fix two 80 * 1 * 1 = 80
    sales = four_plan.teams["Sales"]
    assert [(i.title, i.priority) for i in sales] == [
        ("Fix one", pytest.approx(330)),
        ("Add channels", pytest.approx(160)),
        ("Fix two", pytest.approx(80)),
    ]
    # Support scores 87.5, 75 and 62.5: "Fix two" applies (75 < 80) but Support is better
    # than everyone (50) there, so it is not Support's own item.
    assert four_plan.teams["Support"] == ()


def test_quick_wins_are_always_now(write_project: WriteProject) -> None:
    # Seven questions, all scoring 0: the quick win ranks last on priority but is Now.
    questions = "\n".join(
        f"""      - id: q{n}
        text: Q{n}?
        tune_ups:
          - {{below: 50, title: Tune {n}, effort: low, """
        f"""impact: {"high" if n == 7 else "medium"}}}"""
        for n in range(1, 8)
    )
    bank = f"""\
id: seven
title: Seven
scales:
  agreement:
    points: [{{value: 1, label: Low}}, {{value: 5, label: High}}]
default_scale: agreement
levels: [{{name: Only, min: 0}}]
dimensions:
  - id: d
    title: D
    questions:
{questions}
"""
    answers = ", ".join(f"d.q{n}: 1" for n in range(1, 8))
    sheet = f"team: T\nanswers: {{{answers}}}\n"
    low_weight = bank.replace("      - id: q7\n", "      - id: q7\n        weight: 0.1\n")
    project = write_project({"bank.yml": low_weight, "answers/a.yml": sheet})
    assessment = load_assessment(project)
    items = plan(score_assessment(assessment), assessment.bank).items
    assert items[-1].title == "Tune 7" and items[-1].quick_win
    assert items[-1].rank == 7
    assert items[-1].horizon == "now"
    assert [i.horizon for i in items[5:-1]] == ["next"]


def test_no_plan_above_every_threshold(write_project: WriteProject) -> None:
    sheets = {
        f"answers/{name}.yml": (
            "team: T\nanswers: {alpha.one: 5, alpha.two: yes, beta.three: [chat, email]}\n"
        )
        for name in "abc"
    }
    assessment = load_assessment(write_project(sheets))
    result = plan(score_assessment(assessment), assessment.bank)
    assert result.items == ()


def test_acme_plan(acme: Path) -> None:
    assessment = load_assessment(acme)
    result = plan(score_assessment(assessment), assessment.bank)
    assert len(result.horizon("now")) >= 5
    assert result.quick_wins
    priorities = [i.priority for i in result.items]
    assert priorities == sorted(priorities, reverse=True)
    assert any(i.kind == "align" for i in result.items)
    assert set(result.teams) == {"E-commerce", "Stores", "Support"}
