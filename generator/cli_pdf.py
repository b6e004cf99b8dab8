"""``cxmaturity pdf``: the report as one PDF to send (WeasyPrint, the ``pdf`` extra)."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import project_argument
from .engine import OutputRefused


@click.command("pdf")
@project_argument()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The PDF to write (default: PROJECT/report.pdf). Replaced only if cxmaturity wrote it.",
)
@click.option("--round", "round_id", help="Report on this round (default: the last).")
def pdf_command(project: str, out: Path | None, round_id: str | None) -> None:
    """Write the report as one PDF: cover, summary, every chart, plan and detail.

    \b
    The same data and wording as the site, laid out for A4 with a table of contents
    and page numbers. Needs WeasyPrint: pip install 'cxmaturity[pdf]', or from a
    clone of the repository pip install '.[pdf]'.
    Examples:
      cxmaturity pdf acme                       # acme/report.pdf
      cxmaturity pdf acme --round 2026-q2 --out acme-spring.pdf
    """
    from .cli import UserError
    from .pdf import DEFAULT_PDF, PdfUnavailable, write_pdf

    try:
        report = write_pdf(project, out, round_id)
    except PdfUnavailable as error:
        raise click.ClickException(str(error)) from None
    except OutputRefused as error:
        raise UserError(str(error)) from None
    except OSError as error:  # written atomically: a failed write leaves no file behind
        target = out if out is not None else Path(project) / DEFAULT_PDF
        raise click.ClickException(f"{target}: not written ({error.strerror})") from None
    pages = f"{report.pages} page{'s' * (report.pages != 1)}"
    click.echo(
        f"Wrote {report.out}: {pages}, {report.charts} charts "
        f"({report.charts_rendered} drawn, {report.charts - report.charts_rendered} from cache)"
    )
