"""Team and role names as people type them: one group per name, whatever its case or spacing.

``Support`` and ``support `` are one team, shown with its most common spelling (or the
spelling ``assessment.yml`` lists). A name that is merely close to another (``Store`` and
``Stores``) is kept apart but warned about, and with ``teams:`` listed an unknown team is
an error, so a typo never quietly makes a group too small to show.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .model import Sheet
from .problems import Problem, did_you_mean

Field = Literal["team", "role"]
NEAR = 0.8
"""Names this similar (difflib's ratio, after folding) are worth a "did you mean"."""


def folded(name: str) -> str:
    """The form two spellings of one name share: case folded, runs of spaces as one."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class NamePlace:
    """Where a sheet gives its team or role, for messages."""

    path: str
    line: int
    column: int


def canonical_names(
    names: Iterable[str], listed: Sequence[str] = (), strict: bool = False
) -> tuple[dict[str, str], list[str]]:
    """Each spelling's canonical name, and (when ``strict``) the spellings not ``listed``.

    Listed spellings win; otherwise the most common spelling of a folded name (ties go to
    the first in sorted order, so the result never depends on file order).
    """
    counts = Counter(names)
    chosen: dict[str, str] = {}
    for name in listed:
        chosen.setdefault(folded(name), name)
    by_fold: dict[str, list[str]] = {}
    for name in sorted(counts):
        by_fold.setdefault(folded(name), []).append(name)
    unknown = []
    for fold, spellings in by_fold.items():
        if fold not in chosen:
            if strict:
                unknown += spellings
                continue
            chosen[fold] = max(spellings, key=lambda s: (counts[s], [-ord(c) for c in s]))
    mapping = {name: chosen[folded(name)] for name in counts if folded(name) in chosen}
    return mapping, unknown


def merge_names(
    sheets: Mapping[str, list[Sheet]],
    field: Field,
    places: Mapping[tuple[str, Field], NamePlace],
    listed: Sequence[str],
    problems: list[Problem],
    warnings: list[Problem],
    *,
    strict: bool = False,
) -> dict[str, list[Sheet]]:
    """Every round's sheets with ``field`` spelled canonically; problems for names not
    ``listed`` (when ``strict``), warnings for merged spellings and near-duplicates."""
    everyone = [s for round_sheets in sheets.values() for s in round_sheets]
    names = [value for s in everyone if (value := getattr(s, field)) is not None]
    mapping, unknown = canonical_names(names, listed, strict)
    noun = field
    first_place: dict[str, NamePlace] = {}
    for sheet in everyone:
        name = getattr(sheet, field)
        if name is not None:
            first_place.setdefault(name, places[(sheet.path, field)])
    for name in unknown:
        place = first_place[name]
        problems.append(
            Problem(
                place.path,
                place.line,
                place.column,
                field,
                f"unknown {noun} '{name}'"
                + did_you_mean(name, listed)
                + f"; the {noun}s listed in assessment.yml are: {', '.join(listed)}",
            )
        )
    for name, canonical in sorted(mapping.items()):
        # A listed spelling needs no word: the list says which group is meant.
        if name != canonical and not strict:
            place = first_place[name]
            warnings.append(
                Problem(
                    place.path,
                    place.line,
                    place.column,
                    field,
                    f"'{name}' is counted as {noun} '{canonical}' (names that differ only in "
                    "case or spacing are one group)",
                    warning=True,
                )
            )
    counts = Counter(mapping[n] for n in names if n in mapping)
    if not strict:
        warnings += _near_duplicates(counts, first_place, mapping, noun)
    return {
        round_id: [_renamed(s, field, mapping) for s in round_sheets]
        for round_id, round_sheets in sheets.items()
    }


def _renamed(sheet: Sheet, field: Field, mapping: Mapping[str, str]) -> Sheet:
    name: str | None = getattr(sheet, field)
    if name is None or mapping.get(name, name) == name:
        return sheet
    if field == "team":
        return replace(sheet, team=mapping[name])
    return replace(sheet, role=mapping[name])


def _near_duplicates(
    counts: Mapping[str, int],
    first_place: Mapping[str, NamePlace],
    mapping: Mapping[str, str],
    noun: str,
) -> list[Problem]:
    """A warning on the smaller of two canonical names that look like one typed twice."""
    warnings = []
    names = sorted(counts, key=lambda n: (-counts[n], n))
    for index, name in enumerate(names):
        for bigger in names[:index]:
            ratio = difflib.SequenceMatcher(None, folded(name), folded(bigger)).ratio()
            if ratio < NEAR:
                continue
            spelling = next(s for s in sorted(first_place) if mapping.get(s) == name)
            place = first_place[spelling]
            hint = f"; list the {noun}s in assessment.yml to catch typos"
            warnings.append(
                Problem(
                    place.path,
                    place.line,
                    place.column,
                    noun,
                    f"{noun} '{name}' ({_sheets(counts[name])}) looks like '{bigger}' "
                    f"({_sheets(counts[bigger])}): did you mean '{bigger}'?{hint}",
                    warning=True,
                )
            )
            break
    return warnings


def _sheets(count: int) -> str:
    return f"{count} sheet{'s' * (count != 1)}"
