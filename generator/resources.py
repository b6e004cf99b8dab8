"""Files shipped with the generator: page templates, theme overrides, the base config."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _shipped(installed: str, checkout: str) -> Path:
    """Inside the installed wheel, or at the root of a source checkout."""
    path = _HERE / installed
    return path if path.exists() else _HERE.parent / checkout


def site_templates_dir() -> Path:
    return _shipped("site_templates", "site_templates")


def base_config_path() -> Path:
    """The repository's ``mkdocs.yml``: the base of every generated report's configuration."""
    return _shipped("base_mkdocs.yml", "mkdocs.yml")
