"""Scores on small projects computed by hand; the arithmetic is written beside each figure.

MINI_BANK (tests/conftest.py): dimension alpha (weight 1) has `one` (1-5 points, weight 2)
and `two` (choices no=0, partly=.5, yes=1); dimension beta (weight 2) has `three`, a multi
question with chat (weight 1) and email (weight 3). Target 80.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from assessment.loading import load_assessment
from assessment.model import Settings
from assessment.scoring import (
    progress,
    score_assessment,
    side_of,
    to_target,
    weighted_mean,
)

from .conftest import WriteProject

# Four respondents in one round. Answer scores:
#   a (Support, Agent):     one 4 -> 75,  two partly -> 50,  three [chat] -> 1/4 = 25
#   b (Support, Team lead): one 5 -> 100, two yes -> 100,    three [chat, email] -> 100
#   c (Sales, Agent):       one 1 -> 0,   two n/a,           three [] -> 0
#   d (Sales, Agent):       one 3 -> 50,  two no -> 0,       three unanswered
SHEETS = {
    "answers/support/a.yml": """\
        team: Support
        role: Agent
        answers: {alpha.one: 4, alpha.two: partly, beta.three: [chat]}
        """,
    "answers/support/b.yml": """\
        team: Support
        role: Team lead
        answers: {alpha.one: 5, alpha.two: yes, beta.three: [chat, email]}
        """,
    "answers/sales/c.yml": """\
        team: Sales
        role: Agent
        answers: {alpha.one: 1, alpha.two: n/a, beta.three: []}
        """,
    "answers/sales/d.yml": """\
        team: Sales
        role: Agent
        answers:
          alpha.one: 3
          alpha.two: no
        """,
}
SMALL_GROUPS = "client: Test Co\nbank: bank.yml\ntarget: 80\nreport: {min_group_size: 2}\n"


@pytest.fixture
def four(write_project: WriteProject) -> Path:
    return write_project({**SHEETS, "assessment.yml": SMALL_GROUPS})


def test_question_scores_for_everyone(four: Path) -> None:
    results = score_assessment(load_assessment(four))
    one = results.current.all.question("alpha.one")
    # one: 75, 100, 0, 50 -> mean 225/4 = 56.25
    assert one.score == pytest.approx(56.25)
    assert (one.n, one.na, one.unanswered) == (4, 0, 0)
    # deviations 18.75, 43.75, -56.25, -6.25; squares sum 5468.75; / 4 = 1367.1875
    assert one.sd == pytest.approx(math.sqrt(1367.1875))
    assert (one.min, one.max) == (0, 100)
    assert one.disagreement  # sd 36.98 >= 25 with n 4 >= 3
    two = results.current.all.question("alpha.two")
    # two: 50, 100, 0 (c said n/a) -> 150/3 = 50; squares 0 + 2500 + 2500 -> sd sqrt(5000/3)
    assert two.score == pytest.approx(50)
    assert (two.n, two.na, two.unanswered) == (3, 1, 0)
    assert two.sd == pytest.approx(math.sqrt(5000 / 3))
    three = results.current.all.question("beta.three")
    # three: 25, 100, 0 (d left it out) -> 125/3
    assert three.score == pytest.approx(125 / 3)
    assert (three.n, three.na, three.unanswered) == (3, 0, 1)


def test_dimension_and_overall_scores(four: Path) -> None:
    everyone = score_assessment(load_assessment(four)).current.all
    alpha, beta = everyone.dimensions
    # alpha = (56.25 * 2 + 50 * 1) / 3 = 162.5 / 3
    assert alpha.score == pytest.approx(162.5 / 3)
    assert alpha.level == "Middle"
    # beta has one question: 125/3
    assert beta.score == pytest.approx(125 / 3)
    # overall = (alpha * 1 + beta * 2) / 3 = (162.5/3 + 250/3) / 3 = 412.5 / 9
    assert everyone.score == pytest.approx(412.5 / 9)
    assert everyone.level == "Middle"
    # coverage: 10 scored answers of 4 people x 3 questions
    assert everyone.coverage == pytest.approx(10 / 12)
    assert (everyone.na, everyone.unanswered) == (1, 1)
    # alpha: 7 scored of 8 asked (one n/a)
    assert alpha.coverage == pytest.approx(7 / 8)
    # to target over questions: gaps 23.75 + 30 + (80 - 125/3) over 3 * 80
    assert everyone.to_target == pytest.approx(1 - (23.75 + 30 + 80 - 125 / 3) / 240)
    # alpha: gaps 23.75 + 30 over 2 * 80
    assert alpha.to_target == pytest.approx(1 - 53.75 / 160)
    assert alpha.respondents == 4
    assert beta.respondents == 3  # d answered nothing in beta


def test_team_scores_and_privacy(four: Path, write_project: WriteProject) -> None:
    teams = {t.name: t for t in score_assessment(load_assessment(four)).current.teams}
    assert list(teams) == ["Sales", "Support"]
    sales = teams["Sales"]
    # Sales: one 0, 50 -> 25; two 0 (c n/a); three 0 (d left it out)
    # alpha = (25 * 2 + 0) / 3 = 50/3; beta = 0; overall = (50/3 + 0) / 3 = 50/9
    assert sales.dimension("alpha").score == pytest.approx(50 / 3)
    assert sales.score == pytest.approx(50 / 9)
    support = teams["Support"]
    # Support: one 87.5, two 75, three 62.5; alpha = (175 + 75)/3; overall = (250/3 + 125)/3
    assert support.score == pytest.approx((250 / 3 + 125) / 3)
    assert all(t.shown for t in teams.values())
    # With the default min_group_size of 3, teams of two are hidden but still counted.
    hidden = score_assessment(load_assessment(write_project(SHEETS, name="default")))
    assert [t.shown for t in hidden.current.teams] == [False, False]
    assert hidden.current.all.respondents == 4
    assert hidden.current.all.question("alpha.one").low_confidence is False  # n 4 >= 3
    assert hidden.current.all.question("alpha.two").low_confidence is False  # n 3 >= 3


def test_perception_gap(write_project: WriteProject) -> None:
    config = "client: Test Co\nbank: bank.yml\nreport: {min_group_size: 1}\n"
    results = score_assessment(load_assessment(write_project({**SHEETS, "assessment.yml": config})))
    gap = results.current.perception
    assert gap is not None
    # "Team lead" is leadership (b alone: all 100); "Agent" is frontline (a, c, d):
    # one 75, 0, 50 -> 125/3; two 50, 0 -> 25; three 25, 0 -> 12.5
    # frontline alpha = (125/3 * 2 + 25) / 3 = 325/9; overall = (325/9 + 25) / 3
    alpha, beta = gap.dimensions
    assert alpha.leadership == pytest.approx(100)
    assert alpha.frontline == pytest.approx(325 / 9)
    assert alpha.gap == pytest.approx(100 - 325 / 9)
    assert alpha.finding
    assert beta.gap == pytest.approx(87.5)
    assert gap.gap == pytest.approx(100 - (325 / 9 + 25) / 3)


def test_perception_gap_hidden_when_a_side_is_small(four: Path) -> None:
    gap = score_assessment(load_assessment(four)).current.perception
    assert gap is not None
    assert gap.leadership.respondents == 1  # under min_group_size 2
    assert gap.gap is None
    assert all(d.gap is None and not d.finding for d in gap.dimensions)


ROUNDS = {
    "assessment.yml": "client: Test Co\nbank: bank.yml\ntarget: 80\nrounds: [r1, r2]\n",
    # r1: one 50, 0 -> 25; two 0, 50 -> 25; three 25, 0 -> 12.5
    "answers/r1/x.yml": "team: T\nanswers: {alpha.one: 3, alpha.two: no, beta.three: [chat]}\n",
    "answers/r1/y.yml": "team: T\nanswers: {alpha.one: 1, alpha.two: partly, beta.three: []}\n",
    # r2: one 75, 50 -> 62.5; two 50, 100 -> 75; three 75, 100 -> 87.5
    "answers/r2/x.yml": (
        "team: T\nanswers: {alpha.one: 4, alpha.two: partly, beta.three: [email]}\n"
    ),
    "answers/r2/y.yml": (
        "team: T\nanswers: {alpha.one: 3, alpha.two: yes, beta.three: [chat, email]}\n"
    ),
}


def test_rounds_deltas_and_progress(write_project: WriteProject) -> None:
    results = score_assessment(load_assessment(write_project(ROUNDS)))
    assert [r.id for r in results.rounds] == ["r1", "r2"]
    assert results.previous is not None and results.previous.id == "r1"
    before, now = results.previous.all, results.current.all
    # r1: alpha = (25*2 + 25)/3 = 25; beta 12.5; overall = (25 + 25)/3 = 50/3
    assert before.score == pytest.approx(50 / 3)
    # r2: alpha = (62.5*2 + 75)/3 = 200/3; beta 87.5; overall = (200/3 + 175)/3 = 725/9
    assert now.score == pytest.approx(725 / 9)
    assert now.level == "High"
    assert now.delta == pytest.approx(725 / 9 - 50 / 3)
    # progress = (now - before) / (target - before)
    assert now.progress == pytest.approx((725 / 9 - 50 / 3) / (80 - 50 / 3))
    alpha = now.dimension("alpha")
    assert alpha.delta == pytest.approx(200 / 3 - 25)
    assert alpha.progress == pytest.approx((200 / 3 - 25) / 55)
    assert now.question("alpha.one").delta == pytest.approx(37.5)
    # The earlier round has no deltas of its own.
    assert before.delta is None


def test_choosing_an_earlier_round(write_project: WriteProject) -> None:
    results = score_assessment(load_assessment(write_project(ROUNDS)), "r1")
    assert results.current.id == "r1"
    assert results.previous is None
    assert results.current.all.delta is None
    assert [r.id for r in results.rounds] == ["r1"]


def test_reordering_respondents_changes_nothing(four: Path, tmp_path: Path) -> None:
    # The same sheets under other file names load in another order.
    import shutil

    other = tmp_path / "other"
    shutil.copytree(four, other)
    for path in sorted((other / "answers").rglob("*.yml")):
        path.rename(path.with_name("z-" + path.name if path.stem in "ac" else "a-" + path.name))
    first = score_assessment(load_assessment(four)).current.all
    second = score_assessment(load_assessment(other)).current.all
    assert first.score == second.score
    assert first.dimensions == second.dimensions


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(50.0, 1.0), (100.0, 1.0)], 75.0),
        ([(50.0, 1.0), (100.0, 3.0)], 87.5),  # (50 + 300) / 4
        ([(50.0, 1.0), (None, 5.0)], 50.0),  # a missing score drops out with its weight
        ([(None, 1.0)], None),
        ([(40.0, 0.0)], None),  # no weight at all
    ],
)
def test_weighted_mean(pairs: list[tuple[float | None, float]], expected: float | None) -> None:
    assert weighted_mean(pairs) == expected


@pytest.mark.parametrize(
    ("scores", "target", "expected"),
    [
        ([80.0, 90.0], 80, 1.0),  # above target earns no extra credit
        ([40.0, 80.0], 80, 0.75),  # 1 - 40 / 160
        ([0.0], 50, 0.0),
        ([None, 60.0], 80, 0.75),  # 1 - 20 / 80: only scored questions count
        ([], 80, None),
    ],
)
def test_to_target(scores: list[float | None], target: float, expected: float | None) -> None:
    assert to_target(scores, target) == expected


@pytest.mark.parametrize(
    ("now", "before", "target", "expected"),
    [
        (60.0, 40.0, 80, 0.5),  # 20 of the 40 points to go
        (30.0, 40.0, 80, -0.25),  # going backwards
        (90.0, 85.0, 80, None),  # was already at target
        (60.0, None, 80, None),
    ],
)
def test_progress(now: float, before: float | None, target: float, expected: float | None) -> None:
    assert progress(now, before, target) == expected


@pytest.mark.parametrize(
    ("role", "leadership", "frontline", "side"),
    [
        ("Team lead", (), (), "leadership"),
        ("Head of Service", (), (), "leadership"),
        ("Support Manager", (), (), "leadership"),
        ("Agent", (), (), "frontline"),
        ("Leadership coach", ("Director",), ("Agent",), None),  # listed roles win
        ("agent", ("Director",), ("Agent",), "frontline"),  # case does not matter
        (None, (), (), None),
    ],
)
def test_side_of(
    role: str | None, leadership: tuple[str, ...], frontline: tuple[str, ...], side: str | None
) -> None:
    settings = Settings("X", leadership_roles=leadership, frontline_roles=frontline)
    assert side_of(role, settings) == side


def test_acme_example_scores(acme: Path) -> None:
    """The bundled example shows what every later page needs: progress, gaps, spread."""
    results = score_assessment(load_assessment(acme))
    now, before = results.current.all, results.rounds[0].all
    assert results.current.respondents >= 12 and results.rounds[0].respondents >= 12
    assert now.score is not None and before.score is not None
    assert now.score > before.score + 5
    assert any(q.disagreement for d in now.dimensions for q in d.questions)
    assert now.na > 0 and now.unanswered > 0
    gap = results.current.perception
    assert gap is not None and any(d.finding for d in gap.dimensions)
    assert len(results.current.teams) >= 3


def test_no_change_against_a_group_too_small_to_show(write_project: WriteProject) -> None:
    # Team Small had two people in r1 (hidden) and three in r2 (shown): a change against
    # r1 would give the hidden score away, so there is none.
    config = "client: Test Co\nbank: bank.yml\nrounds: [r1, r2]\n"
    sheets = {
        f"answers/{round_id}/{name}.yml": "team: Small\nanswers: {alpha.one: 3}\n"
        for round_id, names in (("r1", "ab"), ("r2", "abc"))
        for name in names
    }
    results = score_assessment(load_assessment(write_project({"assessment.yml": config, **sheets})))
    (team,) = results.current.teams
    assert team.shown and team.delta is None
    assert team.dimension("alpha").delta is None
    assert results.current.all.delta == pytest.approx(0)  # everyone is always compared
