"""How much loading, validating and scoring costs next to a bare ``yaml.load`` of the sheets.

Writes a synthetic project (a 6 x 10 question bank, ``assessment.yml`` with one round and
``--sheets`` answer sheets from 10 teams) into a temporary folder, or into ``--keep DIR``,
then times, best of ``--repeat`` runs each:

* ``yaml.load (CSafeLoader)``: read every sheet's text and ``yaml.load`` it, the reference;
* ``load + validate``: ``assessment.loading.load_assessment(project)``;
* ``load + validate + score + plan``: that plus ``score_assessment`` and ``planning.plan``;
* ``score + plan only``: scoring and planning an assessment loaded beforehand.

Writing the files is not timed, nor is listing them for the reference. The target line
checks the ``load + validate + score + plan`` row, an upper bound of load + validate + score.

Run from the project root: ``python benchmarks/bench_load.py [--sheets N] [--repeat K]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from assessment.loading import load_assessment
from assessment.model import Assessment
from assessment.planning import TuneUpPlan, plan
from assessment.scoring import score_assessment

SEED = 20260514
TARGET_RATIO = 1.5
TIMES = "\N{MULTIPLICATION SIGN}"
BARE = "yaml.load (CSafeLoader)"
FULL = "load + validate + score + plan"
ROUND = "r1"

TEAMS = [
    "Support",
    "Stores North",
    "Stores South",
    "E-commerce",
    "Field service",
    "Billing",
    "Onboarding",
    "Returns",
    "Key accounts",
    "Social care",
]
LEAD_SHARE = 0.12
"""Share of respondents who are team leads; the others are agents."""

DIMENSIONS = [
    ("strategy", "Customer strategy"),
    ("expectations", "Customer expectations"),
    ("needs", "Understanding needs"),
    ("capabilities", "Service capabilities"),
    ("practices", "Everyday practices"),
    ("leadership", "Servant leadership"),
]
QUESTION_IDS = [
    "written-plan",
    "shared-goals",
    "segments",
    "owners",
    "feedback-loop",
    "standards",
    "training",
    "review-rhythm",
    "reach",
    "channels",
]
CHOICE_SCALES: dict[str, list[tuple[str, str, float]]] = {
    "yes-no-partly": [
        ("no", "No", 0.0),
        ("partly", "Partly, or only in some teams", 0.5),
        ("yes", "Yes", 1.0),
    ],
    "frequency": [
        ("never", "Never or almost never", 0.0),
        ("yearly", "About once a year", 0.25),
        ("quarterly", "About every quarter", 0.5),
        ("monthly", "About every month", 0.75),
        ("weekly", "Every week or more often", 1.0),
    ],
    "reach": [
        ("none", "No", 0.0),
        ("some", "Yes, for a few", 0.25),
        ("half", "Yes, for about half", 0.5),
        ("most", "Yes, for most or all", 1.0),
    ],
}
POINT_LABELS = ["Not at all", "Rarely", "Sometimes", "Mostly", "Always"]
MULTI_CHOICES = [
    ("phone", "Phone", 1.0),
    ("email", "E-mail or a contact form", 1.0),
    ("chat", "Live chat with a person", 1.0),
    ("messaging", "Messaging apps", 1.0),
    ("callback", "A call back at a time the customer chooses", 2.0),
    ("in-store", "Help in person in a store", 1.0),
    ("video", "Video call for advice", 0.5),
]
MULTI_DIMENSIONS = ("needs", "capabilities")
NOTES = [
    "We only started doing this last quarter.",
    "It depends a lot on who is on shift.",
    "The new tool helps, but not everyone uses it yet.",
    "Head office decides this, we rarely hear about it.",
    "Good in the shop, much weaker online.",
    "We tried it once and then it was dropped.",
]
NA_RATE = 0.03
NOTE_RATE = 0.01


# The synthetic project ----------------------------------------------------------------------


def question_kind(dimension_index: int, question_index: int) -> str:
    """The scale of each question: mostly 1-5 points, some choices, two select: multi."""
    dimension_id = DIMENSIONS[dimension_index][0]
    if question_index == 9 and dimension_id in MULTI_DIMENSIONS:
        return "multi"
    return {2: "yes-no-partly", 5: "yes-no-partly", 7: "frequency", 8: "reach"}.get(
        question_index, "agreement"
    )


def bank_data() -> dict[str, Any]:
    """The bank as plain data, in the format of ``content/banks/cx-core.yml``."""
    scales: dict[str, Any] = {
        "agreement": {
            "points": [{"value": i + 1, "label": label} for i, label in enumerate(POINT_LABELS)]
        }
    }
    for name, choices in CHOICE_SCALES.items():
        scales[name] = {
            "choices": [{"id": c, "label": label, "score": s} for c, label, s in choices]
        }
    dimensions = []
    for d_index, (dimension_id, title) in enumerate(DIMENSIONS):
        questions = []
        for q_index, question_id in enumerate(QUESTION_IDS):
            kind = question_kind(d_index, q_index)
            question: dict[str, Any] = {
                "id": question_id,
                "text": f"How well do we handle {question_id.replace('-', ' ')} in {title}?",
                "help": "Look for evidence people can point to, not intentions. "
                "A good answer names who does it and how often.",
            }
            if q_index % 4 == 0:
                question["weight"] = 2
            if kind == "multi":
                question["select"] = "multi"
                question["choices"] = [
                    {"id": c, "label": label, "weight": w} for c, label, w in MULTI_CHOICES
                ]
            elif kind != "agreement":
                question["scale"] = kind
            tune_ups = [
                {
                    "below": 50,
                    "title": f"Start on {question_id.replace('-', ' ')}",
                    "body": "Agree one small step with the team and review it in a month.",
                    "effort": ("low", "medium", "high")[q_index % 3],
                    "impact": ("high", "medium", "low")[d_index % 3],
                }
            ]
            if q_index % 2 == 0:
                tune_ups.append(
                    {
                        "below": 75,
                        "title": f"Make {question_id.replace('-', ' ')} a habit",
                        "body": "Put it on the agenda of the **monthly** review with an owner.",
                        "effort": "medium",
                        "impact": "high",
                    }
                )
            question["tune_ups"] = tune_ups
            questions.append(question)
        dimensions.append(
            {
                "id": dimension_id,
                "title": title,
                "summary": f"How mature {title.lower()} is across the teams.",
                "weight": 2 if d_index == 0 else 1,
                "questions": questions,
            }
        )
    return {
        "id": "bench",
        "title": "Benchmark bank",
        "version": "1.0",
        "description": "A synthetic bank of 6 dimensions and 10 questions each.",
        "scales": scales,
        "default_scale": "agreement",
        "levels": [
            {"name": "Reactive", "min": 0, "description": "Help depends on who answers."},
            {"name": "Aware", "min": 20, "description": "Good work happens in pockets."},
            {"name": "Defined", "min": 40, "description": "Standards exist on paper."},
            {"name": "Managed", "min": 60, "description": "Standards are measured."},
            {"name": "Customer-led", "min": 80, "description": "Customers shape decisions."},
        ],
        "dimensions": dimensions,
    }


ASSESSMENT_YML = f"""\
client: Benchmark Co.
bank: bank.yml
target: 80
rounds: [{ROUND}]
roles:
  leadership: [Team lead]
  frontline: [Agent]
report: {{show_respondents: false, min_group_size: 3}}
"""


def _slug(text: str) -> str:
    return text.lower().replace(" ", "-")


def _quoted(choice: str) -> str:
    # As people write them (see content/examples): yes and no in quotes, the rest plain.
    return f'"{choice}"' if choice in ("yes", "no") else choice


def answer_text(kind: str, level: float, rng: random.Random) -> str:
    """One answer in YAML, from a latent maturity ``level`` in 0..1."""
    if rng.random() < NA_RATE:
        return "n/a"
    if kind == "agreement":
        return str(1 + round(4 * level))
    if kind == "multi":
        chosen = [c for c, _, _ in MULTI_CHOICES if rng.random() < level]
        return "[" + ", ".join(chosen) + "]"
    choices = CHOICE_SCALES[kind]
    best = min(choices, key=lambda c: abs(c[2] - level))
    return _quoted(best[0])


def sheet_text(
    name: str,
    team: str,
    role: str,
    bias: float,
    offsets: list[list[float]],
    rng: random.Random,
) -> str:
    lines = [f"respondent: {name}", f"team: {team}", f"role: {role}", "answers:"]
    for d_index, (dimension_id, _) in enumerate(DIMENSIONS):
        for q_index, question_id in enumerate(QUESTION_IDS):
            kind = question_kind(d_index, q_index)
            level = bias + offsets[d_index][q_index] + rng.gauss(0, 0.15)
            value = answer_text(kind, min(1.0, max(0.0, level)), rng)
            key = f"{dimension_id}.{question_id}"
            if rng.random() < NOTE_RATE:
                note = json.dumps(rng.choice(NOTES))
                if rng.random() < 0.5:
                    lines.append(f"  {key}: {{answer: {value}, note: {note}}}")
                else:
                    lines += [f"  {key}:", f"    answer: {value}", f"    note: {note}"]
            else:
                lines.append(f"  {key}: {value}")
    return "\n".join(lines) + "\n"


def write_project(root: Path, sheets: int, seed: int = SEED) -> list[Path]:
    """Write the bank, ``assessment.yml`` and the answer sheets; return the sheets' paths."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    bank = yaml.safe_dump(bank_data(), sort_keys=False, allow_unicode=True, width=100)
    (root / "bank.yml").write_text(bank, encoding="utf-8")
    (root / "assessment.yml").write_text(ASSESSMENT_YML, encoding="utf-8")
    offsets = [[rng.gauss(0, 0.1) for _ in QUESTION_IDS] for _ in DIMENSIONS]
    team_bias = {team: rng.uniform(0.3, 0.75) for team in TEAMS}
    paths = []
    for index in range(sheets):
        team = TEAMS[index % len(TEAMS)]
        lead = rng.random() < LEAD_SHARE
        role = "Team lead" if lead else "Agent"
        name = f"{'lead' if lead else 'agent'}-{index:05d}"
        bias = team_bias[team] + rng.gauss(0, 0.12) + (0.08 if lead else 0.0)
        folder = root / "answers" / ROUND / _slug(team)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.yml"
        path.write_text(sheet_text(name, team, role, bias, offsets, rng), encoding="utf-8")
        paths.append(path)
    return sorted(paths)


# Timing ------------------------------------------------------------------------------------


def bare_parse(paths: list[Path]) -> list[Any]:
    return [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in paths]


def load_score_plan(project: Path) -> TuneUpPlan:
    assessment = load_assessment(project)
    return plan(score_assessment(assessment), assessment.bank)


def score_plan(assessment: Assessment) -> TuneUpPlan:
    return plan(score_assessment(assessment), assessment.bank)


def time_score_plan(project: Path, repeat: int) -> float:
    """Best time of scoring and planning an assessment loaded beforehand, untimed.

    Loaded only here and freed on return: 10,000 live sheets make every full collection of
    the garbage collector slower, which would tilt the ratios of the other rows.
    """
    assessment = load_assessment(project)
    return min(timed(lambda: score_plan(assessment)) for _ in range(repeat))


def timed(run: Callable[[], object]) -> float:
    """Seconds one run takes; the result is freed after the clock stops."""
    gc.collect()
    start = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def environment() -> list[str]:
    libyaml = bool(getattr(yaml, "__with_libyaml__", False)) and hasattr(yaml, "CSafeLoader")
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    cpus = f"{os.cpu_count()}" + (f" ({affinity} usable)" if affinity is not None else "")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if load is not None:
        cpus += f", load average {load:.2f} (timings are noisy when it is near the CPU count)"
    return [
        f"Python {platform.python_version()} ({platform.python_implementation()}, "
        f"{platform.machine()}, {platform.system()})",
        f"PyYAML {yaml.__version__}, libyaml {'used' if libyaml else 'NOT available'}",
        f"CPUs: {cpus}",
    ]


def run(project: Path, paths: list[Path], repeat: int) -> None:
    sheets = len(paths)
    size = sum(p.stat().st_size for p in paths)
    for line in environment():
        print(line)
    print(f"Sheets: {sheets:,} ({size / sheets:,.0f} bytes each on average), best of {repeat}")
    print()

    if not hasattr(yaml, "CSafeLoader"):
        sys.exit("PyYAML is built without libyaml: yaml.CSafeLoader is missing")
    parsed = bare_parse(paths)
    if len(parsed) != sheets or not all(isinstance(d, dict) for d in parsed):
        sys.exit("the bare parse did not read every sheet as a mapping")
    del parsed
    checked = load_assessment(project)  # raises InputError if the project is not valid
    loaded = len(checked.round(ROUND).sheets)
    if loaded != sheets:
        sys.exit(f"load_assessment read {loaded} sheets, expected {sheets}")
    del checked

    interleaved: dict[str, Callable[[], object]] = {
        BARE: lambda: bare_parse(paths),
        "load + validate": lambda: load_assessment(project),
        FULL: lambda: load_score_plan(project),
    }
    best = dict.fromkeys(interleaved, float("inf"))
    for _ in range(repeat):  # interleaved, so drift in the machine hits every row alike
        for name, step in interleaved.items():
            best[name] = min(best[name], timed(step))
    best["score + plan only"] = time_score_plan(project, repeat)

    print(f"| step | seconds (best of {repeat}) | µs per sheet | {TIMES} bare parse |")
    print("|---|---:|---:|---:|")
    for name, seconds in best.items():
        print(
            f"| {name} | {seconds:.3f} | {seconds / sheets * 1e6:,.1f} "
            f"| {seconds / best[BARE]:.2f}{TIMES} |"
        )
    print()
    ratio = best[FULL] / best[BARE]
    verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
    print(f"target: load + validate + score ≤ {TARGET_RATIO}{TIMES} bare parse: {verdict}")
    print(f"(measured {ratio:.2f}{TIMES} with planning included)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sheets", type=int, default=10_000, help="answer sheets to write")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each step; best is kept")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="write the project here and keep it (new folder)"
    )
    args = parser.parse_args(argv)
    if args.sheets < 1 or args.repeat < 1:
        parser.error("--sheets and --repeat must be at least 1")

    if args.keep is not None:
        project: Path = args.keep
        if project.exists() and any(project.iterdir()):
            parser.error(f"--keep {project}: the folder is not empty")
        print(f"Writing {args.sheets:,} sheets to {project} ...", file=sys.stderr)
        run(project, write_project(project, args.sheets), args.repeat)
        return
    with tempfile.TemporaryDirectory(prefix="cxbench-") as folder:
        project = Path(folder) / "project"
        print(f"Writing {args.sheets:,} sheets to {project} ...", file=sys.stderr)
        run(project, write_project(project, args.sheets), args.repeat)


if __name__ == "__main__":
    main()
