"""Run MkDocs' own command line in a process that got ready ahead of time.

``cxmaturity build`` starts this process first. While our side reads, scores and renders
the pages, this one imports MkDocs and compiles the Material theme's templates (a third
of a small build). It then receives one JSON line, ``{"args": [...], "env": {...}}``, and
runs ``mkdocs <args>`` exactly as the ``mkdocs`` command would, except that a theme asking
for the same template folders and language gets the environment compiled in advance.
An empty line cancels.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys


def _used_by_every_page(name: str) -> bool:
    """The page templates and partials, without other languages and integrations."""
    if not name.endswith((".html", ".xml")):
        return False
    if name.startswith("partials/languages/"):
        return name == "partials/languages/en.html"
    return not name.startswith(("partials/integrations/", "blog", "fragments/"))


def _precompiled_theme() -> None:
    """Compile Material's templates now, and hand them to the build that asks for them."""
    import jinja2
    from mkdocs.theme import Theme

    ready = Theme(name="material", locale="en")
    environment = ready.get_env()
    for name in environment.list_templates(filter_func=_used_by_every_page):
        with contextlib.suppress(jinja2.TemplateError):
            environment.get_template(name)
    original = Theme.get_env

    def get_env(theme: Theme) -> jinja2.Environment:
        if list(theme.dirs) == list(ready.dirs) and str(theme.locale) == str(ready.locale):
            return environment
        return original(theme)

    Theme.get_env = get_env  # type: ignore[method-assign,assignment]


def main() -> None:
    from mkdocs.__main__ import cli

    # Everything here only saves time: any failure leaves a plain MkDocs build.
    with contextlib.suppress(Exception):
        import markdown  # noqa: F401
        import material.plugins.search.plugin  # noqa: F401
        import mkdocs.commands.build  # noqa: F401

        _precompiled_theme()
    line = sys.stdin.readline()
    if not line.strip():
        return
    request = json.loads(line)
    os.environ.update(request["env"])
    cli.main(args=request["args"], prog_name="mkdocs")


if __name__ == "__main__":
    main()
