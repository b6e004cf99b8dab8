"""Helpers for driving a built report site in a real Chromium: a local server, what a
browser context did (errors, failed and outside requests) and what a page shows.

Playwright is only imported by the tests that need it, so this module imports without it.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import (
        BrowserContext,
        ConsoleMessage,
        Page,
        Request,
        Response,
        WebError,
    )

BROWSER_ARGS = [
    "--no-sandbox",  # the tests may run as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The network is closed, and a report must make no request of its own: Chromium's
    # own background traffic would only add noise to what the pages are checked for.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
"""Wide enough for Material's sidebar navigation and header search box."""
PHONE = {"width": 375, "height": 740}
LOCAL_SCHEMES = ("data:", "blob:")
"""URLs that never leave the browser."""

LOAD_IMAGES = """
async () => {
  const images = Array.from(document.images);
  // Charts load lazily: ask for every image now, so the ones below the fold count too.
  for (const image of images) image.loading = "eager";
  await Promise.all(images.map((image) => image.decode().catch(() => null)));
  return images.map((image) => ({
    src: image.getAttribute("src"),
    chart: image.classList.contains("cx-chart"),
    loaded: image.complete && image.naturalWidth > 0,
  }));
}
"""
"""Loads every image of the page; returns each one's ``src``, whether it is a chart and
whether it loaded (``naturalWidth > 0``)."""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over http on 127.0.0.1 (a free port) in a thread; yields the origin."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def site_pages(root: Path) -> list[str]:
    """Every HTML page of a built site as the path a reader's browser asks for (links name
    their page's file, so that the site works opened from disk too)."""
    return ["/" + page.relative_to(root).as_posix() for page in sorted(root.rglob("*.html"))]


def file_for(root: Path, path: str) -> Path:
    """The file a URL path of the site is served from (a folder means its index.html)."""
    target = root / path.lstrip("/")
    return target / "index.html" if target.is_dir() else target


@dataclass(frozen=True)
class Theme:
    """What differs between the engines' themes, for the tests that drive them.

    Material (MkDocs) and Zensical's theme share the page's structure (navigation, palette
    toggle, content); their search differs: Material's box is in the header and its worker
    fetches the index, Zensical's opens a dialog (in a shadow root) and the page fetches the
    index for its worker.
    """

    engine: str
    credit: str
    """The footer's credit link to the theme: the one link out of the site."""
    search_requests: tuple[str, ...]
    """What a page fetches for its search (URL path starts), all finished once it is ready.
    Served, the index is JSON; from disk (the offline plugin) the same name ending in .js."""
    search_index: str
    """The URL path of the search index, served."""
    open_search: str
    """What to click to get the search box."""
    search_box: str
    search_results: str
    """The links of the results shown."""


THEMES = {
    "mkdocs": Theme(
        engine="mkdocs",
        credit="https://squidfunk.github.io/mkdocs-material/",
        search_requests=("/assets/javascripts/workers/search.", "/search/search_index.js"),
        search_index="/search/search_index.json",
        open_search="input.md-search__input",
        search_box="input.md-search__input",
        search_results=".md-search-result__list a[href]",
    ),
    "zensical": Theme(
        engine="zensical",
        credit="https://zensical.org/",
        search_requests=("/search.js", "/assets/javascripts/workers/search."),
        search_index="/search.json",
        open_search="button.md-search__button",
        search_box='dialog[aria-label="Search"] input[role="combobox"]',
        search_results='dialog[aria-label="Search"] a[role="option"][href]',
    ),
}


def search(page: Page, theme: Theme, words: str) -> list[str]:
    """Type into the theme's search box; returns the links of the results shown."""
    page.locator(theme.open_search).click()
    box = page.locator(theme.search_box)
    box.click()
    box.press_sequentially(words)
    results = page.locator(theme.search_results)
    results.first.wait_for(timeout=10_000)
    links: list[str] = results.evaluate_all("links => links.map(a => a.href)")
    return links


@dataclass
class Recorder:
    """Everything that went wrong in a browser context, and every request it made, each
    with the page it happened on."""

    origin: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """Console errors and uncaught exceptions, as ``page: message``."""
    failures: list[str] = field(default_factory=list)
    """Requests that failed or were answered with an HTTP error, as ``page: url (why)``."""

    def attach(self, context: BrowserContext) -> BrowserContext:
        context.on("request", self._on_request)
        context.on("requestfailed", self._on_failed)
        context.on("response", self._on_response)
        context.on("console", self._on_console)
        context.on("weberror", self._on_uncaught)
        return context

    @property
    def outside(self) -> list[str]:
        """Requested URLs that are neither on the local server nor inside the browser."""
        return [
            url
            for url in self.requests
            if not url.startswith((self.origin + "/", *LOCAL_SCHEMES)) and url != self.origin
        ]

    def _where(self, page: Page | None) -> str:
        return page.url.removeprefix(self.origin) if page is not None else "(no page)"

    def _where_requested(self, request: Request) -> str:
        try:
            return self._where(request.frame.page)
        except Exception:  # a worker's request may have no frame: Playwright raises then
            return "(a worker)"

    def _on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _on_failed(self, request: Request) -> None:
        self.failures.append(f"{self._where_requested(request)}: {request.url} ({request.failure})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            where = self._where_requested(response.request)
            self.failures.append(f"{where}: {response.url} (HTTP {response.status})")

    def _on_uncaught(self, error: WebError) -> None:
        self.errors.append(f"{self._where(error.page)}: uncaught {error.error}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(f"{self._where(message.page)}: {message.text}")
