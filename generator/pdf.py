"""The report as one PDF: the site's data through print templates, laid out by WeasyPrint.

:func:`render_report_html` is pure: the same :class:`~generator.pages.ReportContext` the
site's pages are rendered from, through the HTML templates in ``site_templates/print/``
(autoescaped: text from answer sheets and ``assessment.yml`` is always HTML-escaped; only
bank Markdown, validated to hold no raw HTML, becomes markup). :func:`write_pdf` reads and
scores the project, draws the charts (the site's SVGs, from the same cache), lays the HTML
out and writes the PDF atomically. WeasyPrint is an optional extra, imported only there.

The same inputs give the same bytes: the PDF's dates are the assessment's date and its
identifier is derived from the HTML, never from the clock or chance.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
from markupsafe import Markup

from assessment import __version__
from assessment.loading import load_assessment
from assessment.model import PROJECT_FILE, Assessment
from assessment.planning import TuneUpPlan
from assessment.planning import plan as make_plan
from assessment.problems import InputError, Problem
from assessment.scoring import (
    Results,
    score_assessment,
)

from .bank_html import ImageSource, bank_html, project_images
from .engine import OutputRefused
from .figures import chart_specs
from .files import write_atomic
from .pages import NUMBER_FILTERS, ReportContext, collect_notes, template_values
from .resources import site_templates_dir
from .site import cache_dir, render_charts, source_date_epoch
from .text import without_controls

DEFAULT_PDF = "report.pdf"
"""Where a project's PDF is written unless ``--out`` says otherwise."""
INSTALL_HINT = (
    "pip install 'cxmaturity[pdf]' (from a clone of its repository: pip install '.[pdf]')"
)
REPORT_TEMPLATE = "report.html.j2"
PDF_MARK = b"cxmaturity-report-"
"""Starts the PDF's file identifier: how we recognise a PDF we wrote (and may replace)."""

MATERIAL_PRIMARY = {
    "red": "#ef5552",
    "pink": "#e92063",
    "purple": "#ab47bd",
    "deep-purple": "#7e56c2",
    "indigo": "#4051b5",
    "blue": "#2094f3",
    "light-blue": "#02a6f2",
    "cyan": "#00bdd6",
    "teal": "#009485",
    "green": "#4cae4f",
    "light-green": "#8bc34b",
    "lime": "#cbdc38",
    "yellow": "#ffec3d",
    "amber": "#ffc105",
    "orange": "#ffa724",
    "deep-orange": "#ff6e42",
    "brown": "#795649",
    "grey": "#757575",
    "blue-grey": "#546d78",
    "black": "#181a1f",
    "white": "#ffffff",
}
"""Material for MkDocs' primary colours (its palette stylesheet), so the PDF matches the site."""
_WHITE = "#ffffff"
_INK = "#1f1f1f"
_TEXT_CONTRAST = 4.5  # WCAG AA for body text
_LARGE_TEXT_CONTRAST = 3.0
CHART_SCALE = 0.68
"""Every chart is printed at this share of its drawn size, so all chart text is one size
(matplotlib's 11-12 pt becomes about 8 pt, beside 9.5 pt body text)."""
_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="([0-9.]+)pt"')
_PT_PER_MM = 72 / 25.4


class PdfUnavailable(RuntimeError):
    """WeasyPrint, or a system library it needs, cannot be imported."""


@dataclass(frozen=True)
class PdfReport:
    """What :func:`write_pdf` wrote, for the command line."""

    out: Path
    pages: int
    charts: int
    charts_rendered: int
    size: int


# Colours --------------------------------------------------------------------------------------


def colour_hex(colour: str) -> str:
    """A branding colour as ``#rrggbb``: Material names from the table, hex as given."""
    return MATERIAL_PRIMARY.get(colour, colour).lower()


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _darkened(colour: str, share: float) -> str:
    channels = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * (1 - share)):02x}" for c in channels)


def print_colours(primary: str, accent: str) -> dict[str, str]:
    """The branding as the print stylesheet uses it, readable whatever the client chose.

    ``on_primary`` is the text colour on a primary band; ``primary_text`` the primary colour
    darkened just enough to be read as text on white paper (amber, yellow, white...).
    """
    band = colour_hex(primary)
    # The band holds large text only (14 pt bold and up), for which WCAG asks 3:1; white
    # is preferred, as Material's own header does on all but its lightest colours.
    on_band = _WHITE if contrast(band, _WHITE) >= _LARGE_TEXT_CONTRAST else _INK
    text = band
    share = 0.0
    while contrast(text, _WHITE) < _TEXT_CONTRAST and share < 1:
        share = round(share + 0.1, 1)
        text = _darkened(band, share)
    return {
        "primary": band,
        "on_primary": on_band,
        "primary_text": text,
        "accent": colour_hex(accent),
    }


# HTML -----------------------------------------------------------------------------------------


def _visible(value: object) -> object:
    """Jinja's ``finalize``: control and bidi-override characters never reach the page."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return without_controls(value)


def _svg_uri(svg: str) -> Markup:
    """A chart's SVG as a data: URI, so the document needs no file and fetches nothing."""
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f"data:image/svg+xml;base64,{encoded}")


def _chart_width(svg: str) -> Markup:
    """The printed width of a chart (a CSS length): :data:`CHART_SCALE` of its drawn size."""
    match = _SVG_WIDTH.search(svg)
    if match is None:
        return Markup("100%")
    return Markup(f"{float(match.group(1)) * CHART_SCALE / _PT_PER_MM:.1f}mm")


def print_environment(images: ImageSource | None = None) -> jinja2.Environment:
    """The Jinja environment of the print templates: strict, HTML-escaping every value.

    Bank Markdown is shown with :func:`~generator.bank_html.bank_html`, its images from
    ``images``.
    """

    def to_html(text: str) -> Markup:
        return bank_html(text, images)

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(site_templates_dir() / "print"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_visible,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters |= NUMBER_FILTERS | {
        "markdown": to_html,
        "svg_uri": _svg_uri,
        "chart_width": _chart_width,
    }
    return env


def _w3c_date(context: ReportContext) -> str:
    """The assessment's date, which the PDF carries as its creation and modification date."""
    epoch = source_date_epoch(context.assessment, context.results)
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def render_report_html(context: ReportContext, logo: str | None = None) -> str:
    """The whole printed report as one HTML document (pure: reads only the templates).

    ``logo`` is the client's logo as a ``data:`` URI, shown on the cover.
    """
    results = context.results
    now = results.current
    settings = context.assessment.settings
    values: dict[str, Any] = template_values(context) | {
        "sections": {
            "teams": bool(now.teams),
            "roles": now.perception is not None or any(r.shown for r in now.roles),
            "progress": len(results.rounds) > 1,
        },
        "colours": print_colours(settings.primary, settings.accent),
        "logo": logo,
        "created": _w3c_date(context),
        "version": __version__,
    }
    images = project_images(context.assessment.root)
    return print_environment(images).get_template(REPORT_TEMPLATE).render(values)


# The PDF --------------------------------------------------------------------------------------


def _weasyprint() -> ModuleType:
    try:
        import weasyprint  # type: ignore[import-untyped]
    except ImportError:
        raise PdfUnavailable(
            f"the PDF report needs WeasyPrint, which is not installed: {INSTALL_HINT}"
        ) from None
    except OSError as error:  # installed, but pango or another system library is missing
        raise PdfUnavailable(
            f"WeasyPrint is installed but cannot start ({error}); it needs Pango, see "
            "https://doc.courtbouillon.org/weasyprint/stable/first_steps.html"
        ) from None
    module: ModuleType = weasyprint
    return module


def _data_only(weasyprint: ModuleType) -> Any:
    """A URL fetcher for data: URIs only: the report makes no request and reads no file."""
    urls = weasyprint.urls
    if hasattr(urls, "URLFetcher"):  # recent WeasyPrint (70 has it): a fetcher class
        return urls.URLFetcher(allowed_protocols={"data"})
    # Older WeasyPrint takes a function.

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:
        if not url.startswith("data:"):
            raise ValueError(f"the report fetches nothing outside itself: {url}")
        return urls.default_url_fetcher(url, *args, **kwargs)

    return fetch


def _logo_uri(assessment: Assessment) -> str | None:
    if not assessment.settings.logo:
        return None
    path = Path(assessment.root) / assessment.settings.logo
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{media_type};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _written_by_us(path: Path) -> bool:
    try:
        content = path.read_bytes()
    except OSError:
        return False
    return content.startswith(b"%PDF-") and PDF_MARK in content


def check_pdf_output(path: Path) -> None:
    """Refuse to replace anything but a PDF this tool wrote (or nothing at all)."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise OutputRefused(f"{path}: exists and is not a file; not replaced")
    if path.exists() and not _written_by_us(path):
        raise OutputRefused(
            f"{path}: exists and is not a PDF written by cxmaturity; not replaced "
            "(choose another --out, or move it away)"
        )


def _prepare(project: str | Path, round_id: str | None) -> tuple[Assessment, Results, TuneUpPlan]:
    """:func:`generator.site.prepare`, with an unknown ``--round`` reported as bad input."""
    assessment = load_assessment(project)
    known = [r.id for r in assessment.rounds]
    if round_id is not None and round_id not in known:
        raise InputError(
            [
                Problem(
                    str(Path(project) / PROJECT_FILE),
                    key="rounds",
                    message=f"no round '{round_id}' (asked for with --round); "
                    f"the rounds are: {', '.join(known)}",
                )
            ]
        )
    results = score_assessment(assessment, round_id)
    return assessment, results, make_plan(results, assessment.bank)


def write_pdf(
    project: str | Path,
    out: Path | None = None,
    round_id: str | None = None,
    *,
    cache: Path | None = None,
) -> PdfReport:
    """Write the project's report as one PDF (default ``PROJECT/report.pdf``).

    Raises ``InputError`` on bad input, :class:`PdfUnavailable` without WeasyPrint and
    ``OutputRefused`` rather than replace a file this tool did not write. The file is
    written under a temporary name and renamed, so it is never left half-written.
    """
    weasyprint = _weasyprint()
    assessment, results, plan = _prepare(project, round_id)
    target = out if out is not None else Path(project) / DEFAULT_PDF
    check_pdf_output(target)
    specs = chart_specs(assessment, results)
    charts, drawn = render_charts(specs, cache if cache is not None else cache_dir())
    notes = collect_notes(assessment, assessment.round(results.current.id))
    context = ReportContext(assessment, results, plan, charts, notes, None)
    html = render_report_html(context, _logo_uri(assessment))
    document = weasyprint.HTML(string=html, url_fetcher=_data_only(weasyprint)).render()
    identifier = PDF_MARK + hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    content: bytes = document.write_pdf(pdf_identifier=identifier)
    write_atomic(target, content)
    return PdfReport(target, len(document.pages), len(charts), drawn, len(content))
