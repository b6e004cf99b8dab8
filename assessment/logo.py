"""Images we publish: the client's logo (and images in bank text) must be harmless files.

A logo is copied into the site byte for byte, becomes its favicon and goes on the PDF's
cover, and whoever opens an SVG file directly runs what it holds. So an image must be an
SVG, PNG, JPEG or WebP file, as its content shows and as its name says, of at most
:data:`MAX_IMAGE_BYTES`; an SVG must be well-formed XML holding no script, no event
handler, no HTML (``foreignObject``), no entity declarations and no reference to anything
outside itself (links, ``@import``, ``url(...)``, style sheets) but ``data:`` images.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

MAX_IMAGE_BYTES = 1024 * 1024
"""Largest image published: 1 MB, far more than a logo needs."""
KINDS = {".svg": "SVG", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WebP"}
"""The image files we publish, by file name ending, and the kind each must hold."""
NOT_AN_IMAGE = "is not an SVG, PNG, JPEG or WebP image"
SELF_CONTAINED = "an SVG we publish must be self-contained"
NO_SCRIPT = "an SVG we publish may hold no script"

_SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_FOREIGN_NAMESPACES = {
    "http://www.w3.org/1999/xhtml": "HTML",
    "http://www.w3.org/2001/XInclude": "XInclude",
}
_INTERNAL_REFERENCE = re.compile(
    r"^\s*(?:#|data:image/(?:png|jpeg|webp|gif)[;,])", re.IGNORECASE | re.ASCII
)
_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_IMPORT = re.compile(r"@import", re.IGNORECASE)


def image_kind(content: bytes) -> str | None:
    """The kind of image ``content`` holds (``SVG``, ``PNG``, ``JPEG``, ``WebP``), or None."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if content.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "WebP"
    head = content[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype svg")) and b"<svg" in content:
        return "SVG"
    return None


def image_problem(path: Path) -> str | None:
    """What is wrong with publishing the image file at ``path``, or None when nothing is.

    The text continues the file's name: ``logo.html`` *is not an SVG, PNG, JPEG or WebP
    image*.
    """
    expected = KINDS.get(path.suffix.lower())
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return f"is {size:,} bytes; an image may have at most {MAX_IMAGE_BYTES:,} (1 MB)"
        content = path.read_bytes()
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    kind = image_kind(content)
    if kind is None or expected is None:
        return NOT_AN_IMAGE
    if kind != expected:
        ending = next(e for e, k in KINDS.items() if k == kind)
        return f"holds a {kind} image, not {expected}; name it {path.stem}{ending}"
    return svg_problem(content) if kind == "SVG" else None


def svg_problem(content: bytes) -> str | None:
    """What in an SVG document could run, fetch or show anything beyond the drawing."""
    text = content.decode("utf-8", errors="replace")
    if re.search(r"<!ENTITY", text, re.IGNORECASE):
        return "declares XML entities, which are not allowed in an image"
    if re.search(r"<\?xml-stylesheet", text, re.IGNORECASE):
        return f"links a style sheet (<?xml-stylesheet?>); {SELF_CONTAINED}"
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        return f"is not well-formed SVG: {error}"
    if root.tag != f"{{{_SVG_NAMESPACE}}}svg":
        return f"is not an SVG image (its root element is <{_local(root.tag)}>)"
    for element in root.iter():
        problem = _element_problem(element)
        if problem is not None:
            return problem
    return None


def _local(name: str) -> str:
    """An XML name without its ``{namespace}``."""
    return name.rpartition("}")[2]


def _element_problem(element: ElementTree.Element) -> str | None:
    tag = element.tag if isinstance(element.tag, str) else ""
    namespace = tag[1:].partition("}")[0] if tag.startswith("{") else ""
    name = _local(tag)
    if namespace in _FOREIGN_NAMESPACES:
        return f"holds {_FOREIGN_NAMESPACES[namespace]} (<{name}>); {SELF_CONTAINED}"
    if name.lower() == "script":
        return f"has a <script> element; {NO_SCRIPT}"
    if name.lower() == "foreignobject":
        return "has a <foreignObject> element (HTML inside the SVG), which is not allowed"
    for attribute, value in element.attrib.items():
        local = _local(attribute).lower()
        if local.startswith("on"):
            return f"has an event handler ({_local(attribute)}=); {NO_SCRIPT}"
        if local == "attributename" and value.strip().lower().endswith("href"):
            return f"animates a link ({value.strip()}); {NO_SCRIPT}"
        if local in ("href", "src") and not _INTERNAL_REFERENCE.match(value):
            return f"refers to {_shown(value)}; {SELF_CONTAINED}"
        problem = _css_problem(value)
        if problem is not None:
            return problem
    if name.lower() == "style":
        return _css_problem(element.text or "")
    return None


def _css_problem(css: str) -> str | None:
    """An ``@import`` or a ``url(...)`` leaving the document, in a style or attribute."""
    if _IMPORT.search(css):
        return f"has a CSS @import; {SELF_CONTAINED}"
    for match in _URL.finditer(css):
        if not _INTERNAL_REFERENCE.match(match.group(2)):
            return f"refers to {_shown(match.group(2))} in url(…); {SELF_CONTAINED}"
    return None


def _shown(reference: str) -> str:
    """A reference as quoted in a message: one line, at most 40 characters."""
    text = " ".join(reference.split())
    return repr(text if len(text) <= 40 else text[:39] + "…")


def logo_problem(root: Path, logo: str, shown: str) -> str | None:
    """What is wrong with ``branding.logo`` (a path in the project ``root``), or None.

    ``shown`` is the logo's path as messages show it.
    """
    path = root / logo
    if not path.resolve().is_relative_to(root.resolve()):
        return "the logo must be inside the project"
    if not path.is_file():
        return f"logo file not found: {shown}"
    problem = image_problem(path)
    return None if problem is None else f"{Path(logo).name} {problem}"
