"""cxmaturity's core: load, validate and score customer-experience maturity assessments.

No rendering happens here (no click, jinja2, matplotlib or mkdocs): the ``generator``
package builds the command line and the report site on top of this one. The names below
are imported on first use, so ``import assessment.problems`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "InputError": "problems",
    "Problem": "problems",
    "Results": "scoring",
    "TuneUpPlan": "planning",
    "load_assessment": "loading",
    "load_bank": "loading",
    "plan": "planning",
    "score_assessment": "scoring",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
