"""The ``cxmaturity`` command: a thin layer over the ``assessment`` and ``generator`` APIs.

Each command parses its options, calls one library function and prints. Failures become
one line and an exit status in one place (:class:`_Commands`), never a traceback: 2 for
mistakes in the input or the arguments (``path:line:column: key: message``), 1 when the
system cannot do what was asked (a read-only folder, a full disk, a busy port, a failed
engine), 130 for Ctrl-C and 143 for SIGTERM.
"""

from __future__ import annotations

import importlib
import json
import os
import shlex
import shutil
import signal
import string
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from assessment import __version__
from assessment.problems import InputError, Problem

from .editor import SCHEMA_FOLDER as SCHEMA_FOLDER  # what the other commands import
from .editor import SCHEMA_MARK as SCHEMA_MARK
from .editor import SETTINGS_FILE, TEMPLATE_FILE, modeline, write_editor_settings, write_schemas
from .editor import SHEET_SCHEMA as SHEET_SCHEMA
from .engine import ENGINES, BuildError, OutputRefused, WarmEngine
from .files import write_atomic
from .resources import DEFAULT_OUT

if TYPE_CHECKING:
    from assessment.model import Bank

# The heavier modules (pydantic models, Jinja, matplotlib) are imported inside the
# commands that need them: `build` starts MkDocs first, so that its start-up overlaps
# ours, and `--help` stays instant.

USER_ERROR = 2
INTERRUPTED = 128 + signal.SIGINT
TERMINATED = 128 + signal.SIGTERM
LAZY_COMMANDS = {
    "import": ".cli_import:import_command",
    "export": ".cli_import:export_command",
    "pdf": ".cli_pdf:pdf_command",
    "plan": ".cli_plan:plan_command",
    "portfolio": ".cli_portfolio:portfolio_command",
    "form": ".cli_form:form_command",
    "collect": ".cli_form:collect_command",
}
PROJECT_FILE = "assessment.yml"
"""What makes a folder a project (``assessment.model.PROJECT_FILE``, not imported here to
keep start-up fast; a test holds them equal)."""
Decorated = TypeVar("Decorated", bound=Callable[..., Any])


class UserError(click.ClickException):
    """A mistake in how the command was called or in the files it was given: exit 2."""

    exit_code = USER_ERROR


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that the same clean-up runs; exits 143."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def stop_status(stop: KeyboardInterrupt) -> int:
    """The exit status of a command stopped by Ctrl-C (130) or SIGTERM (143)."""
    return TERMINATED if isinstance(stop, Terminated) else INTERRUPTED


def system_error(error: OSError) -> str:
    """An error of the operating system as one line: the file, then what went wrong."""
    what = error.strerror or str(error)
    return f"{error.filename}: {what}" if error.filename else what


class _Commands(click.Group):
    """Turns problems in the input into messages and exit status 2, for every command.

    Commands defined in their own modules (``LAZY_COMMANDS``) are imported only when run
    or listed, which keeps start-up fast.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, attribute = LAZY_COMMANDS[name].split(":")
            command = getattr(importlib.import_module(module, __package__), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            problems = error.problems
            for problem in problems:
                click.echo(str(problem), err=True)
            errors = [p for p in problems if not p.warning]
            # No count under a lone "project folder not found": there is no file to count.
            if len(errors) != 1 or os.path.lexists(errors[0].path):
                count, files = len(errors), len({p.path for p in errors})
                click.echo(
                    f"{count} problem{'s' * (count != 1)} in {files} file{'s' * (files != 1)}",
                    err=True,
                )
            ctx.exit(USER_ERROR)
        except KeyboardInterrupt as stop:
            click.echo("Interrupted.", err=True)
            ctx.exit(stop_status(stop))
        except OSError as error:
            raise click.ClickException(system_error(error)) from None


def _fail(message: str) -> NoReturn:
    raise UserError(message)


def find_project(start: Path | None = None) -> str | None:
    """The nearest folder holding ``assessment.yml``, here or above (as git finds its
    repository), as a path from here; ``None`` when there is none."""
    here = Path.cwd() if start is None else start.resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            return os.path.relpath(folder)
    return None


def project_argument(*, optional: bool = False) -> Callable[[Decorated], Decorated]:
    """The PROJECT argument: a folder, by default the project this folder is in (or
    ``.``, which then says it is no project). ``optional``: ``None`` when there is none."""

    def found(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            return value
        return find_project() or (None if optional else ".")

    return click.argument("project", required=False, callback=found)


def _write_project(directory: Path, bank: Bank, bank_id: str, client: str) -> None:
    """The files of a new project: what ``init`` writes into a new or empty folder."""
    from assessment.loading import bundled_path
    from assessment.sheets import answer_sheet_template

    values = {"client": json.dumps(client, ensure_ascii=False), "bank": bank_id}
    for name in ("assessment.yml", "README.md"):
        source = bundled_path("init", name).read_text(encoding="utf-8")
        _write_new(directory / name, string.Template(source).safe_substitute(values))
    (directory / "answers").mkdir(parents=True, exist_ok=True)
    (directory / "answers" / ".gitkeep").touch()
    write_schemas(bank, directory / SCHEMA_FOLDER)
    write_editor_settings(directory)
    # No schema line: the editor settings cover the template and every copy of it.
    _write_new(directory / TEMPLATE_FILE, answer_sheet_template(bank, None))


def _warn(warnings: Iterable[Problem]) -> None:
    """Print what is worth knowing but did not stop the run, one line each."""
    for warning in warnings:
        click.echo(str(warning), err=True)


def _write_new(path: Path, text: str) -> None:
    """Write a file that must not exist yet, atomically (never half a file, never a loss)."""
    if path.exists():
        _fail(f"{path}: already exists; not overwritten (choose another name or move it away)")
    write_atomic(path, text.encode("utf-8"))


def _project_bank(project: str | None) -> Bank:
    """The bank a project asks (answer sheets are not read), or the bundled cx-core bank.

    Answer sheets are left alone so that a broken sheet never blocks the template or
    the schemas that help to fix it.
    """
    from assessment.loading import bundled_banks, load_bank, load_project_bank

    project = project or find_project()
    if project is None:
        return load_bank(bundled_banks()["cx-core"])
    return load_project_bank(project)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="cxmaturity")
def cli() -> None:
    """Score customer-experience maturity assessments and build their report.

    \b
    A project is a folder with assessment.yml and answers/:
      cxmaturity init acme            # start one
      cxmaturity validate acme        # check every file, with line numbers
      cxmaturity score acme           # scores, levels and the tune-up plan
    """


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--client", default="Our organisation", show_default=True, help="Client name.")
@click.option("--bank", "bank_id", default="cx-core", show_default=True, help="Bundled bank id.")
def init(directory: Path, client: str, bank_id: str) -> None:
    """Create a ready project: assessment.yml, answers/, a template and editor schemas.

    \b
    Example:
      cxmaturity init acme --client "Acme Outdoor Co."
    """
    from assessment.loading import bundled_banks, load_bank

    banks = bundled_banks()
    if bank_id not in banks:
        _fail(f"unknown bank '{bank_id}'; bundled banks: {', '.join(banks)}")
    existed = directory.exists()
    if existed and any(directory.iterdir()):
        _fail(f"{directory}: folder is not empty; init only writes into a new or empty folder")
    bank = load_bank(banks[bank_id])
    try:
        _write_project(directory, bank, bank_id, client)
    except OSError as error:
        # Whatever was written goes again: the folder was new or empty.
        if existed:
            for path in directory.iterdir():
                shutil.rmtree(path) if path.is_dir() else path.unlink()
        else:
            shutil.rmtree(directory, ignore_errors=True)
        raise click.ClickException(f"{directory}: not created ({error.strerror})") from None
    click.echo(f"Created {directory}/ for {client}, asking the {bank.id} bank.")
    template, sheet = directory / TEMPLATE_FILE, directory / "answers" / "TEAM" / "NAME.yml"
    click.echo(f"Next: cp {shlex.quote(str(template))} {shlex.quote(str(sheet))}")
    click.echo(f"fill it in, then run: cxmaturity validate {shlex.quote(str(directory))}")


@cli.command()
@project_argument(optional=True)
@click.option("--team", default="", help="Fill in the team.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (never overwrites) instead of printing.",
)
def template(project: str | None, team: str, out: Path | None) -> None:
    """Print an answer sheet with every question and its allowed answers as comments.

    \b
    Example:
      cxmaturity template acme --team Support --out acme/answers/support/alice.yml
    """
    from assessment.sheets import answer_sheet_template

    bank = _project_bank(project)
    root = Path(project or ".")
    schema = root / SCHEMA_FOLDER / SHEET_SCHEMA
    if out is not None:
        schema_path = os.path.relpath(schema, out.parent).replace(os.sep, "/")
        _write_new(out, answer_sheet_template(bank, schema_path, team))
        click.echo(f"Wrote {out}", err=True)
    else:
        click.echo(
            answer_sheet_template(bank, f"../../{SCHEMA_FOLDER}/{SHEET_SCHEMA}", team), nl=False
        )


@cli.command()
@project_argument()
def validate(project: str) -> None:
    """Check every file of a project; list every problem with file, line and key.

    \b
    Exit status 0 when the project is valid, 2 when anything is wrong.
    Example:
      cxmaturity validate acme
    """
    from assessment.loading import load_assessment

    from .terminal import validate_summary

    assessment = load_assessment(project)
    _warn(assessment.warnings)
    click.echo(validate_summary(assessment, project))


@cli.command()
@project_argument()
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for people, json for programs (the full document), csv for spreadsheets.",
)
@click.option("--by", type=click.Choice(["team", "role"]), help="One row per team or role.")
@click.option("--round", "round_id", help="Score this round (default: the last).")
def score(project: str, output: str, by: str | None, round_id: str | None) -> None:
    """Score a project: levels, coverage, spread, changes and the tune-up plan.

    \b
    Examples:
      cxmaturity score acme
      cxmaturity score acme --by team
      cxmaturity score acme --format json > scores.json
    """
    from assessment.cells import records_csv
    from assessment.document import CSV_COLUMNS, results_document, results_rows
    from assessment.loading import load_assessment
    from assessment.planning import plan as make_plan
    from assessment.scoring import score_assessment

    from .terminal import score_table

    if output == "json" and by is not None:
        _fail(
            "--by applies to the table and to csv: the JSON document already holds every "
            "team and role (its teams and roles)"
        )
    assessment = load_assessment(project)
    _warn(assessment.warnings)
    known = [r.id for r in assessment.rounds]
    if round_id is not None and round_id not in known:
        _fail(f"unknown round '{round_id}'; rounds are: {', '.join(known)}")
    results = score_assessment(assessment, round_id)
    plan = make_plan(results, assessment.bank_of(assessment.round(round_id)))
    if output == "json":
        document = results_document(assessment, results, plan)
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output == "csv":
        click.echo(records_csv(CSV_COLUMNS, results_rows(results, by)), nl=False)
        hidden = [g.name for g in results.current.groups(by) if not g.shown] if by else []
        if hidden:
            click.echo(
                f"left out, with fewer than {results.min_group_size} respondents each "
                f"(counted only in the totals; report.min_group_size): {', '.join(hidden)}",
                err=True,
            )
    else:
        click.echo(score_table(assessment, results, plan, by))


@cli.command()
@project_argument(optional=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Folder for the schemas (default: PROJECT/{SCHEMA_FOLDER}).",
)
def schema(project: str | None, out: Path | None) -> None:
    """Write JSON Schemas so editors complete and check answer sheets as you type.

    \b
    Writes answer-sheet.schema.json (made from the project's bank: every question,
    its text and its allowed answers), bank.schema.json, assessment.schema.json and
    actions.schema.json (every plan item id of the bank, for actions.yml),
    and the project's .vscode/settings.json (unless it has one) that applies them to
    every sheet in answers/. Other editors with yaml-language-server need the printed
    first line in each sheet.
    Example:
      cxmaturity schema acme
    """
    bank = _project_bank(project)
    root = Path(project or ".")
    folder = out or root / SCHEMA_FOLDER
    try:
        written = write_schemas(bank, folder)
    except OutputRefused as error:
        _fail(str(error))
    if project is not None and folder == root / SCHEMA_FOLDER:
        settings = write_editor_settings(root)
        written += [settings] if settings else []
    for path in written:
        click.echo(f"wrote {path}")
    if project is not None:
        click.echo(
            f"VS Code's YAML extension checks every sheet in {root / 'answers'}/ with them "
            f"({root / SETTINGS_FILE})."
        )
    sheets = root / "answers" / "TEAM"
    click.echo(
        f"Elsewhere, a sheet in {sheets.parent}/<team>/ starts with this line "
        "(one more ../ for each folder deeper):"
    )
    click.echo(modeline(folder / SHEET_SCHEMA, sheets))


@cli.command()
@project_argument()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help=f"Output folder (default: PROJECT/{DEFAULT_OUT}). Replaced only if cxmaturity wrote it.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="mkdocs",
    show_default=True,
    help="The static-site engine that builds the generated project.",
)
@click.option(
    "--docs-only", is_flag=True, help="Write the generated MkDocs project instead of the site."
)
@click.option("--round", "round_id", help="Report on this round (default: the last).")
@click.option(
    "--jobs", type=click.IntRange(1, 64), default=2, show_default=True, help="Chart workers."
)
def build(
    project: str, out: Path | None, engine: str, docs_only: bool, round_id: str | None, jobs: int
) -> None:
    """Build the report site: scores, charts and the tune-up plan as static HTML.

    \b
    The previous site stays untouched unless the new one builds without a warning.
    Examples:
      cxmaturity build acme                      # acme/site/index.html
      cxmaturity build acme --engine zensical
      cxmaturity build acme --docs-only --out acme-docs   # the MkDocs project itself
    """
    # MkDocs starts first: its imports overlap with ours and with reading the project.
    warm = WarmEngine() if engine == "mkdocs" and not docs_only else None
    try:
        from .site import build as build_site

        report = build_site(
            project,
            out,
            engine=engine,
            docs_only=docs_only,
            jobs=jobs,
            round_id=round_id,
            warm=warm,
            notify=lambda line: click.echo(line, err=True),
        )
    except OutputRefused as error:
        _fail(str(error))
    except BuildError as error:
        raise click.ClickException(str(error)) from None
    _warn(report.warnings)
    what = "MkDocs project" if docs_only else "site"
    click.echo(
        f"Built the {what}: {report.pages} pages, {report.charts} charts "
        f"({report.charts_rendered} drawn, {report.charts - report.charts_rendered} from cache)"
    )
    click.echo(f"Open {report.out / ('mkdocs.yml' if docs_only else 'index.html')}")


@cli.command()
@project_argument()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to serve on (0.0.0.0: every network interface, to preview from a phone).",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port."
)
@click.pass_context
def serve(ctx: click.Context, project: str, host: str, port: int) -> None:
    """Preview the report while you edit: it rebuilds and reloads when a file changes.

    \b
    An invalid edit shows its problems, in the terminal and on top of the page, over the
    last good version. Ctrl+C stops it.
    Example:
      cxmaturity serve acme        # then open http://127.0.0.1:8000/
    """
    from .serve import serve as serve_preview

    try:
        serve_preview(Path(project), host, port, lambda line: click.echo(line, err=True))
    except KeyboardInterrupt as stop:  # the preview said "Stopped."
        ctx.exit(stop_status(stop))
    except BuildError as error:
        raise click.ClickException(str(error)) from None


def main() -> None:
    """Entry point of the ``cxmaturity`` console script."""
    signal.signal(signal.SIGTERM, _terminate)
    cli(prog_name="cxmaturity")
