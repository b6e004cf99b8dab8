"""How the importer compares text: headers and cells match whatever their case, spacing
and punctuation, and messages show long headers cut short."""

from __future__ import annotations

import difflib
import itertools
import re
import unicodedata
from collections.abc import Iterable

HEADER_SHOWN = 40
"""Headers longer than this are cut with "…" in messages."""
MATCH_CHARS = 100
"""Only this many characters of a header or answer count for a "did you mean" or closest
question: enough to tell questions apart, and it keeps fuzzy matching's cost bounded."""
SUGGESTION_CANDIDATES = 1000
"""At most this many names are compared for one "did you mean"."""


def normalize(text: str) -> str:
    """Text as compared when matching: case, punctuation and spacing do not count."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.findall(r"[^\W_]+", folded))


def without_number(text: str) -> str:
    """A normalised header without a leading question number: "q7 ...", "7 ..."."""
    return re.sub(r"^(?:q(?:uestion)?\s?)?\d+\s", "", text)


def cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= HEADER_SHOWN else text[: HEADER_SHOWN - 1].rstrip() + "…"


def fold(text: str) -> str:
    """Text with case and spacing folded, punctuation kept."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def suggest(word: str, candidates: Iterable[str], quote: str = '"') -> str:
    """`` (did you mean "x"?)`` for the candidate closest to ``word``, or nothing."""
    names = itertools.islice(dict.fromkeys(candidates), SUGGESTION_CANDIDATES)
    by_normal = {normalize(n)[:MATCH_CHARS]: n for n in names}
    near = normalize(word)[:MATCH_CHARS]
    matches = difflib.get_close_matches(near, list(by_normal), n=1, cutoff=0.6)
    if not matches:
        return ""
    return f" (did you mean {quote}{by_normal[matches[0]]}{quote}?)"
