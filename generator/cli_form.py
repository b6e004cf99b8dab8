"""``cxmaturity form`` and ``cxmaturity collect``: the answer form out, its sheets back in.

Both are thin: :mod:`generator.form` renders the form, :mod:`assessment.collecting` checks
returned sheets and plans where they go; these commands parse options, write files (only
once everything is known to be right) and say what they did.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click

from .cli import SCHEMA_FOLDER, SHEET_SCHEMA, UserError, _fail
from .files import write_atomic

FORM_FILE = "answer-form.html"
DEFAULT_CLIENT = "Our organisation"
"""The client named on a form made without a project (from the bundled bank)."""


def _written_by_us(path: Path) -> bool:
    from .form import GENERATOR

    try:
        with path.open("rb") as handle:
            head = handle.read(2048)
    except OSError:
        return False
    return f'<meta name="generator" content="{GENERATOR}">'.encode() in head


@click.command("form")
@click.argument("project", required=False)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"The HTML file to write (default: PROJECT/{FORM_FILE}). "
    "Replaced only if cxmaturity wrote it.",
)
@click.option("--round", "round_id", help="The round the answers are for (default: the last).")
@click.option("--team", default="", help="Fill in the team (one of the project's teams).")
def form_command(project: str | None, out: Path | None, round_id: str | None, team: str) -> None:
    """Write the answer form: one HTML file to answer the assessment in a browser.

    \b
    The form holds every question of the project's bank with its allowed answers, keeps
    a draft in the browser, and downloads the answers as an answer sheet that validate
    accepts. It is one self-contained file: e-mail it, put it on a share or open it from
    disk; it makes no request and sends nothing anywhere. `cxmaturity build` also puts
    it on the report site (off with report: {form: false} in assessment.yml).
    Examples:
      cxmaturity form acme                       # acme/answer-form.html
      cxmaturity form acme --team Support --out support-form.html
    """
    from slugify import slugify

    from assessment.loading import bundled_banks, load_bank
    from assessment.model import PROJECT_FILE

    from .bank_html import project_images
    from .form import FormSettings, checked_team, load_form_settings, render_form

    if project is None and not Path(PROJECT_FILE).exists():
        if round_id is not None:
            _fail("--round needs a project: there is no assessment.yml here")
        bank = load_bank(bundled_banks()["cx-core"])
        settings, warnings, images = FormSettings(client=DEFAULT_CLIENT), list[str](), None
    else:
        bank, settings, warnings = load_form_settings(project or ".", round_id)
        images = project_images(project or ".")
    team = checked_team(team, settings)
    if out is None:
        name = f"answer-form-{slugify(team)}.html" if slugify(team) else FORM_FILE
        out = Path(project or ".") / name
    if out.is_symlink() or (out.exists() and not out.is_file()):
        _fail(f"{out}: exists and is not a file; not replaced")
    if out.exists() and not _written_by_us(out):
        _fail(
            f"{out}: exists and is not a form written by cxmaturity; not replaced "
            "(choose another --out, or move it away)"
        )
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    html = render_form(bank, settings, team, images).encode("utf-8")
    try:
        write_atomic(out, html)
    except OSError as error:
        raise UserError(f"{out}: cannot write: {error.strerror}") from None
    count = len(bank.questions)
    for_round = f", round {settings.round_id}" if settings.round_id else ""
    click.echo(f"Wrote {out}: {count} questions{for_round}, {len(html) / 1000:.0f} KB.")
    where = "" if project in (None, "", ".") else f" {project}"
    click.echo(
        "Send it to the people who answer; file the answer sheets they send back with: "
        f"cxmaturity collect FILES…{where}"
    )


def _split(paths: tuple[Path, ...]) -> tuple[list[Path], str]:
    """The answer files and the project: the last path when it is a folder, else ``.``."""
    files = list(paths)
    project = "."
    if len(files) > 1 and files[-1].is_dir():
        project = str(files.pop())
    for path in files:
        if path.is_dir():
            _fail(f"{path}: is a folder; give answer files, and the project folder last")
    if not files:
        _fail("give the answer files to collect, then the project folder")
    return files, project


def _write_all(sheets: list[tuple[Path, bytes]]) -> None:
    """Write every file or, when one cannot be written, put back what was there before."""
    done: list[tuple[Path, bytes | None]] = []
    for path, content in sheets:
        try:
            before = path.read_bytes() if path.is_file() else None
            write_atomic(path, content)
        except OSError as error:
            for written, earlier in reversed(done):
                if earlier is None:
                    written.unlink(missing_ok=True)
                else:
                    write_atomic(written, earlier)
            raise UserError(f"{path}: cannot write: {error.strerror}; nothing was filed") from None
        done.append((path, before))


@click.command("collect")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--round", "round_id", help="The round the answers belong to (default: the last).")
@click.option("--force", is_flag=True, help="Replace answer sheets that already exist.")
def collect_command(paths: tuple[Path, ...], round_id: str | None, force: bool) -> None:
    """File the answer sheets people sent back under answers/<round>/<team>/.

    \b
    Give the files, then the project folder (default: the current folder), which must
    itself validate. Every sheet is checked as validate checks it, against the round's
    bank and the project's teams; when any is wrong, every problem is listed and nothing
    is filed. A sheet is named
    after its respondent (respondent-NNN when it names none); an existing file is never
    replaced without --force, and a sheet already filed is recognised and left alone.
    Examples:
      cxmaturity collect ~/Downloads/support-*.yml acme
      cxmaturity collect returned/*.yml acme --round 2026-q4
    """
    from assessment.collecting import plan_collect
    from assessment.loading import DEFAULT_ROUND, load_assessment

    files, project = _split(paths)
    assessment = load_assessment(project)
    known = [r.id for r in assessment.rounds]
    if round_id is None:
        round_id = known[-1]
    elif round_id not in known:
        if known == [DEFAULT_ROUND]:
            _fail(f"--round {round_id}: this project has no rounds in assessment.yml; leave it out")
        _fail(f"unknown round '{round_id}'; this project's rounds are {', '.join(known)}")
    schema = Path(project) / SCHEMA_FOLDER / SHEET_SCHEMA
    planned = plan_collect(files, assessment, round_id, schema=schema, force=force)
    new = [item for item in planned if item.already is None]
    _write_all([(item.path, item.content) for item in new])
    for item in planned:
        if item.already is not None:
            click.echo(f"Already filed: {item.source} is {item.already}")
        else:
            replacing = " (replacing it)" if item.replaces else ""
            click.echo(f"Filed {item.source} as {item.shown}{replacing}")
    teams = Counter(item.team for item in new)
    counts = ", ".join(f"{name} {count}" for name, count in sorted(teams.items()))
    in_round = f" in round {round_id}" if round_id != DEFAULT_ROUND else ""
    summary = f"Filed {len(new)} answer sheet{'s' * (len(new) != 1)}{in_round}"
    click.echo(summary + (f" ({counts})." if counts else "."))
    click.echo(f"Next: cxmaturity validate {project}")
