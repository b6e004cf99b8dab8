"""cxmaturity's core: load, validate and score customer-experience maturity assessments.

No rendering happens here (no click, jinja2, matplotlib or mkdocs): the ``generator``
package builds the command line and the report site on top of this one.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .loading import load_assessment, load_bank
from .planning import TuneUpPlan, plan
from .problems import InputError, Problem
from .scoring import Results, score_assessment

__all__ = [
    "InputError",
    "Problem",
    "Results",
    "TuneUpPlan",
    "__version__",
    "load_assessment",
    "load_bank",
    "plan",
    "score_assessment",
]
