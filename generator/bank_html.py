"""Bank Markdown as clean HTML, the one way every page, the PDF and the form show it.

Bank text is rendered with :func:`assessment.markup.markdown_converter` (no attribute
lists, no raw HTML) and the HTML cleaned with nh3, a maintained allow-list sanitizer:
only the tags and attributes :mod:`assessment.markup` lists, links only to http, https,
mailto or relative addresses (nh3 decodes character references before it checks), no
event handler, style, id or class. What nh3 returns is then written out again by
:class:`_Writer`, which shows an image only when it is a harmless file of the project
(embedded as a ``data:`` URI, so the site, a copy opened from disk and the PDF never fetch
anything) and checks every link once more.

:func:`bank_html` is for HTML documents (the PDF, the offline form).
:func:`bank_markdown` is for the site's Markdown pages: its text and attribute values carry
every ASCII punctuation character as a character reference, so the site's own Markdown
(which has attribute lists) reads none of it as syntax, and a single paragraph comes
without its ``<p>`` so that it fits in a sentence, a list item or an admonition.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nh3
from markupsafe import Markup

from assessment.logo import image_kind, image_problem
from assessment.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    LINK_SCHEMES,
    local_image,
    markdown_converter,
    safe_link,
)

from .text import INERT_PUNCTUATION, without_controls

ImageSource = Callable[[str], str | None]
"""The ``data:`` URI of an image named in bank text (a path from the project), or None."""

_VOID = frozenset({"br", "hr", "img"})
_MIME = {"SVG": "image/svg+xml", "PNG": "image/png", "JPEG": "image/jpeg", "WebP": "image/webp"}
_INERT = INERT_PUNCTUATION | {ord("\n"): "&#10;", ord("\r"): "&#13;", ord("\t"): "&#9;"}
_HTML = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}


def project_images(root: Path | str) -> ImageSource:
    """Images of the project at ``root`` as ``data:`` URIs, each file read once."""
    folder = Path(root)

    @functools.lru_cache(maxsize=64)
    def uri(path: str) -> str | None:
        file = folder / path
        if not file.resolve().is_relative_to(folder.resolve()) or not file.is_file():
            return None
        if image_problem(file) is not None:  # validated already; never publish a bad one
            return None
        content = file.read_bytes()
        kind = image_kind(content)
        if kind is None:
            return None
        return f"data:{_MIME[kind]};base64,{base64.b64encode(content).decode('ascii')}"

    return uri


def _no_images(path: str) -> str | None:
    return None


@functools.lru_cache(maxsize=1)
def _converter() -> Any:
    return markdown_converter()


def _clean(text: str) -> str:
    rendered = _converter().reset().convert(without_controls(text).strip())
    return nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


class _Writer(HTMLParser):
    """Writes nh3's output out again: images only from the project, every link checked,
    text and attribute values escaped with ``escape``."""

    def __init__(self, images: ImageSource, escape: dict[int, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.images = images
        self.escape = escape
        self.parts: list[str] = []
        self.depth = 0
        self.top: list[str] = []
        """The tags at the top level, in order (text there counts as ``#text``)."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "img":
            path = local_image(values.get("src", ""))
            uri = self.images(path) if path else None
            if uri is None:  # never a remote image: its text stands in for it
                self.handle_data(values.get("alt", ""))
                return
            values["src"] = uri
        if tag == "a" and not safe_link(values.get("href", "")):
            values.pop("href", None)
        if self.depth == 0:
            self.top.append(tag)
        written = "".join(
            f' {name}="{value.translate(self.escape)}"'
            for name, value in values.items()
            if name in ALLOWED_ATTRIBUTES.get(tag, ()) or (tag, name) == ("a", "rel")
        )
        self.parts.append(f"<{tag}{written}>")
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth -= 1
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self.depth == 0 and not data.strip():
            self.parts.append("\n" if "\n" in data else data)  # between blocks: a real break
            return
        if self.depth == 0:
            self.top.append("#text")
        self.parts.append(data.translate(self.escape))

    def result(self) -> str:
        return "".join(self.parts).strip()


def _written(text: str, images: ImageSource | None, escape: dict[int, str]) -> _Writer:
    writer = _Writer(images or _no_images, escape)
    writer.feed(_clean(text))
    writer.close()
    return writer


def bank_html(text: str, images: ImageSource | None = None) -> Markup:
    """Bank Markdown as clean HTML, for an HTML document (the PDF, the offline form)."""
    return Markup(_written(text, images, _HTML).result())


def bank_markdown(text: str, images: ImageSource | None = None) -> Markup:
    """Bank Markdown as clean HTML that a Markdown page shows as it is (see the module)."""
    writer = _written(text, images, _HTML | _INERT)
    html = writer.result()
    if writer.top == ["p"] and html.startswith("<p>") and html.endswith("</p>"):
        html = html[3:-4]
    return Markup(html)


def bank_line(text: str, images: ImageSource | None = None) -> Markup:
    """Bank Markdown inside a sentence or a table cell of a Markdown page: one line."""
    return bank_markdown(" ".join(text.split()), images)
