"""Bank format 2 and the new assessment.yml keys: read into the model, or refused by line.

Format 1 banks keep working unchanged (every other test module uses one); these cases pin
what format 2 adds: a question's own anchored choices, short labels, facts, questions
about leaders, "don't know", references, ``replaces``, tune-ups' ``requires``, owner,
measure and timebox, and rounds answered on an earlier bank version.
"""

from __future__ import annotations

import pytest

from assessment.scoring import score_assessment

from .conftest import Load, Problems

BANK2 = """\
format: 2
id: two
title: Format two
subject: Customer service
version: "2.0"
source: Written for the tests.
licence: CC-BY-4.0
attribution: The cxmaturity tests.
scales:
  agreement:
    points:
      - {value: 1, label: Never}
      - {value: 2, label: Sometimes}
      - {value: 3, label: Always}
  facts:
    choices:
      - {id: "no", label: "No", score: 0}
      - {id: "yes", label: "Yes", score: 1}
    dont_know: false
default_scale: agreement
levels:
  - {name: Low, min: 0}
  - {name: High, min: 50}
dimensions:
  - id: plan
    title: The customer plan
    short: Plan
    questions:
      - id: customer-plan
        text: Where is our customer plan?
        short: Customer plan
        references: ["Seed article 1"]
        replaces: written-plan
        choices:
          - {id: none, label: None I know of, score: 0}
          - {id: heads, label: "In leaders' heads", score: 0.25}
          - {id: shared, label: "Shared, with named owners", score: 1}
        tune_ups:
          - id: draft
            below: 50
            title: Draft the plan
            owner: Head of service
            measure: A one-page plan exists.
            timebox: 4 weeks
          - id: share
            below: 90
            title: Share the plan
            requires: [draft]
      - id: budget
        text: Is there a budget for customer experience work?
        kind: fact
        scale: facts
      - id: listens
        text: Do leaders ask front-line staff what gets in their way?
        about: leaders
        dont_know: false
        tune_ups:
          - id: ask
            below: 60
            title: Ask every month
            requires: [plan.customer-plan.draft]
      - id: channels
        text: Which channels do we answer?
        select: multi
        choices:
          - {id: chat, label: Chat}
          - {id: email, label: E-mail, weight: 3}
"""

SHEET = """\
team: Support
role: Agent
answers:
  plan.customer-plan: heads
  plan.budget: "yes"
  plan.listens: 3
  plan.channels: [email]
"""


def project(bank: str = BANK2, **files: str) -> dict[str, str | bytes]:
    """The format 2 bank and one sheet (``answers/a.yml``, unless rounds are given)."""
    sheets = {} if any(name.count("/") > 1 for name in files) else {"answers/a.yml": SHEET}
    return {"bank.yml": bank, **sheets, **files}


def with_bank(old: str, new: str) -> dict[str, str | bytes]:
    assert old in BANK2
    return project(BANK2.replace(old, new, 1))


def test_format_2_reads_into_the_model(loaded: Load):
    assessment = loaded(project())
    bank = assessment.bank
    assert (bank.format, bank.subject, bank.licence) == (2, "Customer service", "CC-BY-4.0")
    assert (bank.source, bank.attribution) == ("Written for the tests.", "The cxmaturity tests.")
    (plan,) = bank.dimensions
    assert (plan.short, plan.label) == ("Plan", "Plan")
    questions = bank.questions
    customer_plan = questions["plan.customer-plan"]
    assert customer_plan.short == "Customer plan"
    assert customer_plan.replaces == ("plan.written-plan",)
    assert customer_plan.references == ("Seed article 1",)
    assert customer_plan.scale.kind == "choices"
    assert [(o.id, o.score) for o in customer_plan.scale.options] == [
        ("none", 0),
        ("heads", 0.25),
        ("shared", 1),
    ]
    draft, share = customer_plan.tune_ups
    assert (draft.owner, draft.measure, draft.timebox) == (
        "Head of service",
        "A one-page plan exists.",
        "4 weeks",
    )
    assert share.requires == ("plan.customer-plan.draft",)
    assert questions["plan.listens"].tune_ups[0].requires == ("plan.customer-plan.draft",)
    assert questions["plan.budget"].kind == "fact"
    assert questions["plan.budget"].dont_know is False  # from its scale
    assert questions["plan.listens"].about == "leaders"
    assert questions["plan.listens"].dont_know is False  # its own setting
    assert questions["plan.customer-plan"].dont_know is True  # the default
    channels = questions["plan.channels"].scale
    assert [(o.id, o.score) for o in channels.options] == [("chat", 1.0), ("email", 3.0)]
    # Scores: heads = 0.25 x 100; [email] = 3 / (1 + 3) x 100 = 75.
    (sheet,) = assessment.round().sheets
    assert sheet.answers["plan.customer-plan"].score == 25.0
    assert sheet.answers["plan.channels"].score == 75.0


@pytest.mark.parametrize("written", ["dont-know", "Don't know", "?", "don’t know", "DONT KNOW"])
def test_dont_know_is_counted_apart_from_na_and_unanswered(loaded: Load, written: str):
    sheet = SHEET.replace("plan.customer-plan: heads", f'plan.customer-plan: "{written}"')
    other = "team: Support\nanswers:\n  plan.customer-plan: n/a\n"
    assessment = loaded(project(**{"answers/a.yml": sheet, "answers/b.yml": other}))
    answer = next(s for s in assessment.round().sheets if s.team == "Support" and s.role)
    assert answer.answers["plan.customer-plan"].kind == "dont-know"
    result = score_assessment(assessment).current.all.question("plan.customer-plan")
    assert (result.score, result.n, result.na, result.dont_know, result.unanswered) == (
        None,
        0,
        1,
        1,
        0,
    )


def test_dont_know_is_refused_where_the_bank_says_everyone_can_answer(problems_of: Problems):
    sheet = SHEET.replace("plan.listens: 3", "plan.listens: dont-know")
    assert problems_of(project(**{"answers/a.yml": sheet})) == [
        "proj/answers/a.yml:6:17: answers.plan.listens: this question does not take \"don't "
        'know": the bank expects everyone to be able to answer it'
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "requires: [draft]",
            "requires: [drfat]",
            "proj/bank.yml:48:24: dimensions[0].questions[0].tune_ups[1].requires[0]: "
            "unknown tune-up 'plan.customer-plan.drfat' (did you mean "
            "'plan.customer-plan.draft'?)",
            id="unknown-requires",
        ),
        pytest.param(
            "            title: Draft the plan\n",
            "            title: Draft the plan\n            requires: [plan.listens.ask]\n",
            "proj/bank.yml:25:3: dimensions: tune-ups require each other in a circle: "
            "plan.customer-plan.draft -> plan.listens.ask -> plan.customer-plan.draft",
            id="requires-circle",
        ),
        pytest.param(
            "replaces: written-plan",
            "replaces: budget",
            "proj/bank.yml:33:19: dimensions[0].questions[0].replaces[0]: 'plan.budget' is "
            "still in this bank: a question cannot replace it",
            id="replaces-a-current-question",
        ),
        pytest.param(
            "replaces: written-plan",
            "replaces: a.b.c",
            "proj/bank.yml:33:19: dimensions[0].questions[0].replaces[0]: 'a.b.c' is not an id "
            "here: write an id or dimension.question",
            id="replaces-three-parts",
        ),
        pytest.param(
            '{id: heads, label: "In leaders\' heads", score: 0.25}',
            '{id: heads, label: "In leaders\' heads"}',
            "proj/bank.yml:36:13: dimensions[0].questions[0].choices[1]: a one-answer choice "
            "needs a score from 0 to 1",
            id="choice-without-score",
        ),
        pytest.param(
            "{id: email, label: E-mail, weight: 3}",
            "{id: email, label: E-mail, score: 1}",
            "proj/bank.yml:67:47: dimensions[0].questions[3].choices[1].score: options of a "
            "select: multi question have a weight, not a score",
            id="multi-with-score",
        ),
        pytest.param(
            "{id: none, label: None I know of, score: 0}",
            "{id: dont-know, label: Not sure, score: 0}",
            "proj/bank.yml:35:18: dimensions[0].questions[0].choices[0].id: 'dont-know' is "
            'reserved for "don\'t know"',
            id="reserved-choice-id",
        ),
        pytest.param(
            "format: 2",
            "format: 3",
            "proj/bank.yml:1:9: format: must be one of 1 or 2, got 3",
            id="unknown-format",
        ),
        pytest.param(
            "short: Customer plan",
            "short: A label far too long for any chart to show well",
            "proj/bank.yml:31:16: dimensions[0].questions[0].short: must be at most 40 "
            "characters long, got 'A label far too long for any chart to...'",
            id="short-too-long",
        ),
        pytest.param(
            "        text: Which channels do we answer?\n",
            "        text: Which channels do we answer?\n        weight: 1.0e+308\n",
            "proj/bank.yml:64:17: dimensions[0].questions[3].weight: must be at most 1000, "
            "got 1e+308",
            id="huge-weight",
        ),
    ],
)
def test_format_2_mistakes_are_refused_by_line(
    problems_of: Problems, old: str, new: str, expected: str
):
    assert problems_of(with_bank(old, new)) == [expected]


V1_BANK = """\
id: two
title: Format two
version: "1.0"
scales:
  agreement:
    points:
      - {value: 1, label: Never}
      - {value: 3, label: Always}
levels:
  - {name: Low, min: 0}
dimensions:
  - id: plan
    title: Plan
    questions:
      - {id: written-plan, text: Do we have a written plan?, scale: agreement}
"""

ROUNDS = """\
client: Test Co
bank: bank.yml
rounds:
  - {id: spring, bank: banks/two-1.0.yml}
  - autumn
"""


def test_a_round_answered_on_an_earlier_bank_version(loaded: Load):
    old_sheet = "team: Support\nanswers:\n  plan.written-plan: 3\n"
    assessment = loaded(
        project(
            **{
                "assessment.yml": ROUNDS,
                "banks/two-1.0.yml": V1_BANK,
                "answers/spring/a.yml": old_sheet,
                "answers/autumn/a.yml": SHEET,
            }
        )
    )
    spring, autumn = assessment.rounds
    assert spring.bank is not None and spring.bank.version == "1.0"
    assert autumn.bank is None and assessment.bank_of(autumn).version == "2.0"
    results = score_assessment(assessment)
    assert results.rounds[0].all.question("plan.written-plan").score == 100.0


def test_each_round_is_checked_against_its_own_bank(problems_of: Problems):
    files = project(
        **{
            "assessment.yml": ROUNDS,
            "banks/two-1.0.yml": V1_BANK,
            "answers/spring/a.yml": SHEET,
            "answers/autumn/a.yml": SHEET,
        }
    )
    problems = problems_of(files)
    assert problems[0] == (
        "proj/answers/spring/a.yml:4:3: answers.plan.customer-plan: unknown question "
        "'plan.customer-plan' (did you mean 'plan.written-plan'?)"
    )
    assert len(problems) == 4 and all("answers/spring/" in p for p in problems)


SETTINGS = """\
client: Test Co
bank: bank.yml
teams: [Support, Stores]
population: {Support: 12, stores: 30}
thresholds: {agreement_min_n: 6, min_coverage: 0.6}
report: {plan: {now: 3, next: 7}, form: false}
"""


def test_the_new_settings_are_read(loaded: Load):
    settings = loaded(project(**{"assessment.yml": SETTINGS})).settings
    assert settings.teams == ("Support", "Stores")
    assert settings.team_population == {"Support": 12, "Stores": 30}
    assert settings.population is None
    assert (settings.thresholds.agreement_min_n, settings.thresholds.min_coverage) == (6, 0.6)
    assert settings.thresholds.agreement_strong == 0.70  # a default
    assert (settings.plan_now, settings.plan_next, settings.form) == (3, 7, False)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "population: {Support: 12, stores: 30}",
            "population: {Support: 12, Sotres: 30}",
            "proj/assessment.yml:4:27: population.Sotres: unknown team 'Sotres' (did you mean "
            "'Stores'?)",
            id="population-of-an-unknown-team",
        ),
        pytest.param(
            "thresholds: {agreement_min_n: 6, min_coverage: 0.6}",
            "thresholds: {agreement_strong: 0.4}",
            "proj/assessment.yml:5:13: thresholds.agreement_mixed: must not be above "
            "agreement_strong (0.4)",
            id="mixed-above-strong",
        ),
        pytest.param(
            "teams: [Support, Stores]",
            "teams: [Support, Stores, support]",
            "proj/assessment.yml:3:26: teams[2]: team 'support' is listed twice",
            id="team-listed-twice",
        ),
    ],
)
def test_settings_mistakes(problems_of: Problems, old: str, new: str, expected: str):
    assert old in SETTINGS
    files = project(**{"assessment.yml": SETTINGS.replace(old, new)})
    assert problems_of(files) == [expected]
