"""``cxmaturity serve``: a live preview that rebuilds and reloads when a YAML file changes.

MkDocs' own live-reload server serves the built site and reloads the browser; we watch
the project's files (its YAML, banks wherever they are, the logo) instead of the
generated Markdown. Each change regenerates the pages (rewriting only files whose content
changed) and rebuilds in this process, which skips the engine's start-up. An invalid edit
prints its problems and shows them on top of every page, over the last good site; the
next valid save recovers.

Ctrl-C and SIGTERM stop the server, its worker processes and remove its temporary folder.
"""

from __future__ import annotations

import contextlib
import errno
import html
import re
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from assessment.model import PROJECT_FILE
from assessment.problems import InputError

from .engine import BuildError
from .figures import chart_specs
from .site import cache_dir, generate, prepare, quiet_worker, render_charts

Report = Callable[[str], None]
POLLING_INTERVAL = 0.1
"""Seconds between looks at the watched files."""


BANNER_ID = "cx-serve-problems"
_BANNER = re.compile(rf'<div id="{BANNER_ID}".*?</div>\n', re.DOTALL)
_BODY = re.compile(r"<body\b[^>]*>")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class PortInUse(BuildError):
    """The address to serve on is taken."""


def _warm_up() -> None:
    import matplotlib.figure  # noqa: F401  (the import is the point)


def problems_heading(count: int) -> str:
    """What the terminal and the page say over the problems of an invalid edit."""
    return (
        f"{count} problem{'s' * (count != 1)}: the preview keeps the last good version; "
        "save a fix and it reloads"
    )


def problems_banner(lines: Iterable[str]) -> str:
    """The problems of an invalid edit as an HTML block shown on top of every page."""
    shown = list(lines)
    text = html.escape(_CONTROLS.sub("", "\n".join(shown)))
    return (
        f'<div id="{BANNER_ID}" role="alert" style="position:sticky;top:0;z-index:10;'
        "padding:.8rem 1rem;background:#fff4ce;color:#3d2e00;border-bottom:3px solid #9a6b00;"
        'font:15px/1.5 system-ui,sans-serif">'
        f"<strong>{html.escape(problems_heading(len(shown)))}</strong>"
        f'<pre style="margin:.5rem 0 0;white-space:pre-wrap;font-size:13px">{text}</pre>'
        "</div>\n"
    )


def show_problems(site: Path, lines: list[str]) -> None:
    """Put the problems on top of every page of the built ``site`` (replacing any shown
    before), or on a page of their own when there is no site yet."""
    banner = problems_banner(lines)
    pages = sorted(site.rglob("*.html"))
    if not pages:
        site.mkdir(parents=True, exist_ok=True)
        (site / "index.html").write_text(
            '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            "<title>cxmaturity preview: problems</title></head>\n"
            f"<body>\n{banner}</body></html>\n",
            encoding="utf-8",
        )
        return
    for page in pages:
        text = _BANNER.sub("", page.read_text(encoding="utf-8"))
        body = _BODY.search(text)
        at = body.end() if body else 0
        page.write_text(f"{text[:at]}\n{banner}{text[at:]}", encoding="utf-8")


def check_port(host: str, port: int) -> None:
    """Raise :class:`PortInUse` now, rather than after the first build, if it is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise PortInUse(_port_message(host, port, error)) from None


def _port_message(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"{host}:{port} is already in use; stop what uses it or choose another --port"
    return f"cannot serve on {host}:{port} ({error.strerror})"


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
        self.pool = (
            ProcessPoolExecutor(max_workers=jobs, initializer=quiet_worker) if jobs > 1 else None
        )
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
            self.fail([str(problem) for problem in error.problems])
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

    def fail(self, lines: list[str]) -> None:
        """Report problems in the terminal and on every page of the preview."""
        for line in lines:
            self.report(line)
        self.report(problems_heading(len(lines)))
        show_problems(self.site, lines)
        self.failing = True

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
        from mkdocs.exceptions import MkDocsException

        config = load_config(str(self.docs / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = live_server_url
        if self.theme_env is None or self.config_changed:
            self.theme_env = config.theme.get_env()
        environment = self.theme_env
        config.theme.get_env = lambda: environment  # type: ignore[method-assign]
        try:
            mkdocs_build(config)
        except (MkDocsException, OSError) as error:
            self.fail([f"the site could not be built: {error}"])
            return
        self.report(f"Rebuilt in {time.perf_counter() - started:.2f} s")

    def watched(self) -> set[tuple[Path, bool]]:
        """What to watch, with whether to watch recursively: the project's own folders,
        and the folder of each bank file and of the logo wherever they are."""
        root = self.project
        paths = {(root.resolve(), False)}
        for folder in ("answers", "banks"):
            if (root / folder).is_dir():
                paths.add(((root / folder).resolve(), True))
        for file in _named_files(root):
            paths.add((file.parent.resolve(), False))
        return paths


def _named_files(root: Path) -> list[Path]:
    """The files ``assessment.yml`` names (bank files, the logo) that exist."""
    try:
        settings = yaml.safe_load((root / PROJECT_FILE).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return []
    if not isinstance(settings, dict):
        return []
    banks = settings.get("bank")
    named = banks if isinstance(banks, list) else [banks]
    branding = settings.get("branding")
    if isinstance(branding, dict):
        named.append(branding.get("logo"))
    return [root / name for name in named if isinstance(name, str) and (root / name).is_file()]


def serve(project: Path, host: str, port: int, report: Report) -> None:
    """Serve a live preview of ``project`` until interrupted (``KeyboardInterrupt``, also
    raised for SIGTERM by the command line, is re-raised once everything is stopped)."""
    import os

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.livereload import LiveReloadServer

    if not (project / PROJECT_FILE).exists():
        prepare(project)  # raises the clear "not a project" error
    check_port(host, port)
    workdir = Path(tempfile.mkdtemp(prefix="cxmaturity-serve-"))
    preview: Preview | None = None
    server: LiveReloadServer | None = None
    try:
        preview = Preview(project, workdir, report)
        url = f"http://{host}:{port}/"
        preview.site.mkdir(parents=True)
        watching: set[tuple[Path, bool]] = set()

        def rebuild() -> None:
            assert preview is not None and server is not None
            preview.build(live_server_url=url)
            for path, recursive in preview.watched() - watching:
                server.watch(str(path), recursive=recursive)
                watching.add((path, recursive))

        server = LiveReloadServer(
            builder=rebuild,
            host=host,
            port=port,
            root=str(preview.site),
            polling_interval=POLLING_INTERVAL,
        )
        rebuild()
        listen = server.server_activate

        def listen_then_say() -> None:  # "Serving" only once the port takes connections
            listen()
            report(f"Serving {project} at {url} (Ctrl+C to stop)")

        server.server_activate = listen_then_say  # type: ignore[method-assign]
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except OSError as error:  # taken since check_port looked
            raise PortInUse(_port_message(host, port, error)) from None
    except KeyboardInterrupt:
        report("Stopped.")
        raise
    finally:
        with _signals_held():
            if server is not None:
                server.shutdown()
            if preview is not None:
                preview.close()
            shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ignore Ctrl-C and SIGTERM meanwhile, so that a second one cannot cut a clean-up short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = (signal.SIGINT, signal.SIGTERM)
    previous = [signal.signal(number, signal.SIG_IGN) for number in held]
    try:
        yield
    finally:
        for number, handler in zip(held, previous, strict=True):
            signal.signal(number, handler)
