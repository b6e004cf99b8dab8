"""YAML syntax errors reported at the line of the mistake, with a one-line fix.

The parser gives up later than the mistake and in its own words: a missing colon on
line 4 is "could not find expected ':'" at 5:3, ``key:3`` is "mapping values are not
allowed in this context" on the next line, a colon in a note "did not find expected ','".
"""

from __future__ import annotations

import pytest

from .conftest import Problems

SHEET = "answers/a.yml"
QUOTE = "the value holds ': ', which YAML reads as a new key; put it in quotes: "

HINTS = [
    pytest.param(
        "team: X\nanswers:\n  alpha.one: 4\n  alpha.two partly\n  beta.three: [chat]\n",
        "4:3: YAML syntax error: no ':' after the key; write 'alpha.two: partly'",
        id="missing-colon",
    ),
    pytest.param(
        "team: X\nanswers:\n  alpha.one: 4\n  alpha.two partly\n",
        "4:3: YAML syntax error: no ':' after the key; write 'alpha.two: partly'",
        id="missing-colon-on-the-last-line",
    ),
    pytest.param(
        "team X\nanswers:\n  alpha.one: 4\n",
        "1:1: YAML syntax error: no ':' after the key; write 'team: X'",
        id="missing-colon-before-a-key",
    ),
    pytest.param(
        "team: X\nanswers:\n  alpha.one:3\n  alpha.two: partly\n",
        "3:3: YAML syntax error: no space after ':'; write 'alpha.one: 3'",
        id="no-space-after-colon",
    ),
    pytest.param(
        "team: X\nanswers:\n  alpha.one: 3\n  alpha.two:partly\n",
        "4:3: YAML syntax error: no space after ':'; write 'alpha.two: partly'",
        id="no-space-after-colon-on-the-last-line",
    ),
    pytest.param(
        "team: X\nanswers:\n  alpha.one: {answer: 2, note: We track: new customers}\n",
        f'3:32: YAML syntax error: {QUOTE}note: "We track: new customers"',
        id="colon-in-a-note-in-braces",
    ),
    pytest.param(
        "team: X\nanswers:\n  alpha.one:\n    answer: 2\n    note: We track: new customers\n",
        f'5:11: YAML syntax error: {QUOTE}note: "We track: new customers"',
        id="colon-in-a-note",
    ),
    pytest.param(
        'team: X\nrole: Lead: "support"\nanswers:\n  alpha.one: 2\n',
        f'2:7: YAML syntax error: {QUOTE}role: "Lead: \\"support\\""',
        id="colon-and-quotes-in-a-value",
    ),
    pytest.param(
        "team: X\n  role: Agent\nanswers:\n  alpha.one: 2\n",
        "2:3: YAML syntax error: indented under 'team:', which already has a value on line 1; "
        "line it up with that key (or move that value here)",
        id="indented-under-a-value",
    ),
    pytest.param(
        "team: X\nanswers:\n  alpha.one: [1\n  alpha.two: yes\n",
        "3:14: YAML syntax error: this '[' is never closed; end it with ']'",
        id="unclosed-list",
    ),
    pytest.param(
        "team: X\nanswers:\nalpha.one: 4\nalpha.two: partly\n",
        [
            "3:1: alpha.one: not under 'answers:'; indent the answers by two spaces "
            "below 'answers:'",
            "4:1: alpha.two: not under 'answers:'; indent the answers by two spaces "
            "below 'answers:'",
        ],
        id="answers-not-indented",
    ),
    pytest.param(
        "answers:\nalpha.one: 4\n",
        [
            "1:1: team: required key is missing",
            "2:1: alpha.one: not under 'answers:'; indent the answers by two spaces "
            "below 'answers:'",
        ],
        id="answers-not-indented-and-no-team",
    ),
]


@pytest.mark.parametrize(("text", "expected"), HINTS)
def test_the_mistake_is_named_at_its_line_with_a_fix(
    problems_of: Problems, text: str, expected: str | list[str]
):
    wanted = [expected] if isinstance(expected, str) else expected
    assert problems_of({SHEET: text}) == [f"proj/{SHEET}:{line}" for line in wanted]


def test_an_unclosed_brace_is_named_where_it_opens(problems_of: Problems):
    assert problems_of({SHEET: "team: X\nanswers: {alpha.one: 4\n"}) == [
        f"proj/{SHEET}:2:10: YAML syntax error: this '{{' is never closed; end it with '}}'"
    ]


def test_other_syntax_errors_keep_the_parsers_words(problems_of: Problems):
    assert problems_of({SHEET: "team: X\nanswers:\n  alpha.one: 'open\n"}) == [
        f"proj/{SHEET}:4:1: YAML syntax error: found unexpected end of stream "
        "(while scanning a quoted scalar on line 3)"
    ]
