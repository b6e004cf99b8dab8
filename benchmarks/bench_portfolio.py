"""Benchmark ``cxmaturity portfolio``: against one plain ``mkdocs build``, and one process
against two.

Writes a portfolio of generated client projects (a 3 x 4 question bank, five respondents
in two teams each, answers drawn with a fixed seed), builds it once to fill the chart
cache, then times, alternately, best of K each: a plain ``mkdocs build --strict`` of one
client's generated docs (the reference: what building one client costs MkDocs alone,
start-up included), and ``cxmaturity portfolio --jobs 1`` and ``--jobs 2`` with that warm
chart cache (so they measure reading, scoring, rendering and MkDocs, not matplotlib).
Prints one Markdown table, measured in one run, then the time of ``--jobs 2`` as a
multiple of the reference (target: at most 12x for 50 clients) and the speed-up of two
jobs over one (target: at least 1.7x on two cores).

Other work on the machine takes its share of the cores (Linux shares them between
sessions, not processes, when ``sched_autogroup`` is on), and then no second job can
help. So the header gives the load average before and after, and a **ceiling**: the
speed-up two busy-loop processes get over one at that moment, measured before and
after the timed runs. A speed-up below the target with a ceiling near it says the
machine was busy, not that the portfolio build does not scale.

Usage: python benchmarks/bench_portfolio.py [--clients N] [--repeat K] [--keep DIR]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = [sys.executable, "-c", "from generator.cli import main; main()"]
TARGET = 1.7
RATIO_TARGET = 12.0
"""``portfolio --jobs 2`` of 50 clients in at most this many plain builds of one client."""
DIMENSIONS = ("listening", "service", "journeys")
QUESTIONS = 4
TEAMS = (("Support", 3), ("Sales", 2))

BANK_HEAD = """\
id: bench
title: Benchmark bank
version: "1.0"
scales:
  agreement:
    points:
      - {value: 1, label: Not at all}
      - {value: 2, label: Rarely}
      - {value: 3, label: Sometimes}
      - {value: 4, label: Mostly}
      - {value: 5, label: Always}
default_scale: agreement
levels:
  - {name: Reactive, min: 0, description: Starting out.}
  - {name: Defined, min: 40, description: Getting there.}
  - {name: Customer-led, min: 70, description: Strong.}
dimensions:
"""


def bank() -> str:
    """A bank of three dimensions with four questions each, each with one tune-up."""
    lines = [BANK_HEAD]
    for dimension in DIMENSIONS:
        lines.append(f"  - id: {dimension}\n    title: {dimension.capitalize()}\n    questions:\n")
        for number in range(1, QUESTIONS + 1):
            lines.append(
                f"      - id: q{number}\n"
                f"        text: How well do we do {dimension} practice {number}?\n"
                f"        tune_ups:\n"
                f"          - {{below: 60, title: Improve {dimension} {number}, "
                f"effort: low, impact: high}}\n"
            )
    return "".join(lines)


def write_portfolio(root: Path, clients: int, seed: int = 2026) -> None:
    """``clients`` projects under ``root``, each with its own level of maturity."""
    draw = random.Random(seed)
    text = bank()
    for index in range(clients):
        project = root / f"client-{index:03d}"
        (project / "answers").mkdir(parents=True)
        (project / "bank.yml").write_text(text, encoding="utf-8")
        (project / "assessment.yml").write_text(
            f"client: Client {index:03d}\nbank: bank.yml\ntarget: 80\ndate: 2026-06-01\n",
            encoding="utf-8",
        )
        centre = draw.uniform(1.5, 4.5)
        person = 0
        for team, size in TEAMS:
            for _ in range(size):
                person += 1
                answers = [
                    f"  {d}.q{q}: {min(5, max(1, round(draw.gauss(centre, 1))))}"
                    for d in DIMENSIONS
                    for q in range(1, QUESTIONS + 1)
                ]
                sheet = f"team: {team}\nanswers:\n" + "\n".join(answers) + "\n"
                (project / "answers" / f"p{person}.yml").write_text(sheet, encoding="utf-8")


def timed(folder: Path, out: Path, jobs: int, env: dict[str, str]) -> float:
    started = time.perf_counter()
    completed = subprocess.run(
        [*CLI, "portfolio", str(folder), "--out", str(out), "--jobs", str(jobs)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"portfolio --jobs {jobs} failed:\n{completed.stderr}{completed.stdout}")
    return elapsed


def plain_mkdocs(docs: Path, site: Path, env: dict[str, str]) -> float:
    """One ``mkdocs build --strict`` of a client's generated docs, as MkDocs runs alone."""
    started = time.perf_counter()
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-q",
            "-f",
            str(docs / "mkdocs.yml"),
            "-d",
            str(site),
        ],
        env=env | {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1780272000"},
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"mkdocs build failed:\n{completed.stderr}{completed.stdout}")
    return elapsed


def load() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def spin(rounds: int) -> int:
    total = 0
    for number in range(rounds):
        total += number % 7
    return total


def ceiling(rounds: int = 8_000_000) -> float:
    """The speed-up two CPU-bound processes get over one on this machine right now."""
    with multiprocessing.Pool(2) as pool:
        pool.map(spin, [1000, 1000])  # the workers are started before timing
        started = time.perf_counter()
        pool.map(spin, [rounds])
        one = time.perf_counter() - started
        started = time.perf_counter()
        pool.map(spin, [rounds, rounds], chunksize=1)
        two = time.perf_counter() - started
    return 2 * one / two


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per setting")
    parser.add_argument("--keep", type=Path, help="write the projects here (a new folder)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cxbench-portfolio-"))
    folder = args.keep or work / "clients"
    if folder.exists():
        sys.exit(f"{folder}: exists; give a new folder")
    folder.mkdir(parents=True)
    try:
        write_portfolio(folder, args.clients)
        env = os.environ | {"CXMATURITY_CACHE": str(work / "cache")}
        out = work / "site"
        docs = work / "client-docs"
        subprocess.run(
            [*CLI, "build", str(folder / "client-000"), "--docs-only", "--out", str(docs)],
            env=env,
            capture_output=True,
            check=True,
        )
        load_before, ceiling_before = load(), ceiling()
        warm_up = timed(folder, out, 2, env)  # fills the chart and template caches
        plain_mkdocs(docs, work / "plain-site", env)  # and the OS's file cache for MkDocs
        runs: dict[int, list[float]] = {1: [], 2: []}
        plain: list[float] = []
        for _ in range(args.repeat):
            # Alternated, so a change in load hits each alike.
            plain.append(plain_mkdocs(docs, work / "plain-site", env))
            for jobs in (1, 2):
                runs[jobs].append(timed(folder, out, jobs, env))
        load_after, ceiling_after = load(), ceiling()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    best = {jobs: min(times) for jobs, times in runs.items()}
    speed_up = best[1] / best[2]
    reference = min(plain)
    ratio = best[2] / reference
    print(
        f"# cxmaturity portfolio: {args.clients} clients "
        f"({len(DIMENSIONS)} x {QUESTIONS} questions, "
        f"{sum(size for _, size in TEAMS)} respondents each)\n"
    )
    print(
        f"Machine: {os.cpu_count()} CPUs, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}; load average (1 / 5 / 15 min) "
        f"{load_before} before, {load_after} after; ceiling (two busy loops over one) "
        f"{ceiling_before:.2f}x before, {ceiling_after:.2f}x after. Chart cache warm for "
        f"every timed run (warm-up build: {warm_up:.1f} s). Best of {args.repeat}, runs "
        "alternated.\n"
    )
    print("| command | best (s) | runs (s) | client sites per second |")
    print("| --- | ---: | --- | ---: |")
    plain_text = ", ".join(f"{t:.2f}" for t in plain)
    print(
        f"| `mkdocs build --strict` of one client's docs (reference) | {reference:.2f} | "
        f"{plain_text} | {1 / reference:.2f} |"
    )
    for jobs, times in runs.items():
        runs_text = ", ".join(f"{t:.2f}" for t in times)
        rate = args.clients / best[jobs]
        print(f"| `portfolio --jobs {jobs}` | {best[jobs]:.2f} | {runs_text} | {rate:.2f} |")
    verdict = "PASS" if ratio <= RATIO_TARGET else "FAIL"
    print(
        f"\nportfolio --jobs 2 of {args.clients} clients: {ratio:.2f}x one plain mkdocs build "
        f"(target ≤ {RATIO_TARGET:g}x for 50): {verdict}"
    )
    verdict = "PASS" if speed_up >= TARGET else "FAIL"
    print(f"speed-up of --jobs 2 over --jobs 1: {speed_up:.2f}x (target ≥ {TARGET}x): {verdict}")
    if (os.cpu_count() or 1) < 2:
        print("(this machine has fewer than 2 CPUs: the target assumes two cores)")


if __name__ == "__main__":
    main()
