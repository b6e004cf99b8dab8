"""Bank Markdown is safe by construction (issue 9, item 1).

``validate`` reports each construct bank text may not hold, at its own line and column
when the file shows it as written; and whatever a bank holds (a bank that skipped
validation, say), the site's pages and the PDF show only clean HTML: no event handler, no
style, no link but http, https, mailto and relative ones after decoding, no remote image.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assessment.markup import decoded_url
from assessment.model import Assessment
from generator.bank_html import bank_html, bank_markdown, project_images
from generator.pages import ReportContext, collect_notes, render_pages
from generator.pdf import render_report_html
from generator.site import prepare

from .conftest import MINI_BANK, Problems, WriteProject

HELP_AT = "        text: Question one?\n"
SUMMARY_AT = "    title: Alpha\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
LINKS_ONLY = "links may go only to http:, https:, mailto: or a relative address"
NO_REMOTE = "images must be files in the project (a path from its folder)"


def with_help(help_yaml: str) -> str:
    """MINI_BANK whose first question (text on line 28) has ``help`` from line 29 on."""
    return MINI_BANK.replace(HELP_AT, HELP_AT + help_yaml, 1)


HELP = "dimensions[0].questions[0].help"
SUMMARY = "dimensions[0].summary"

REFUSED = [
    pytest.param(
        with_help("        help: 'Read this {: tabindex=0 autofocus onfocus=\"alert(1)\" }'\n"),
        f"proj/bank.yml:29:26: {HELP}: event handlers (onfocus=) are not allowed in bank text",
        id="attribute-list-onfocus",
    ),
    pytest.param(
        with_help("        help: '[x](https://example.com){ onclick=\"alert(1)\" }'\n"),
        f"proj/bank.yml:29:40: {HELP}: event handlers (onclick=) are not allowed in bank text",
        id="attribute-list-onclick",
    ),
    pytest.param(
        MINI_BANK.replace(SUMMARY_AT, SUMMARY_AT + "    summary: 'Plans {: .big #top }'\n"),
        f"proj/bank.yml:25:21: {SUMMARY}: attribute lists ({{: …}}) are not allowed in bank "
        "text; use Markdown",
        id="attribute-list",
    ),
    pytest.param(
        with_help("        help: '[x](javascript&#58;alert(1))'\n"),
        f"proj/bank.yml:29:20: {HELP}: {LINKS_ONLY}, not javascript:",
        id="numeric-reference",
    ),
    pytest.param(
        with_help("        help: '[x](javascript&colon;alert(1))'\n"),
        f"proj/bank.yml:29:20: {HELP}: {LINKS_ONLY}, not javascript:",
        id="named-reference",
    ),
    pytest.param(
        with_help("        help: '[x](&#106;avascript:alert(1))'\n"),
        f"proj/bank.yml:29:20: {HELP}: {LINKS_ONLY}, not javascript:",
        id="encoded-first-letter",
    ),
    pytest.param(
        with_help("        help: '[x](java&#9;script:alert(1))'\n"),
        f"proj/bank.yml:29:20: {HELP}: {LINKS_ONLY}, not javascript:",
        id="tab-in-scheme",
    ),
    pytest.param(
        with_help("        help: '[x](vbscript:msgbox(1))'\n"),
        f"proj/bank.yml:29:20: {HELP}: {LINKS_ONLY}, not vbscript:",
        id="vbscript",
    ),
    pytest.param(
        with_help(
            "        help: |\n"
            "          Read [the guide][g] first.\n"
            "\n"
            "          [g]: &#106;avascript:alert(document.domain)\n"
        ),
        f"proj/bank.yml:32:16: {HELP}: {LINKS_ONLY}, not javascript:",
        id="reference-style",
    ),
    pytest.param(
        with_help("        help: '![](https://tracker.example/p.png)'\n"),
        f"proj/bank.yml:29:20: {HELP}: {NO_REMOTE}, not https: addresses",
        id="remote-image",
    ),
    pytest.param(
        with_help("        help: '![](//tracker.example/p.png)'\n"),
        f"proj/bank.yml:29:20: {HELP}: {NO_REMOTE}, not absolute addresses",
        id="protocol-relative-image",
    ),
    pytest.param(
        with_help("        help: '![](data:image/svg+xml;base64,PHN2Zz4=)'\n"),
        f"proj/bank.yml:29:20: {HELP}: {NO_REMOTE}, not data: addresses",
        id="data-image",
    ),
    pytest.param(
        with_help("        help: >\n          A picture\n          <img src=x onerror=alert(1)>\n"),
        f"proj/bank.yml:31:11: {HELP}: raw HTML is not allowed in bank text; use Markdown",
        id="raw-html",
    ),
    pytest.param(
        with_help("        help: '![map](images/none.png)'\n"),
        f"proj/bank.yml:29:23: {HELP}: image file not found: proj/images/none.png",
        id="image-missing",
    ),
    pytest.param(
        with_help("        help: '![map](../secret.png)'\n"),
        f"proj/bank.yml:29:23: {HELP}: image ../secret.png is outside the project; images "
        "must be files in the project",
        id="image-outside",
    ),
    pytest.param(
        with_help("        help: '![map](bank.yml)'\n"),
        f"proj/bank.yml:29:23: {HELP}: image bank.yml is not an SVG, PNG, JPEG or WebP image",
        id="image-not-an-image",
    ),
]


@pytest.mark.parametrize(("bank", "expected"), REFUSED)
def test_each_refused_construct_is_reported_where_it_is(
    problems_of: Problems, bank: str, expected: str
) -> None:
    assert problems_of({"bank.yml": bank, "secret.png": PNG}) == [expected]


def test_every_construct_of_a_value_is_reported(problems_of: Problems) -> None:
    bank = with_help(
        "        help: |\n"
        "          [a](javascript:one()) and [b](javascript:two())\n"
        "          {: onmouseover=x }\n"
    )
    assert problems_of({"bank.yml": bank}) == [
        f"proj/bank.yml:30:15: {HELP}: {LINKS_ONLY}, not javascript:",
        f"proj/bank.yml:30:41: {HELP}: {LINKS_ONLY}, not javascript:",
        f"proj/bank.yml:31:11: {HELP}: event handlers (onmouseover=) are not allowed in bank text",
    ]


ACCEPTED = [
    "See [the guide](https://example.com/guide?a=1&b=2) or [mail us](mailto:cx@example.com).",
    "Compare with [the plan](../plan/) and <https://example.com>.",
    "javascript: is only text here, and so is {curly} and a = b.",
    "![Journey map](images/journey.png)",
    "| Step | Owner |\n|:--|--:|\n| One | Support |",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_plain_markdown_links_and_project_images_are_accepted(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    from assessment.loading import load_project_bank

    quoted = text.replace("'", "''").replace("\n", "\n\n")
    write_project({"bank.yml": with_help(f"        help: '{quoted}'\n"), "images/journey.png": PNG})
    monkeypatch.chdir(tmp_path)
    assert load_project_bank("proj").questions["alpha.one"].help == text


# Rendering: safe whatever the bank holds -------------------------------------------------------

HOSTILE = (
    'Read {: tabindex=0 autofocus onfocus="alert(1)" } this.\n\n'
    '[one](https://example.com){ onclick="alert(2)" } '
    "[two](javascript&#58;alert(3)) [three](java&colon;script:alert(4)) "
    "[four](&#106;avascript:alert(5)) [five][r] [six](vbscript:x) "
    "![track](https://tracker.example/p.png) ![local](images/journey.png) "
    '<img src=x onerror="alert(6)"> <b style="color:red">bold</b>\n\n'
    "[r]: &#106;avascript:alert(7)\n"
)


class _Page(HTMLParser):
    """Every tag and attribute of a page, with attribute values as a browser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value or "") for name, value in attrs]


def assert_clean(html: str) -> None:
    page = _Page()
    page.feed(html)
    for tag, name, value in page.attributes:
        assert not name.startswith("on"), (tag, name)
        assert name not in ("tabindex", "autofocus"), (tag, name)
        # the site's own Markdown tables align their cells with a style; nothing else may
        assert name != "style" or re.fullmatch(r"text-align: \w+;", value), (tag, value)
        if name in ("href", "src"):
            url = decoded_url(value)
            assert not re.match(r"(?i)(javascript|vbscript|data:text)", url), (tag, url)
            if tag == "img":
                assert url.startswith("data:image/png;base64,"), url  # only the local image
    assert "tracker.example" not in html


@pytest.fixture
def images(tmp_path: Path) -> Path:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "journey.png").write_bytes(PNG)
    return tmp_path


def test_bank_html_keeps_only_what_is_safe(images: Path) -> None:
    html = bank_html(HOSTILE, project_images(images))
    assert_clean(html)
    assert '<a href="https://example.com" rel="noopener noreferrer">one</a>' in html
    assert "<strong>" not in html and "&lt;b style" in html  # raw HTML shows as text
    assert html.count("<img ") == 1 and 'alt="local"' in html
    assert "{: tabindex=0 autofocus onfocus=&quot;alert(1)&quot; }" in html  # text, not syntax


def test_bank_markdown_is_inert_for_the_sites_markdown(images: Path) -> None:
    import markdown

    text = bank_markdown(HOSTILE, project_images(images))
    assert "{" not in text and "javascript" not in text.lower()
    # the site's own Markdown, attribute lists on, reads none of it as syntax
    site = markdown.Markdown(extensions=["attr_list", "tables", "admonition", "toc"])
    assert_clean(site.convert(text))
    assert_clean(
        site.convert("!!! abstract\n" + "".join(f"    {line}\n" for line in text.split("\n")))
    )


def test_a_single_paragraph_fits_in_a_sentence() -> None:
    assert bank_markdown("Plans exist; follow-through is *uneven*.") == (
        "Plans exist&#59; follow&#45;through is <em>uneven</em>&#46;"
    )
    assert bank_html("Plans exist.") == "<p>Plans exist.</p>"


def _hostile_assessment(project: Path) -> Assessment:
    """The project's assessment with hostile Markdown in every kind of bank text, as a bank
    that skipped validation would bring it."""
    assessment, _, _ = prepare(project)
    bank = assessment.bank
    dimensions = []
    for dimension in bank.dimensions:
        questions = tuple(
            dataclasses.replace(
                q,
                help=HOSTILE,
                tune_ups=tuple(dataclasses.replace(t, body=HOSTILE) for t in q.tune_ups),
            )
            for q in dimension.questions
        )
        dimensions.append(dataclasses.replace(dimension, summary=HOSTILE, questions=questions))
    levels = tuple(dataclasses.replace(level, description=HOSTILE) for level in bank.levels)
    hostile_bank = dataclasses.replace(
        bank, description=HOSTILE, levels=levels, dimensions=tuple(dimensions)
    )
    return dataclasses.replace(assessment, bank=hostile_bank)


@pytest.fixture
def hostile_project(write_project: WriteProject, tmp_path: Path, monkeypatch) -> Path:
    sheet = "team: Support\nanswers:\n  alpha.one: 2\n  alpha.two: partly\n  beta.three: [chat]\n"
    monkeypatch.chdir(tmp_path)
    write_project({f"answers/{n}.yml": sheet for n in "abc"} | {"images/journey.png": PNG})
    return Path("proj")


def test_site_pages_and_the_pdf_show_hostile_bank_text_safely(hostile_project: Path) -> None:
    import markdown

    _, results, plan = prepare(hostile_project)
    assessment = _hostile_assessment(hostile_project)
    notes = collect_notes(assessment, assessment.round())
    context = ReportContext(assessment, results, plan, {}, notes, None)
    site = markdown.Markdown(extensions=["attr_list", "tables", "admonition", "toc"])
    pages = render_pages(context)
    for name in ("index.md", "bank.md", "methodology.md", "plan.md", "dimensions/alpha.md"):
        assert_clean(site.reset().convert(pages[name]))
    # the project's own image, embedded (its address written with character references)
    assert 'src="data&#58;image&#47;png&#59;base64&#44;' in pages["bank.md"]
    html = render_report_html(context)
    assert_clean(html)
    assert "javascript" not in html.lower()
