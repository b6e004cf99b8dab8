"""What bank Markdown may hold, and the one Markdown set-up that renders it.

Bank text (descriptions, summaries, help, tune-up bodies, level descriptions) is Markdown
that reaches every page of a report, and in a portfolio every client's report shares one
origin. It is rendered by :func:`markdown_converter` (tables and lists, no attribute
lists, no raw HTML) and the HTML is then cleaned by an allow-list (:data:`ALLOWED_TAGS`,
:data:`ALLOWED_ATTRIBUTES`, :data:`LINK_SCHEMES`; see ``generator.bank_html``), so it is
safe whatever it holds. :func:`markup_problems` tells the bank's author, at the file,
line and column, about each construct that cleaning would drop: raw HTML, attribute
lists and the event handlers in them, links other than http, https, mailto and relative
ones (after decoding character references, as a browser does), and images that are not
files in the project.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .logo import image_problem
from .problems import Problem
from .source import Document, Location, format_location

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only schemes a link in bank text may use; relative links need none."""
ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
"""What Markdown makes of bank text with :func:`markdown_converter`, and nothing else."""
ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title"}),
    "ol": frozenset({"start"}),
    "td": frozenset({"align"}),
    "th": frozenset({"align"}),
}
"""Attributes kept, by tag: no event handler, no style, no id or class."""

RAW_HTML = "raw HTML is not allowed in bank text; use Markdown"
ATTRIBUTE_LIST = "attribute lists ({: …}) are not allowed in bank text; use Markdown"

# An opening tag, comment, declaration or processing instruction; a closing tag on its own
# is shown as the text it is.
_RAW_HTML = re.compile(r"<(?!https?://|mailto:)[a-zA-Z!?]")
# Python-Markdown's attr_list syntax: "{: ...}" or "{ ... }" holding #id, .class or key=value
_ATTRIBUTE_LIST = re.compile(r"\{:?[ \t]*(?:[#.][\w-]|[\w:-]+[ \t]*=)[^}\n]*\}")
_EVENT_HANDLER = re.compile(r"(?<![\w-])(on[a-z]+)[ \t]*=", re.IGNORECASE)
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_URL_ATTRIBUTE = re.compile(r'<(a|img)\b[^>]*?\b(href|src)="([^"]*)"')
_CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))
_SEARCH_WINDOW = 200
"""How far beyond a value's length its text is looked for in the file (quotes, folding)."""


def markdown_converter() -> Any:
    """Python-Markdown set up for bank text: only the features it needs, raw HTML off.

    Tables (alignment as ``align``, not ``style``) and lists; no attribute lists, no
    Markdown in HTML, and raw HTML is shown as text, never passed through.
    """
    # Imported here: loading a project needs it only for bank text with links or images
    # (see _may_link), and `assessment` otherwise stays free of rendering libraries.
    import markdown

    converter = markdown.Markdown(
        extensions=["tables", "sane_lists"],
        extension_configs={"tables": {"use_align_attribute": True}},
        output_format="html",
    )
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


def decoded_url(url: str) -> str:
    """A URL as a browser reads it: character references decoded, tabs and line breaks
    removed, leading and trailing spaces and control characters trimmed."""
    text = re.sub(r"[\t\n\r]", "", html.unescape(url))
    return text.strip(_CONTROL_OR_SPACE)


def url_scheme(url: str) -> str | None:
    """The scheme of a URL (lower case) as a browser reads it, or None for a relative one."""
    match = _SCHEME.match(decoded_url(url))
    return match.group(1).lower() if match else None


def safe_link(url: str) -> bool:
    """Whether a link may be followed from bank text: http, https, mailto or relative."""
    scheme = url_scheme(url)
    return scheme is None or scheme in LINK_SCHEMES


def local_image(url: str) -> str | None:
    """The project-relative path an image URL names, or None for a remote one."""
    decoded = decoded_url(url)
    if url_scheme(decoded) is not None or decoded.startswith(("/", "\\")) or not decoded:
        return None
    return urllib.parse.unquote(decoded.split("#", 1)[0].split("?", 1)[0])


@dataclass(frozen=True)
class Refusal:
    """A construct bank text may not hold: where it starts in the text, and why."""

    offset: int
    message: str
    needle: str
    """The text as written there, to find it in the file."""


class _Urls(HTMLParser):
    """The link targets and image sources in rendered HTML, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in (("a", "href"), ("img", "src")) and value is not None:
                self.found.append((tag, value))


def refusals(text: str) -> list[Refusal]:
    """Every construct in ``text`` that bank Markdown may not hold, in order."""
    found: list[Refusal] = []
    for match in _RAW_HTML.finditer(text):
        found.append(Refusal(match.start(), RAW_HTML, _line_from(text, match.start())))
    for match in _ATTRIBUTE_LIST.finditer(text):
        handler = _EVENT_HANDLER.search(match.group())
        message = (
            f"event handlers ({handler.group(1).lower()}=) are not allowed in bank text"
            if handler
            else ATTRIBUTE_LIST
        )
        found.append(Refusal(match.start(), message, _line_from(text, match.start())))
    found += _url_refusals(text)
    return sorted(found, key=lambda r: r.offset)


def _may_link(text: str) -> bool:
    """Whether Markdown could make a link or an image of ``text`` (a cheap first look)."""
    return "[" in text or "<" in text


def _url_refusals(text: str) -> Iterator[Refusal]:
    """Links and images refused, found in the rendered HTML (so reference-style links
    count) and located in the text by their target as written."""
    if not _may_link(text):
        return
    rendered = markdown_converter().convert(text)
    parser = _Urls()
    parser.feed(rendered)
    written = [m.group(3) for m in _URL_ATTRIBUTE.finditer(rendered)]
    start = 0
    for (tag, url), raw in zip(parser.found, written, strict=False):
        # Python-Markdown escapes &, <, > and " in attributes; undo that to find the target
        needle = raw.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
        needle = needle.replace("&amp;", "&")
        at = text.find(needle, start) if needle else -1
        if at >= 0:
            start = at + len(needle)
        offset = max(at, 0)
        scheme = url_scheme(url)
        if tag == "a" and not safe_link(url):
            message = (
                f"links may go only to http:, https:, mailto: or a relative address, not {scheme}:"
            )
            yield Refusal(offset, message, needle if at >= 0 else "")
        elif tag == "img" and local_image(url) is None:
            what = f"{scheme}: addresses" if scheme else "absolute addresses"
            message = f"images must be files in the project (a path from its folder), not {what}"
            yield Refusal(offset, message, needle if at >= 0 else "")


def image_paths(text: str) -> list[str]:
    """The project-relative paths of the images ``text`` shows."""
    if not _may_link(text):
        return []
    parser = _Urls()
    parser.feed(markdown_converter().convert(text))
    paths = (local_image(url) for tag, url in parser.found if tag == "img")
    return [p for p in paths if p]


def _line_from(text: str, offset: int) -> str:
    """The text from ``offset`` to the end of its line."""
    end = text.find("\n", offset)
    return text[offset : end if end >= 0 else len(text)]


@dataclass(frozen=True)
class ImageFolder:
    """Where images named in bank text are looked for: the project, and how it is shown."""

    root: Path
    shown: str


def markup_problems(
    document: Document,
    texts: Iterable[tuple[Location, str]],
    images: ImageFolder | None = None,
) -> list[Problem]:
    """A problem, at its file, line and column, for each construct bank text may not hold.

    With ``images``, each image must also be a harmless image file inside the project.
    """
    problems = []
    for location, text in texts:
        if not text:
            continue
        for refusal in refusals(text):
            problems.append(_problem(document, location, text, refusal))
        if images is not None:
            for path in dict.fromkeys(image_paths(text)):
                message = _image_file_problem(images, path)
                if message is not None:
                    at = text.find(path)
                    refusal = Refusal(max(at, 0), message, path if at >= 0 else "")
                    problems.append(_problem(document, location, text, refusal))
    return problems


def _image_file_problem(images: ImageFolder, path: str) -> str | None:
    file = images.root / path
    shown = path if images.shown in ("", ".") else f"{images.shown.rstrip('/')}/{path}"
    if not file.resolve().is_relative_to(images.root.resolve()):
        return f"image {path} is outside the project; images must be files in the project"
    if not file.is_file():
        return f"image file not found: {shown}"
    problem = image_problem(file)
    return None if problem is None else f"image {path} {problem}"


def _problem(document: Document, location: Location, text: str, refusal: Refusal) -> Problem:
    """A problem at the refused construct's own line and column when the file shows it as
    written (a block scalar, a one-line value), else at the start of the value."""
    line, column = document.locate(location)
    if refusal.needle and document.text:
        begin = 0
        for _ in range(line - 1):
            begin = document.text.find("\n", begin) + 1
        begin += column - 1
        occurrence = text.count(refusal.needle, 0, refusal.offset)
        window = document.text[begin : begin + len(text) + _SEARCH_WINDOW]
        at = -1
        for _ in range(occurrence + 1):
            at = window.find(refusal.needle, at + 1)
            if at < 0:
                break
        if at >= 0:
            index = begin + at
            line = document.text.count("\n", 0, index) + 1
            column = index - document.text.rfind("\n", 0, index)
    return Problem(document.path, line, column, format_location(location), refusal.message)
