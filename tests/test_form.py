"""The answer form as generated: one self-contained page, every question with exactly the
answers the bank allows, text from people shown as text, the client's colours readable,
and the ``form`` command and the report site that publish it."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assessment.loading import bundled_banks, load_bank
from generator.bank_html import bank_html, project_images
from generator.cli import cli
from generator.form import (
    DARK_GROUNDS,
    GENERATOR,
    LIGHT_GROUNDS,
    MAX_LOGO_BYTES,
    SITE_FORM,
    FormSettings,
    form_colours,
    render_form,
)
from generator.pdf import MATERIAL_PRIMARY, contrast
from generator.site import build

from .conftest import WriteProject

FORM_BUDGET = 150_000
"""The issue's limit for the bundled bank's form, in bytes."""


@dataclass
class Shown:
    """A question as the page shows it: its kind, inputs (type, name, value) and text."""

    kind: str
    inputs: list[tuple[str, str, str]] = field(default_factory=list)
    legend: str = ""
    help: bool = False
    fact: bool = False


class FormHtml(HTMLParser):
    """What a form page holds: its policy, inline code, fields, questions and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.meta: dict[str, str] = {}
        self.inline: dict[str, list[str]] = {"script": [], "style": []}
        self.urls: list[tuple[str, str, str]] = []
        self.questions: dict[str, Shown] = {}
        self.options: dict[str, list[str]] = {}
        self.text: list[str] = []
        self.attributes: dict[str, dict[str, str]] = {}
        self._inline: str | None = None
        self._fieldset: Shown | None = None
        self._select: str | None = None
        self._in_legend = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.attributes[values["id"]] = values
        if tag == "meta" and "http-equiv" in values:
            self.meta[values["http-equiv"]] = values["content"]
        elif tag == "meta" and "name" in values:
            self.meta[values["name"]] = values["content"]
        if tag in self.inline:
            self._inline = tag
            self.inline[tag].append("")
        for name in ("src", "href", "action", "srcset", "data", "poster"):
            if name in values:
                self.urls.append((tag, name, values[name]))
        if tag == "fieldset" and "data-key" in values:
            self._fieldset = Shown(values["data-kind"])
            self.questions[values["data-key"]] = self._fieldset
        elif tag == "input" and self._fieldset is not None:
            self._fieldset.inputs.append((values["type"], values["name"], values["value"]))
        elif tag == "legend":
            self._in_legend = True
        elif tag == "details" and self._fieldset is not None and values.get("class") == "cx-help":
            self._fieldset.help = True
        elif tag == "p" and self._fieldset is not None and values.get("class") == "cx-fact":
            self._fieldset.fact = True
        elif tag == "select":
            self._select = values["id"]
            self.options[self._select] = []

    def handle_endtag(self, tag: str) -> None:
        if tag == self._inline:
            self._inline = None
        elif tag == "fieldset":
            self._fieldset = None
        elif tag == "legend":
            self._in_legend = False
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._inline is not None:
            self.inline[self._inline][-1] += data
            return
        self.text.append(data)
        if self._in_legend and self._fieldset is not None:
            self._fieldset.legend += data
        if self._select is not None and data.strip():
            self.options[self._select].append(data.strip())

    @property
    def shown(self) -> str:
        return " ".join(" ".join(self.text).split())


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture(scope="module")
def bundled() -> FormHtml:
    bank = load_bank(bundled_banks()["cx-core"])
    return FormHtml(render_form(bank, FormSettings(client="Acme", round_id="2026-q4")))


# One page, nothing from outside -------------------------------------------------------------------


def test_the_policy_allows_the_pages_own_script_and_style_and_nothing_else(bundled: FormHtml):
    (script,) = bundled.inline["script"]
    (style,) = bundled.inline["style"]
    assert bundled.meta["Content-Security-Policy"] == (
        f"default-src 'none'; script-src {sha256(script)}; style-src {sha256(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    assert bundled.meta["generator"] == GENERATOR
    # Nothing is fetched: no script, style sheet, font or image but the page's own; the
    # only links are within the page or those of the bank's text (followed if clicked).
    assert [(tag, name) for tag, name, url in bundled.urls if name != "href"] == []
    assert {tag for tag, name, _ in bundled.urls if name == "href"} == {"a"}
    assert "<link" not in bundled.html and "@import" not in style and "url(" not in style
    assert "fetch(" not in script and "XMLHttpRequest" not in script and "sendBeacon" not in script


def test_the_bundled_banks_form_is_small(bundled: FormHtml):
    assert len(bundled.html.encode("utf-8")) < FORM_BUDGET


def test_every_question_offers_exactly_the_answers_its_bank_allows(bundled: FormHtml):
    bank = load_bank(bundled_banks()["cx-core"])
    assert list(bundled.questions) == list(bank.questions)
    for key, question in bank.questions.items():
        shown = bundled.questions[key]
        kind = question.scale.kind
        assert shown.kind == kind
        values = [o.id for o in question.scale.options]
        values += ["[]"] * (kind == "multi") + ["n/a"] + ["dont-know"] * question.dont_know
        kinds = {"multi": "checkbox"}.get(kind, "radio")
        assert shown.inputs == [(kinds, key, value) for value in values], key
        assert question.text in shown.legend, key
        assert shown.help == bool(question.help.strip()), key
        assert shown.fact == (question.kind == "fact"), key
    assert f"0 of {len(bank.questions)} answered" in bundled.shown


def test_dont_know_is_offered_only_where_the_bank_takes_it(write_project: WriteProject):
    bank_text = (
        "id: dk\ntitle: DK\nformat: 2\nlevels: [{name: L, min: 0}]\n"
        "scales: {plain: {points: [{value: 1, label: Low}, {value: 2, label: High}], "
        "dont_know: false}}\n"
        "default_scale: plain\n"
        "dimensions:\n"
        "  - id: d\n    title: D\n    questions:\n"
        "      - {id: off, text: Off by the scale?}\n"
        "      - {id: on, text: On by the question?, dont_know: true}\n"
        "      - id: own\n        text: Own choices?\n        dont_know: false\n"
        "        choices: [{id: a, label: A, score: 0}, {id: b, label: B, score: 1}]\n"
    )
    root = write_project({"bank.yml": bank_text})
    result = CliRunner().invoke(cli, ["form", str(root)])
    assert result.exit_code == 0, result.output
    page = FormHtml((root / "answer-form.html").read_text(encoding="utf-8"))
    offered = {key: [v for _, _, v in q.inputs] for key, q in page.questions.items()}
    assert offered == {
        "d.off": ["1", "2", "n/a"],
        "d.on": ["1", "2", "n/a", "dont-know"],
        "d.own": ["a", "b", "n/a"],
    }


# Text from people and from the bank ---------------------------------------------------------------

HOSTILE = '<script>alert(1)</script> & "quotes" \u202eevil'


def test_names_from_people_show_as_text(write_project: WriteProject):
    root = write_project(
        {
            "assessment.yml": f"""\
                client: {json.dumps(HOSTILE)}
                bank: bank.yml
                teams: [{json.dumps(HOSTILE)}, Stores]
                roles: {{leadership: [{json.dumps("<b>Boss</b>")}], frontline: [Agent]}}
                """
        }
    )
    result = CliRunner().invoke(cli, ["form", str(root), "--team", "stores"])
    assert result.exit_code == 0, result.output
    html = (root / "answer-form-stores.html").read_text(encoding="utf-8")
    page = FormHtml(html)
    shown = HOSTILE.replace("\u202e", "")
    assert shown in page.shown
    assert "<script>alert" not in html and "\u202e" not in html
    assert page.options["cx-team"] == ["Choose your team", shown, "Stores"]
    assert page.options["cx-role"] == ["Choose your role", "<b>Boss</b>", "Agent"]
    assert "<option selected>Stores</option>" in html  # --team, in the project's spelling
    header = json.loads(page.attributes["cx-form"]["data-header"])
    assert header == [
        "yaml-language-server: $schema=../../schemas/answer-sheet.schema.json",
        "Answer sheet: Mini bank (mini 1.0)",
        f"Written by the answer form of {shown}'s assessment.",
    ]


def test_an_unknown_team_is_refused(write_project: WriteProject):
    root = write_project(
        {"assessment.yml": "client: C\nbank: bank.yml\nteams: [Support, Stores]\n"}
    )
    result = CliRunner().invoke(cli, ["form", str(root), "--team", "Suport"])
    assert result.exit_code == 2
    assert "--team: unknown team 'Suport' (did you mean 'Support'?); teams are Support, Stores" in (
        result.output
    )
    assert not list(root.glob("*.html"))


def test_without_teams_the_team_is_typed_and_without_roles_the_role_too(
    write_project: WriteProject,
):
    root = write_project({})
    result = CliRunner().invoke(cli, ["form", str(root)])
    assert result.exit_code == 0, result.output
    page = FormHtml((root / "answer-form.html").read_text(encoding="utf-8"))
    assert page.attributes["cx-team"]["type"] == "text"
    assert page.attributes["cx-role"]["type"] == "text"
    assert page.options == {}


def test_bank_markdown_is_shown_as_the_site_shows_it(write_project: WriteProject):
    from .conftest import MINI_BANK

    help_text = "See **this** [page](https://example.com) and ![the map](map.png)"
    bank = MINI_BANK.replace(
        "        text: Question one?\n",
        f"        text: Question one?\n        help: '{help_text}'\n",
    )
    root = write_project({"bank.yml": bank, "map.png": png(2, 2)})
    result = CliRunner().invoke(cli, ["form", str(root)])
    assert result.exit_code == 0, result.output
    html = (root / "answer-form.html").read_text(encoding="utf-8")
    page = FormHtml(html)
    assert bank_html(help_text, project_images(root)) in html  # the one sanitiser
    assert "<strong>this</strong>" in html
    assert ("a", "href", "https://example.com") in page.urls
    # The image is in the page, as the policy's img-src data: allows.
    image = "data:image/png;base64," + base64.b64encode(png(2, 2)).decode()
    assert ("img", "src", image) in page.urls


# The logo -----------------------------------------------------------------------------------------


def png(width: int, height: int, noise: int = 0) -> bytes:
    """A valid PNG of ``width`` x ``height`` grey pixels (``noise`` random bytes make it big)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([128] * width) for _ in range(height))
    extra = chunk(b"tEXt", b"x\x00" + bytes(range(256)) * (noise // 256)) if noise else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + extra
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_a_small_raster_logo_is_inlined_and_anything_else_is_left_out(
    write_project: WriteProject,
):
    logo = png(4, 2)
    files: dict[str, str | bytes] = {
        "assessment.yml": "client: C\nbank: bank.yml\nbranding: {logo: logo.png}\n",
        "logo.png": logo,
    }
    root = write_project(files)
    result = CliRunner().invoke(cli, ["form", str(root)])
    assert result.exit_code == 0 and "warning" not in result.output
    page = FormHtml((root / "answer-form.html").read_text(encoding="utf-8"))
    assert ("img", "src", "data:image/png;base64," + base64.b64encode(logo).decode()) in page.urls

    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="2"/></svg>'
    big = png(4, 2, noise=MAX_LOGO_BYTES + 256)
    for name, content, why in [
        ("logo.svg", svg, "is an SVG image (the form takes PNG, JPEG or WebP)"),
        ("logo.png", big, f"is {len(big):,} bytes (the form takes at most 60,000)"),
    ]:
        files = {
            "assessment.yml": f"client: C\nbank: bank.yml\nbranding: {{logo: {name}}}\n",
            name: content,
        }
        root = write_project(files, name=name.replace(".", "-"))
        result = CliRunner().invoke(cli, ["form", str(root)])
        assert result.exit_code == 0, result.output
        assert f"warning: {root / name}: left out of the form: the logo {why}" in result.output
        html = (root / "answer-form.html").read_text(encoding="utf-8")
        assert "<img" not in html and "<script>alert" not in html


# Colours ------------------------------------------------------------------------------------------


def test_teal_is_darkened_just_enough_for_white_text():
    # #009485 with white text is 3.76:1 and with ink 4.4:1, both under 4.5; ten per cent
    # towards black (0x94 * 0.9 = 133.2 -> 0x85, 0x85 * 0.9 = 119.7 -> 0x78) reaches 4.54.
    assert form_colours("teal")["brand"] == "#008578"
    assert form_colours("teal")["on-brand"] == "#ffffff"
    assert round(contrast("#008578", "#ffffff"), 2) == 4.54


@pytest.mark.parametrize("colour", [*MATERIAL_PRIMARY, "#808080", "#123456", "#fefefe"])
def test_every_colour_reads_well_on_both_schemes(colour: str):
    colours = form_colours(colour)
    assert contrast(colours["brand"], colours["on-brand"]) >= 4.5
    assert min(contrast(colours["ink-light"], ground) for ground in LIGHT_GROUNDS) >= 4.5
    assert min(contrast(colours["ink-dark"], ground) for ground in DARK_GROUNDS) >= 4.5


# The command and the site -------------------------------------------------------------------------


def test_the_form_command_writes_replaces_its_own_and_refuses_others(
    write_project: WriteProject,
):
    root = write_project({"assessment.yml": "client: C\nbank: bank.yml\nrounds: [r1, r2]\n"})
    runner = CliRunner()
    result = runner.invoke(cli, ["form", str(root)])
    assert result.exit_code == 0, result.output
    out = root / "answer-form.html"
    size = len(out.read_bytes())
    assert result.output.splitlines()[0] == (
        f"Wrote {out}: 3 questions, round r2, {size / 1000:.0f} KB."
    )
    header = json.loads(
        FormHtml(out.read_text(encoding="utf-8")).attributes["cx-form"]["data-header"]
    )
    assert header[0] == "yaml-language-server: $schema=../../../schemas/answer-sheet.schema.json"
    assert runner.invoke(cli, ["form", str(root), "--round", "r1"]).exit_code == 0  # replaced

    other = root / "mine.html"
    other.write_text("<p>mine</p>")
    refused = runner.invoke(cli, ["form", str(root), "--out", str(other)])
    assert refused.exit_code == 2
    assert "is not a form written by cxmaturity; not replaced" in refused.output
    assert other.read_text() == "<p>mine</p>"

    unknown = runner.invoke(cli, ["form", str(root), "--round", "r22"])
    assert unknown.exit_code == 2
    assert "rounds: unknown round 'r22' (did you mean 'r2'?); rounds are r1, r2" in unknown.output


def test_without_a_project_the_form_asks_the_bundled_bank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["form"])
    assert result.exit_code == 0, result.output
    page = FormHtml((tmp_path / "answer-form.html").read_text(encoding="utf-8"))
    assert len(page.questions) == len(load_bank(bundled_banks()["cx-core"]).questions)


def test_build_publishes_the_form_unless_report_form_is_false(
    write_project: WriteProject, tmp_path: Path
):
    root = write_project({})
    out = build(root, tmp_path / "site-on", docs_only=True).out
    nav = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert {"Answer the assessment": "answer.md"} in nav
    page = (out / "docs" / "answer.md").read_text(encoding="utf-8")
    assert f"[Open the answer form]({SITE_FORM})" in page
    assert FormHtml((out / "docs" / SITE_FORM).read_text(encoding="utf-8")).questions

    off = write_project(
        {"assessment.yml": "client: C\nbank: bank.yml\nreport: {form: false}\n"}, name="off"
    )
    out = build(off, tmp_path / "site-off", docs_only=True).out
    nav = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert not [entry for entry in nav if "Answer the assessment" in entry]
    assert not (out / "docs" / "answer.md").exists()
    assert not (out / "docs" / SITE_FORM).exists()
    assert not re.search("answer-form", "\n".join(p.name for p in out.rglob("*")))
