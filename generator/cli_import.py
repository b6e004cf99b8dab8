"""``cxmaturity import`` and ``cxmaturity export``: answers from survey tools, banks to them.

Both are thin: :mod:`assessment.importing` reads and checks a survey export and plans the
answer sheets, :mod:`assessment.exporting` renders the bank; these commands parse options,
write files (only once everything is known to be right) and print what they did.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assessment.problems import printable

from .cli import SCHEMA_FOLDER, SHEET_SCHEMA, UserError, _fail, _project_bank, project_argument
from .files import write_atomic, write_together

if TYPE_CHECKING:
    from assessment.importing import PlannedSheet, SurveyImport

UTF8_BOM = "\ufeff"


def _write(path: Path, text: str | bytes, *, force: bool) -> None:
    """Write a file atomically (a temporary file, then a rename): never half a file."""
    if path.exists() and not force:
        _fail(f"{path}: already exists; not overwritten (use --force to replace it)")
    if path.is_dir():
        _fail(f"{path}: is a folder")
    try:
        write_atomic(path, text if isinstance(text, bytes) else text.encode("utf-8"))
    except OSError as error:
        raise UserError(f"{path}: cannot write: {error.strerror}") from None


def _project_rounds(root: Path) -> list[str] | None:
    """The round ids of a project's assessment.yml (already checked), or None without rounds."""
    from assessment.formats import ProjectSpec
    from assessment.model import PROJECT_FILE
    from assessment.source import read_document

    document, _ = read_document(root / PROJECT_FILE)
    assert document is not None  # load_project_bank has read it already
    spec = ProjectSpec.model_validate(document.data)
    return [r.id for r in spec.rounds] if spec.rounds else None


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@project_argument()
@click.option("--round", "round_id", help="The round the answers belong to (one of the project's).")
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A YAML file naming columns, translating answer labels or setting the team.",
)
@click.option("--team", help="The team of every row, for a file without a team column.")
@click.option(
    "--keep-identity",
    is_flag=True,
    help="Name sheets after the respondents' names or e-mail addresses (off: respondent-001…).",
)
@click.option(
    "--first-number",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Number of the first respondent-NNN, to add to sheets imported before.",
)
@click.option("--force", is_flag=True, help="Replace answer sheets that already exist.")
def import_command(
    file: Path,
    project: str,
    round_id: str | None,
    mapping: Path | None,
    team: str | None,
    keep_identity: bool,
    first_number: int,
    force: bool,
) -> None:
    """Turn a survey tool's CSV export into one answer sheet per respondent.

    \b
    Reads exports of Google Forms, Microsoft Forms, Typeform, SurveyMonkey or any
    spreadsheet (UTF-8 or Windows-1252, "," or ";"). Columns are matched to questions
    by key or text; team, role and name columns by their usual headers. Every problem
    is listed with its row and column, and nothing is written unless all rows import.
    Names and e-mail addresses are dropped unless --keep-identity is given.
    Example:
      cxmaturity import responses.csv acme --round 2026-q4
      cxmaturity import form.csv acme --round 2026-q4 --mapping columns.yml
    """
    from assessment.importing import plan_import, read_mapping, read_survey
    from assessment.loading import load_project_bank

    root = Path(project)
    bank = load_project_bank(project)
    rounds = _project_rounds(root)
    if rounds is not None and round_id is None:
        _fail(f"give --round: this project's rounds are {', '.join(rounds)}")
    if rounds is not None and round_id not in rounds:
        _fail(f"unknown round '{round_id}'; this project's rounds are {', '.join(rounds)}")
    if rounds is None and round_id is not None:
        _fail(f"--round {round_id}: this project has no rounds in assessment.yml; leave it out")
    survey_mapping = read_mapping(mapping, bank) if mapping is not None else None
    survey = read_survey(
        file,
        bank,
        survey_mapping,
        team=team,
        keep_identity=keep_identity,
        first_number=first_number,
    )
    planned = plan_import(
        survey,
        bank,
        root,
        round_id,
        display=project,
        schema_file=root / SCHEMA_FOLDER / SHEET_SCHEMA,
        force=force,
    )
    answers = "answers" if project in ("", ".") else f"{project.rstrip('/')}/answers"
    try:
        write_together({item.path: item.text.encode("utf-8") for item in planned}, root)
    except OSError as error:
        reason = error.strerror or str(error)
        raise click.ClickException(
            f"{answers}: cannot write the answer sheets: {reason}; nothing was imported"
        ) from None
    where = f"{answers}/" + (f"{round_id}/" if round_id else "")
    _print_summary(survey, planned, where, keep_identity)
    click.echo(f"Next: cxmaturity validate {project}")


def _print_summary(
    survey: SurveyImport, sheets: list[PlannedSheet], where: str, keep_identity: bool
) -> None:
    """What was read, what each column became and what was written, on one screen."""
    delimiter = {",": "comma", ";": "semicolon", "\t": "tab"}[survey.delimiter]
    rows = "2 header rows" if survey.header_rows == 2 else "1 header row"
    click.echo(
        f"Read {printable(survey.path)}: {len(survey.sheets)} responses "
        f"({survey.encoding}, {delimiter}-separated, {rows})."
    )
    question_columns = survey.question_columns
    questions = len({c.target.key for c in question_columns if c.target.kind != "note"})
    notes = sum(1 for c in question_columns if c.target.kind == "note")
    matched = f"Columns matched: {len(question_columns)} for {questions} questions"
    if notes:
        matched += f" ({notes} of them notes)"
    for kind in ("team", "role"):
        column = next((c for c in survey.columns if c.target.kind == kind), None)
        if kind == "team" and survey.team_constant is not None:
            matched += f"; every row's team is {printable(survey.team_constant)}"
        elif column is not None:
            matched += f'; {kind} from "{printable(column.header)}"'
    click.echo(matched + ".")
    from assessment.importing.columns import TOOL_COLUMN
    from assessment.importing.survey import UNEXPECTED_LISTED

    unexpected = survey.unexpected_columns
    tool = [
        printable(c.header) or "(blank)"
        for c in survey.ignored_columns
        if c.target.reason == TOOL_COLUMN
    ]
    if unexpected:
        click.echo("Columns ignored:")
        for column in unexpected[:UNEXPECTED_LISTED]:
            why = column.target.reason or (
                f"closest question: {column.closest}" if column.closest else "no question is close"
            )
            click.echo(f'  "{printable(column.header)}" ({why})')
        if len(unexpected) > UNEXPECTED_LISTED:
            click.echo(f"  … and {len(unexpected) - UNEXPECTED_LISTED:,} more")
    if tool:
        click.echo("The survey tool's own columns were ignored: " + ", ".join(tool) + ".")
    if survey.skipped_rows:
        count = len(survey.skipped_rows)
        rows_text = ("row " if count == 1 else "rows ") + ", ".join(map(str, survey.skipped_rows))
        click.echo(f"Skipped {count} response{'s' * (count != 1)} without answers: {rows_text}.")
    identity = survey.identity_columns
    if identity and not keep_identity:
        names = ", ".join(f'"{printable(h)}"' for h in identity)
        click.echo(f"Names and e-mail addresses not written: {names} (--keep-identity keeps them).")
    teams = Counter(p.sheet.team for p in sheets)
    replaced = sum(1 for p in sheets if p.replaces)
    counts = ", ".join(f"{printable(name)} {count}" for name, count in sorted(teams.items()))
    click.echo(
        f"Wrote {len(sheets)} answer sheet{'s' * (len(sheets) != 1)} to {where} ({counts})"
        + (f", replacing {replaced}." if replaced else ".")
    )


@click.command("export")
@click.argument("project", required=False)
@click.option(
    "--format",
    "output",
    type=click.Choice(["csv", "lens", "jira", "github", "xlsx"]),
    default="csv",
    show_default=True,
    help="csv: a survey-ready sheet, one column per question; "
    "lens: an AWS Well-Architected custom lens (JSON); "
    "jira: the plan's open items for Jira's CSV importer; "
    "github: the same as JSON lines of GitHub issues; "
    "xlsx: scores, teams, roles and the plan as one workbook (needs --out).",
)
@click.option("--round", "round_id", help="jira, github, xlsx: this round (default: the last).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of printing (never overwrites without --force).",
)
@click.option("--force", is_flag=True, help="Replace --out if it exists.")
def export_command(
    project: str | None, output: str, round_id: str | None, out: Path | None, force: bool
) -> None:
    """Write the bank for a survey tool, or the scores and plan for other tools.

    \b
    The CSV has one column per question, headed by its key, its text and its allowed
    answers: fill in one row per person (or build a form from it) and bring the answers
    back with `cxmaturity import`. The lens has the dimensions as pillars and the
    tune-ups as improvement plans, for the AWS Well-Architected Tool.
    jira and github write the plan's items still to do (not done or dropped in
    actions.yml) for an issue tracker; xlsx the scores and the plan as a workbook.
    Nothing is sent anywhere: the output is a file (or printed).
    Examples:
      cxmaturity export acme --out acme-survey.csv
      cxmaturity export acme --format lens --out acme-lens.json
      cxmaturity export acme --format jira --out plan-for-jira.csv
      cxmaturity export acme --format xlsx --out acme.xlsx
    """
    from assessment.exporting import ExportError, custom_lens, survey_csv

    if output in ("jira", "github", "xlsx"):
        from .cli_plan import plan_export

        content, what = plan_export(project or ".", output, round_id)
        if out is None:
            if isinstance(content, bytes):
                _fail(f"--format {output} writes a workbook: give --out FILE.xlsx")
            click.echo(content, nl=False)
            return
        _write(out, content, force=force)
        click.echo(f"Wrote {what} to {out}", err=True)
        return

    bank = _project_bank(project)
    if output == "csv":
        text = survey_csv(bank)
    else:
        try:
            lens = custom_lens(bank)
        except ExportError as error:
            _fail(str(error))
        text = json.dumps(lens, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        click.echo(text, nl=False)
        return
    # Excel reads a CSV as UTF-8 only when it starts with a byte-order mark.
    _write(out, UTF8_BOM + text if output == "csv" else text, force=force)
    what = "survey CSV" if output == "csv" else "custom lens"
    click.echo(
        f"Wrote the {what} of {bank.id} ({len(bank.questions)} questions) to {out}", err=True
    )
