"""The README's examples are real: its answer sheet validates, its error output is ours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assessment.loading import build_sheet, bundled_banks, load_bank
from assessment.source import parse_text
from generator.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(heading: str, language: str) -> str:
    section = README.split(heading, 1)[1]
    match = re.search(rf"```{language}\n(.*?)```", section, re.DOTALL)
    assert match, f"no {language} block after {heading}"
    return match.group(1)


def test_readme_answer_sheet_is_valid() -> None:
    bank = load_bank(bundled_banks()["cx-core"])
    document, problems = parse_text(_block_after("## Writing answers", "yaml"), "README.md")
    assert document is not None and problems == []
    sheet, problems = build_sheet(document, bank)
    assert problems == []
    assert sheet is not None
    assert sheet.answers["needs.signals"].value == ["surveys", "contact-reasons"]
    assert sheet.answers["needs.journey-map"].kind == "na"
    assert sheet.answers["needs.partners"].kind == "dont-know"
    assert "expectations.prevention" not in sheet.answers  # blank: unanswered


ALICE = """\
# yaml-language-server: $schema=../../schemas/answer-sheet.schema.json
respondent: alice
team: Support
role: Team lead
answers:
  strategy.segments: described
  strategy.plan-in-my-work: my-part
  strategy.key-moments: listed
  strategy.customer-plan: 4
  strategy.service-value: both
  strategy.improvement-time: now-and-then
  strategy.retention-goal: side-by-side
"""


def test_readme_validate_output_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "acme"
    (project / "answers" / "support").mkdir(parents=True)
    (project / "assessment.yml").write_text("client: Acme\n", encoding="utf-8")
    (project / "answers" / "support" / "alice.yml").write_text(ALICE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate", "acme"])
    assert result.exit_code == 2
    expected = _block_after("## Validating", "text")
    assert result.stderr == expected


def test_wheel_ships_the_bank_templates_and_base_config(tmp_path: Path) -> None:
    """A `pip install .` outside the checkout must still find the bundled files."""
    import zipfile

    from hatchling.builders.wheel import WheelBuilder

    wheel = Path(next(iter(WheelBuilder(str(ROOT)).build(directory=str(tmp_path)))))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "assessment/content/banks/cx-core.yml" in names
    assert "assessment/content/examples/acme/assessment.yml" in names
    assert "assessment/content/init/assessment.yml" in names
    assert "generator/base_mkdocs.yml" in names
    assert not any(name.startswith("tests/") for name in names)
