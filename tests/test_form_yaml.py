"""The answer form's YAML writer (``site_templates/form/form.js``), run in node and read
back with the real loader: every value must come back exactly as it was typed.

Values YAML 1.1 would misread (``no``, ``on``, ``1e3``, ``~``, a leading ``*``, ``&``,
``!``, ``#``, ``:``…), quotes, line breaks and control characters are the point; plain
words must stay plain so that people can read the sheet.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from typing import Any

import pytest
import yaml

from assessment.answers import build_sheet
from assessment.banks import build_bank
from assessment.source import parse_text
from generator.form import FORM_FOLDER, FORM_SCRIPT
from generator.resources import site_templates_dir

from .conftest import MINI_BANK

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="needs node to run the form's script")
SCRIPT = site_templates_dir() / FORM_FOLDER / FORM_SCRIPT
RUNNER = """
const api = require(process.argv[1]);
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { call, items } = JSON.parse(input);
  process.stdout.write(JSON.stringify(items.map((item) => api[call](item))));
});
"""

HOSTILE = [
    # YAML 1.1 booleans and nulls, in every case people type them
    *["no", "No", "NO", "yes", "Yes", "on", "On", "off", "OFF", "y", "Y", "n", "N"],
    *["true", "False", "null", "Null", "NULL", "~"],
    # numbers and dates in every YAML 1.1 spelling
    *["1e3", "1E3", "0x1", "0o17", "017", ".5", "-1", "+1", "1_000", "1:30", "190:20:30"],
    *["3.14", "-.inf", ".inf", ".NaN", "2026-05-14", "2026-05-14 10:00:00"],
    # indicators that start something else
    *["*alias", "&anchor", "!tag", "!!python/object:os.system", "#hash", "%YAML 1.1", "@at"],
    *["`tick", ":colon", "-", "- item", "?", "? key", "|", ">", "<<", "=", "---", "..."],
    *["'single'", '"double"', '"', "'", "[a, b]", "{a: b}", "a, b", "a: b", 'a: # "no"'],
    ': # "no"',
    # spaces, line breaks, tabs and control characters
    *[" leading", "trailing ", " ", "  two  ", "a\nb", "a\r\nb", "\n", "end\n", "\t", "a\tb"],
    *["\x00", "\x07bell", "\x1b[31mred", "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe"],
    # text people write
    *["Support", "Team lead", "it's fine", "C:\\path\\to", "100%", "50/50", "a # b", "a #b"],
    *["Zoe", "n/a", "Zoë", "Ventes et après-vente", "客户服务", "مرحبا", "😀 great"],
    *["e-mail (web)", "x" * 3000],
]


def run(call: str, items: list[Any]) -> list[Any]:
    """The form script's ``call`` on each item, in node."""
    assert NODE is not None
    done = subprocess.run(
        [NODE, "-e", RUNNER, str(SCRIPT)],
        input=json.dumps({"call": call, "items": items}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: list[Any] = json.loads(done.stdout)
    return result


def read_back(yaml_value: str) -> Any:
    """The value as our loader reads it, when PyYAML's YAML 1.1 reader reads the same."""
    text = f"value: {yaml_value}\n"
    document, problems = parse_text(text, "value.yml")
    assert document is not None and not problems, (yaml_value, problems)
    value = document.data["value"]
    # Our loader keeps `no`, `on`, `y`... as text; other YAML readers do not.
    as_yaml_11 = yaml.safe_load(text)["value"]
    return value if as_yaml_11 == value else ("YAML 1.1 reads", as_yaml_11)


def test_every_hostile_value_reads_back_as_typed():
    written = run("scalar", HOSTILE)
    wrong = [
        (text, yaml) for text, yaml in zip(HOSTILE, written, strict=True) if read_back(yaml) != text
    ]
    assert wrong == []


def test_plain_words_stay_plain_and_the_rest_is_quoted():
    written = dict(zip(HOSTILE, run("scalar", HOSTILE), strict=True))
    for plain in ("Support", "Team lead", "it's fine", "e-mail (web)", "Zoe", "n/a"):
        assert written[plain] == plain
    for word in ("no", "On", "y", "NULL", "1e3", "*alias", "trailing ", "a: b", "a #b"):
        assert written[word].startswith('"'), word
    assert written[': # "no"'] == '": # \\"no\\""'
    assert written["a\nb"] == '"a\\nb"'
    assert written["\x85"] == '"\\u0085"'


def test_a_lone_surrogate_becomes_the_replacement_character():
    # JSON carries a lone surrogate to node; UTF-8 has no such character.
    assert [read_back(y) for y in run("scalar", ["a\ud800b", "\udfff"])] == ["a\ufffdb", "\ufffd"]


def test_random_text_reads_back_as_typed():
    pool = list(" \t\n\r:#-?|>*&!%@`'\",[]{}~.0123456789aeEnoyx\\\x00\x1b\x85\u2028\ufeffé😀")
    chance = random.Random(12)
    texts = [
        "".join(chance.choice(pool) for _ in range(chance.randint(1, 12))) for _ in range(3000)
    ]
    written = run("scalar", texts)
    wrong = [(t, y) for t, y in zip(texts, written, strict=True) if read_back(y) != t]
    assert wrong == []


def test_a_whole_sheet_loads_with_every_value_as_chosen():
    document, _ = parse_text(MINI_BANK, "bank.yml")
    assert document is not None
    bank, _ = build_bank(document)
    assert bank is not None
    notes = HOSTILE[:40]
    sheets = [
        {
            "header": [
                "yaml-language-server: $schema=../../schemas/answer-sheet.schema.json",
                "Answer sheet: Mini bank (mini 1.0)",
            ],
            "respondent": note,
            "team": note,
            "role": note,
            "answers": [
                {
                    "key": "alpha.one",
                    "kind": "points",
                    "section": "== Alpha ===",
                    "value": "4",
                    "note": note,
                },
                {
                    "key": "alpha.two",
                    "kind": "choices",
                    "section": "== Alpha ===",
                    "value": "no",
                    "note": "",
                },
                {
                    "key": "beta.three",
                    "kind": "multi",
                    "section": "== Beta ===",
                    "value": ["email", "chat"],
                    "note": note,
                },
            ],
        }
        for note in notes
    ]
    for note, text in zip(notes, run("sheetYaml", sheets), strict=True):
        document, problems = parse_text(text, "sheet.yml")
        assert document is not None and not problems, (note, text, problems)
        sheet, problems = build_sheet(document, bank)
        assert sheet is not None and not problems, (note, text, problems)
        assert (sheet.respondent, sheet.team, sheet.role) == (note, note, note)
        answers = {key: (a.value, a.note) for key, a in sheet.answers.items()}
        assert answers == {
            "alpha.one": (4, note if note.strip() else None),
            "alpha.two": ("no", None),
            "beta.three": (["email", "chat"], note if note.strip() else None),
        }


def test_an_empty_list_and_n_a_and_dont_know_are_written_as_answers():
    sheet = {
        "header": [],
        "respondent": "",
        "team": "Support",
        "role": "",
        "answers": [
            {
                "key": "beta.three",
                "kind": "multi",
                "section": "== Beta ===",
                "value": [],
                "note": "",
            },
            {
                "key": "alpha.one",
                "kind": "points",
                "section": "== Alpha ===",
                "value": "n/a",
                "note": "",
            },
            {
                "key": "alpha.two",
                "kind": "choices",
                "section": "== Alpha ===",
                "value": "dont-know",
                "note": "",
            },
        ],
    }
    (text,) = run("sheetYaml", [sheet])
    assert text == (
        "\n"
        "team: Support\n"
        "answers:\n"
        "\n"
        "  # == Beta ===\n"
        "  beta.three: []\n"
        "\n"
        "  # == Alpha ===\n"
        "  alpha.one: n/a\n"
        "  alpha.two: dont-know\n"
    )


def test_file_names_are_made_of_the_team_and_the_name():
    sheets = [
        {"team": "Support", "respondent": ""},
        {"team": "Ventes & Après-vente", "respondent": "Zoë O'Neil"},
        {"team": "../../etc", "respondent": "a/b\\c"},
        {"team": "客户", "respondent": "😀"},
    ]
    assert run("fileName", sheets) == [
        "support-respondent.yml",
        "ventes-apres-vente-zoe-o-neil.yml",
        "etc-a-b-c.yml",
        "team-respondent.yml",
    ]
