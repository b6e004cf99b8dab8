"""`cxmaturity import` does bounded work on huge or crafted files (issue 9, item 11).

Matching thousands of unknown or very long headers, or choosing the delimiter of a file
crafted against the standard library's dialect sniffer, once took minutes. These tests pin
the bounds that keep the work small, counting the work itself rather than timing it (a
timing depends on the machine); ``benchmarks/bench_import.py`` measures the seconds.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assessment.importing import read_survey
from assessment.importing.columns import COMPARED, MATCH_CHARS
from assessment.importing.table import SNIFF_CHARS
from assessment.loading import bundled_banks, load_bank
from assessment.problems import InputError
from generator.cli import cli

from .conftest import WriteProject

CX_CORE = load_bank(bundled_banks()["cx-core"])


def write_csv(folder: Path, text: str) -> Path:
    path = folder / "s.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _read(path: Path) -> int | None:
    """How many sheets the file gave (None when refused)."""
    with contextlib.suppress(InputError):
        return len(read_survey(path, CX_CORE, display="s.csv").sheets)
    return None


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The length of the text each full difflib comparison was given, one entry a call."""
    seen: list[int] = []
    full = difflib.SequenceMatcher.ratio

    def counted(self: difflib.SequenceMatcher[str]) -> float:
        seen.append(len(self.a))
        return full(self)

    monkeypatch.setattr(difflib.SequenceMatcher, "ratio", counted)
    yield seen


def test_five_thousand_unknown_columns_cost_a_few_comparisons_each(
    tmp_path: Path, comparisons: list[int]
) -> None:
    header = ",".join(f"Unrelated heading number {n} about nothing" for n in range(5000))
    body = "Support,written" + "," * 5000
    path = write_csv(tmp_path, f"Team,strategy.customer-plan,{header}\n{body}\n")
    assert _read(path) == 1
    # Before: every header against every question, 5,000 x 60 full comparisons.
    assert len(comparisons) <= 5000 * COMPARED


def test_long_headers_are_compared_on_their_first_characters_only(
    tmp_path: Path, comparisons: list[int]
) -> None:
    header = ",".join(f"{n} " + "customer journey experience plan " * 30 for n in range(50))
    row = "Support,written" + "," * 50
    path = write_csv(tmp_path, f"Team,strategy.customer-plan,{header}\n{row}\n")
    assert _read(path) == 1
    assert comparisons and max(comparisons) <= MATCH_CHARS  # not the 1,000 characters written


def test_the_dialect_sniffer_sees_a_bounded_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sampled: list[int] = []
    sniff = csv.Sniffer.sniff

    def measured(self: csv.Sniffer, sample: str, *args: Any, **kwargs: Any) -> Any:
        sampled.append(len(sample))
        return sniff(self, sample, *args, **kwargs)

    monkeypatch.setattr(csv.Sniffer, "sniff", measured)
    path = write_csv(tmp_path, ',"' * 32768)  # 64 KB on one line, crafted against the sniffer
    assert _read(path) is None  # refused: no team, no question
    assert sampled and max(sampled) <= SNIFF_CHARS


def test_only_the_first_twenty_unknown_columns_are_listed(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_project({})
    unknown = ",".join(f"Unknown {n}" for n in range(1, 26))
    write_csv(tmp_path, f"Team,alpha.one,{unknown}\nA,3{',' * 25}\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["import", "s.csv", "proj"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    listed = [line for line in lines if line.startswith('  "Unknown ')]
    assert listed[0] == '  "Unknown 1" (no question is close)'
    assert len(listed) == 20  # 25 unknown columns: 20 listed, 5 counted
    assert lines[lines.index(listed[-1]) + 1] == "  … and 5 more"
