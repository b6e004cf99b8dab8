"""The bundled example's report site in a real browser: Debian's Chromium driven by
Playwright, the site served over http on 127.0.0.1 as a reader would open it, and opened
from disk (file://) as a reader of a mailed or zipped report does.

Every test runs against the site built by each engine: MkDocs (Material) and Zensical,
whose theme is Material's successor. The site is built once per engine (its caches in a
temporary folder) and one browser serves every test. A page load costs Chromium about a
third of a CPU-second, so every page is visited once per colour scheme, in a browser
context of its own (:func:`tour`), and the tests that only read what the browser saw
share that visit; the tests that act (search, a phone's screen) each open a context of
their own.

Needs the ``chromium`` package and the ``playwright`` and ``axe-playwright-python``
packages (the system browser is used: never ``playwright install``); skipped without them.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from assessment.loading import load_assessment
from generator.form import SITE_FORM
from generator.site import build

from .browser_support import (
    BROWSER_ARGS,
    DESKTOP,
    LOAD_IMAGES,
    PHONE,
    THEMES,
    Recorder,
    Theme,
    file_for,
    search,
    serve,
    site_pages,
)
from .conftest import ACME, WriteProject

try:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None or sync_playwright is None,
        reason="needs Debian's chromium and the playwright + axe-playwright-python packages",
    ),
]

WHITE = "rgb(255, 255, 255)"
TO_DARK = 'label[for="__palette_1"]'
"""Material's palette toggle while the light scheme shows: switches to the slate scheme."""
SEVERE = ("serious", "critical")
ALL_RULES = {"resultTypes": ["violations"]}
COLOUR_RULES = {
    "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
    "resultTypes": ["violations"],
}
"""The rules a colour scheme can change: the dark scheme is audited for these only (the
pages' structure is the same in both)."""
SEEN = """() => ({
  nav: Array.from(document.querySelectorAll("nav.md-nav--primary a.md-nav__link[href]"),
                  (a) => a.href),
  links: Array.from(document.querySelectorAll("a[href]"),
                    (a) => [a.href, a.closest(".md-copyright") !== null]),
  ids: Array.from(document.querySelectorAll("[id]"), (element) => element.id),
  charts: Array.from(document.querySelectorAll("img.cx-chart"),
                     (img) => [img.getAttribute("src"), getComputedStyle(img).backgroundColor]),
  scheme: document.body.getAttribute("data-md-color-scheme"),
})"""
"""What the tests read from a page: navigation links, every link (and whether it is in
the footer credit), element ids, each chart's background, the colour scheme."""


def listing(what: str, items: list[str]) -> str:
    """An assertion message that shows every item, not only pytest's first."""
    return f"{len(items)} {what}:\n" + "\n".join(items)


# The site, a server and a browser, once per module -------------------------------------------


@pytest.fixture(scope="module", params=sorted(THEMES))
def theme(request: pytest.FixtureRequest) -> Theme:
    """The engine the site is built with, and what differs in its theme."""
    return THEMES[request.param]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, cache_root: Path, theme: Theme) -> Path:
    root = tmp_path_factory.mktemp(f"acme-{theme.engine}")
    return build(ACME, root / "site", engine=theme.engine, cache=cache_root / "charts").out


@pytest.fixture(scope="module")
def pages(site: Path) -> list[str]:
    """Every page of the site, as URL paths ("/404.html", "/bank.html", …, "/index.html")."""
    # The answer form is a page of its own, not the theme's: test_form_browser drives it.
    found = [path for path in site_pages(site) if path != f"/{SITE_FORM}"]
    assert len(found) == 16, found  # 15 pages and the theme's 404 page
    return found


@pytest.fixture(scope="module")
def origin(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield launched
        launched.close()


class Session:
    """One browser context with one page, and a record of what happened in it."""

    def __init__(
        self, browser: Browser, origin: str, viewport: dict[str, int], theme: Theme
    ) -> None:
        self.origin = origin
        self.theme = theme
        self.record = Recorder(origin)
        self.context: BrowserContext = self.record.attach(browser.new_context(viewport=viewport))
        self.page: Page = self.context.new_page()
        self.finished: list[str] = []
        self.context.on("requestfinished", lambda request: self.finished.append(request.url))

    def open(self, path: str, settle: bool = False) -> Page:
        """Go to a page; with ``settle``, also wait until its search is ready: what it
        fetches for it (the index, the worker) is done, so that leaving the page aborts
        nothing (an aborted request would count as a failed one)."""
        self.finished.clear()
        response = self.page.goto(self.origin + path, wait_until="load")
        if not self.origin.startswith("file:"):  # from disk there is no status to check
            assert response is not None and response.ok, f"{path}: {response and response.status}"
        if settle:
            for _ in range(1000):
                if self.search_ready():
                    break
                self.page.wait_for_timeout(10)
            assert self.search_ready(), f"{path}: search not ready; fetched {self.finished}"
        return self.page

    def search_ready(self) -> bool:
        """Whether what the open page fetches for its search has all arrived."""
        paths = [url.removeprefix(self.origin).split("?")[0] for url in self.finished]
        return all(any(p.startswith(w) for p in paths) for w in self.theme.search_requests)

    def images(self) -> list[dict[str, Any]]:
        """Every image of the open page, loaded (see ``LOAD_IMAGES``)."""
        result: list[dict[str, Any]] = self.page.evaluate(LOAD_IMAGES)
        return result

    def to_dark_mode(self) -> None:
        """Switch with Material's own toggle; Material keeps the choice for later pages."""
        self.page.locator(TO_DARK).click()
        self.page.wait_for_selector('body[data-md-color-scheme="slate"]')

    def close(self) -> None:
        self.context.close()


OpenSession = Callable[[dict[str, int]], "Session"]


@pytest.fixture
def open_session(browser: Browser, origin: str, theme: Theme) -> Iterator[OpenSession]:
    """Opens this test's browser context, with a given viewport."""
    sessions: list[Session] = []

    def opener(viewport: dict[str, int]) -> Session:
        sessions.append(Session(browser, origin, viewport, theme))
        return sessions[-1]

    yield opener
    for session in sessions:
        session.close()


# One visit of every page, in each colour scheme ------------------------------------------------


@dataclass
class Tour:
    """What the browser saw and did on every page, by scheme ("default" and "slate")."""

    record: Recorder
    screenshot: Path
    images: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seen: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    violations: list[dict[str, str]] = field(default_factory=list)

    def audit(self, axe: Axe, session: Session, scheme: str, path: str) -> None:
        """Keep axe-core's serious and critical violations: one per rule and element."""
        options = ALL_RULES if scheme == "default" else COLOUR_RULES
        for rule in axe.run(session.page, options=options).response["violations"]:
            if rule["impact"] in SEVERE:
                self.violations += [
                    {
                        "page": path,
                        "scheme": scheme,
                        "id": rule["id"],
                        "impact": rule["impact"],
                        "target": " ".join(map(str, node["target"])),
                        "why": " ".join(node.get("failureSummary", "").split())[:160],
                    }
                    for node in rule["nodes"]
                ]


@pytest.fixture(scope="module")
def tour(
    browser: Browser,
    origin: str,
    pages: list[str],
    theme: Theme,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Tour]:
    """Every page on a desktop screen in the light scheme, then, switched with Material's
    toggle, in the dark one: each page loaded (its images and search index too), read and
    audited with axe-core; the home page photographed in the dark scheme."""
    session = Session(browser, origin, DESKTOP, theme)
    visit = Tour(session.record, tmp_path_factory.mktemp("screenshots") / "home-dark.png")
    axe = Axe()
    try:
        for path in pages:
            session.open(path, settle=True)
            visit.images[path] = session.images()
            visit.seen["default", path] = session.page.evaluate(SEEN)
            visit.audit(axe, session, "default", path)
        session.open("/index.html")
        session.to_dark_mode()
        session.images()
        session.page.screenshot(path=str(visit.screenshot), full_page=True)
        for path in pages:
            session.open(path)
            visit.seen["slate", path] = session.page.evaluate(SEEN)
            visit.audit(axe, session, "slate", path)
        yield visit
    finally:
        session.close()


# Loading ----------------------------------------------------------------------------------------


def test_every_page_loads_without_console_errors_or_failed_requests(tour: Tour):
    errors, failures = tour.record.errors, tour.record.failures
    assert (errors, failures) == ([], []), (
        listing("console errors", errors) + "\n" + listing("failed requests", failures)
    )


def test_every_image_and_every_chart_loads(tour: Tour, site: Path):
    broken = [
        f"{path}: {image['src']}"
        for path, images in tour.images.items()
        for image in images
        if not image["loaded"]
    ]
    assert broken == [], listing("images that did not load", broken)
    charts = {
        Path(image["src"]).name
        for images in tour.images.values()
        for image in images
        if image["chart"]
    }
    assert sorted(charts) == sorted(p.name for p in (site / "assets" / "charts").glob("*.svg"))
    assert len(charts) == 11


def test_the_site_makes_no_request_outside_itself(tour: Tour, theme: Theme):
    requests = tour.record.requests
    # What pages fetch by themselves counts too: the search index, the charts.
    assert any(url.endswith(theme.search_index) for url in requests), requests
    assert any("/assets/charts/" in url for url in requests), requests
    assert tour.record.outside == [], listing("requests outside the site", tour.record.outside)


# Navigation, links and search ------------------------------------------------------------------


def test_the_navigation_reaches_every_page(tour: Tour, pages: list[str]):
    """Following the navigation's links from the home page leads to every page built."""
    reached: set[str] = set()
    queue = ["/index.html"]
    while queue:
        path = queue.pop()
        if path in reached:
            continue
        reached.add(path)
        seen = tour.seen.get(("default", path))
        assert seen is not None, f"the navigation leads to {path}, which was not built"
        for href in seen["nav"]:
            url = urlsplit(href)
            if f"{url.scheme}://{url.netloc}" == tour.record.origin:
                queue.append(url.path)
    built = [path for path in pages if path != "/404.html"]
    assert sorted(reached) == sorted(built)


def test_every_link_resolves_and_only_the_theme_credit_leads_out(
    tour: Tour, site: Path, theme: Theme
):
    broken, outside = [], []
    for (scheme, path), seen in tour.seen.items():
        if scheme != "default":
            continue
        for href, in_credit in seen["links"]:
            url = urlsplit(href)
            if f"{url.scheme}://{url.netloc}" != tour.record.origin:
                if not (in_credit and href == theme.credit):
                    outside.append(f"{path}: {href}")
                continue
            target = site / url.path.lstrip("/")
            if not target.is_file():  # a folder is no page from disk
                broken.append(f"{path}: {href} (no such file)")
            elif (
                url.fragment
                and target.suffix == ".html"
                and url.fragment not in tour.seen["default", url.path]["ids"]
            ):
                broken.append(f"{path}: {href} (no element with id {url.fragment!r})")
    assert broken == [], listing("broken links", broken)
    assert outside == [], listing("links out of the site", outside)
    assert any(in_credit for seen in tour.seen.values() for _, in_credit in seen["links"])


def visible_text(html: str) -> str:
    """Roughly what a page shows, lower-cased: without scripts, styles and tags."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html).lower()


def rare_question_word(site: Path) -> tuple[str, str]:
    """A word of one question's text that no other question uses, the one found on the
    fewest pages of the site, with the question's dimension id."""
    bank = load_assessment(ACME).bank
    questions = [q for d in bank.dimensions for q in d.questions]
    words = {q.key: set(re.findall(r"[a-z]{6,}", q.text.lower())) for q in questions}
    used = Counter(word for found in words.values() for word in found)
    texts = [visible_text(p.read_text(encoding="utf-8")) for p in site.rglob("*.html")]
    candidates = [
        (sum(word in text for text in texts), q.key, word, q.dimension_id)
        for q in questions
        for word in sorted(words[q.key])
        if used[word] == 1
    ]
    assert candidates, "no question has a word of its own"
    _, _, word, dimension = min(candidates)
    return word, dimension


def test_search_finds_a_question_by_a_word_of_its_text(
    open_session: OpenSession, site: Path, theme: Theme
):
    word, dimension = rare_question_word(site)
    desktop = open_session(DESKTOP)
    desktop.open("/index.html", settle=True)
    links = search(desktop.page, theme, word)
    expected = f"/dimensions/{dimension}.html"
    assert file_for(site, expected).is_file()
    assert expected in [urlsplit(link).path for link in links], (word, links)
    assert desktop.record.outside == [], listing("requests outside", desktop.record.outside)


# On a phone and in dark mode --------------------------------------------------------------------


def test_nothing_scrolls_sideways_on_a_phone_and_charts_fit(
    open_session: OpenSession, pages: list[str]
):
    phone = open_session(PHONE)
    wide = []
    for path in pages:
        page = phone.open(path)
        phone.images()
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide.append(f"{path}: page {widths[0]} px wide in a {widths[1]} px window")
        for chart in page.evaluate(
            """() => Array.from(document.querySelectorAll("img.cx-chart"), (img) => {
                 const box = img.getBoundingClientRect();
                 return [img.getAttribute("src"), box.left, box.right, box.width];
               })"""
        ):
            src, left, right, width = chart
            if left < 0 or right > widths[1] or width <= 0:
                wide.append(f"{path}: chart {src} spans {left:.0f}..{right:.0f} px")
    assert wide == [], listing("too wide for a phone", wide)


def test_dark_mode_keeps_charts_legible(tour: Tour):
    """Charts are drawn for a light page: in the dark scheme they keep a white ground."""
    problems = []
    charts = 0
    for (scheme, path), seen in tour.seen.items():
        if scheme != "slate":
            continue
        if seen["scheme"] != "slate":
            problems.append(f"{path}: scheme {seen['scheme']}, not slate")
        for src, background in seen["charts"]:
            charts += 1
            if background != WHITE:
                problems.append(f"{path}: chart {src} on {background}")
    assert problems == [], listing("charts not on white in dark mode", problems)
    assert charts >= 11
    assert tour.screenshot.stat().st_size > 10_000  # there to look at, in the tmp folder


# Accessibility ----------------------------------------------------------------------------------


def describe(violations: list[dict[str, str]]) -> str:
    lines = [
        f"{v['page']} [{v['scheme']}] {v['id']} ({v['impact']}) {v['target']}: {v['why']}"
        for v in violations
    ]
    return listing("serious or critical violations", lines)


def test_axe_finds_no_serious_or_critical_violation(tour: Tour):
    broken = list(tour.violations)
    assert broken == [], describe(broken)


# Opened from disk -------------------------------------------------------------------------------

EVERY_LINK = "() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href)"


def test_the_site_works_opened_from_disk(
    browser: Browser,
    site: Path,
    pages: list[str],
    theme: Theme,
    tmp_path_factory: pytest.TempPathFactory,
):
    """A mailed or zipped report, opened from file:// URLs: every page loads with its
    images, every link names a file (a folder would show a listing, or nothing), and
    search finds a question; no request leaves the folder.

    The 404 page is left out: a browser shows it only when a server sends it (its links
    start at the server's root), and from disk a missing file gets the browser's own page.
    """
    disk = Session(browser, site.as_uri(), DESKTOP, theme)
    shot = tmp_path_factory.mktemp("screenshots") / f"search-from-disk-{theme.engine}.png"
    broken, not_files = [], []
    try:
        for path in pages:
            if path == "/404.html":
                continue
            disk.open(path, settle=True)
            broken += [f"{path}: {i['src']}" for i in disk.images() if not i["loaded"]]
            for href in disk.page.evaluate(EVERY_LINK):
                url = urlsplit(href)
                if url.scheme == "file" and not Path(unquote(url.path)).is_file():
                    not_files.append(f"{path}: {href}")
        word, dimension = rare_question_word(site)
        disk.open("/index.html", settle=True)
        found = [link.split("?")[0].split("#")[0] for link in search(disk.page, theme, word)]
        disk.page.screenshot(path=str(shot))
    finally:
        disk.close()
    assert broken == [], listing("images that did not load", broken)
    assert not_files == [], listing("links to no file", not_files)
    assert (site / "dimensions" / f"{dimension}.html").as_uri() in found, (word, found)
    record = disk.record
    assert (record.errors, record.failures) == ([], []), (
        listing("console errors", record.errors) + "\n" + listing("failed", record.failures)
    )
    assert record.outside == [], listing("requests outside the folder", record.outside)
    assert shot.stat().st_size > 10_000  # there to look at, in the tmp folder


# A client's own colour --------------------------------------------------------------------------


def test_a_light_brand_colour_still_reads_in_both_schemes(
    browser: Browser, theme: Theme, write_project: WriteProject, cache_root: Path
):
    """A client's light green (#66cc99: white on it, or it on white, is 1.97:1) gets
    readable shades in the header and in links, in the light and the dark scheme."""
    project = write_project(
        {
            "assessment.yml": 'client: Test Co\nbank: bank.yml\nbranding: {primary: "#66cc99"}\n',
            "answers/a.yml": "team: X\nanswers:\n  alpha.one: 2\n  alpha.two: partly\n",
        }
    )
    out = build(project, project / "site", engine=theme.engine, cache=cache_root / "charts").out
    violations = []
    with serve(out) as origin:
        session = Session(browser, origin, DESKTOP, theme)
        try:
            for scheme in ("default", "slate"):
                for path in ("/index.html", "/plan.html"):
                    session.open(path, settle=True)
                    if scheme == "slate" and path == "/index.html":
                        session.to_dark_mode()
                    for rule in (
                        Axe().run(session.page, options=COLOUR_RULES).response["violations"]
                    ):
                        violations += [
                            f"{path} [{scheme}] {rule['id']} {node['target']}: "
                            + " ".join(node.get("failureSummary", "").split())[:160]
                            for node in rule["nodes"]
                        ]
        finally:
            session.close()
    assert violations == [], listing("colour violations", violations)
