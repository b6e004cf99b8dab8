"""Editor support: JSON Schemas made from the bank, and the two ways editors find them.

An editor with a YAML language server (VS Code's YAML extension, for one) completes and
checks a file against a schema named either in its first line (a modeline, a path
relative to the file) or in the workspace's settings (``yaml.schemas``: schema to file
patterns). The settings cover every sheet under ``answers/`` at any depth, so ``init``
writes them and its template carries no modeline: a modeline wins over the settings, and
one that is right for ``answers/<team>/`` would be wrong after a copy to
``answers/<round>/<team>/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

from .engine import OutputRefused
from .files import write_atomic

if TYPE_CHECKING:
    from assessment.model import Bank

SCHEMA_FOLDER = "schemas"
SHEET_SCHEMA = "answer-sheet.schema.json"
BANK_SCHEMA = "bank.schema.json"
PROJECT_SCHEMA = "assessment.schema.json"
ACTIONS_SCHEMA = "actions.schema.json"
SCHEMA_MARK = "Written by `cxmaturity schema`: regenerate it rather than edit it."
SETTINGS_FILE = Path(".vscode") / "settings.json"
TEMPLATE_FILE = "answer-sheet-template.yml"
SCHEMA_PATTERNS = {
    SHEET_SCHEMA: ["answers/**/*.yml", "answers/**/*.yaml", TEMPLATE_FILE],
    PROJECT_SCHEMA: ["assessment.yml"],
    BANK_SCHEMA: ["banks/*.yml", "banks/*.yaml"],
    ACTIONS_SCHEMA: ["actions.yml"],
}
"""Which files each schema checks, as the YAML language server's settings give them."""


def write_schemas(bank: Bank, folder: Path) -> list[Path]:
    """Write the four schemas into ``folder``; refuse (writing nothing) to replace a file
    that we did not write."""
    from assessment.actions import actions_schema
    from assessment.schemas import SCHEMA_DIALECT, bank_schema, project_schema, sheet_schema

    schemas = {
        SHEET_SCHEMA: sheet_schema(bank),
        BANK_SCHEMA: bank_schema(),
        PROJECT_SCHEMA: project_schema(),
        ACTIONS_SCHEMA: {"$schema": SCHEMA_DIALECT, **actions_schema(bank)},
    }
    for name in schemas:
        path = folder / name
        if path.exists() and SCHEMA_MARK not in path.read_text(encoding="utf-8", errors="replace"):
            raise OutputRefused(
                f"{path}: exists and was not written by cxmaturity; nothing written"
            )
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in schemas.items():
        path = folder / name
        text = json.dumps({"$comment": SCHEMA_MARK, **schema}, indent=2, ensure_ascii=False)
        write_atomic(path, (text + "\n").encode("utf-8"))
        written.append(path)
    return written


def editor_settings() -> str:
    """``.vscode/settings.json`` for a project: each schema with the files it checks."""
    schemas = {f"./{SCHEMA_FOLDER}/{name}": files for name, files in SCHEMA_PATTERNS.items()}
    return json.dumps({"yaml.schemas": schemas}, indent=2) + "\n"


def write_editor_settings(project: Path) -> Path | None:
    """Write the project's editor settings unless it has some already (they may hold
    anything); returns the file written, or ``None``."""
    path = project / SETTINGS_FILE
    if path.exists():
        return None
    write_atomic(path, editor_settings().encode("utf-8"))
    return path


def modeline(schema: Path, sheet_folder: Path) -> str:
    """The first line that names ``schema`` to a sheet in ``sheet_folder``."""
    relative = os.path.relpath(schema, sheet_folder).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={relative}"
