"""Files shipped with the generator: page templates, theme overrides, the base config."""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve().parent
DEFAULT_OUT = "site"
"""Where a project's site is built unless ``--out`` says otherwise."""


def _shipped(installed: str, checkout: str) -> Path:
    """Inside the installed wheel, or at the root of a source checkout."""
    path = _HERE / installed
    return path if path.exists() else _HERE.parent / checkout


def site_templates_dir() -> Path:
    return _shipped("site_templates", "site_templates")


def base_config_path() -> Path:
    """The repository's ``mkdocs.yml``: the base of every generated report's configuration."""
    return _shipped("base_mkdocs.yml", "mkdocs.yml")


def cache_root() -> Path:
    """Where rendered charts and compiled templates are kept between runs.

    ``$CXMATURITY_CACHE`` if set, else ``$XDG_CACHE_HOME/cxmaturity`` (``~/.cache``).
    Everything in it is keyed by content, so it can be deleted at any time.
    """
    configured = os.environ.get("CXMATURITY_CACHE")
    if configured:
        return Path(configured)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cxmaturity"
