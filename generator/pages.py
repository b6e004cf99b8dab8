"""The report's pages as Markdown, rendered from the Jinja templates in ``site_templates/``.

:func:`render_pages` returns ``{relative path: text}`` and writes nothing. Every value a
template prints goes through :func:`generator.text.as_text` (Jinja's ``finalize``), so text
from answer sheets and ``assessment.yml`` can never become Markdown or HTML; the filters
below return :class:`Markup` for what we format ourselves.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

from assessment.benchmark import MIN_PEERS, ClientBenchmark
from assessment.formats import ID_PATTERN
from assessment.loading import DEFAULT_ROUND
from assessment.model import Assessment, Dimension, Question, Round
from assessment.planning import PlanItem, TuneUpPlan
from assessment.scoring import (
    DISAGREEMENT_MIN_N,
    DISAGREEMENT_SD,
    PERCEPTION_GAP,
    GroupResult,
    Results,
)

from .bank_html import bank_line, bank_markdown, project_images
from .chart_specs import Chart
from .figures import round_name, short_label
from .resources import cache_root, site_templates_dir
from .text import as_text, as_theme_text

PAGES = {
    "index.md": "home.md.j2",
    "plan.md": "plan.md.j2",
    "teams.md": "teams.md.j2",
    "roles.md": "roles.md.j2",
    "progress.md": "progress.md.j2",
    "methodology.md": "methodology.md.j2",
    "bank.md": "bank.md.j2",
    "downloads.md": "downloads.md.j2",
}
DIMENSION_TEMPLATE = "dimension.md.j2"
PEERS_PAGE = "peers.md"
PEERS_TEMPLATE = "peers.md.j2"
"""Where the client stands among the other clients of a portfolio (only built by one)."""
TOP_ITEMS = 5
_ID = re.compile(ID_PATTERN)


@dataclass(frozen=True)
class Note:
    """A note from an answer sheet, with who wrote it only when the report may say so."""

    question: str
    text: str
    team: str | None
    respondent: str | None


@dataclass(frozen=True)
class ReportContext:
    """Everything the templates see; built once so every page shows the same figures."""

    assessment: Assessment
    results: Results
    plan: TuneUpPlan
    charts: Mapping[str, Chart]
    notes: Mapping[str, tuple[Note, ...]]
    generated_for: dt.date | None
    peers: ClientBenchmark | None = None
    """The client among its portfolio's peers; ``None`` outside a portfolio."""


def _score(value: float | None) -> Markup:
    return Markup("—") if value is None else Markup(f"{value:.1f}")


def _whole(value: float | None) -> Markup:
    return Markup("—") if value is None else Markup(f"{value:.0f}")


def _delta(value: float | None) -> Markup:
    if value is None:
        return Markup("")
    if abs(value) < 0.05:
        return Markup("±0.0")
    return Markup(f"{value:+.1f}".replace("-", "−"))


def _number(value: float) -> Markup:
    return Markup(f"{value:g}")


def _percent(value: float | None) -> Markup:
    return Markup("—") if value is None else Markup(f"{value * 100:.0f}%")


def _date(value: dt.date | None) -> Markup:
    return Markup("date not set") if value is None else Markup(f"{value.day} {value:%B %Y}")


def _url_id(value: str) -> Markup:
    """An id (validated as lowercase letters, digits, - and _) used inside a link."""
    if not _ID.match(value):
        raise ValueError(f"not an id: {value!r}")
    return Markup(value)


def _key(value: str) -> Markup:
    """A question key (two validated ids and a dot), shown as written, e.g. in code."""
    dimension, _, question = value.partition(".")
    return Markup(f"{_url_id(dimension)}.{_url_id(question)}")


def _anchor(value: str) -> Markup:
    """A heading anchor made from ids: lowercase letters, digits, - and _ only."""
    return Markup(re.sub(r"[^a-z0-9_-]", "-", value.lower()))


def _markdown(text: str) -> Markup:
    return bank_markdown(text)


def _one_line(text: str) -> Markup:
    return bank_line(text)


def round_date(round_: Round, assessment: Assessment) -> dt.date | None:
    return round_.date or assessment.settings.date


def collect_notes(assessment: Assessment, round_: Round) -> dict[str, tuple[Note, ...]]:
    """Notes per question key, anonymised unless ``report.show_respondents`` is set.

    The team is named only when the team is large enough to be shown on its own.
    """
    settings = assessment.settings
    sizes: dict[str, int] = {}
    for sheet in round_.sheets:
        sizes[sheet.team] = sizes.get(sheet.team, 0) + 1
    notes: dict[str, list[Note]] = {}
    for sheet in round_.sheets:
        for key, answer in sheet.answers.items():
            if answer.note and answer.note.strip():
                team = sheet.team if sizes[sheet.team] >= settings.min_group_size else None
                respondent = sheet.respondent if settings.show_respondents else None
                if settings.show_respondents:
                    team = sheet.team
                notes.setdefault(key, []).append(Note(key, answer.note.strip(), team, respondent))
    return {key: tuple(items) for key, items in sorted(notes.items())}


NUMBER_FILTERS: dict[str, Callable[..., Markup | str]] = {
    "score": _score,
    "whole": _whole,
    "delta": _delta,
    "percent": _percent,
    "date": _date,
    "number": _number,
    "url_id": _url_id,
    "key": _key,
    "short": short_label,
}
"""How every page, on the site and in the PDF, shows numbers, dates and ids."""


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs: compiling them costs more than rendering."""
    folder = cache_root() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def environment() -> jinja2.Environment:
    """The Jinja environment for page templates: strict, escaping every printed value."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(site_templates_dir()),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=as_text,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters |= NUMBER_FILTERS | {
        "markdown": _markdown,
        "one_line": _one_line,
        "text": as_text,
        "anchor": _anchor,
    }
    return env


class ReportHelpers:
    """Look-ups the templates need, so they stay free of logic."""

    def __init__(self, context: ReportContext) -> None:
        self.context = context
        bank = context.assessment.bank
        self.dimensions: tuple[Dimension, ...] = bank.dimensions
        self.questions: Mapping[str, Question] = bank.questions

    def dimension(self, dimension_id: str) -> Dimension:
        return next(d for d in self.dimensions if d.id == dimension_id)

    def group_dimensions(self, group: GroupResult) -> list[tuple[Dimension, Any]]:
        return list(zip(self.dimensions, group.dimensions, strict=True))

    def items_for(self, dimension_id: str) -> tuple[PlanItem, ...]:
        return tuple(i for i in self.context.plan.items if i.dimension == dimension_id)

    def round_name(self, round_id: str) -> str:
        return round_name(self.context.assessment, round_id)

    def named_round(self, round_: Round) -> bool:
        """Whether the round is worth naming: rounds were listed, or it has a title."""
        return round_.id != DEFAULT_ROUND or round_.title is not None

    def level_description(self, name: str | None) -> str:
        for level in self.context.assessment.bank.levels:
            if level.name == name:
                return level.description
        return ""


def template_values(context: ReportContext) -> dict[str, Any]:
    """What every report template sees (site pages and the printed report alike)."""
    assessment = context.assessment
    current = assessment.round(context.results.current.id)
    previous = assessment.round(context.results.previous.id) if context.results.previous else None
    return {
        "a": assessment,
        "settings": assessment.settings,
        "bank": assessment.bank,
        "results": context.results,
        "now": context.results.current,
        "everyone": context.results.current.all,
        "plan": context.plan,
        "charts": context.charts,
        "notes": context.notes,
        "round": current,
        "round_date": round_date(current, assessment),
        "previous": previous,
        "h": ReportHelpers(context),
        "top_items": TOP_ITEMS,
        "thresholds": {
            "disagreement_sd": DISAGREEMENT_SD,
            "disagreement_min_n": DISAGREEMENT_MIN_N,
            "perception_gap": PERCEPTION_GAP,
        },
    }


def render_pages(context: ReportContext) -> dict[str, str]:
    """Every page of the report as ``{path under docs/: Markdown}``."""
    env = environment()
    assessment = context.assessment
    images = project_images(assessment.root)
    env.filters["markdown"] = functools.partial(bank_markdown, images=images)
    env.filters["one_line"] = functools.partial(bank_line, images=images)
    common = template_values(context)
    pages = {}
    for path, template in PAGES.items():
        depth = path.count("/")
        pages[path] = env.get_template(template).render(common, root=Markup("../" * depth))
    for dimension in assessment.bank.dimensions:
        result = context.results.current.all.dimension(dimension.id)
        pages[f"dimensions/{dimension.id}.md"] = env.get_template(DIMENSION_TEMPLATE).render(
            common, root=Markup("../"), dimension=dimension, result=result
        )
    peers = context.peers
    if peers is not None and peers.shown:
        peers_template = env.get_template(PEERS_TEMPLATE)
        for part, path in (("page", PEERS_PAGE), ("home", "index.md")):
            text = peers_template.render(
                common, root=Markup(""), peers=peers, min_peers=MIN_PEERS, part=part
            )
            pages[path] = text if part == "page" else pages[path] + text
    return pages


def nav(assessment: Assessment, peers: ClientBenchmark | None = None) -> list[Any]:
    """The site navigation, in reading order (with the peers page when it is built)."""
    among_peers = [{"Among peers": PEERS_PAGE}] if peers is not None and peers.shown else []
    return [
        {"Summary": "index.md"},
        {"Tune-up plan": "plan.md"},
        {
            "Dimensions": [
                {as_theme_text(d.title): f"dimensions/{d.id}.md"}
                for d in assessment.bank.dimensions
            ]
        },
        *among_peers,
        {"Teams": "teams.md"},
        {"Leaders and front line": "roles.md"},
        {"Progress": "progress.md"},
        {"Methodology": "methodology.md"},
        {"Question bank": "bank.md"},
        {"Downloads": "downloads.md"},
    ]
