"""`cxmaturity import` does bounded work on huge or crafted files: matching thousands of
unknown or very long headers, or choosing the delimiter of a file crafted against the
standard library's dialect sniffer, takes seconds, not minutes (issue 9, item 11).

The bounds are generous (the machine may be busy): before the fix these took 36 s, 14 s
and 42 s; see ``benchmarks/bench_import.py`` for the measurements.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.importing import read_survey
from assessment.loading import bundled_banks, load_bank
from assessment.problems import InputError
from generator.cli import cli

from .conftest import WriteProject

CX_CORE = load_bank(bundled_banks()["cx-core"])
MATCHING_SECONDS = 5.0


def write_csv(folder: Path, text: str) -> Path:
    path = folder / "s.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _timed_read(path: Path) -> tuple[float, int | None]:
    """Seconds to read the file, and how many sheets it gave (None when refused)."""
    start = time.perf_counter()
    sheets = None
    with contextlib.suppress(InputError):
        sheets = len(read_survey(path, CX_CORE, display="s.csv").sheets)
    return time.perf_counter() - start, sheets


def test_five_thousand_unknown_columns_are_matched_quickly(tmp_path: Path) -> None:
    header = ",".join(f"Unrelated heading number {n} about nothing" for n in range(5000))
    body = "Support,written" + "," * 5000
    path = write_csv(tmp_path, f"Team,strategy.customer-plan,{header}\n{body}\n")
    seconds, sheets = _timed_read(path)
    assert sheets == 1 and seconds < MATCHING_SECONDS


def test_long_headers_are_matched_quickly(tmp_path: Path) -> None:
    header = ",".join(f"{n} " + "customer journey experience plan " * 30 for n in range(50))
    row = "Support,written" + "," * 50
    path = write_csv(tmp_path, f"Team,strategy.customer-plan,{header}\n{row}\n")
    seconds, sheets = _timed_read(path)
    assert sheets == 1 and seconds < MATCHING_SECONDS


def test_a_file_crafted_against_the_dialect_sniffer_is_read_quickly(tmp_path: Path) -> None:
    path = write_csv(tmp_path, ',"' * 32768)
    seconds, sheets = _timed_read(path)
    assert sheets is None and seconds < MATCHING_SECONDS  # refused: no team, no question


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
