"""``cxmaturity serve``: a live preview that rebuilds and reloads when a YAML file changes.

MkDocs' own live-reload server serves the built site and reloads the browser; we watch
the project's YAML instead of the generated Markdown. Each change regenerates the pages
(rewriting only files whose content changed) and rebuilds in this process, which skips
the engine's start-up. An invalid edit prints its problems and keeps the last good site
on screen; the next valid save recovers.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from assessment.model import PROJECT_FILE
from assessment.problems import InputError

from .figures import chart_specs
from .site import cache_dir, generate, prepare, render_charts

Report = Callable[[str], None]
POLLING_INTERVAL = 0.1
"""Seconds between looks at the watched files."""


def _warm_up() -> None:
    import matplotlib.figure  # noqa: F401  (the import is the point)


def sync_tree(files: Mapping[str, bytes], folder: Path) -> int:
    """Make ``folder`` hold exactly ``files``, writing only what changed; returns the count."""
    changed = 0
    for relative, content in files.items():
        path = folder / relative
        try:
            if path.read_bytes() == content:
                continue
        except OSError:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        changed += 1
    for path in sorted(folder.rglob("*"), reverse=True):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in files:
            path.unlink()
            changed += 1
    return changed


class Preview:
    """The generated project of a served report, regenerated on demand."""

    def __init__(self, project: Path, workdir: Path, report: Report, jobs: int = 2) -> None:
        self.project = project
        self.docs = workdir / "project"
        self.site = workdir / "site"
        self.report = report
        self.failing = False
        self.config_changed = True
        self.theme_env: Any = None
        # Warm workers draw the charts an edit changes without paying matplotlib's import.
        self.pool = ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else None
        if self.pool is not None:
            for _ in range(jobs):
                self.pool.submit(_warm_up)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def regenerate(self) -> bool:
        """Rewrite the generated project from the YAML files; ``False`` if they are invalid."""
        started = time.perf_counter()
        try:
            assessment, results, plan = prepare(self.project)
        except InputError as error:
            for problem in error.problems:
                self.report(str(problem))
            self.report(
                f"{len(error.problems)} problem(s): the preview keeps the last good version; "
                "save a fix and it reloads"
            )
            self.failing = True
            return False
        charts, drawn = render_charts(chart_specs(assessment, results), cache_dir(), pool=self.pool)
        files = generate(assessment, results, plan, charts)
        config = self.docs / "mkdocs.yml"
        self.config_changed = not config.exists() or config.read_bytes() != files["mkdocs.yml"]
        changed = sync_tree(files, self.docs)
        if self.failing:
            self.report("The project is valid again.")
        self.failing = False
        self.report(
            f"Regenerated in {time.perf_counter() - started:.2f} s: {changed} file(s) changed, "
            f"{drawn} chart(s) drawn"
        )
        return True

    def build(self, live_server_url: str | None = None) -> None:
        """Regenerate, then build the site in this process (MkDocs).

        The theme's compiled templates are reused between builds (compiling them is a third
        of a build), until the configuration changes.
        """
        started = time.perf_counter()
        if not self.regenerate():
            return
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config

        config = load_config(str(self.docs / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = live_server_url
        if self.theme_env is None or self.config_changed:
            self.theme_env = config.theme.get_env()
        environment = self.theme_env
        config.theme.get_env = lambda: environment  # type: ignore[method-assign]
        mkdocs_build(config)
        self.report(f"Rebuilt in {time.perf_counter() - started:.2f} s")

    def watched(self) -> list[tuple[Path, bool]]:
        """What to watch, with whether to watch recursively."""
        paths = [(self.project, False)]
        for folder in ("answers", "banks"):
            if (self.project / folder).is_dir():
                paths.append((self.project / folder, True))
        return paths


def serve(project: Path, host: str, port: int, report: Report) -> None:
    """Serve a live preview of ``project`` until interrupted."""
    import os

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.livereload import LiveReloadServer

    if not (project / PROJECT_FILE).exists():
        prepare(project)  # raises the clear "not a project" error
    workdir = Path(tempfile.mkdtemp(prefix="cxmaturity-serve-"))
    preview = Preview(project, workdir, report)
    url = f"http://{host}:{port}/"
    preview.site.mkdir(parents=True)
    server = LiveReloadServer(
        builder=lambda: preview.build(live_server_url=url),
        host=host,
        port=port,
        root=str(preview.site),
        polling_interval=POLLING_INTERVAL,
    )
    for path, recursive in preview.watched():
        server.watch(str(path), recursive=recursive)
    preview.build(live_server_url=url)
    report(f"Serving {project} at {url} (Ctrl+C to stop)")
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        report("Stopped.")
    finally:
        server.shutdown()
        preview.close()
        shutil.rmtree(workdir, ignore_errors=True)
