"""The portfolio at scale: one warm MkDocs per worker, progress as sites are done, and the
state of each client's Now actions on the portfolio page."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import portfolio
from generator.cli import cli
from generator.engine import BuildError, run_engine
from generator.portfolio_engine import EngineWorker
from generator.site import generate, prepare, write_tree

from .test_portfolio import CLIENTS, copy_engine, write_client, write_portfolio

EPOCH = 1_777_593_600  # 2026-05-01, the clients' date


def _digests(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _generated(root: Path, folder: str, into: Path) -> Path:
    assessment, results, plan = prepare(root / folder)
    write_tree(generate(assessment, results, plan, {}), into)
    return into


def test_one_warm_mkdocs_builds_sites_as_mkdocs_build_does(tmp_path: Path):
    root = write_portfolio(tmp_path / "clients", ["acme", "dune"])
    acme = _generated(root, "acme", tmp_path / "acme-docs")
    dune = _generated(root, "dune", tmp_path / "dune-docs")
    run_engine("mkdocs", acme, tmp_path / "plain", EPOCH)  # `mkdocs build --strict`, alone
    worker = EngineWorker()
    try:
        pid = worker.process.pid
        worker.build(dune, tmp_path / "dune-site", EPOCH)
        worker.build(acme, tmp_path / "acme-site", EPOCH)
        assert worker.process.pid == pid and worker.process.poll() is None
    finally:
        worker.close()
    assert worker.process.returncode == 0
    # Byte for byte what MkDocs writes on its own, even as the second site of the process.
    assert _digests(tmp_path / "acme-site") == _digests(tmp_path / "plain")
    assert (tmp_path / "dune-site" / "index.html").read_bytes() != (
        tmp_path / "acme-site" / "index.html"
    ).read_bytes()


def test_a_warning_fails_that_build_only(tmp_path: Path):
    broken = tmp_path / "broken"
    (broken / "docs").mkdir(parents=True)
    (broken / "mkdocs.yml").write_text("site_name: Broken\n", encoding="utf-8")
    (broken / "docs" / "index.md").write_text("[gone](missing.md)\n", encoding="utf-8")
    good = tmp_path / "good"
    (good / "docs").mkdir(parents=True)
    (good / "mkdocs.yml").write_text("site_name: Good\n", encoding="utf-8")
    (good / "docs" / "index.md").write_text("# Fine\n", encoding="utf-8")
    worker = EngineWorker()
    try:
        for _ in range(2):  # the same warning twice is still a warning (no de-duplication)
            with pytest.raises(BuildError) as caught:
                worker.build(broken, tmp_path / "broken-site", EPOCH)
            message = str(caught.value)
            assert message.startswith("mkdocs build failed; the previous output is untouched:\n")
            assert "missing.md" in message and "Aborted with 1 warnings in strict mode!" in message
        worker.build(good, tmp_path / "good-site", EPOCH)
    finally:
        worker.close()
    assert (tmp_path / "good-site" / "index.html").is_file()


def test_a_stopped_worker_is_a_build_error(tmp_path: Path):
    worker = EngineWorker()
    worker.process.kill()
    worker.process.wait()
    with pytest.raises(BuildError, match="the MkDocs worker stopped"):
        worker.build(tmp_path, tmp_path / "site", EPOCH)
    worker.close()


class _Counted:
    """Stands in for the warm MkDocs: counts how many start, builds by copying Markdown."""

    started = 0
    alive = True

    def __init__(self) -> None:
        type(self).started += 1

    def build(self, project: Path, site: Path, epoch: int) -> None:
        copy_engine("mkdocs", project, site, epoch)

    def close(self) -> None:
        pass


def test_one_engine_for_every_site_and_progress_as_each_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(portfolio, "EngineWorker", _Counted)
    _Counted.started = 0
    root = write_portfolio(tmp_path / "clients", list(CLIENTS))
    seen: list[portfolio.Progress] = []
    report = portfolio.build_portfolio(root, tmp_path / "out", jobs=1, progress=seen.append)
    # bolt fails (the stand-in's rule), the others build: six sites and the portfolio's,
    # all with the one engine.
    assert _Counted.started == 1
    assert report.built == ("acme", "cora", "dune", "echo", "fern")
    assert [(p.slug, p.done, p.total, p.built) for p in seen] == [
        ("acme", 1, 6, True),
        ("bolt", 2, 6, False),
        ("cora", 3, 6, True),
        ("dune", 4, 6, True),
        ("echo", 5, 6, True),
        ("fern", 6, 6, True),
    ]
    assert portfolio._engine is None  # stopped at the end


def test_the_command_prints_one_line_per_client_off_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(portfolio, "run_engine", copy_engine)
    root = write_portfolio(tmp_path / "clients", ["acme", "cora"])
    result = CliRunner().invoke(
        cli,
        [
            "portfolio",
            str(root),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "1",
            "--engine",
            "properdocs",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["[1/2] acme: built", "[2/2] cora: built"]
    assert result.stdout.splitlines()[0] == "2 built, 0 skipped"


ACTIONS = """\
alpha.one.1:
  owner: Dana
  due: 2026-04-01
  status: doing
beta.three.1:
  status: dropped
"""


def test_the_portfolio_page_shows_each_clients_now_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(portfolio, "run_engine", copy_engine)
    root = tmp_path / "clients"
    write_client(root, "acme")
    write_client(root, "cora")
    (root / "acme" / "actions.yml").write_text(ACTIONS, encoding="utf-8")
    portfolio.build_portfolio(root, tmp_path / "out", jobs=1, engine="properdocs")
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    # acme (one 1 = 0, two no = 0, three chat = 25) has three Now items: alpha.one.1 doing
    # and due 1 April, before its date (1 May): overdue; beta.three.1 dropped; alpha.two.1
    # not listed. cora has no actions.yml.
    rows = [line for line in index.splitlines() if line.startswith("| <a href")]
    assert rows[0].endswith(" | 1 doing · 1 dropped · 1 untracked &#40;1 overdue&#41; |")
    assert rows[1].endswith(" | not tracked |")
    assert "| Now actions |" in index


def test_no_now_actions_column_when_no_client_tracks_its_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(portfolio, "run_engine", copy_engine)
    root = write_portfolio(tmp_path / "clients", ["acme", "cora"])
    portfolio.build_portfolio(root, tmp_path / "out", jobs=1, engine="properdocs")
    assert "Now actions" not in (tmp_path / "out" / "index.md").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_engine_left_running() -> Iterator[None]:
    yield
    assert portfolio._engine is None


def test_a_worker_whose_mkdocs_stopped_gets_a_new_one(tmp_path: Path):
    root = write_portfolio(tmp_path / "clients", ["acme"])
    docs = _generated(root, "acme", tmp_path / "docs")
    portfolio._start_engine("mkdocs")
    try:
        first = portfolio._engine
        assert first is not None
        first.process.kill()
        first.process.wait()
        portfolio._run("mkdocs", docs, tmp_path / "site", EPOCH)
        assert portfolio._engine is not first
    finally:
        portfolio._stop_engine()
    assert (tmp_path / "site" / "index.html").is_file()
