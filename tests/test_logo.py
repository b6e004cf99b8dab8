"""The logo is published only when it is a harmless image (issue 9, item 3): SVG, PNG,
JPEG or WebP by content and by name, at most 1 MB, and an SVG with no script, event
handler, HTML or reference to anything outside itself."""

from __future__ import annotations

import pytest

from assessment.logo import MAX_IMAGE_BYTES

from .conftest import Problems

CONFIG = "client: Test Co\nbank: bank.yml\nbranding: {{logo: {name}}}\n"
PLACE = "proj/assessment.yml:3:18: branding.logo: "
SELF_CONTAINED = "an SVG we publish must be self-contained"
NO_SCRIPT = "an SVG we publish may hold no script"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32


def svg(body: str, head: str = "") -> bytes:
    return (
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">{body}</svg>\n'
    ).encode()


def logo_problems(problems_of: Problems, name: str, content: bytes) -> list[str]:
    return problems_of({"assessment.yml": CONFIG.format(name=name), name: content})


REFUSED = [
    pytest.param(
        "logo.html",
        b"<html><script>alert(1)</script></html>",
        f"logo.html {'is not an SVG, PNG, JPEG or WebP image'}",
        id="html",
    ),
    pytest.param(
        "logo.svg",
        b"<html><body>hi</body></html>",
        "logo.svg is not an SVG, PNG, JPEG or WebP image",
        id="html-named-svg",
    ),
    pytest.param(
        "logo.gif",
        b"GIF89a" + b"\x00" * 20,
        "logo.gif is not an SVG, PNG, JPEG or WebP image",
        id="gif",
    ),
    pytest.param(
        "logo.svg", PNG, "logo.svg holds a PNG image, not SVG; name it logo.png", id="png-named-svg"
    ),
    pytest.param(
        "logo.png",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_IMAGE_BYTES,
        "logo.png is 1,048,584 bytes; an image may have at most 1,048,576 (1 MB)",
        id="too-big",
    ),
    pytest.param(
        "logo.svg",
        svg("<script>alert(1)</script>"),
        f"logo.svg has a <script> element; {NO_SCRIPT}",
        id="script",
    ),
    pytest.param(
        "logo.svg",
        svg('<circle r="5" onload="alert(1)"/>'),
        f"logo.svg has an event handler (onload=); {NO_SCRIPT}",
        id="onload",
    ),
    pytest.param(
        "logo.svg",
        svg('<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>'),
        "logo.svg has a <foreignObject> element (HTML inside the SVG), which is not allowed",
        id="foreign-object",
    ),
    pytest.param(
        "logo.svg",
        svg('<image href="https://tracker.example/x.png"/>'),
        f"logo.svg refers to 'https://tracker.example/x.png'; {SELF_CONTAINED}",
        id="remote-image",
    ),
    pytest.param(
        "logo.svg",
        svg('<image xlink:href="file:///etc/passwd"/>'),
        f"logo.svg refers to 'file:///etc/passwd'; {SELF_CONTAINED}",
        id="file-image",
    ),
    pytest.param(
        "logo.svg",
        svg('<use href="other.svg#a"/>'),
        f"logo.svg refers to 'other.svg#a'; {SELF_CONTAINED}",
        id="other-file",
    ),
    pytest.param(
        "logo.svg",
        svg('<a href="javascript:alert(1)"><circle r="5"/></a>'),
        f"logo.svg refers to 'javascript:alert(1)'; {SELF_CONTAINED}",
        id="javascript-link",
    ),
    pytest.param(
        "logo.svg",
        svg("<style>@import url(https://x.example/a.css);</style>"),
        f"logo.svg has a CSS @import; {SELF_CONTAINED}",
        id="css-import",
    ),
    pytest.param(
        "logo.svg",
        svg('<circle r="5" style="fill: url(https://x.example/p.svg#g)"/>'),
        f"logo.svg refers to 'https://x.example/p.svg#g' in url(…); {SELF_CONTAINED}",
        id="css-url",
    ),
    pytest.param(
        "logo.svg",
        svg("<style>circle { fill: url('//x.example/g') }</style>"),
        f"logo.svg refers to '//x.example/g' in url(…); {SELF_CONTAINED}",
        id="style-url",
    ),
    pytest.param(
        "logo.svg",
        svg("", head='<?xml-stylesheet href="https://x.example/a.css"?>\n'),
        f"logo.svg links a style sheet (<?xml-stylesheet?>); {SELF_CONTAINED}",
        id="xml-stylesheet",
    ),
    pytest.param(
        "logo.svg",
        svg("&lol;", head='<!DOCTYPE svg [<!ENTITY lol "lol">]>\n'),
        "logo.svg declares XML entities, which are not allowed in an image",
        id="entity",
    ),
    pytest.param(
        "logo.svg",
        svg('<a><set attributeName="href" to="javascript:alert(1)"/></a>'),
        f"logo.svg animates a link (href); {NO_SCRIPT}",
        id="animated-href",
    ),
    pytest.param(
        "logo.svg",
        b"<svg><circle></svg>",
        "logo.svg is not well-formed SVG: mismatched tag: line 1, column 15",
        id="malformed",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_a_logo_that_could_run_or_fetch_anything_is_refused(
    problems_of: Problems, name: str, content: bytes, message: str
) -> None:
    assert logo_problems(problems_of, name, content) == [PLACE + message]


ACCEPTED = [
    pytest.param("logo.png", PNG, id="png"),
    pytest.param("logo.jpg", JPEG, id="jpg"),
    pytest.param("logo.JPEG", JPEG, id="jpeg-upper-case"),
    pytest.param("logo.webp", WEBP, id="webp"),
    pytest.param(
        "logo.svg",
        svg(
            '<defs><linearGradient id="g"/></defs><style>circle { fill: url(#g) }</style>'
            '<circle id="c" r="5" fill="url(#g)"/><use href="#c"/><use xlink:href="#c"/>'
            '<image href="data:image/png;base64,iVBORw0KGgo="/>',
            head='<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD '
            'SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n',
        ),
        id="svg-with-internal-references",
    ),
]


@pytest.mark.parametrize(("name", "content"), ACCEPTED)
def test_a_harmless_logo_is_accepted(problems_of: Problems, name: str, content: bytes) -> None:
    # a valid project has no problems: problems_of expects InputError, so add a known one
    problems = problems_of(
        {
            "assessment.yml": CONFIG.format(name=name) + "target: 500\n",
            name: content,
        }
    )
    assert [p for p in problems if "branding.logo" in p] == []
