"""What a newcomer meets first: the README's own steps, editor completion wherever a sheet
is, commands run from inside a project, and messages that say what to do."""

from __future__ import annotations

import importlib.util
import json
import os
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from assessment.model import PROJECT_FILE
from generator import cli as cli_module
from generator.cli import cli

from .conftest import ROOT, WriteProject

SHEET_SCHEMA = "schemas/answer-sheet.schema.json"


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def glob_matches(pattern: str, path: str) -> bool:
    """A file pattern as the YAML language server reads it: ``**/`` is any folders, or none."""
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, path) is not None


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


# Editor completion wherever a sheet is ---------------------------------------------------------


@pytest.fixture
def initialised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = run("init", "acme", "--client", "Acme")
    assert result.exit_code == 0, result.output
    return tmp_path / "acme"


def test_init_writes_editor_settings_that_cover_every_sheet(initialised: Path):
    settings = json.loads((initialised / ".vscode" / "settings.json").read_text())
    assert settings == {
        "yaml.schemas": {
            "./schemas/answer-sheet.schema.json": [
                "answers/**/*.yml",
                "answers/**/*.yaml",
                "answer-sheet-template.yml",
            ],
            "./schemas/assessment.schema.json": ["assessment.yml"],
            "./schemas/bank.schema.json": ["banks/*.yml", "banks/*.yaml"],
            "./schemas/actions.schema.json": ["actions.yml"],
        }
    }
    for schema in settings["yaml.schemas"]:
        assert (initialised / schema).is_file(), schema
    sheets = settings["yaml.schemas"]["./schemas/answer-sheet.schema.json"]
    for where in (
        "answers/alice.yml",
        "answers/support/alice.yml",
        "answers/2026-q2/support/alice.yaml",
        "answer-sheet-template.yml",
    ):
        assert any(glob_matches(pattern, where) for pattern in sheets), where
    assert not any(glob_matches(pattern, "assessment.yml") for pattern in sheets)


def test_the_template_has_no_schema_line_to_go_wrong_when_copied(initialised: Path):
    """A schema line wins over the settings, and none is right at every depth."""
    template = (initialised / "answer-sheet-template.yml").read_text()
    assert "yaml-language-server" not in template
    assert template.startswith("# Answer sheet: ")


def test_the_readme_copy_step_lands_where_the_editor_settings_apply(initialised: Path):
    copy = re.search(r"^cp (\S+) (\S+)", readme(), re.MULTILINE)
    assert copy is not None, "the README no longer shows the copy step"
    source, target = (Path(p).relative_to("acme").as_posix() for p in copy.groups())
    assert (initialised / source).is_file()
    settings = json.loads((initialised / ".vscode" / "settings.json").read_text())
    patterns = settings["yaml.schemas"]["./schemas/answer-sheet.schema.json"]
    assert any(glob_matches(pattern, target) for pattern in patterns), target


def test_the_readmes_schema_line_is_right_for_the_sheet_it_names():
    """The README's example starts a sheet with a schema line: right from answers/<team>/."""
    lines = re.findall(r"^# yaml-language-server: \$schema=(\S+)$", readme(), re.MULTILINE)
    assert lines == ["../../schemas/answer-sheet.schema.json"]
    assert "answers/support/alice.yml" in readme()
    assert os.path.normpath(os.path.join("answers/support", lines[0])) == SHEET_SCHEMA


def test_schema_prints_the_real_schema_line(
    write_project: WriteProject, tmp_path: Path, monkeypatch
):
    write_project({})
    monkeypatch.chdir(tmp_path)
    result = run("schema", "proj")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "wrote proj/schemas/answer-sheet.schema.json",
        "wrote proj/schemas/bank.schema.json",
        "wrote proj/schemas/assessment.schema.json",
        "wrote proj/schemas/actions.schema.json",
        "wrote proj/.vscode/settings.json",
        "VS Code's YAML extension checks every sheet in proj/answers/ with them "
        "(proj/.vscode/settings.json).",
        "Elsewhere, a sheet in proj/answers/<team>/ starts with this line "
        "(one more ../ for each folder deeper):",
        "# yaml-language-server: $schema=../../schemas/answer-sheet.schema.json",
    ]
    # Settings of the project's own are left as they are.
    (tmp_path / "proj" / ".vscode" / "settings.json").write_text("{}\n")
    assert "settings.json\n" not in run("schema", "proj").stdout.split("\n", 5)[4]
    assert (tmp_path / "proj" / ".vscode" / "settings.json").read_text() == "{}\n"


# Commands run from inside a project ------------------------------------------------------------


@pytest.fixture
def inside(write_project: WriteProject, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid project, with the command run from its answers/support/ folder."""
    project = write_project({"answers/support/a.yml": "team: X\nanswers:\n  alpha.one: 4\n"})
    monkeypatch.chdir(project / "answers" / "support")
    return project


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["validate"], "../..: valid\n"),
        (["score"], "Overall"),
        (["template"], "# Answer sheet: Mini bank (mini 1.0)"),
        (["export"], "alpha.one"),
        (["build", "--docs-only", "--out", "../../docs-project"], "Built the MkDocs project"),
    ],
    ids=["validate", "score", "template", "export", "build"],
)
def test_every_command_finds_the_project_it_is_run_in(inside: Path, args: list[str], says: str):
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert says in result.output


def test_problems_found_from_inside_name_their_files_from_there(inside: Path):
    (inside / "answers" / "support" / "a.yml").write_text("team: X\nanswers:\n  alpha.one: 9\n")
    result = run("validate")
    assert result.exit_code == 2
    assert result.stderr == (
        "../../answers/support/a.yml:3:14: answers.alpha.one: 9 is outside scale agreement "
        "(1 to 5)\n1 problem in 1 file\n"
    )


def test_the_project_file_name_is_the_models():
    assert cli_module.PROJECT_FILE == PROJECT_FILE


def test_no_project_here_or_above(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2
    assert result.stderr == (
        "assessment.yml: file not found: is this a cxmaturity project? "
        "(`cxmaturity init` makes one)\n"
    )


def test_a_missing_project_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate", "nowhere")
    assert result.exit_code == 2
    assert result.stderr == "nowhere: project folder not found\n"


# Messages that say what to do ------------------------------------------------------------------


def test_init_quotes_a_folder_with_spaces_in_its_next_steps(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("init", "our clients/acme", "--client", "Acme")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Created our clients/acme/ for Acme, asking the cx-core bank.",
        "Next: cp 'our clients/acme/answer-sheet-template.yml' "
        "'our clients/acme/answers/TEAM/NAME.yml'",
        "fill it in, then run: cxmaturity validate 'our clients/acme'",
    ]


@pytest.mark.parametrize("command", cli.list_commands(click.Context(cli)))
def test_every_option_says_what_it_does(command: str):
    found = cli.get_command(click.Context(cli), command)
    assert found is not None
    silent = [
        p.name
        for p in found.params
        if isinstance(p, click.Option) and not p.hidden and not (p.help or "").strip()
    ]
    assert silent == [], f"{command}: options without help: {silent}"


def test_serve_help_shows_host_and_port():
    help_text = " ".join(run("serve", "--help").stdout.split())
    assert "--host TEXT Address to serve on (0.0.0.0: every network interface, to preview " in (
        help_text
    )
    assert "[default: 127.0.0.1]" in help_text
    assert "--port INTEGER RANGE Port. [default: 8000; 1<=x<=65535]" in help_text


def test_properdocs_not_installed_gives_the_install_hint(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    project = write_project({"answers/a.yml": "team: X\nanswers:\n  alpha.one: 4\n"})
    real = importlib.util.find_spec

    def without_properdocs(name: str, *args: object) -> object:
        return None if name == "properdocs" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", without_properdocs)
    result = run("build", project, "--out", tmp_path / "site", "--engine", "properdocs")
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: properdocs is not installed: pip install properdocs\n"


def test_the_pdf_hint_works_from_a_clone_too(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(__import__("sys").modules, "weasyprint", None)
    project = write_project({"answers/a.yml": "team: X\nanswers:\n  alpha.one: 4\n"})
    result = run("pdf", project, "--out", tmp_path / "r.pdf")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: the PDF report needs WeasyPrint, which is not installed: "
        "pip install 'cxmaturity[pdf]' (from a clone of its repository: pip install '.[pdf]')\n"
    )


SMALL_ROLES = {
    f"answers/{name}.yml": f"respondent: {name}\nteam: X\nrole: {role}\nanswers:\n  alpha.one: 4\n"
    for name, role in [("a", "Agent"), ("b", "Agent"), ("c", "Lead"), ("d", "Lead")]
}


def test_csv_by_role_says_why_every_role_is_left_out(write_project: WriteProject):
    project = write_project(SMALL_ROLES)  # two people per role, three needed
    result = run("score", project, "--format", "csv", "--by", "role")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("\n") == 1  # the header only
    assert result.stderr == (
        "left out, with fewer than 3 respondents each (counted only in the totals; "
        "report.min_group_size): Agent, Lead\n"
    )


def test_json_refuses_by_rather_than_ignore_it(write_project: WriteProject):
    project = write_project(SMALL_ROLES)
    result = run("score", project, "--format", "json", "--by", "team")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --by applies to the table and to csv: the JSON document already holds every "
        "team and role (its teams and roles)\n"
    )
