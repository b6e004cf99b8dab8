"""A portfolio: every client's report site, each showing where it stands among the others,
and one site over them all.

:func:`build_portfolio` reads and scores every project first (a project with bad input is
reported and skipped, the others go on), computes the peer benchmark over all of them,
then builds the client sites in ``jobs`` worker processes, and the portfolio site with
them, all into one temporary folder beside the output that is swapped in at the end: the
output rules of :mod:`generator.site` apply (a marker file; a foreign non-empty folder is
refused; a failed build leaves the previous output as it was). Client sites go to
``OUT/clients/<slug>/``, the slug made from the project's folder name.
:func:`generate_portfolio` renders the portfolio site and writes nothing.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup
from slugify import slugify

from assessment.benchmark import (
    MIN_PEERS,
    ClientBenchmark,
    Distribution,
    benchmark,
    distributions,
)
from assessment.model import PROJECT_FILE, Assessment
from assessment.planning import TuneUpPlan
from assessment.problems import InputError
from assessment.scoring import Results

from .chart_specs import Chart, HeatmapSpec, format_score
from .engine import BuildError, WarmEngine, run_engine
from .figures import ChartSpec, chart_specs
from .pages import environment
from .resources import DEFAULT_OUT, base_config_path, site_templates_dir
from .site import (
    MARKER,
    BuildReport,
    cache_dir,
    check_output,
    generate,
    prepare,
    render_charts,
    source_date_epoch,
    swap_in,
    write_tree,
)

PORTFOLIO_NAME = "CX maturity portfolio"
CLIENTS_FOLDER = "clients"
"""Where the client sites go inside the portfolio's output folder."""
HEATMAP = "heatmap-clients"
PAGES = {"index.md": "portfolio/index.md.j2", "spread.md": "portfolio/spread.md.j2"}
_SLUG_LENGTH = 56  # room for a "-NN" suffix within the 64 characters of an id


class NoProjects(BuildError):
    """The folder holds no project (no subfolder with ``assessment.yml``)."""


@dataclass(frozen=True)
class Client:
    """A project that was read and scored: what the portfolio shows and builds."""

    slug: str
    project: Path
    assessment: Assessment
    results: Results
    plan: TuneUpPlan


@dataclass(frozen=True)
class Skipped:
    """A project left out, with its problems as printed (``path:line:col: key: message``)."""

    project: Path
    problems: tuple[str, ...]
    bad_input: bool
    """True for problems in the project's files; False when its site failed to build."""


@dataclass(frozen=True)
class PortfolioReport:
    """What a portfolio build did, for the command line and the benchmarks."""

    out: Path
    built: tuple[str, ...]
    """Slugs of the client sites built, under ``out/clients/``."""
    skipped: tuple[Skipped, ...]
    compared: bool
    """Whether the client reports show where they stand among peers."""
    charts_rendered: int
    written: bool
    """False when no client site could be built: nothing was written."""


@dataclass(frozen=True)
class Column:
    """A dimension of the portfolio's tables, by id, titled as its first client's bank has it."""

    id: str
    title: str


@dataclass(frozen=True)
class ClientRow:
    """One client in the portfolio's tables."""

    name: str
    slug: str
    built: bool
    respondents: int
    score: float | None
    level: str | None
    scores: tuple[float | None, ...]
    """One per :class:`Column`; ``None`` where the client's bank lacks the dimension."""


@dataclass(frozen=True)
class _ClientTask:
    """A client's site to build into ``site``, its MkDocs project written to ``project``."""

    client: Client
    peers: ClientBenchmark | None
    site: Path
    project: Path
    engine: str
    cache: Path | None


@dataclass(frozen=True)
class _SiteTask:
    """The portfolio site to build, linking to the ``built`` client sites."""

    clients: tuple[Client, ...]
    built: frozenset[str]
    skipped: tuple[Skipped, ...]
    site: Path
    project: Path
    engine: str
    cache: Path | None


# Reading --------------------------------------------------------------------------------------


def find_projects(folder: Path) -> list[Path]:
    """The immediate subfolders of ``folder`` holding an ``assessment.yml``, sorted by name.

    Each real project counts once, however many links lead to it: the real folder when it
    is in ``folder``, else the first link to it by name.
    """
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir(), key=lambda p: (p.is_symlink(), p.name)):
        if not path.is_dir() or not (path / PROJECT_FILE).is_file():
            continue
        found.setdefault(os.path.realpath(path), path)
    return sorted(found.values(), key=lambda p: p.name)


def client_slugs(projects: Sequence[Path]) -> dict[Path, str]:
    """A distinct, URL-safe slug per project, from its folder name (``-2``, ``-3`` on a clash)."""
    slugs: dict[Path, str] = {}
    taken: set[str] = set()
    for project in projects:
        base = slugify(project.name, max_length=_SLUG_LENGTH) or "client"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        slugs[project] = slug
    return slugs


def load_clients(projects: Sequence[Path]) -> tuple[list[Client], list[Skipped]]:
    """Read and score every project; one with bad input is skipped with its problems."""
    clients, skipped = [], []
    for project, slug in client_slugs(projects).items():
        try:
            assessment, results, plan = prepare(project)
        except InputError as error:
            skipped.append(Skipped(project, tuple(str(p) for p in error.problems), True))
        else:
            clients.append(Client(slug, project, assessment, results, plan))
    return clients, skipped


# The portfolio site (pure) --------------------------------------------------------------------


def columns(clients: Sequence[Client]) -> list[Column]:
    """Every dimension any client is asked, by id, in the order clients first ask them."""
    found: dict[str, str] = {}
    for client in clients:
        for dimension in client.assessment.bank.dimensions:
            found.setdefault(dimension.id, dimension.title)
    return [Column(id, title) for id, title in found.items()]


def client_rows(
    clients: Sequence[Client], columns: Sequence[Column], built: Collection[str]
) -> list[ClientRow]:
    """Each client's overall and dimension scores, one per column."""
    rows = []
    for client in clients:
        everyone = client.results.current.all
        scores = {d.id: d.score for d in everyone.dimensions}
        rows.append(
            ClientRow(
                name=client.assessment.settings.client,
                slug=client.slug,
                built=client.slug in built,
                respondents=client.results.current.respondents,
                score=everyone.score,
                level=everyone.level,
                scores=tuple(scores.get(c.id) for c in columns),
            )
        )
    return rows


def portfolio_specs(rows: Sequence[ClientRow], columns: Sequence[Column]) -> list[ChartSpec]:
    """The portfolio's charts: a heatmap of clients by dimensions."""
    if not rows or not columns:
        return []
    return [
        HeatmapSpec(
            HEATMAP,
            "Clients × dimensions",
            tuple(r.name for r in rows),
            tuple(c.title for c in columns),
            tuple(r.scores for r in rows),
        )
    ]


def _heatmap_alt(rows: Sequence[ClientRow], columns: Sequence[Column]) -> str:
    """The heatmap's alt text, naming its rows as clients (the chart's own says teams)."""
    parts = [
        f"Heatmap of scores out of 100 for {len(rows)} client{'s' * (len(rows) != 1)} across "
        f"{len(columns)} dimension{'s' * (len(columns) != 1)}, darker is higher."
    ]
    for row in rows:
        scores = ", ".join(
            f"{c.title} {format_score(s)}" for c, s in zip(columns, row.scores, strict=True)
        )
        parts.append(f"{row.name}: {scores}.")
    return " ".join(parts)


def portfolio_config() -> dict[str, Any]:
    """The root ``mkdocs.yml`` with the portfolio's neutral name and navigation."""
    config: dict[str, Any] = yaml.safe_load(base_config_path().read_text(encoding="utf-8"))
    config["site_name"] = PORTFOLIO_NAME
    config["site_description"] = "Customer-experience maturity of every client of a portfolio"
    config["copyright"] = "Made with cxmaturity"
    config["nav"] = [{"Clients": "index.md"}, {"Spread per dimension": "spread.md"}]
    config["extra_css"] = [*(config.get("extra_css") or []), "assets/cxmaturity.css"]
    return config


def generate_portfolio(
    rows: Sequence[ClientRow],
    columns: Sequence[Column],
    spreads: Sequence[Distribution],
    skipped: Sequence[Skipped],
    charts: Mapping[str, Chart],
) -> dict[str, bytes]:
    """The portfolio's MkDocs project as ``{relative path: content}``; writes nothing."""
    titles = {c.id: c.title for c in columns}
    scored = [r for r in rows if r.score is not None]
    context: dict[str, Any] = {
        "name": PORTFOLIO_NAME,
        "rows": rows,
        "columns": columns,
        "spreads": [
            ("Overall" if d.dimension is None else titles[d.dimension], d) for d in spreads
        ],
        "skipped": skipped,
        "charts": charts,
        "compared": len(scored) >= MIN_PEERS,
        "scored": len(scored),
        "min_peers": MIN_PEERS,
        "clients_folder": CLIENTS_FOLDER,
        "root": Markup(""),
    }
    env = environment()
    files = {
        f"docs/{path}": env.get_template(template).render(context).encode("utf-8")
        for path, template in PAGES.items()
    }
    for name, chart in charts.items():
        files[f"docs/assets/charts/{name}.svg"] = chart.svg.encode("utf-8")
    assets = site_templates_dir() / "assets"  # what the base configuration refers to
    for asset in sorted(assets.rglob("*")):
        if asset.is_file():
            files[f"docs/assets/{asset.relative_to(assets).as_posix()}"] = asset.read_bytes()
    header = (
        "# Generated by cxmaturity portfolio from the projects' YAML files: edit those.\n"
        "# Builds with `mkdocs build --strict` and with Zensical.\n"
    )
    config = yaml.safe_dump(portfolio_config(), sort_keys=False, allow_unicode=True, width=100)
    files["mkdocs.yml"] = (header + config).encode("utf-8")
    return dict(sorted(files.items()))


# Building -------------------------------------------------------------------------------------


def _build_client(task: _ClientTask) -> BuildReport | str:
    """Build one client's site into ``task.site``; a failed build returns its message.

    Runs in a worker process: everything it needs comes in ``task``, already read.
    """
    client = task.client
    assessment, results = client.assessment, client.results
    # MkDocs starts first, so that its imports overlap drawing and rendering.
    warm = WarmEngine() if task.engine == "mkdocs" else None
    try:
        charts, rendered = render_charts(chart_specs(assessment, results), task.cache, jobs=1)
        files = generate(assessment, results, client.plan, charts, task.peers)
        write_tree(files, task.project)
        epoch = source_date_epoch(assessment, results)
        task.site.parent.mkdir(parents=True, exist_ok=True)
        run_engine(task.engine, task.project, task.site, epoch, warm)
        (task.site / MARKER).write_text("Written by cxmaturity; replaced on every build.\n")
        pages = sum(1 for name in files if name.endswith(".md"))
        return BuildReport(task.site, pages, len(charts), rendered, task.engine)
    except (BuildError, OSError) as error:
        return f"{client.project}: site not built: {error}"
    finally:
        if warm is not None:
            warm.cancel()
        shutil.rmtree(task.project, ignore_errors=True)


def _build_portfolio_site(task: _SiteTask) -> int:
    """Build the portfolio site into ``task.site``; returns the charts drawn.

    Runs in a worker process when there are several jobs.
    """
    shutil.rmtree(task.project, ignore_errors=True)
    shutil.rmtree(task.site, ignore_errors=True)
    warm = WarmEngine() if task.engine == "mkdocs" else None
    try:
        table = columns(task.clients)
        rows = client_rows(task.clients, table, task.built)
        charts, rendered = render_charts(portfolio_specs(rows, table), task.cache, jobs=1)
        if HEATMAP in charts:
            charts[HEATMAP] = dataclasses.replace(charts[HEATMAP], alt=_heatmap_alt(rows, table))
        spreads = distributions({c.slug: c.results for c in task.clients})
        files = generate_portfolio(rows, table, spreads, task.skipped, charts)
        write_tree(files, task.project)
        epoch = max(source_date_epoch(c.assessment, c.results) for c in task.clients)
        run_engine(task.engine, task.project, task.site, epoch, warm)
    finally:
        if warm is not None:
            warm.cancel()
    return rendered


def _build_sites(
    tasks: Sequence[_ClientTask], site: _SiteTask, jobs: int
) -> tuple[list[BuildReport | str], int | None]:
    """Every client site, in ``jobs`` worker processes (in this one when ``jobs`` is 1).

    With several jobs the portfolio site is built alongside, first, expecting every client
    site to build, so that no process waits for it at the end. Returns each client's
    outcome and the charts the portfolio site drew (``None``: it was not built).
    """
    if jobs <= 1:
        return [_build_client(task) for task in tasks], None
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks) + 1)) as pool:
        portfolio_site = pool.submit(_build_portfolio_site, site)
        client_sites = [pool.submit(_build_client, task) for task in tasks]
        return [future.result() for future in client_sites], portfolio_site.result()


def build_portfolio(
    folder: str | Path,
    out: Path | None = None,
    *,
    jobs: int = 2,
    engine: str = "mkdocs",
    cache: Path | None = None,
) -> PortfolioReport:
    """Build every project under ``folder`` and the portfolio site over them into ``out``.

    Projects with bad input, or whose site fails to build, are skipped and reported;
    the others are built. Nothing is written when no client site can be built. Raises
    :class:`NoProjects`, :class:`~generator.engine.OutputRefused`, or
    :class:`~generator.engine.BuildError` when the portfolio site itself fails.
    """
    folder = Path(folder)
    target = out if out is not None else folder / DEFAULT_OUT
    check_output(target)
    projects = find_projects(folder) if folder.is_dir() else []
    if not projects:
        raise NoProjects(f"{folder}: no project found (no subfolder holds {PROJECT_FILE})")
    clients, skipped = load_clients(projects)
    if not clients:
        return PortfolioReport(target, (), tuple(skipped), False, 0, False)
    peers = benchmark({c.slug: c.results for c in clients})
    cache = cache if cache is not None else cache_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        tasks = [
            _ClientTask(
                c,
                peers[c.slug],
                work / CLIENTS_FOLDER / c.slug,
                work / "projects" / c.slug,
                engine,
                cache,
            )
            for c in clients
        ]
        everyone = frozenset(c.slug for c in clients)
        site = _SiteTask(
            tuple(clients),
            everyone,
            tuple(skipped),
            work / "result",
            work / "portfolio",
            engine,
            cache,
        )
        outcomes, site_charts = _build_sites(tasks, site, jobs)
        built: set[str] = set()
        rendered = 0
        for task, outcome in zip(tasks, outcomes, strict=True):
            if isinstance(outcome, str):
                skipped.append(Skipped(task.client.project, (outcome,), False))
            else:
                built.add(task.client.slug)
                rendered += outcome.charts_rendered
        skipped.sort(key=lambda s: s.project.name)
        if not built:  # a portfolio of failures would only hide the previous output
            return PortfolioReport(target, (), tuple(skipped), False, rendered, False)
        if site_charts is None or built != everyone:
            # Not built yet (one job), or built expecting a client site that failed.
            final = dataclasses.replace(site, built=frozenset(built), skipped=tuple(skipped))
            site_charts = _build_portfolio_site(final)
        rendered += site_charts
        if (work / CLIENTS_FOLDER).is_dir():
            os.replace(work / CLIENTS_FOLDER, work / "result" / CLIENTS_FOLDER)
        swap_in(work / "result", target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    compared = any(p.shown for p in peers.values())
    return PortfolioReport(target, tuple(sorted(built)), tuple(skipped), compared, rendered, True)
