"""The layers of STYLE.md: `assessment` renders nothing and knows nothing of `generator`."""

from __future__ import annotations

import subprocess
import sys

ASSESSMENT_MODULES = [
    "assessment",
    "assessment.document",
    "assessment.formats",
    "assessment.loading",
    "assessment.model",
    "assessment.planning",
    "assessment.problems",
    "assessment.schemas",
    "assessment.scoring",
    "assessment.sheets",
    "assessment.source",
]
FORBIDDEN = ["click", "jinja2", "matplotlib", "mkdocs", "markdown", "generator"]


def test_assessment_imports_no_rendering_library() -> None:
    # A fresh interpreter, so nothing imported by other tests can hide an import.
    code = (
        "import importlib, sys\n"
        f"for name in {ASSESSMENT_MODULES!r}: importlib.import_module(name)\n"
        f"print(sorted(m for m in {FORBIDDEN!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_command_line_starts_without_heavy_imports() -> None:
    # `cxmaturity --help` and the start of `build` must not pay for pydantic or matplotlib.
    code = (
        "import sys, generator.cli\n"
        "print(sorted(m for m in ('pydantic', 'matplotlib', 'jinja2', 'mkdocs') "
        "if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
