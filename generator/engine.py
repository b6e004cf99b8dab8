"""The static-site engines, run as subprocesses in strict mode.

Only :mod:`subprocess` and the standard library are imported here, so the command line
can start MkDocs (:class:`WarmEngine`) before it imports anything heavy itself.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ENGINES = ("mkdocs", "zensical", "properdocs")


class BuildError(Exception):
    """The site could not be built; the message says why and what was kept."""


class OutputRefused(BuildError):
    """The output folder is not ours to replace."""


def engine_command(engine: str, config: Path, site: Path) -> list[str]:
    """The engine's strict build command."""
    if engine == "zensical":
        return [_script("zensical"), "build", "--strict", "-f", str(config)]
    module = "properdocs" if engine == "properdocs" else "mkdocs"
    if importlib.util.find_spec(module) is None:
        raise BuildError(_not_installed(module))
    return [sys.executable, "-m", module, *_build_arguments(config, site)]


def _not_installed(name: str) -> str:
    return f"{name} is not installed: pip install {name}"


def _build_arguments(config: Path, site: Path) -> list[str]:
    return ["build", "--strict", "-q", "-f", str(config), "-d", str(site)]


def _script(name: str) -> str:
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise BuildError(_not_installed(name))
    return found


def _engine_environment(epoch: int) -> dict[str, str]:
    return {
        "SOURCE_DATE_EPOCH": str(epoch),
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
        "PYTHONHASHSEED": "0",
    }


class WarmEngine:
    """MkDocs started before the pages exist, so its imports overlap our work.

    It runs MkDocs' own command line (see :mod:`generator.engine_runner`) once told to.
    """

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator.engine_runner"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ | _engine_environment(0),
        )

    def build(self, project: Path, site: Path, epoch: int) -> subprocess.CompletedProcess[str]:
        request = {
            "args": _build_arguments(project / "mkdocs.yml", site),
            "env": _engine_environment(epoch),
        }
        stdout, stderr = self.process.communicate(json.dumps(request) + "\n")
        return subprocess.CompletedProcess(
            self.process.args, self.process.returncode, stdout, stderr
        )

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.communicate("\n")


def run_engine(
    engine: str, project: Path, site: Path, epoch: int, warm: WarmEngine | None = None
) -> None:
    """Build the generated project at ``project`` into ``site``; raise on any warning."""
    project, site = project.resolve(), site.resolve()
    try:
        if warm is not None:
            completed = warm.build(project, site, epoch)
        else:
            completed = subprocess.run(
                engine_command(engine, project / "mkdocs.yml", site),
                cwd=project,
                env=os.environ | _engine_environment(epoch),
                capture_output=True,
                text=True,
                check=False,
            )
    except OSError as error:
        raise BuildError(f"could not run {engine}: {error}") from error
    if completed.returncode != 0:
        output = (completed.stderr + completed.stdout).strip()
        raise BuildError(f"{engine} build failed; the previous output is untouched:\n{output}")
    if engine == "zensical":
        built = project / "site"
        if built.resolve() != site.resolve():
            os.replace(built, site)
