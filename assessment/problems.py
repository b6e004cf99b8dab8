"""Problems found in user input, reported all together with their place in the file."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, pointing at a file, line, column and key.

    Prints as ``path:line:column: key: message`` (the key is left out when the problem
    is not about one key, such as a YAML syntax error). A warning prints the same way with
    ``warning:`` before the message: it is reported, but does not stop the run.
    """

    path: str
    line: int = 0
    column: int = 0
    key: str = ""
    message: str = ""
    warning: bool = False

    def __str__(self) -> str:
        place = printable(self.path)
        if self.line:
            place += f":{self.line}:{self.column or 1}"
        message = ("warning: " if self.warning else "") + printable(self.message)
        if self.key:
            return f"{place}: {printable(self.key)}: {message}"
        return f"{place}: {message}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from files, safe for a terminal: control characters (escape sequences, line
    breaks) are shown as ``\\xNN`` instead of acting on the terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


class InputError(Exception):
    """Raised once loading has collected every problem of a run."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(set(problems), key=_sort_key))
        super().__init__("\n".join(str(p) for p in self.problems))


def _sort_key(problem: Problem) -> tuple[str, int, int, str, str]:
    return (problem.path, problem.line, problem.column, problem.key, problem.message)


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest candidate, or an empty string."""
    import difflib

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""
