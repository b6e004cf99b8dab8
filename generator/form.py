"""The answer form: the bank as one self-contained HTML page that writes an answer sheet.

The page carries everything it uses (its style and script inline, the logo as a ``data:``
URI) and a Content-Security-Policy that allows nothing else: no request leaves it, so it
works from a share, an e-mail attachment or ``file://`` as well as on the report site.
Its script (``site_templates/form/form.js``) keeps a draft in the browser and writes the
answers in the layout of ``cxmaturity template``.

:func:`render_form` is pure; :func:`load_form_settings` and :func:`form_settings` gather
what it needs from a project folder or from a loaded assessment.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from assessment.logo import image_kind, image_problem
from assessment.model import PROJECT_FILE, Assessment, Bank
from assessment.names import folded
from assessment.problems import InputError, Problem, did_you_mean
from assessment.sheet_files import DEFAULT_ROUND
from assessment.sheets import FACT_HINT, section_comment, sheet_title

from .bank_html import ImageSource, bank_html, project_images
from .cli import SCHEMA_FOLDER, SHEET_SCHEMA
from .resources import site_templates_dir
from .text import without_controls

if TYPE_CHECKING:
    from .pages import ReportContext

FORM_FOLDER = "form"
FORM_TEMPLATE = "form.html.j2"
FORM_SCRIPT = "form.js"
FORM_STYLE = "form.css"
SITE_PAGE_TEMPLATE = "form/answer.md.j2"
SITE_FORM = "downloads/answer-form.html"
"""Where the form itself is on the report site (beside the other downloads)."""
GENERATOR = "cxmaturity answer form"
"""The page's ``<meta name="generator">``: how ``cxmaturity form`` recognises a file it wrote."""
TEAM_MISSING = "Choose or type your team: your answers count for it."
SECONDS_PER_QUESTION = 20
MAX_LOGO_BYTES = 60_000
"""A larger logo is left out of the form: a form should stay small enough to e-mail."""
RASTER_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WebP": "image/webp"}
"""The logos the form inlines, by :func:`assessment.logo.image_kind`, with their media type."""
_WHITE = "#ffffff"
_INK = "#1f2328"
LIGHT_GROUNDS = ("#ffffff", "#f5f7f9")
DARK_GROUNDS = ("#15171c", "#1e2229")
"""The page's background and card colours (form.css) in each scheme."""
TEXT_CONTRAST = 4.5


@dataclass(frozen=True)
class FormSettings:
    """What the form shows besides the bank: whose it is, who answers and for which round."""

    client: str
    primary: str = "indigo"
    logo: str | None = None
    """The logo as a ``data:`` URI, only ever a raster image."""
    teams: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    round_id: str | None = None
    round_title: str | None = None


# Colours --------------------------------------------------------------------------------------


def _mixed(colour: str, towards: str, share: float) -> str:
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    targets = [int(towards[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(c + (t - c) * share):02x}" for c, t in zip(channels, targets, strict=True)
    )


def _shade(colour: str, grounds: tuple[str, ...], towards: str) -> tuple[float, str]:
    """``colour`` moved towards ``towards`` (black or white) just enough to be read on every
    ground, with how far it moved (0 to 1)."""
    from .pdf import contrast  # the report's one contrast rule (pdf imports site: not at the top)

    share = 0.0
    shade = colour
    while min(contrast(shade, ground) for ground in grounds) < TEXT_CONTRAST and share < 1:
        share = round(share + 0.05, 2)
        shade = _mixed(colour, towards, share)
    return share, shade


def form_colours(primary: str) -> dict[str, str]:
    """The branding as the form's stylesheet uses it, readable in both colour schemes.

    ``brand`` fills the header band and the main button, under ``on-brand`` text: white on
    a dark colour, ink on a light one; a colour on which neither reads well (teal,
    orange...) is darkened or lightened, whichever changes it less. ``ink-light`` and
    ``ink-dark`` are the colour darkened or lightened just enough for links, borders and
    focus rings on each scheme's background.
    """
    from .pdf import colour_hex

    colour = colour_hex(primary)
    (_, band, text) = min(
        (*_shade(colour, (text,), towards), text)
        for text, towards in ((_WHITE, "#000000"), (_INK, "#ffffff"))
    )
    return {
        "brand": band,
        "on-brand": text,
        "ink-light": _shade(colour, LIGHT_GROUNDS, "#000000")[1],
        "ink-dark": _shade(colour, DARK_GROUNDS, "#ffffff")[1],
    }


# The logo -------------------------------------------------------------------------------------


def logo_data_uri(path: Path) -> tuple[str | None, str | None]:
    """The logo as a ``data:`` URI when it is a small PNG, JPEG or WebP image; else why not.

    The logo has passed :func:`assessment.logo.logo_problem` when the project loaded; the
    form still inlines only raster images (an SVG is a document of its own), and only
    small ones, so that the form stays light enough to e-mail.
    """
    problem = image_problem(path)
    if problem is not None:
        return None, problem
    content = path.read_bytes()
    kind = image_kind(content)
    if kind not in RASTER_TYPES:
        article = "an" if kind == "SVG" else "a"
        return None, f"is {article} {kind} image (the form takes PNG, JPEG or WebP)"
    if len(content) > MAX_LOGO_BYTES:
        return None, f"is {len(content):,} bytes (the form takes at most {MAX_LOGO_BYTES:,})"
    return f"data:{RASTER_TYPES[kind]};base64,{base64.b64encode(content).decode('ascii')}", None


# Gathering the settings -------------------------------------------------------------------------


def _roles(leadership: tuple[str, ...], frontline: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*leadership, *frontline)))


def _round(
    round_ids: list[str], titles: Mapping[str, str | None], round_id: str | None, where: str
) -> tuple[str | None, str | None]:
    if not round_ids:
        if round_id is not None:
            raise InputError(
                [Problem(where, 0, 0, "rounds", f"--round {round_id}: this project has no rounds")]
            )
        return None, None
    chosen = round_id if round_id is not None else round_ids[-1]
    if chosen not in round_ids:
        message = f"unknown round '{chosen}'" + did_you_mean(chosen, round_ids)
        raise InputError(
            [Problem(where, 0, 0, "rounds", f"{message}; rounds are {', '.join(round_ids)}")]
        )
    return chosen, titles.get(chosen)


def load_form_settings(
    project: str | Path, round_id: str | None = None
) -> tuple[Bank, FormSettings, list[str]]:
    """The bank and settings of a project's form, reading ``assessment.yml`` and the bank only.

    Answer sheets are not read: a broken sheet must not stop anyone from answering. Returns
    what is worth a warning (a logo left out) as the third item.
    """
    from assessment.loading import load_assessment

    root = Path(project)
    setup = load_assessment(project, with_sheets=False)
    settings, bank = setup.settings, setup.bank
    where = str(root / PROJECT_FILE)
    named = [r for r in setup.rounds if r.id != DEFAULT_ROUND]
    chosen, title = _round([r.id for r in named], {r.id: r.title for r in named}, round_id, where)
    if any(r.id == chosen and r.bank is not None for r in setup.rounds):
        message = (
            f"round '{chosen}' was answered on a bank of its own; the form asks the "
            "assessment's bank, so give a round without one"
        )
        raise InputError([Problem(where, 0, 0, "rounds", message)])
    warnings = []
    logo = None
    if settings.logo:
        logo, why = logo_data_uri(root / settings.logo)
        if why:
            warnings.append(f"{root / settings.logo}: left out of the form: the logo {why}")
    form = FormSettings(
        client=settings.client,
        primary=settings.primary,
        logo=logo,
        teams=settings.teams,
        roles=_roles(settings.leadership_roles, settings.frontline_roles),
        round_id=chosen,
        round_title=title,
    )
    return bank, form, warnings


def form_settings(assessment: Assessment, round_id: str) -> FormSettings:
    """The form's settings for ``round_id`` from a loaded assessment (the site's form)."""
    settings = assessment.settings
    logo = None
    if settings.logo:
        logo, _ = logo_data_uri(Path(assessment.root) / settings.logo)
    round_ = assessment.round(round_id)
    return FormSettings(
        client=settings.client,
        primary=settings.primary,
        logo=logo,
        teams=settings.teams,
        roles=_roles(settings.leadership_roles, settings.frontline_roles),
        round_id=None if round_.id == DEFAULT_ROUND else round_.id,
        round_title=round_.title,
    )


def checked_team(team: str, settings: FormSettings) -> str:
    """``--team`` as the project lists it (any case), or raise when it is not listed."""
    team = " ".join(team.split())
    if not team or not settings.teams:
        return team
    for name in settings.teams:
        if folded(name) == folded(team):
            return name
    message = f"unknown team '{team}'" + did_you_mean(team, settings.teams)
    raise InputError(
        [Problem("--team", 0, 0, "", f"{message}; teams are {', '.join(settings.teams)}")]
    )


# The page ---------------------------------------------------------------------------------------


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(script: str, style: str) -> str:
    """Nothing but the page's own script and style (by hash) and ``data:`` images."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {_sha256(script)}",
            f"style-src {_sha256(style)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _shown(value: object) -> object:
    """Text as the page shows it: without control characters and bidi overrides (names
    come from people), then HTML-escaped by the environment; our own markup passes."""
    return (
        value
        if isinstance(value, Markup) or not isinstance(value, str)
        else without_controls(value)
    )


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(site_templates_dir() / FORM_FOLDER),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_shown,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _inline(name: str, closing: str) -> str:
    text = (site_templates_dir() / FORM_FOLDER / name).read_text(encoding="utf-8")
    if closing in text.lower():
        raise ValueError(f"{name} contains {closing}, which would end it early in the page")
    return text


def schema_line(round_id: str | None) -> str:
    """The sheet's first line, for where ``collect`` files it: ``answers/[<round>/]<team>/``."""
    depth = 3 if round_id else 2
    return f"yaml-language-server: $schema={'../' * depth}{SCHEMA_FOLDER}/{SHEET_SCHEMA}"


def draft_key(bank: Bank, settings: FormSettings) -> str:
    """Where the browser keeps the draft: one per bank version, round and client (one
    browser may hold the forms of several clients: a consultant's)."""
    return f"cxmaturity-form:{bank.id}:{bank.version}:{settings.round_id or ''}:{settings.client}"


def render_form(
    bank: Bank, settings: FormSettings, team: str = "", images: ImageSource | None = None
) -> str:
    """The whole form as one HTML page; ``team`` is filled in (``--team``).

    Bank Markdown is shown as the site shows it (:func:`generator.bank_html.bank_html`),
    its images, from ``images``, inlined as ``data:`` URIs.
    """
    markdown = functools.partial(bank_html, images=images)
    colours = form_colours(settings.primary)
    variables = "".join(f"--{name}:{value};" for name, value in colours.items())
    style = f":root{{{variables}}}\n" + _inline(FORM_STYLE, "</style")
    script = _inline(FORM_SCRIPT, "</script")
    written = f"Written by the answer form of {settings.client}'s assessment" + (
        f", round {settings.round_id}." if settings.round_id else "."
    )
    header = [schema_line(settings.round_id), sheet_title(bank).removeprefix("# "), written]
    sections = {d.id: section_comment(d).strip().removeprefix("# ") for d in bank.dimensions}
    questions = list(bank.questions.values())
    minutes = max(5, 5 * math.ceil(len(questions) * SECONDS_PER_QUESTION / 60 / 5))
    round_label = None
    if settings.round_id:
        round_label = f"Round {settings.round_id}" + (
            f": {settings.round_title}" if settings.round_title else ""
        )
    return (
        _environment()
        .get_template(FORM_TEMPLATE)
        .render(
            csp=content_security_policy(script, style),
            generator=GENERATOR,
            client=settings.client,
            title=bank.title,
            logo=settings.logo,
            round=round_label,
            bank=bank,
            questions=questions,
            minutes=minutes,
            any_dont_know=any(q.dont_know for q in questions),
            description=markdown(bank.description),
            markdown=markdown,
            draft_key=draft_key(bank, settings),
            header=json.dumps(header, ensure_ascii=False),
            sections=sections,
            teams=settings.teams,
            team=team,
            team_missing=TEAM_MISSING,
            roles=settings.roles,
            fact_hint=FACT_HINT,
            style=Markup(style),
            script=Markup(script),
        )
    )


def site_files(context: ReportContext) -> dict[str, str]:
    """The report site's "Answer the assessment" page and the form beside the downloads
    (none with ``report.form: false``)."""
    from .pages import FORM_PAGE, FORM_TITLE, environment, template_values

    assessment = context.assessment
    if not assessment.settings.form:
        return {}
    page = (
        environment()
        .get_template(SITE_PAGE_TEMPLATE)
        .render(template_values(context), form=Markup(SITE_FORM), title=FORM_TITLE)
    )
    # The form collects the round still being answered, the last, whichever the report shows.
    settings = form_settings(assessment, assessment.rounds[-1].id)
    return {
        f"docs/{FORM_PAGE}": page,
        f"docs/{SITE_FORM}": render_form(
            assessment.bank, settings, images=project_images(assessment.root)
        ),
    }
