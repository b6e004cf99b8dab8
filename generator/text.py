"""Put untrusted text into generated Markdown so that it shows as text, never as markup.

Answer-sheet notes, team and client names come from people and are shown as written:
every ASCII punctuation character becomes a numeric character reference, which Markdown
and HTML show literally but never read as syntax (no links, emphasis, tables, HTML, Jinja
or Markdown headings), control characters are dropped and line breaks become spaces.
Text we generate ourselves (numbers, bank Markdown that passed validation) is wrapped in
:class:`markupsafe.Markup` and passes through unchanged.
"""

from __future__ import annotations

import html
import string
import unicodedata

from markupsafe import Markup

_ENTITIES = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
_ENTITIES |= {ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _cleaned(text: str) -> str:
    # Drop control characters and the bidi overrides that could reorder what is shown;
    # right-to-left letters themselves stay and keep their natural direction.
    return "".join(
        c
        for c in text
        if c in "\n\r\t"
        or (unicodedata.category(c) not in ("Cc", "Cs", "Co") and c not in _BIDI_CONTROLS)
    )


def as_text(value: object) -> Markup:
    """Escape any value for Markdown or HTML; :class:`Markup` passes through as it is."""
    if isinstance(value, Markup):
        return value
    return Markup(_cleaned(str(value)).translate(_ENTITIES))


def as_html_text(value: str) -> str:
    """Escape text for places the theme prints as raw HTML (site name, nav titles, footer)."""
    return html.escape(" ".join(_cleaned(value).split()), quote=True)


def trusted(markdown: str) -> Markup:
    """Mark Markdown we wrote or validated (bank text) as safe to render."""
    return Markup(markdown)
