"""``cxmaturity portfolio``: every project of a folder built, and a site over them all."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli import USER_ERROR, UserError
from .engine import ENGINES, BuildError, OutputRefused
from .resources import DEFAULT_OUT

if TYPE_CHECKING:
    from .portfolio import Progress


class _ProgressView:
    """Client sites as they are done: a bar on a terminal, one line each otherwise."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.tty = sys.stderr.isatty()

    def __call__(self, progress: Progress) -> None:
        if not self.tty:
            outcome = "built" if progress.built else "failed"
            width = len(str(progress.total))
            click.echo(
                f"[{progress.done:>{width}}/{progress.total}] {progress.slug}: {outcome}", err=True
            )
            return
        if self.bar is None:
            self.bar = click.progressbar(
                length=progress.total, label="Client sites", file=sys.stderr, show_pos=True
            )
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@click.command("portfolio")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Output folder (default: DIRECTORY/{DEFAULT_OUT}). Replaced only if cxmaturity wrote it.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Client sites built at the same time, each in its own process.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="mkdocs",
    show_default=True,
    help="The static-site engine that builds every site.",
)
@click.pass_context
def portfolio_command(
    ctx: click.Context, directory: Path, out: Path | None, jobs: int, engine: str
) -> None:
    """Build every project in DIRECTORY and a portfolio site over them all.

    \b
    Each subfolder holding an assessment.yml is a client: its report site goes to
    OUT/clients/<folder name, made URL-safe>/ and, when at least five clients
    have a score, shows where it stands among the others (their median and
    quartiles, never their names).
    OUT/index.html lists every client with its scores.
    A project with bad input is reported and skipped; the others are still built.
    Each worker keeps one MkDocs running for all the sites it builds; progress
    shows as a bar on a terminal, one line per client otherwise.
    Exit status 0 when all were built, 2 when any project had bad input,
    1 when a site failed to build.
    Example:
      cxmaturity portfolio clients --out portfolio-site --jobs 4
    """
    from .portfolio import NoProjects, build_portfolio

    view = _ProgressView()
    try:
        report = build_portfolio(directory, out, jobs=jobs, engine=engine, progress=view)
    except (OutputRefused, NoProjects) as error:
        raise UserError(str(error)) from None
    except BuildError as error:
        raise click.ClickException(str(error)) from None
    finally:
        view.close()
    for skipped in report.skipped:
        for problem in skipped.problems:
            click.echo(problem, err=True)
        if skipped.bad_input:
            count = len(skipped.problems)
            click.echo(f"skipped {skipped.project}: {count} problem{'s' * (count != 1)}", err=True)
        else:
            click.echo(f"skipped {skipped.project}: its site failed to build", err=True)
    built, skipped_count = len(report.built), len(report.skipped)
    click.echo(f"{built} built, {skipped_count} skipped")
    if report.written:
        peers = "shown" if report.compared else "not shown (fewer than five clients)"
        click.echo(f"Where each client stands among peers: {peers}")
        click.echo(f"Open {report.out / 'index.html'}")
    else:
        click.echo("Nothing written: no client site could be built")
    if any(s.bad_input for s in report.skipped):
        ctx.exit(USER_ERROR)
    if report.skipped:
        ctx.exit(1)
