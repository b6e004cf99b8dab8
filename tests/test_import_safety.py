"""`cxmaturity import` against hostile files and failing disks (issue 9, items 4 to 7).

Links under ``answers/``, control characters, file names with line breaks, names too long
for a file and a disk that fills up: each case is refused with one exact line, or read as
text, and nothing new is left in the project when the import does not finish.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assessment.loading import load_assessment
from generator.cli import cli

from .conftest import ROOT, WriteProject
from .test_import import CX_FILES

SURVEYS = ROOT / "tests" / "fixtures" / "surveys"
LINKED = "is a link to a folder; answer folders must be real folders (not followed)"


def run(*args: str | os.PathLike[str]) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def files_under(folder: Path) -> list[str]:
    """Every file and folder under ``folder``, as sorted relative paths."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.fixture
def project(write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini bank's project as ``proj``, run from its parent folder."""
    monkeypatch.chdir(tmp_path)
    return write_project({})


def write_csv(folder: Path, text: str, name: str = "s.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


# 4. Links: import refuses what validate refuses ------------------------------------------------


@pytest.mark.parametrize(
    "link",
    ["answers", "answers/2026-q4", "answers/2026-q4/support"],
    ids=["answers", "round", "team"],
)
def test_import_never_writes_through_a_linked_folder(
    link: str, write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(CX_FILES)
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    result = run("import", SURVEYS / "google-forms.csv", "proj", "--round", "2026-q4")
    assert result.exit_code == 2, result.output
    assert result.stderr == f"proj/{link}: {LINKED}\n1 problem in 1 file\n"
    assert files_under(outside) == []
    assert "Traceback" not in result.output
    # validate refuses the very same link with the very same line
    (outside / "a.yml").write_text("team: X\nanswers: {}\n", encoding="utf-8")
    validated = run("validate", "proj")
    assert f"proj/{link}: {LINKED}" in validated.stderr.splitlines()


def test_a_link_inside_the_project_is_refused_too(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project(CX_FILES | {"answers/2026-q4/real/.keep": ""})
    (project / "answers/2026-q4/stores").symlink_to("real", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    result = run("import", SURVEYS / "google-forms.csv", "proj", "--round", "2026-q4")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"proj/answers/2026-q4/stores: {LINKED}"
    assert files_under(project / "answers") == [
        "2026-q4",
        "2026-q4/real",
        "2026-q4/real/.keep",
        "2026-q4/stores",
    ]


# 5. Control characters from the CSV never reach the terminal raw -------------------------------


def test_team_names_and_headers_from_the_csv_are_escaped_in_the_summary(project: Path) -> None:
    write_csv(project.parent, "Team,alpha.one,\x1b]0;owned\x07Notes\n\x1b[31mRed,3,\n")
    result = run("import", "s.csv", "proj")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    lines = result.stdout.splitlines()
    assert '  "\\x1b]0;owned\\x07Notes" (no question is close)' in lines
    assert lines[-2] == "Wrote 1 answer sheet to proj/answers/ (\\x1b[31mRed 1)."


def test_cell_values_in_problems_are_escaped(project: Path) -> None:
    write_csv(project.parent, "Team,alpha.one\nA,\x1b[2Jsix\n")
    result = run("import", "s.csv", "proj")
    assert result.exit_code == 2
    assert "\x1b" not in result.output
    assert result.stderr.splitlines()[0].startswith(
        's.csv:row 2, column "alpha.one": "\\x1b[2Jsix" is not a label of scale agreement'
    )


def test_a_file_name_with_control_characters_is_escaped(project: Path) -> None:
    write_csv(project.parent, "Team,alpha.one\nA,3\n", name="s\x1b[2J.csv")
    result = run("import", "s\x1b[2J.csv", "proj")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert result.stdout.startswith("Read s\\x1b[2J.csv: 1 responses")


# 6. A file name with a line break stays in its comment ----------------------------------------


@pytest.mark.parametrize(
    ("line_break", "shown"), [("\n", "\\x0a"), ("\r", "\\x0d"), ("\u2028", "\\u2028")]
)
def test_a_file_name_with_a_line_break_cannot_add_keys_to_the_sheets(
    line_break: str, shown: str, project: Path
) -> None:
    name = f"s{line_break}role: Director{line_break}#.csv"
    write_csv(project.parent, "Team,alpha.one\nA,3\n", name=name)
    result = run("import", name, "proj")
    assert result.exit_code == 0, result.output
    text = (project / "answers/a/respondent-001.yml").read_text(encoding="utf-8")
    assert text.splitlines()[1] == (
        f"# Imported by `cxmaturity import` from s{shown}role: Director{shown}#.csv, row 2."
    )
    (sheet,) = load_assessment("proj").round().sheets
    assert sheet.role is None


# 7. All or nothing -------------------------------------------------------------------------------


def test_a_team_name_too_long_for_a_folder_is_refused_while_planning(project: Path) -> None:
    long_team = "Customer service " * 18  # 306 characters, 305 once slugified without the end
    write_csv(project.parent, f"Team,alpha.one\nA,3\nB,4\n{long_team},2\n")
    result = run("import", "s.csv", "proj")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "s.csv:row 4: the team makes a folder name of 305 characters, more than the 100 a "
        "folder or file name may have; shorten it\n1 problem in 1 file\n"
    )
    assert not (project / "answers").exists()


def test_a_respondent_name_too_long_for_a_file_is_refused_while_planning(project: Path) -> None:
    write_csv(project.parent, f"Team,Name,alpha.one\nA,{'x' * 120},3\n")  # x…x.yml: 124
    result = run("import", "s.csv", "proj", "--keep-identity")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[0] == (
        "s.csv:row 2: the respondent makes a file name of 124 characters, more than the 100 a "
        "folder or file name may have; shorten it"
    )


def test_a_full_disk_leaves_nothing_new(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = write_project({"answers/a/kept.yml": "team: A\nanswers: {alpha.one: 3}\n"})
    rows = "".join(f"{'AB'[n % 2]},{n % 5 + 1}\n" for n in range(20))
    write_csv(tmp_path, "Team,alpha.one\n" + rows)
    monkeypatch.chdir(tmp_path)
    before = files_under(project)
    written = 0
    real_write_bytes = Path.write_bytes

    def fill_up(path: Path, data: bytes) -> int:  # type: ignore[override]
        nonlocal written
        written += 1
        if written > 10:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", fill_up)
    result = run("import", "s.csv", "proj")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: proj/answers: cannot write the answer sheets: No space left on device; "
        "nothing was imported\n"
    )
    assert written == 11
    assert files_under(project) == before


def test_a_failure_while_moving_in_puts_replaced_sheets_back(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = "team: A\nanswers: {alpha.one: 1}\n"
    project = write_project({"answers/a/respondent-001.yml": original})
    write_csv(tmp_path, "Team,alpha.one\nA,3\nB,4\nC,5\n")
    monkeypatch.chdir(tmp_path)
    before = files_under(project)
    moves = 0
    real_replace = os.replace

    def fail_third(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        nonlocal moves
        moves += 1
        if moves == 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(target))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", fail_third)
    result = run("import", "s.csv", "proj", "--force")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: proj/answers: cannot write the answer sheets: ")
    assert files_under(project) == before
    assert (project / "answers/a/respondent-001.yml").read_text(encoding="utf-8") == original
