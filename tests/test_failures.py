"""When the system says no: read-only folders, a full disk, concurrent and killed builds.

Each failure is one line and an exit status (2 for a mistake in what was asked, 1 when the
system cannot do it), never a traceback, and nothing already written is lost. Read-only
folders are real: a read-only bind mount in a user namespace when the tests run as root
(root ignores permission bits), ``chmod`` otherwise. Concurrent and killed builds are real
processes.
"""

from __future__ import annotations

import errno
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from generator.output import BUILDING_MARKER, MARKER

from .conftest import WriteProject

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

SCRIPT = Path(sys.executable).with_name("cxmaturity")
READ_ONLY_MOUNT = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1"'
"""Shell: make the folder ``$1`` read-only (in a mount namespace of its own)."""
SHEET = "team: X\nanswers:\n  alpha.one: 4\n  alpha.two: partly\n"


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def command(*args: object) -> list[str]:
    """The installed ``cxmaturity`` script with ``args``, to run as a process of its own."""
    return [str(SCRIPT), *map(str, args)]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def project(write_project: WriteProject) -> Path:
    return write_project({"answers/a.yml": SHEET})


# Read-only folders ------------------------------------------------------------------------------


@functools.cache
def read_only_mounts() -> bool:
    """Whether this machine lets us make a read-only bind mount in a user namespace."""
    if shutil.which("unshare") is None:
        return False
    with tempfile.TemporaryDirectory() as folder:
        probe = subprocess.run(
            ["unshare", "-rm", "sh", "-c", READ_ONLY_MOUNT + ' && ! touch "$1/x"', "sh", folder],
            capture_output=True,
            check=False,
        )
    return probe.returncode == 0


def run_read_only(folder: Path, *args: object) -> subprocess.CompletedProcess[str]:
    """Run ``cxmaturity args`` while ``folder`` cannot be written to."""
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            return subprocess.run(command(*args), capture_output=True, text=True, check=False)
        finally:
            folder.chmod(0o755)
    if not read_only_mounts():
        pytest.skip("running as root without user namespaces: no folder is read-only to us")
    script = READ_ONLY_MOUNT + ' && shift && exec "$@"'
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, "sh", str(folder), *command(*args)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_build_into_a_read_only_folder(project: Path, tmp_path: Path):
    out = tmp_path / "published"
    out.mkdir()
    completed = run_read_only(out, "build", project, "--out", out / "site")
    assert (completed.returncode, completed.stdout) == (1, ""), completed.stderr
    assert completed.stderr == (
        f"Error: {out}: cannot write here (Read-only file system); nothing was changed\n"
        if os.geteuid() == 0
        else f"Error: {out}: cannot write here (Permission denied); nothing was changed\n"
    )
    assert list(out.iterdir()) == []


def test_pdf_into_a_read_only_folder(project: Path, tmp_path: Path):
    out = tmp_path / "published"
    out.mkdir()
    completed = run_read_only(out, "pdf", project, "--out", out / "report.pdf")
    why = "Read-only file system" if os.geteuid() == 0 else "Permission denied"
    assert (completed.returncode, completed.stdout) == (1, ""), completed.stderr
    assert completed.stderr == f"Error: {out}/report.pdf: not written ({why})\n"
    assert list(out.iterdir()) == []


def test_init_in_a_read_only_folder(tmp_path: Path):
    parent = tmp_path / "clients"
    parent.mkdir()
    completed = run_read_only(parent, "init", parent / "acme")
    why = "Read-only file system" if os.geteuid() == 0 else "Permission denied"
    assert (completed.returncode, completed.stdout) == (1, ""), completed.stderr
    assert completed.stderr == f"Error: {parent}/acme: not created ({why})\n"
    assert list(parent.iterdir()) == []


# A full disk ------------------------------------------------------------------------------------


def _disk_full_for(suffix: str, original):  # type: ignore[no-untyped-def]
    def write_bytes(self: Path, data: bytes) -> int:
        if self.name.endswith(suffix):
            self.write_text("half a file")  # what a full disk leaves
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        result: int = original(self, data)
        return result

    return write_bytes


def test_pdf_on_a_full_disk_writes_nothing_and_keeps_the_earlier_pdf(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "report.pdf"
    assert run("pdf", project, "--out", out).exit_code == 0
    before = out.read_bytes()
    monkeypatch.setattr(Path, "write_bytes", _disk_full_for(".tmp", Path.write_bytes))
    result = run("pdf", project, "--out", out)
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {out}: not written (No space left on device)\n"
    assert out.read_bytes() == before
    assert leftovers(tmp_path) == []


def test_build_on_a_full_disk_keeps_the_previous_site(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    out = tmp_path / "site"
    assert run("build", project, "--out", out, "--docs-only").exit_code == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    monkeypatch.setattr(Path, "write_bytes", _disk_full_for(".md", Path.write_bytes))
    result = run("build", project, "--out", out, "--docs-only")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"Error: {out}: not built (No space left on device); the previous output is untouched\n"
    )
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert leftovers(tmp_path) == []


# The output folder ------------------------------------------------------------------------------


@pytest.mark.parametrize("out", [".", ".."])
def test_the_current_folder_is_never_the_output(
    out: str, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    here = tmp_path / "empty" / "here"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    result = run("build", project, "--out", out, "--docs-only")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"Error: {out}: is the current folder or holds it; the output folder is replaced "
        "as a whole, so choose a folder below it (--out site)\n"
    )
    assert list(here.iterdir()) == [] and list(here.parent.iterdir()) == [here]


def first_line(stream: IO[str], timeout: float = 30.0) -> str:
    """The next line of a process's output, or "" when none comes within ``timeout``."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(stream.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0] if lines else ""


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the lock a build of ``out`` takes (a file beside it, locked with flock)."""
    descriptor = os.open(out.with_name(f".{out.name}.lock"), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


@pytest.mark.skipif(fcntl is None, reason="builds are serialised with flock")
def test_a_build_waits_for_another_build_into_the_same_folder(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    with locked(out):
        second = subprocess.Popen(
            command("build", project, "--out", out, "--docs-only"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert second.stderr is not None
        assert first_line(second.stderr) == (
            f"{out}: another build is writing this folder; waiting for it to finish\n"
        )
        time.sleep(0.5)
        assert second.poll() is None and not out.exists()
    stdout, stderr = second.communicate(timeout=60)
    assert second.returncode == 0, stderr
    assert stdout.startswith("Built the MkDocs project: ")
    assert (out / MARKER).is_file()
    assert leftovers(tmp_path) == []


def test_concurrent_builds_into_one_folder_all_succeed(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    builds = [
        subprocess.Popen(
            command("build", project, "--out", out, "--docs-only"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = [(b.wait(timeout=120), b.communicate()[1]) for b in builds]
    assert [status for status, _ in outcomes] == [0, 0, 0, 0], outcomes
    assert all("Traceback" not in stderr for _, stderr in outcomes)
    assert (out / MARKER).is_file() and (out / "docs" / "index.md").is_file()
    assert leftovers(tmp_path) == []


# Killed builds ----------------------------------------------------------------------------------


def wait_for(condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_killed_builds_folder_is_removed_by_the_next_build(project: Path, tmp_path: Path):
    out = tmp_path / "site"
    # A build folder that is not ours, with a name like ours: never touched.
    foreign = tmp_path / ".site.building-mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    killed = subprocess.Popen(command("build", project, "--out", out), stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: any((p / "project").is_dir() for p in tmp_path.glob(".site.building-*")))
    finally:
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    left = [p for p in tmp_path.glob(".site.building-*") if p != foreign]
    assert len(left) == 1 and (left[0] / BUILDING_MARKER).is_file()

    result = run("build", project, "--out", out, "--docs-only")
    assert result.exit_code == 0, result.output
    assert leftovers(tmp_path) == [".site.building-mine"]
    assert (foreign / "notes.txt").read_text() == "mine"


def test_a_previous_site_moved_aside_by_a_killed_build_is_put_back(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """Killed between the two renames of its swap, a build leaves the previous site beside
    its place, and none in it: the next build puts it back, so that it is still there when
    that build fails too."""
    out = tmp_path / "site"
    assert run("build", project, "--out", out).exit_code == 0
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    os.replace(out, tmp_path / ".site.old-4242")
    monkeypatch.setattr("generator.site.run_engine", _broken_engine)
    result = run("build", project, "--out", out)
    assert result.exit_code == 1, result.output
    assert result.stderr == "Error: the engine broke\n"
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert leftovers(tmp_path) == []


def _broken_engine(*args: object) -> None:
    from generator.engine import BuildError

    raise BuildError("the engine broke")
