"""Run MkDocs' own command line in a process that imported it ahead of time.

``cxmaturity build`` starts this process first, so that importing MkDocs, Markdown and the
theme (a third of a small build) overlaps with reading, scoring and rendering the pages.
It then sends one JSON line, ``{"args": [...], "env": {...}}``, and this process runs
``mkdocs <args>`` exactly as the ``mkdocs`` command would. An empty line cancels.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys


def main() -> None:
    from mkdocs.__main__ import cli

    # What every build imports anyway; failures here only lose the head start.
    with contextlib.suppress(ImportError):
        import markdown  # noqa: F401
        import material.plugins.search.plugin  # noqa: F401
        import mkdocs.commands.build  # noqa: F401
    line = sys.stdin.readline()
    if not line.strip():
        return
    request = json.loads(line)
    os.environ.update(request["env"])
    cli.main(args=request["args"], prog_name="mkdocs")


if __name__ == "__main__":
    main()
