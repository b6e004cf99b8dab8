"""Put untrusted text into generated Markdown so that it shows as text, never as markup.

Answer-sheet notes, team and client names come from people and are shown as written:
every ASCII punctuation character becomes a numeric character reference, which Markdown
and HTML show literally but never read as syntax (no links, emphasis, tables, HTML, Jinja
or Markdown headings), control characters are dropped and line breaks become spaces.
Text we generate ourselves (numbers, and bank Markdown once
:mod:`generator.bank_html` has made it clean HTML) is wrapped in :class:`markupsafe.Markup`
and passes through unchanged.
"""

from __future__ import annotations

import re
import string
import unicodedata

from markupsafe import Markup

INERT_PUNCTUATION = {ord(c): f"&#{ord(c)};" for c in string.punctuation}
"""Every ASCII punctuation character as a character reference: shown, never read as syntax."""
_ENTITIES = INERT_PUNCTUATION | {ord("\n"): " ", ord("\r"): " ", ord("\t"): " "}
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def without_controls(text: str) -> str:
    """Text without control characters and bidi overrides."""
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
    return Markup(without_controls(str(value)).translate(_ENTITIES))


def as_theme_text(value: str) -> str:
    """Text for places the theme prints itself (site name, navigation, footer).

    The theme prints these raw in some places and HTML-escaped in others, so escaping
    them here would show ``&amp;`` in the second kind. Instead the characters that could
    make markup are replaced by their typographic look-alikes: no tag, attribute quote or
    character reference can form, and both kinds of place show the same text.
    """
    text = " ".join(without_controls(value).split())
    text = text.translate(_THEME_LOOKALIKES)
    return _ENTITY_START.sub("＆", text)


_THEME_LOOKALIKES = {ord("<"): "‹", ord(">"): "›", ord('"'): "”", ord("`"): "‘"}
_ENTITY_START = re.compile(r"&(?=[#A-Za-z0-9])")
