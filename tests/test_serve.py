"""``cxmaturity serve`` as a real process: what it watches, what an invalid edit shows,
and how it stops (Ctrl-C, SIGTERM) without leaving processes or folders behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.serve import BANNER_ID, Preview, problems_banner, problems_heading

from .conftest import MINI_BANK, WriteProject

SCRIPT = Path(sys.executable).with_name("cxmaturity")
SHEET = "team: X\nanswers:\n  alpha.one: 4\n"
BROKEN = "team: X\nanswers:\n  alpha.one: 9\n"
BROKEN_PROBLEM = "answers/a.yml:3:14: answers.alpha.one: 9 is outside scale agreement (1 to 5)"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8"/></svg>'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Served:
    """A ``cxmaturity serve`` process in a session of its own (as a terminal runs it), with
    its standard error collected line by line."""

    def __init__(self, project: Path, tmp: Path) -> None:
        self.port = free_port()
        self.tmp = tmp
        tmp.mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [str(SCRIPT), "serve", str(project), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ | {"TMPDIR": str(tmp)},
            start_new_session=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, condition: Callable[[list[str]], bool], timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not condition(self.lines):
            if time.monotonic() > deadline or self.process.poll() is not None:
                time.sleep(0.2)
                pytest.fail("serve did not get there:\n" + "\n".join(self.lines))
            time.sleep(0.05)

    def count(self, start: str) -> int:
        return sum(line.startswith(start) for line in self.lines)

    def page(self, path: str = "/") -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=30) as got:
            text: str = got.read().decode("utf-8")
            return text

    def children(self) -> list[int]:
        """The processes this one started (the chart workers), found in /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def stop(self, how: Callable[[int], None]) -> int:
        how(self.process.pid)
        status = self.process.wait(timeout=60)
        self.reader.join(timeout=10)
        return status


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for init to reap it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[list[Served]]:
    started: list[Served] = []
    yield started
    for process in started:
        if process.process.poll() is None:
            os.killpg(process.process.pid, signal.SIGKILL)
            process.process.wait()


pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def test_ctrl_c_stops_everything_quietly_with_status_130(
    write_project: WriteProject, tmp_path: Path, served: list[Served]
):
    project = write_project({"answers/a.yml": SHEET})
    server = Served(project, tmp_path / "tmp")
    served.append(server)
    server.wait_for(lambda lines: any(line.startswith("Serving ") for line in lines))
    workers = server.children()
    assert len(workers) == 2  # the warm chart workers
    # Ctrl-C in a terminal interrupts the whole foreground process group.
    status = server.stop(lambda pid: os.killpg(pid, signal.SIGINT))
    assert status == 130, "\n".join(server.lines)
    assert server.lines[-1] == "Stopped."
    assert not any("Traceback" in line for line in server.lines), "\n".join(server.lines)
    assert [pid for pid in workers if alive(pid)] == []
    assert list(server.tmp.iterdir()) == []


def test_serve_watches_banks_and_logo_anywhere_shows_problems_and_stops_on_sigterm(
    write_project: WriteProject, tmp_path: Path, served: list[Served]
):
    shared = tmp_path / "shared" / "bank.yml"
    shared.parent.mkdir()
    shared.write_text(MINI_BANK, encoding="utf-8")
    project = write_project(
        {
            "assessment.yml": "client: Test Co\nbank: ../shared/bank.yml\n"
            "branding: {logo: images/logo.svg}\n",
            "images/logo.svg": LOGO,
            "answers/a.yml": SHEET,
        }
    )
    server = Served(project, tmp_path / "tmp")
    served.append(server)
    server.wait_for(lambda lines: any(line.startswith("Serving ") for line in lines))
    assert "Question one" in server.page("/bank.html")

    # A bank outside banks/ and outside the project, and a logo in a folder of its own.
    rebuilt = server.count("Rebuilt in ")
    shared.write_text(MINI_BANK.replace("Question one", "Question uno"), encoding="utf-8")
    server.wait_for(lambda _: server.count("Rebuilt in ") > rebuilt)
    assert "Question uno" in server.page("/bank.html")
    rebuilt = server.count("Rebuilt in ")
    (project / "images" / "logo.svg").write_text(LOGO.replace('"8"', '"9"'), encoding="utf-8")
    server.wait_for(lambda _: server.count("Rebuilt in ") > rebuilt)
    assert (server.tmp / os.listdir(server.tmp)[0] / "site" / "assets" / "logo.svg").read_text(
        encoding="utf-8"
    ) == LOGO.replace('"8"', '"9"')

    # An invalid edit shows on the page as well as in the terminal.
    (project / "answers" / "a.yml").write_text(BROKEN, encoding="utf-8")
    server.wait_for(lambda lines: problems_heading(1) in lines)
    page = server.page("/")
    assert page.count(f'<div id="{BANNER_ID}"') == 1
    assert f"{problems_heading(1)}</strong>" in page
    assert f"{project}/{BROKEN_PROBLEM}" in page
    (project / "answers" / "a.yml").write_text(SHEET, encoding="utf-8")
    server.wait_for(lambda lines: "The project is valid again." in lines)
    server.wait_for(lambda _: BANNER_ID not in server.page("/"))

    # SIGTERM (a service manager, `kill`) reaches only the main process.
    workers = server.children()
    assert len(workers) == 2
    status = server.stop(lambda pid: os.kill(pid, signal.SIGTERM))
    assert status == 143, "\n".join(server.lines)
    assert server.lines[-1] == "Stopped."
    assert [pid for pid in workers if alive(pid)] == []
    assert list(server.tmp.iterdir()) == []


def test_a_busy_port_is_one_line_before_any_build(write_project: WriteProject):
    project = write_project({"answers/a.yml": SHEET})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(project), "--port", str(port)])
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"Error: 127.0.0.1:{port} is already in use; stop what uses it or choose another --port\n"
    )


def test_the_problems_show_on_every_page_once_and_go_when_fixed(
    write_project: WriteProject, tmp_path: Path
):
    project = write_project({"answers/a.yml": SHEET})
    said: list[str] = []
    preview = Preview(project, tmp_path / "work", said.append, jobs=1)
    preview.build()
    pages = sorted(preview.site.rglob("*.html"))
    assert len(pages) > 5 and not any(BANNER_ID in p.read_text() for p in pages)

    (project / "answers" / "a.yml").write_text(BROKEN)
    preview.build()
    preview.build()  # twice: still one banner
    problem = f"{project}/{BROKEN_PROBLEM}"
    assert said[-2:] == [problem, problems_heading(1)]
    for page in pages:
        text = page.read_text()
        assert text.count(f'<div id="{BANNER_ID}"') == 1, page
        assert problem in text, page

    (project / "answers" / "a.yml").write_text(SHEET)
    preview.build()
    assert not any(BANNER_ID in p.read_text() for p in preview.site.rglob("*.html"))


def test_the_problems_are_shown_as_text():
    banner = problems_banner(["a.yml:1:1: <script>alert(1)</script>\x1b[31m"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;[31m</pre>" in banner
    assert "<script>" not in banner and "\x1b" not in banner


def test_an_invalid_project_at_start_shows_a_page_of_its_problems(
    write_project: WriteProject, tmp_path: Path
):
    project = write_project({"answers/a.yml": BROKEN})
    preview = Preview(project, tmp_path / "work", lambda _: None, jobs=1)
    preview.build()
    page = (preview.site / "index.html").read_text()
    assert f"<strong>{problems_heading(1)}</strong>" in page
    assert f"{project}/{BROKEN_PROBLEM}" in page
