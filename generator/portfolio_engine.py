"""One MkDocs process that builds site after site: the portfolio's warm engine.

A portfolio builds dozens of small sites. Started anew for each, MkDocs spends more time
importing itself and compiling the Material theme's templates than building (about 0.5 s
of CPU a site). :class:`EngineWorker` starts this module once per worker process; it
imports MkDocs, compiles the theme (as :mod:`generator.engine_runner` does for one build)
and then builds every site it is sent, in strict mode, as ``mkdocs build --strict`` would:
the same configuration loading, plugins and warning count, with ``SOURCE_DATE_EPOCH`` set
per build. It also remembers which of the theme's files are copied into a site, which
every build would otherwise find again by walking the theme's 14,000 files.

The protocol is one JSON line each way: ``{"config", "site", "epoch"}`` in,
``{"ok", "output"}`` out (``output``: what MkDocs logged, for the error message). End of
input ends the process.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

from .engine import BuildError, _engine_environment


class EngineWorker:
    """A warm MkDocs process, building one site per :meth:`build` call."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator.portfolio_engine"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # everything MkDocs says comes back in the reply
            text=True,
            env=os.environ | _engine_environment(0),
        )

    @property
    def alive(self) -> bool:
        """Whether the process still runs (it may have been killed, or run out of memory)."""
        return self.process.poll() is None

    def build(self, project: Path, site: Path, epoch: int) -> None:
        """Build ``project``'s ``mkdocs.yml`` into ``site``; raise :class:`BuildError`."""
        request = {"config": str(project.resolve() / "mkdocs.yml"), "site": str(site.resolve())}
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write(json.dumps(request | {"epoch": epoch}) + "\n")
            stdin.flush()
            line = stdout.readline()
        except OSError as error:
            raise BuildError(f"the MkDocs worker stopped: {error}") from error
        if not line:
            code = self.process.wait()
            raise BuildError(f"the MkDocs worker stopped unexpectedly (exit status {code})")
        reply = json.loads(line)
        if not reply["ok"]:
            raise BuildError(
                f"mkdocs build failed; the previous output is untouched:\n{reply['output']}"
            )

    def close(self) -> None:
        """Let the process end (end of input) and wait for it."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# The worker process ---------------------------------------------------------------------------


def _remember_theme_files() -> None:
    """Find the theme's static files once per theme, instead of once per build."""
    from mkdocs.structure.files import File, Files

    found: dict[tuple[Any, ...], list[tuple[str, str | None]]] = {}
    original = Files.add_files_from_theme

    def add_files_from_theme(files: Files, env: Any, config: Any) -> None:
        theme = config.theme
        key = (tuple(theme.dirs), tuple(sorted(theme.static_templates)))
        if key not in found:
            probe = Files([])
            original(probe, env, config)
            found[key] = [(f.src_uri, f.src_dir) for f in probe]
        for path, folder in found[key]:
            if files.get_file_from_path(path) is None:
                files.append(File(path, folder, config.site_dir, config.use_directory_urls))

    Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign,assignment]


def _build(request: dict[str, Any], log: logging.Logger) -> dict[str, Any]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    records = io.StringIO()
    handler = logging.StreamHandler(records)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    log.addHandler(handler)
    os.environ["SOURCE_DATE_EPOCH"] = str(request["epoch"])
    try:
        with contextlib.redirect_stdout(records), contextlib.redirect_stderr(records):
            config = load_config(
                config_file=request["config"], site_dir=request["site"], strict=True
            )
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            finally:
                config.plugins.on_shutdown()
        return {"ok": True, "output": records.getvalue()}
    except (Exception, SystemExit) as error:  # every failure is reported, none ends the loop
        return {"ok": False, "output": f"{records.getvalue()}{type(error).__name__}: {error}"}
    finally:
        log.removeHandler(handler)


def main(stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout) -> None:
    """Build a site for each request line until the input ends."""
    from .engine_runner import _precompiled_theme

    log = logging.getLogger("mkdocs")
    log.setLevel(logging.WARNING)  # as `mkdocs build -q`
    log.propagate = False
    # Both only save time: a failure leaves builds as MkDocs does them on its own.
    with contextlib.suppress(Exception):
        _precompiled_theme()
    with contextlib.suppress(Exception):
        _remember_theme_files()
    for line in stdin:
        if not line.strip():
            continue
        reply = _build(json.loads(line), log)
        stdout.write(json.dumps(reply) + "\n")
        stdout.flush()


if __name__ == "__main__":
    main()
