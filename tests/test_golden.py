"""The generated Markdown of a small project, compared with reviewed copies in tests/golden/.

A change to the pages (templates, wording, escaping, number formats, chart alt texts, the
base ``mkdocs.yml``) shows here as a diff. When the change is intended, regenerate the
files and review the diff before committing:

    CXMATURITY_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.site import build

HERE = Path(__file__).resolve().parent
PROJECT = HERE / "fixtures" / "golden-project"
GOLDEN = HERE / "golden"
UPDATE = os.environ.get("CXMATURITY_UPDATE_GOLDEN") == "1"
COMMAND = "CXMATURITY_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py"


def compared(folder: Path) -> dict[str, str]:
    """The files kept as golden: mkdocs.yml and every page, by path relative to ``folder``."""
    paths = [folder / "mkdocs.yml", *sorted((folder / "docs").rglob("*.md"))]
    return {
        p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
        for p in paths
        if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    root = tmp_path_factory.mktemp("golden")
    with pytest.MonkeyPatch.context() as patch:  # every cache in tmp, never ~/.cache
        patch.setenv("CXMATURITY_CACHE", str(root / "cache"))
        out = build(PROJECT, root / "out", docs_only=True, cache=root / "cache" / "charts").out
    yield compared(out)


def test_the_golden_project_has_every_page(generated: dict[str, str]):
    assert "mkdocs.yml" in generated
    assert "docs/index.md" in generated
    assert len([name for name in generated if name.startswith("docs/dimensions/")]) == 3


def test_generated_pages_match_the_golden_files(generated: dict[str, str]):
    if UPDATE:
        for name in compared(GOLDEN).keys() - generated.keys():
            (GOLDEN / name).unlink()
        for name, text in generated.items():
            path = GOLDEN / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    golden = compared(GOLDEN)
    problems = []
    for name in sorted(generated.keys() | golden.keys()):
        if name not in golden:
            problems.append(f"{name}: generated but has no golden file")
        elif name not in generated:
            problems.append(f"{name}: golden file but no longer generated")
        elif generated[name] != golden[name]:
            diff = difflib.unified_diff(
                golden[name].splitlines(keepends=True),
                generated[name].splitlines(keepends=True),
                f"golden/{name}",
                f"generated/{name}",
            )
            problems.append("".join(diff))
    assert not problems, (
        "\n".join(problems) + f"\nIf the change is intended, regenerate with: {COMMAND}"
    )
