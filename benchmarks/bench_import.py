"""How long ``cxmaturity import`` takes to read, match and check hostile or huge survey exports.

Writes each case's CSV into a temporary folder, then times, best of ``--repeat`` runs each,
:func:`assessment.importing.read_survey` against the bundled cx-core bank (reading the
file, choosing its delimiter, matching the columns and converting every cell) and, when
the file imports, :func:`assessment.importing.plan_import` (the sheets' text and where they
go). The cases:

* ``5,000 unknown columns``: a team column, one question and 5,000 columns no question
  matches, 20 rows (each unknown column looks for its closest question);
* ``50 headers of 1,000 characters``: the same with 50 long headers;
* ``crafted 64 KB line``: one 64 KB line of ``,"`` pairs, which the standard library's
  dialect sniffer takes quadratic time over;
* ``50,000 rows``: every question of the bank answered on 50,000 rows.

The target line checks that reading each file takes under 5 s of processor time (the
wall-clock time is shown too; on a busy machine it is the larger).

Run from the project root:
``python benchmarks/bench_import.py [--repeat K] [--only NAME] [--bank FILE]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from assessment.importing import plan_import, read_survey
from assessment.loading import bundled_banks, load_bank
from assessment.model import Bank
from assessment.problems import InputError

SEED = 20260514
TARGET_SECONDS = 5.0
TEAMS = ["Support", "Stores", "E-commerce", "Billing"]


def _words(rng: random.Random, count: int) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return " ".join(
        "".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(count)
    )


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines: list[str] = []
    writer = csv.writer(_Lines(lines), lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "".join(lines)


class _Lines:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def write(self, text: str) -> None:
        self.lines.append(text)


def unknown_columns(bank: Bank, rng: random.Random, count: int, words: int) -> str:
    """A team, the first question and ``count`` headers of ``words`` random words."""
    first = next(iter(bank.questions.values()))
    header = ["Team", first.key, *(_words(rng, words) for _ in range(count))]
    answer = first.scale.options[0].id
    rows = [[rng.choice(TEAMS), answer, *([""] * count)] for _ in range(20)]
    return _table(header, rows)


def crafted_line() -> str:
    """One 64 KB line that makes ``csv.Sniffer`` backtrack: quotes never closed on it."""
    return ',"' * 32768


def many_rows(bank: Bank, rng: random.Random, count: int) -> str:
    """Every question answered (a valid answer of its scale) on ``count`` rows."""
    questions = list(bank.questions.values())
    header = ["Team", *(q.key for q in questions)]
    rows = []
    for _ in range(count):
        cells = [rng.choice(TEAMS)]
        for question in questions:
            option = rng.choice(question.scale.options)
            cells.append(option.id if question.scale.kind != "multi" else option.label)
        rows.append(cells)
    return _table(header, rows)


def _best(run: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """Best wall-clock and processor seconds of ``repeat`` runs, and the last result."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return best, best_cpu, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", help="run only the case whose name contains this")
    parser.add_argument("--bank", type=Path, help="a bank file (default: the bundled cx-core)")
    args = parser.parse_args()
    bank = load_bank(args.bank or bundled_banks()["cx-core"])
    rng = random.Random(SEED)
    cases = {
        "5,000 unknown columns": lambda: unknown_columns(bank, rng, 5000, 3),
        "50 headers of 1,000 characters": lambda: unknown_columns(bank, rng, 50, 160),
        "crafted 64 KB line": crafted_line,
        "50,000 rows": lambda: many_rows(bank, rng, 50_000),
    }
    print(
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.2f}, "
        f"bank {bank.id} {bank.version} ({len(bank.questions)} questions)"
    )
    print()
    print("| case | file | read_survey (s) | CPU (s) | outcome | plan_import (s) | CPU (s) |")
    print("| --- | ---: | ---: | ---: | --- | ---: | ---: |")
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project = root / "proj"
        (project / "answers").mkdir(parents=True)
        for name, make in cases.items():
            if args.only and args.only not in name:
                continue
            path = root / "survey.csv"
            path.write_text(make(), encoding="utf-8", newline="")
            size = f"{path.stat().st_size / 1024:,.0f} KB"

            def read(path: Path = path) -> object:
                try:
                    return read_survey(path, bank, display="survey.csv")
                except InputError as error:
                    return error

            seconds, cpu, result = _best(read, args.repeat)
            worst = max(worst, cpu)
            if isinstance(result, InputError):
                outcome = f"refused: {str(result.problems[0])[:60]}"
                planned = "— | —"
            else:
                outcome = f"{len(result.sheets):,} sheets"  # type: ignore[attr-defined]
                survey = result

                def plan(survey: object = survey) -> object:
                    return plan_import(survey, bank, project, None)  # type: ignore[arg-type]

                plan_seconds, plan_cpu, _ = _best(plan, args.repeat)
                planned = f"{plan_seconds:.2f} | {plan_cpu:.2f}"
            print(f"| {name} | {size} | {seconds:.2f} | {cpu:.2f} | {outcome} | {planned} |")
    verdict = "PASS" if worst < TARGET_SECONDS else "FAIL"
    print()
    print(
        f"target: read_survey < {TARGET_SECONDS:.0f} s of CPU for every case: {verdict} "
        f"({worst:.2f} s)"
    )
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
