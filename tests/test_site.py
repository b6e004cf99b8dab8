"""The report site as readers see it: built with the real engines and read back as HTML.

Builds take seconds, so each site is built once per module and shared by the tests that
read it. Every build keeps its caches (charts, compiled templates) under the test's
temporary folder, never in the user's ``~/.cache``.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import sys
import textwrap
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from assessment.document import CSV_COLUMNS, results_document, results_rows
from assessment.loading import load_assessment
from assessment.planning import plan as make_plan
from assessment.scoring import score_assessment
from generator import engine, site
from generator.cli import cli
from generator.engine import BuildError, OutputRefused
from generator.form import SITE_FORM
from generator.site import MARKER, build

from .conftest import ACME, MINI_BANK, WriteProject

# MINI_BANK has two dimensions, too few for a radar (a case of its own, see
# test_a_two_dimension_bank_builds_without_a_radar): the projects here add a third one.
BANK = (
    MINI_BANK
    + """\
  - id: gamma
    title: Gamma
    questions:
      - id: four
        text: Question four?
"""
)
PAGES = [
    "index.html",
    "plan.html",
    "teams.html",
    "roles.html",
    "progress.html",
    "methodology.html",
    "bank.html",
    "answer.html",
    "downloads.html",
]
MARKDOWN_PAGES = [
    "index.md",
    "plan.md",
    "teams.md",
    "roles.md",
    "progress.md",
    "methodology.md",
    "bank.md",
    "answer.md",
    "downloads.md",
]
SUFFIX = ": CX maturity"
"""What the generator adds to the client's name for the site's name."""
EXTERNAL = re.compile(r"^\s*(https?:|//)", re.IGNORECASE)
BIDI_OVERRIDE = "\u202e"
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
"""Attributes whose values readers see (tooltips, screen readers, missing images)."""


# Reading HTML back ---------------------------------------------------------------------------


def squash(text: str) -> str:
    return " ".join(text.split())


class Page(HTMLParser):
    """One HTML file as a reader meets it: text (entities decoded), images, tables, links."""

    def __init__(self, path: Path, root: Path | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.root = root or path.parent
        self.source = path.read_text(encoding="utf-8")
        self.attributes: list[tuple[str, str, str]] = []  # (tag, name, value), decoded
        self.ids: set[str] = set()
        self.events: list[tuple[str, object]] = []  # ("img", attrs) / ("table", rows) in order
        self.quotes: list[str] = []  # each paragraph of a block quote: the notes
        self._text: list[str] = []
        self._article: list[str] = []
        self._skip = self._in_article = self._in_quote = 0
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self._quote: list[str] | None = None
        self.feed(self.source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.attributes += [(tag, name, value) for name, value in values.items()]
        if "id" in values:
            self.ids.add(values["id"])
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "article":
            self._in_article += 1
        elif tag == "img":
            self.events.append(("img", values))
        elif tag == "table":
            self._table = []
            self.events.append(("table", self._table))
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "blockquote":
            self._in_quote += 1
        elif tag == "p" and self._in_quote:
            self._quote = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)  # broken markup may close what never opened
        elif tag == "article":
            self._in_article = max(0, self._in_article - 1)
        elif tag in ("td", "th") and self._cell is not None and self._table:
            self._table[-1].append(squash("".join(self._cell)))
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "blockquote":
            self._in_quote = max(0, self._in_quote - 1)
        elif tag == "p" and self._quote is not None:
            self.quotes.append(squash(" ".join(self._quote)))
            self._quote = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self._text.append(data)
        if self._in_article:
            self._article.append(data)
        for sink in (self._cell, self._quote):
            if sink is not None:
                sink.append(data)

    @property
    def text(self) -> str:
        """All visible text of the page, header and footer included."""
        return squash(" ".join(self._text))

    @property
    def content(self) -> str:
        """The text of the page's own content, without the theme's header, menu and footer."""
        return squash(" ".join(self._article))

    @property
    def images(self) -> list[dict[str, str]]:
        return [attrs for kind, attrs in self.events if kind == "img"]  # type: ignore[misc]

    @property
    def tables(self) -> list[list[list[str]]]:
        return [rows for kind, rows in self.events if kind == "table"]  # type: ignore[misc]

    def charts(self) -> Iterator[tuple[str, str, list[list[str]] | None]]:
        """Each chart as (file name without .svg, alt text, the first table after it)."""
        for index, (kind, value) in enumerate(self.events):
            if kind == "img" and "assets/charts/" in value["src"]:  # type: ignore[index]
                attrs: dict[str, str] = value  # type: ignore[assignment]
                following = [v for k, v in self.events[index + 1 :] if k == "table"]
                table = following[0] if following else None
                yield Path(attrs["src"]).stem, attrs.get("alt", ""), table  # type: ignore[misc]

    def resolve(self, url: str) -> Path:
        """The file a relative ``src``/``href`` points to (a folder means its index.html)."""
        path = url.split("#", 1)[0].split("?", 1)[0]
        if path.startswith("/"):  # 404.html links from the site's root
            target = (self.root / path.lstrip("/")).resolve()
        else:
            target = (self.path.parent / path).resolve() if path else self.path
        return target / "index.html" if target.is_dir() else target


def html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def score(value: float | None) -> str:
    """A score as the pages print it."""
    return "—" if value is None else f"{value:.1f}"


def write(root: Path, files: dict[str, str]) -> Path:
    """Like the ``write_project`` fixture, for module-scoped fixtures."""
    for relative, content in ({"bank.yml": BANK} | files).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".building-" in p.name or ".old-" in p.name)


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def chart_cache(cache_root: Path) -> Path:
    return cache_root / "charts"


# 1. The bundled example, built ----------------------------------------------------------------


@pytest.fixture(scope="module")
def acme_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[site.BuildReport, Path]:
    """The example, built with a cold cache of its own (kept warm for later rebuilds)."""
    root = tmp_path_factory.mktemp("acme")
    cache = root / "cache"
    return build(ACME, root / "site", cache=cache), cache


@pytest.fixture(scope="module")
def acme_site(acme_build: tuple[site.BuildReport, Path]) -> Path:
    return acme_build[0].out


@pytest.fixture(scope="module")
def acme_pages(acme_site: Path) -> dict[str, Page]:
    return {p.relative_to(acme_site).as_posix(): Page(p, acme_site) for p in html_files(acme_site)}


@pytest.fixture(scope="module")
def acme_figures():
    assessment = load_assessment(ACME)
    results = score_assessment(assessment)
    return assessment, results, make_plan(results, assessment.bank)


def test_every_page_exists(acme_site: Path, acme_figures):
    bank = acme_figures[0].bank
    expected = PAGES + [f"dimensions/{d.id}.html" for d in bank.dimensions]
    missing = [page for page in expected if not (acme_site / page).is_file()]
    assert missing == []
    assert len(bank.dimensions) == 6


def test_every_chart_is_shown_and_every_image_exists(acme_site: Path, acme_pages):
    charts = sorted((acme_site / "assets" / "charts").glob("*.svg"))
    assert len(charts) == 11
    shown: set[Path] = set()
    broken = []
    for name, page in acme_pages.items():
        for image in page.images:
            target = page.resolve(image["src"])
            shown.add(target)
            if not target.is_file():
                broken.append(f"{name}: {image['src']}")
    assert broken == []
    assert [c.name for c in charts if c.resolve() not in shown] == []


def test_every_link_between_pages_leads_to_a_page_and_anchor(acme_site: Path, acme_pages):
    broken = []
    for name, page in acme_pages.items():
        for tag, attribute, url in page.attributes:
            if tag != "a" or attribute != "href" or EXTERNAL.match(url):
                continue
            target = page.resolve(url)
            fragment = url.partition("#")[2]
            if not target.is_file():
                broken.append(f"{name}: {url} (no such file)")
            elif fragment and target.suffix == ".html":
                linked = acme_pages[target.relative_to(acme_site).as_posix()]
                if fragment not in linked.ids:
                    broken.append(f"{name}: {url} (no such anchor)")
    assert broken == []


def test_every_chart_has_alt_text_with_its_scores(acme_pages, acme_figures):
    results = acme_figures[1]
    missing = [
        f"{name}: {image['src']}"
        for name, page in acme_pages.items()
        for image in page.images
        if "assets/charts/" in image["src"] and not re.search(r"\d+\.\d", image.get("alt", ""))
    ]
    assert missing == []
    radar_alt = next(alt for chart, alt, _ in acme_pages["index.html"].charts() if chart == "radar")
    strategy = results.current.all.dimension("strategy").score
    # 2026-q4 question means: customer-plan 63.89 (weight 2), retention-goals 62.5,
    # segments 50, plan-in-my-work 68.06, key-moments 51.56, service-value 39.93,
    # improvement-time 29.17, small-customers 54.19: 483.18 / 9 = 53.69
    assert score(strategy) == "53.7"
    assert "Customer strategy 53.7" in radar_alt


def test_every_page_names_the_client_round_and_date(acme_pages, acme_figures):
    bank = acme_figures[0].bank
    pages = PAGES + [f"dimensions/{d.id}.html" for d in bank.dimensions]
    for name in pages:
        content = acme_pages[name].content
        for expected in ("Acme Outdoor Co.", "2026-q4", "12 November 2026"):
            assert expected in content, f"{name} does not show {expected!r}"


def test_home_page_gives_score_level_and_first_tune_ups(acme_pages, acme_figures):
    _, results, plan = acme_figures
    everyone = results.current.all
    content = acme_pages["index.html"].content
    assert f"Overall score {everyone.score:.0f}" in content
    assert f"Overall {score(everyone.score)} {everyone.level}" in content
    assert everyone.level == "Defined"
    titles = [item.title for item in plan.items[:5]]
    positions = [content.find(title) for title in titles]
    assert -1 not in positions, titles
    assert positions == sorted(positions), "the first five tune-ups are not in plan order"
    if plan.items[5].title not in titles:
        assert plan.items[5].title not in content.split("The whole tune-up plan")[0]


def _expected_rows(chart: str, assessment, results) -> list[tuple[list[str | None], list[str]]]:
    """For a chart, the leading cells of the rows of the table after it, each with the
    numbers that the chart's alt text must give too (``None`` matches any cell)."""
    bank = assessment.bank
    now = results.current
    if chart == "radar":
        return [
            ([d.title, score(r.score)], [score(r.score)])
            for d, r in zip(bank.dimensions, now.all.dimensions, strict=True)
        ]
    if chart.startswith("dimension-"):
        result = now.all.dimension(chart.removeprefix("dimension-"))
        return [
            ([None, score(q.score), score(q.sd)], [score(q.score), score(q.sd)])
            for q in result.questions
        ]
    if chart in ("radar-teams", "heatmap-teams"):
        rows = []
        for team in (t for t in now.teams if t.shown):
            scores = [score(d.score) for d in team.dimensions]
            rows.append(([team.name, str(team.respondents), score(team.score), *scores], scores))
        return rows
    if chart == "gap":
        return [
            (
                [d.title, score(g.leadership), score(g.frontline)],
                [score(g.leadership), score(g.frontline)],
            )
            for d, g in zip(bank.dimensions, now.perception.dimensions, strict=True)
        ]
    if chart == "progress":
        rows = []
        for r in results.rounds:
            scores = [score(r.all.score), *(score(d.score) for d in r.all.dimensions)]
            title = assessment.round(r.id).title or f"Round {r.id}"
            rows.append(([title, str(r.respondents), *scores], scores))
        return rows
    raise AssertionError(f"unexpected chart {chart}")


def test_every_chart_is_followed_by_a_table_with_the_same_numbers(acme_pages, acme_figures):
    assessment, results, _ = acme_figures
    seen = set()
    for name, page in acme_pages.items():
        for chart, alt, table in page.charts():
            seen.add(chart)
            assert table is not None, f"{name}: no table after chart {chart}"
            expected = _expected_rows(chart, assessment, results)
            for (cells, in_alt), row in zip(expected, table[1 : 1 + len(expected)], strict=True):
                got = [
                    cell if want is not None else None
                    for want, cell in zip(cells, row, strict=False)
                ]
                assert got == cells, f"{name}: the table after {chart}"
                for number in in_alt:
                    assert number in html.unescape(alt), f"{name}: {chart}'s alt lacks {number}"
    assert len(seen) == 11


def test_home_table_has_every_dimension_score(acme_pages, acme_figures):
    assessment, results, _ = acme_figures
    table = acme_pages["index.html"].tables[0]
    assert table[0][:2] == ["Dimension", "Score"]
    rows = {row[0]: row[1] for row in table[1:]}
    for dimension, result in zip(
        assessment.bank.dimensions, results.current.all.dimensions, strict=True
    ):
        assert rows[dimension.title] == f"{result.score:.1f}"
    assert rows["Overall"] == f"{results.current.all.score:.1f}"


def test_downloads_are_the_scores_of_the_same_project(acme_site: Path, acme_figures):
    assessment, results, plan = acme_figures
    document = json.loads((acme_site / "downloads" / "scores.json").read_text(encoding="utf-8"))
    assert document == json.loads(json.dumps(results_document(assessment, results, plan)))
    text = (acme_site / "downloads" / "scores.csv").read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    expected = [
        {k: str(v) for k, v in row.items()}
        for by in (None, "team", "role")
        for row in results_rows(results, by)
    ]
    assert list(reader) == expected


def test_downloads_page_links_to_both_files(acme_pages, acme_site: Path):
    page = acme_pages["downloads.html"]
    links = {page.resolve(v) for t, a, v in page.attributes if t == "a" and a == "href"}
    assert acme_site / "downloads" / "scores.csv" in links
    assert acme_site / "downloads" / "scores.json" in links


def test_the_site_makes_no_request_outside_itself(acme_site: Path, acme_pages):
    requests = []
    outside_links = set()
    for name, page in acme_pages.items():
        for tag, attribute, url in page.attributes:
            if attribute in ("src", "href") and EXTERNAL.match(url):
                if tag == "a" and attribute == "href":
                    outside_links.add(url)
                else:
                    requests.append(f"{name}: <{tag} {attribute}={url}>")
    assert requests == []
    # Material's footer credit is the only way out, and only when the reader clicks it.
    assert outside_links == {"https://squidfunk.github.io/mkdocs-material/"}
    for path in sorted(acme_site.rglob("*")):
        if path.suffix in (".html", ".css", ".js", ".svg", ".json", ".xml"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not re.search(r"fonts\.(googleapis|gstatic)", text), path
            assert not re.search(r"url\(\s*['\"]?\s*(https?:|//)", text, re.I), path
    for chart in (acme_site / "assets" / "charts").glob("*.svg"):
        assert not re.search(r"href=\"(https?:|//)", chart.read_text(encoding="utf-8")), chart


def test_question_bank_shows_each_question_key_as_typed_in_answer_sheets(acme_pages, acme_figures):
    content = acme_pages["bank.html"].content
    missing = [key for key in acme_figures[0].bank.questions if key not in content]
    assert missing == []


def test_no_change_is_shown_against_a_team_too_small_to_show(chart_cache: Path, tmp_path: Path):
    # In the golden project each team had one respondent in spring (min_group_size: 2).
    project = Path(__file__).parent / "fixtures" / "golden-project"
    out = build(project, tmp_path / "docs", docs_only=True, cache=chart_cache).out
    teams = (out / "docs" / "teams.md").read_text(encoding="utf-8")
    leaks = [line for line in teams.splitlines() if "since round" in line]
    for page in sorted((out / "docs" / "dimensions").glob("*.md")):
        rows = re.findall(
            r"^\| (Sales|Support) \| [^|]+ \| ([^|]*) \|$", page.read_text("utf-8"), re.M
        )
        leaks += [f"{page.name}: {team} {change}" for team, change in rows if change.strip()]
    document = json.loads((out / "docs" / "downloads" / "scores.json").read_text("utf-8"))
    leaks += [f"scores.json: {t['name']}" for t in document["teams"] if t.get("delta") is not None]
    assert leaks == []


# 2. Hostile text in names and notes ------------------------------------------------------------

CLIENT = "'Quoted' \"Sons\" & Co: #1 <script>alert(1)</script> {{ 7*7 }} **bold** \u202eevil"
HOSTILE = {
    "assessment.yml": f"""\
        client: {json.dumps(CLIENT)}
        bank: bank.yml
        target: 80
        report: {{show_respondents: true, min_group_size: 1}}
        """,
    "answers/one.yml": """\
        respondent: "<script>alert(1)</script>"
        team: "a | b | c"
        answers:
          alpha.one: {answer: 2, note: "[x](javascript:alert(1))"}
          alpha.two: {answer: "no", note: "{{ 7*7 }} and {% raw %}"}
          beta.three: {answer: [chat], note: "line one\\nline two"}
          gamma.four: 3
        """,
    "answers/two.yml": """\
        respondent: "**bold** שלום עולם"
        team: "{{ 7*7 }}"
        answers:
          alpha.one: {answer: 4, note: "a | b | c"}
          alpha.two: {answer: partly, note: "bell\\ahere and **bold**"}
          gamma.four: {answer: 5, note: "\\u202eevil reversed, שלום עולם"}
        """,
    "answers/three.yml": """\
        respondent: "Mallory [x](javascript:alert(1))"
        team: "<script>alert(1)</script>"
        answers:
          alpha.one: {answer: 3, note: "<img src=x onerror=alert(1)> $5 & $10"}
          beta.three: [email]
        """,
}
TEAMS = ["<script>alert(1)</script>", "a | b | c", "{{ 7*7 }}"]


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("hostile") / "proj", HOSTILE)


@pytest.fixture(scope="module")
def hostile_site(hostile_project: Path, chart_cache: Path) -> Path:
    return build(hostile_project, hostile_project.parent / "site", cache=chart_cache).out


@pytest.fixture(scope="module")
def hostile_pages(hostile_site: Path) -> dict[str, Page]:
    return {
        p.relative_to(hostile_site).as_posix(): Page(p, hostile_site)
        for p in html_files(hostile_site)
    }


def test_no_script_from_input_anywhere(hostile_site: Path):
    found = [p.name for p in html_files(hostile_site) if "<script>alert" in p.read_text("utf-8")]
    assert found == []


def test_no_script_from_input_in_page_content(hostile_pages):
    for name, page in hostile_pages.items():
        article = page.source.split("<article", 1)[-1].split("</article>", 1)[0]
        assert "<script>alert" not in article, name
        assert "<img src=x" not in article, name
        assert "<strong>bold</strong>" not in article, name


def test_no_javascript_links(hostile_site: Path, hostile_pages):
    for path in html_files(hostile_site):
        assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", path.read_text("utf-8"), re.I)
    for name, page in hostile_pages.items():
        urls = [v for _, a, v in page.attributes if a in ("href", "src")]
        assert not [u for u in urls if u.strip().lower().startswith("javascript:")], name


def test_notes_and_names_show_as_written(hostile_pages):
    page = hostile_pages["dimensions/alpha.html"]
    assert page.quotes == [
        "[x](javascript:alert(1)) — <script>alert(1)</script>, a | b | c",
        "<img src=x onerror=alert(1)> $5 & $10 — Mallory [x](javascript:alert(1)), "
        "<script>alert(1)</script>",
        "a | b | c — **bold** שלום עולם, {{ 7*7 }}",
        "{{ 7*7 }} and {% raw %} — <script>alert(1)</script>, a | b | c",
        "bellhere and **bold** — **bold** שלום עולם, {{ 7*7 }}",
    ]
    assert "49" not in " ".join(page.quotes)
    beta = hostile_pages["dimensions/beta.html"]
    assert beta.quotes == ["line one line two — <script>alert(1)</script>, a | b | c"]
    gamma = hostile_pages["dimensions/gamma.html"]
    assert gamma.quotes == ["evil reversed, שלום עולם — **bold** שלום עולם, {{ 7*7 }}"]


def test_client_name_shows_as_written_in_the_pages(hostile_pages):
    shown = CLIENT.replace(BIDI_OVERRIDE, "")
    for name, page in hostile_pages.items():
        if name not in ("404.html", SITE_FORM):  # the form names the client in its header
            assert shown in page.content, name


def test_pipes_in_names_do_not_break_tables(hostile_pages, hostile_project: Path):
    bank = load_assessment(hostile_project).bank
    alpha = next(d for d in bank.dimensions if d.id == "alpha")
    questions, by_team = hostile_pages["dimensions/alpha.html"].tables
    assert len(questions) == len(alpha.questions) + 1
    assert {len(row) for row in questions} == {6}
    assert [row[0] for row in by_team] == ["Team", *TEAMS, "Everyone"]
    assert {len(row) for row in by_team} == {3}
    teams = hostile_pages["teams.html"].tables[0]
    assert [row[0] for row in teams] == ["Team", *TEAMS, "Everyone"]
    assert {len(row) for row in teams} == {len(teams[0])}


def test_control_and_bidi_characters_are_dropped(hostile_site: Path, hostile_pages):
    for path in html_files(hostile_site):
        assert "\x07" not in path.read_text("utf-8"), path
    for name, page in hostile_pages.items():
        assert BIDI_OVERRIDE not in page.content, name
    assert "שלום עולם" in hostile_pages["dimensions/alpha.html"].content


def test_a_single_round_shows_no_stray_asterisks(hostile_pages):
    stray = [
        f"{name}: {row}"
        for name, page in hostile_pages.items()
        for table in page.tables
        for row in table
        if any(cell and set(cell) == {"*"} for cell in row)
    ]
    assert stray == []


def test_no_bidi_override_anywhere(hostile_site: Path):
    found = [p.name for p in html_files(hostile_site) if BIDI_OVERRIDE in p.read_text("utf-8")]
    assert found == []


VISIBLE_REFERENCE = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


def test_no_character_reference_shows_as_text(hostile_pages):
    shown = []
    for name, page in hostile_pages.items():
        texts = [page.text] + [
            value for _, attribute, value in page.attributes if attribute in SHOWN_ATTRIBUTES
        ]
        shown += [
            f"{name}: {m.group()}" for text in texts for m in VISIBLE_REFERENCE.finditer(text)
        ]
    assert sorted(set(shown)) == []


def test_charts_with_hostile_names_are_plain_svg(hostile_site: Path):
    for chart in (hostile_site / "assets" / "charts").glob("*.svg"):
        text = chart.read_text(encoding="utf-8")
        assert "<script" not in text.lower(), chart.name
        assert "javascript:" not in text.lower(), chart.name


def test_site_name_survives_yaml(hostile_project: Path, chart_cache: Path):
    out = hostile_project.parent / "docs-only"
    build(hostile_project, out, docs_only=True, cache=chart_cache)
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    # The theme prints the name raw in places: markup characters become look-alikes
    # (‹ › ” ＆), bidi overrides go, and nothing else is cut or altered.
    shown = config["site_name"]
    expected = CLIENT.replace(BIDI_OVERRIDE, "").translate(
        {ord("<"): "‹", ord(">"): "›", ord('"'): "”"}
    )
    assert shown == re.sub(r"&(?=[#A-Za-z0-9])", "＆", expected) + SUFFIX
    assert not re.search(r"[<>\"]", shown)


# 3. Reproducible ------------------------------------------------------------------------------


def test_two_cold_builds_are_byte_identical(acme_site: Path, tmp_path: Path):
    again = build(ACME, tmp_path / "site", cache=tmp_path / "cold-cache").out
    first, second = tree(acme_site), tree(again)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_a_warm_rebuild_draws_nothing_and_changes_nothing(acme_build, tmp_path: Path):
    report, cache = acme_build
    assert report.charts_rendered == report.charts == 11
    again = build(ACME, tmp_path / "site", cache=cache)
    assert again.charts_rendered == 0
    first, second = tree(report.out), tree(again.out)
    assert [
        name for name in first.keys() | second.keys() if first.get(name) != second.get(name)
    ] == []


# 4. Nothing lost ------------------------------------------------------------------------------


FAILING = "import sys; print('boom'); sys.exit(1)"


def _fail_by_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(engine, "engine_command", lambda *args: [sys.executable, "-c", FAILING])


def _fail_by_import(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An MkDocs that fails however the build starts it (command or pre-started runner)."""
    fake = tmp_path / "fake" / "mkdocs"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(FAILING)
    (fake / "__main__.py").write_text("")
    monkeypatch.setenv("PYTHONPATH", str(fake.parent))


@pytest.mark.parametrize(
    ("engine", "break_it"),
    # The default engine is MkDocs started ahead of time (site.WarmEngine), without
    # engine_command: a broken MkDocs makes it fail however it is started.
    [("zensical", _fail_by_command), ("mkdocs", _fail_by_import)],
    ids=["zensical-command", "mkdocs-broken"],
)
def test_a_failed_engine_keeps_the_previous_site(
    engine, break_it, acme_site: Path, acme_build, tmp_path: Path, monkeypatch
):
    out = tmp_path / "site"
    shutil.copytree(acme_site, out)
    before = tree(out)
    break_it(monkeypatch, tmp_path)
    with pytest.raises(BuildError) as raised:
        build(ACME, out, engine=engine, cache=acme_build[1])
    assert "boom" in str(raised.value)
    assert tree(out) == before
    assert leftovers(tmp_path) == []


@pytest.fixture
def previous_site(acme_site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "published"
    shutil.copytree(acme_site, out)
    return out


def test_an_invalid_sheet_keeps_the_previous_site(write_project: WriteProject, previous_site: Path):
    project = write_project(
        {"bank.yml": BANK, "answers/bad.yml": "team: X\nanswers:\n  alpha.one: 9\n"}
    )
    before = tree(previous_site)
    result = run("build", project, "--out", previous_site)
    assert result.exit_code == 2, result.output
    assert re.search(r"answers/bad\.yml:3:\d+: ", result.stderr), result.stderr
    assert "Traceback" not in result.output
    assert tree(previous_site) == before
    assert leftovers(previous_site.parent) == []


@pytest.fixture
def small_project(write_project: WriteProject) -> Path:
    return write_project({"bank.yml": BANK, "answers/a.yml": "team: X\nanswers:\n  alpha.one: 4\n"})


def test_a_folder_not_ours_is_refused(small_project: Path, tmp_path: Path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.txt").write_text("two years of work")
    result = run("build", small_project, "--out", out)
    assert result.exit_code == 2, result.output
    assert str(out) in result.stderr
    assert "Traceback" not in result.output
    assert tree(out) == {"thesis.txt": b"two years of work"}
    assert leftovers(tmp_path) == []


def test_an_empty_folder_is_accepted(small_project: Path, tmp_path: Path):
    out = tmp_path / "empty"
    out.mkdir()
    result = run("build", small_project, "--out", out, "--docs-only")
    assert result.exit_code == 0, result.output
    assert (out / MARKER).is_file()
    assert (out / "docs" / "index.md").is_file()


def test_a_file_in_place_of_the_folder_is_refused(small_project: Path, tmp_path: Path):
    out = tmp_path / "report"
    out.write_text("not a folder")
    result = run("build", small_project, "--out", out, "--docs-only")
    assert result.exit_code == 2, result.output
    assert str(out) in result.stderr
    with pytest.raises(OutputRefused) as raised:
        build(small_project, out, docs_only=True)
    assert str(out) in str(raised.value)
    assert out.read_text() == "not a folder"
    assert leftovers(tmp_path) == []


def test_docs_only_writes_the_mkdocs_project_with_the_marker(small_project: Path, tmp_path: Path):
    out = tmp_path / "docs-project"
    result = run("build", small_project, "--out", out, "--docs-only")
    assert result.exit_code == 0, result.output
    assert (out / MARKER).is_file()
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Test Co" + SUFFIX
    pages = sorted(p.relative_to(out / "docs").as_posix() for p in (out / "docs").rglob("*.md"))
    assert pages == sorted(
        [*MARKDOWN_PAGES, "dimensions/alpha.md", "dimensions/beta.md", "dimensions/gamma.md"]
    )
    assert not (out / "index.html").exists()
    # Built again over itself: ours, so replaced.
    assert run("build", small_project, "--out", out, "--docs-only").exit_code == 0


def test_a_two_dimension_bank_builds_without_a_radar(write_project: WriteProject, tmp_path: Path):
    """Two spokes make no radar: the report keeps its tables and links no missing chart."""
    project = write_project(
        {"bank.yml": MINI_BANK, "answers/a.yml": "team: X\nanswers:\n  alpha.one: 4\n"}
    )
    out = tmp_path / "docs-project"
    result = run("build", project, "--docs-only", "--out", out)
    assert result.exit_code == 0, result.output
    home = (out / "docs" / "index.md").read_text(encoding="utf-8")
    assert "[Alpha](dimensions/alpha.md) |" in home
    assert "[Beta](dimensions/beta.md) |" in home
    for page in (out / "docs").rglob("*.md"):
        for image in re.findall(r"\]\(([^)\s]+\.svg)\)", page.read_text(encoding="utf-8")):
            assert (page.parent / image).is_file(), f"{page.name}: {image}"


# 5. Engines -----------------------------------------------------------------------------------


def test_the_generated_project_builds_with_zensical(acme_build, acme_figures, tmp_path: Path):
    import zensical  # noqa: F401  (in the test extra: missing means failing, not skipping)

    assessment, results, _ = acme_figures
    project = build(ACME, tmp_path / "project", docs_only=True, cache=acme_build[1]).out
    out = tmp_path / "zensical-site"
    engine.run_engine("zensical", project, out, site.source_date_epoch(assessment, results))
    home = Page(out / "index.html")
    assert "Acme Outdoor Co." in home.content
    assert f"{results.current.all.score:.1f}" in home.content
    for dimension in assessment.bank.dimensions:
        page = out / "dimensions" / f"{dimension.id}.html"
        assert page.is_file(), page
        assert dimension.title in Page(page).content
    for path in html_files(out):
        page = Page(path)
        for image in page.images:
            assert page.resolve(image["src"]).is_file(), f"{path}: {image['src']}"


# 6. Branding ----------------------------------------------------------------------------------

LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="5"/></svg>\n'


def test_branding_colours_and_logo(write_project: WriteProject, chart_cache: Path, tmp_path: Path):
    project = write_project(
        {
            "bank.yml": BANK,
            "assessment.yml": """\
                client: Green Co
                bank: bank.yml
                branding: {primary: "#1a7f5a", accent: teal, logo: logo.svg}
                """,
            "logo.svg": LOGO,
            "answers/a.yml": "team: X\nanswers:\n  alpha.one: 4\n",
        }
    )
    docs = build(project, tmp_path / "docs", docs_only=True, cache=chart_cache).out
    config = yaml.safe_load((docs / "mkdocs.yml").read_text(encoding="utf-8"))
    palettes = config["theme"]["palette"]
    assert [(p["primary"], p["accent"]) for p in palettes] == [("custom", "teal")] * 2
    assert "assets/branding.css" in config["extra_css"]
    assert "#1a7f5a" in (docs / "docs" / "assets" / "branding.css").read_text(encoding="utf-8")
    assert config["theme"]["logo"] == "assets/logo.svg"

    out = tmp_path / "site"
    engine.run_engine("mkdocs", docs, out, 0)
    assert (out / "assets" / "logo.svg").read_bytes() == LOGO
    assert "#1a7f5a" in (out / "assets" / "branding.css").read_text(encoding="utf-8")
    home = Page(out / "index.html")
    used = {home.resolve(v) for _, a, v in home.attributes if a in ("src", "href")}
    assert out / "assets" / "logo.svg" in used
    assert out / "assets" / "branding.css" in used
    assert 'data-md-color-primary="custom"' in home.source


def test_the_site_is_what_a_plain_mkdocs_build_makes(acme_site: Path, tmp_path: Path):
    """The early-started engine (generator.engine_runner) changes the timing, not the bytes."""
    import calendar
    import datetime as dt
    import os
    import subprocess

    docs = build(ACME, tmp_path / "docs", docs_only=True, cache=tmp_path / "cache").out
    epoch = calendar.timegm(dt.date(2026, 11, 12).timetuple())  # acme's current round
    env = os.environ | {"SOURCE_DATE_EPOCH": str(epoch), "NO_MKDOCS_2_WARNING": "1"}
    plain = tmp_path / "plain"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(plain)],
        cwd=docs,
        env=env,
        check=True,
        capture_output=True,
    )
    ours = {k: v for k, v in tree(acme_site).items() if k != MARKER}
    assert ours == tree(plain)
