"""Build the report site: generate the MkDocs project, run the engine, swap the result in.

Reading, scoring and rendering happen first and write nothing (:func:`generate`); only
:func:`build` touches the disk, and it builds into a temporary folder next to the output
and swaps it in only when the engine succeeded, so a failed build leaves the previous site
as it was. Output folders carry a marker file; a non-empty folder without it is never
written to, and nothing is deleted that does not carry our marker.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import signal
from collections.abc import Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assessment.benchmark import ClientBenchmark
from assessment.cells import records_csv
from assessment.document import CSV_COLUMNS, results_document, results_rows
from assessment.loading import MATERIAL_COLOURS, load_assessment
from assessment.model import PROJECT_FILE, Assessment
from assessment.planning import TuneUpPlan
from assessment.planning import plan as make_plan
from assessment.problems import InputError, Problem
from assessment.scoring import Results, score_assessment

from .chart_specs import Chart, spec_key
from .colours import SLATE_BACKGROUND, WHITE, readable_on
from .engine import BuildError, WarmEngine, run_engine
from .figures import ChartSpec, chart_specs
from .files import write_atomic
from .form import site_files as form_site_files
from .output import MARKER as MARKER  # where the portfolio and the tests find them
from .output import Notify, building
from .output import check_output as check_output
from .output import swap_in as swap_in
from .output import write_tree as write_tree
from .pages import ReportContext, collect_notes, nav, render_pages
from .resources import DEFAULT_OUT, base_config_path, cache_root, site_templates_dir
from .text import as_theme_text

PARALLEL_FROM = 6
"""Render charts in worker processes when at least this many need drawing."""


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the command line and the benchmarks."""

    out: Path
    pages: int
    charts: int
    charts_rendered: int
    engine: str | None
    warnings: tuple[Problem, ...] = ()


# Charts, rendered once per distinct content ------------------------------------------------


def cache_dir() -> Path:
    """Where rendered charts are kept, keyed by a hash of their content."""
    return cache_root() / "charts"


def quiet_worker() -> None:
    """Start a worker process: Ctrl-C and SIGTERM are for the main process, which then
    stops its workers itself (a worker of its own would print a traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def render_charts(
    specs: list[ChartSpec],
    cache: Path | None,
    jobs: int = 2,
    pool: Executor | None = None,
) -> tuple[dict[str, Chart], int]:
    """Every chart, from the cache where possible; returns the charts and how many were drawn.

    Many charts are drawn in ``jobs`` worker processes; a given ``pool`` (kept warm by the
    live preview) is used whenever more than one chart needs drawing.
    """
    charts: dict[str, Chart] = {}
    missing: list[tuple[str, ChartSpec]] = []
    for spec in specs:
        key = spec_key(spec)
        cached = _cached(cache, key, spec.name) if cache else None
        if cached is not None:
            charts[spec.name] = cached
        else:
            missing.append((key, spec))
    if not missing:
        return charts, 0
    from .charts import render  # matplotlib is imported only when a chart must be drawn

    if pool is not None and len(missing) > 1:
        drawn = list(pool.map(render, [spec for _, spec in missing]))
    elif len(missing) >= PARALLEL_FROM and jobs > 1:
        workers = min(jobs, len(missing))
        with ProcessPoolExecutor(max_workers=workers, initializer=quiet_worker) as pool:
            drawn = list(pool.map(render, [spec for _, spec in missing]))
    else:
        drawn = [render(spec) for _, spec in missing]
    for (key, spec), chart in zip(missing, drawn, strict=True):
        charts[spec.name] = chart
        if cache is not None:
            _store(cache, key, chart)
    return {spec.name: charts[spec.name] for spec in specs}, len(missing)


def _cached(cache: Path, key: str, name: str) -> Chart | None:
    try:
        svg = (cache / f"{key}.svg").read_text(encoding="utf-8")
        alt = json.loads((cache / f"{key}.json").read_text(encoding="utf-8"))["alt"]
    except (OSError, ValueError, KeyError):
        return None
    return Chart(name=name, svg=svg, alt=alt)


def _store(cache: Path, key: str, chart: Chart) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        write_atomic(cache / f"{key}.json", json.dumps({"alt": chart.alt}).encode())
        write_atomic(cache / f"{key}.svg", chart.svg.encode())
    except OSError:
        pass  # a cache that cannot be written only costs time


# The generated project ------------------------------------------------------------------------


def _palette_colour(name: str) -> str:
    return name if name in MATERIAL_COLOURS else "custom"


def site_config(
    assessment: Assessment, logo_name: str | None, peers: ClientBenchmark | None = None
) -> dict[str, Any]:
    """The root ``mkdocs.yml`` with this report's name, branding and navigation filled in."""
    config: dict[str, Any] = yaml.safe_load(base_config_path().read_text(encoding="utf-8"))
    settings = assessment.settings
    # The theme prints these itself, some raw: they are made safe here, once.
    client = as_theme_text(settings.client)
    config["site_name"] = f"{client}: CX maturity"
    config["site_description"] = f"Customer-experience maturity assessment of {client}"
    config["copyright"] = f"Assessment of {client}, made with cxmaturity"
    config["nav"] = nav(assessment, peers)
    theme = config.setdefault("theme", {})
    palettes = theme.get("palette") or [{}]
    for palette in palettes if isinstance(palettes, list) else [palettes]:
        palette["primary"] = _palette_colour(settings.primary)
        palette["accent"] = _palette_colour(settings.accent)
    if logo_name:
        theme["logo"] = f"assets/{logo_name}"
        theme["favicon"] = f"assets/{logo_name}"
    css = list(config.get("extra_css") or [])
    css.append("assets/cxmaturity.css")
    if "custom" in (_palette_colour(settings.primary), _palette_colour(settings.accent)):
        css.append("assets/branding.css")
    config["extra_css"] = css
    return config


def _branding_css(assessment: Assessment) -> str:
    """The client's ``#rrggbb`` colours for the theme, in the shades that can be read.

    The header (white text on it) and links on white use the nearest shade of the primary
    colour that reaches 4.5:1 against white; links on the dark scheme's background one that
    reaches it there. The colour as given stays for what only decorates.
    """
    settings = assessment.settings
    rules = []
    if _palette_colour(settings.primary) == "custom":
        primary = settings.primary.lower()
        rules += [
            f'[data-md-color-primary="custom"] {{ --md-primary-fg-color: {primary}; '
            f"--md-primary-fg-color--light: {primary}; "
            f"--md-primary-fg-color--dark: {readable_on(primary, WHITE)}; }}",
            '[data-md-color-scheme="slate"][data-md-color-primary="custom"] '
            f"{{ --md-typeset-a-color: {readable_on(primary, SLATE_BACKGROUND)}; }}",
        ]
    if _palette_colour(settings.accent) == "custom":
        rules.append(
            f'[data-md-color-accent="custom"] {{ --md-accent-fg-color: {settings.accent}; }}'
        )
    return "\n".join(rules) + "\n"


def _scores_csv(results: Results) -> str:
    rows = [row for by in (None, "team", "role") for row in results_rows(results, by)]
    return records_csv(CSV_COLUMNS, rows)


def generate(
    assessment: Assessment,
    results: Results,
    plan: TuneUpPlan,
    charts: Mapping[str, Chart],
    peers: ClientBenchmark | None = None,
) -> dict[str, bytes]:
    """The whole MkDocs project as ``{relative path: content}``; writes nothing.

    ``peers`` (from a portfolio build) adds the page on where the client stands among them.
    """
    files: dict[str, bytes] = {}
    notes = collect_notes(assessment, assessment.round(results.current.id))
    context = ReportContext(assessment, results, plan, charts, notes, None, peers)
    for path, text in render_pages(context).items():
        files[f"docs/{path}"] = text.encode("utf-8")
    for path, text in form_site_files(context).items():
        files[path] = text.encode("utf-8")
    for name, chart in charts.items():
        files[f"docs/assets/charts/{name}.svg"] = chart.svg.encode("utf-8")
    assets = site_templates_dir() / "assets"
    for asset in sorted(assets.rglob("*")):
        if asset.is_file():
            files[f"docs/assets/{asset.relative_to(assets).as_posix()}"] = asset.read_bytes()
    logo_name = None
    if assessment.settings.logo:
        logo = Path(assessment.root) / assessment.settings.logo
        logo_name = f"logo{logo.suffix.lower()}"
        files[f"docs/assets/{logo_name}"] = logo.read_bytes()
    config = site_config(assessment, logo_name, peers)
    if "assets/branding.css" in config["extra_css"]:
        files["docs/assets/branding.css"] = _branding_css(assessment).encode()
    document = results_document(assessment, results, plan)
    files["docs/downloads/scores.json"] = (
        json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    files["docs/downloads/scores.csv"] = _scores_csv(results).encode("utf-8")
    header = (
        "# Generated by cxmaturity from the project's YAML files: edit those, not this.\n"
        "# Builds with `mkdocs build --strict` and with Zensical.\n"
    )
    files["mkdocs.yml"] = (
        header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    ).encode("utf-8")
    return dict(sorted(files.items()))


def source_date_epoch(assessment: Assessment, results: Results) -> int:
    """The assessment's date as seconds since 1970, so the same inputs give the same bytes."""
    round_ = assessment.round(results.current.id)
    date = round_.date or assessment.settings.date or dt.date(2000, 1, 1)
    return calendar.timegm(date.timetuple())


def prepare(
    project: str | Path, round_id: str | None = None
) -> tuple[Assessment, Results, TuneUpPlan]:
    """Read, validate and score a project (raises ``InputError`` on bad input)."""
    assessment = load_assessment(project)
    known = [r.id for r in assessment.rounds]
    if round_id is not None and round_id not in known:
        where = str(Path(project) / PROJECT_FILE)
        message = f"unknown round '{round_id}'; rounds are: {', '.join(known)}"
        raise InputError([Problem(where, 0, 0, "rounds", message)])
    results = score_assessment(assessment, round_id)
    return assessment, results, make_plan(results, assessment.bank)


def build(
    project: str | Path,
    out: Path | None = None,
    *,
    engine: str = "mkdocs",
    docs_only: bool = False,
    jobs: int = 2,
    cache: Path | None = None,
    round_id: str | None = None,
    warm: WarmEngine | None = None,
    peers: ClientBenchmark | None = None,
    notify: Notify | None = None,
) -> BuildReport:
    """Build a project's report site (or only its MkDocs project with ``docs_only``).

    ``warm`` is an engine the caller started early (MkDocs only); one is started here
    otherwise. ``peers`` adds where the client stands among a portfolio's other clients.
    ``notify`` is told when the build waits for another one writing the same folder.
    """
    if warm is None and engine == "mkdocs" and not docs_only:
        warm = WarmEngine()
    try:
        return _build(project, out, engine, docs_only, jobs, cache, round_id, warm, peers, notify)
    finally:
        if warm is not None:
            warm.cancel()


def _build(
    project: str | Path,
    out: Path | None,
    engine: str,
    docs_only: bool,
    jobs: int,
    cache: Path | None,
    round_id: str | None,
    warm: WarmEngine | None,
    peers: ClientBenchmark | None,
    notify: Notify | None,
) -> BuildReport:
    assessment, results, plan = prepare(project, round_id)
    target = out if out is not None else Path(project) / DEFAULT_OUT
    check_output(target)  # before the work: checked again under the lock
    specs = chart_specs(assessment, results)
    charts, rendered = render_charts(specs, cache if cache is not None else cache_dir(), jobs)
    files = generate(assessment, results, plan, charts, peers)
    pages = sum(1 for name in files if name.endswith(".md"))
    with building(target, notify) as work:
        try:
            if docs_only:
                write_tree(files, work / "result")
            else:
                write_tree(files, work / "project")
                epoch = source_date_epoch(assessment, results)
                run_engine(engine, work / "project", work / "result", epoch, warm)
            swap_in(work / "result", target)
        except OSError as error:
            raise BuildError(
                f"{target}: not built ({error.strerror}); the previous output is untouched"
            ) from None
    return BuildReport(
        target,
        pages,
        len(charts),
        rendered,
        None if docs_only else engine,
        assessment.warnings,
    )
