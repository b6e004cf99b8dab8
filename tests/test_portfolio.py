"""The portfolio: peer benchmarks computed by hand, and the sites built from them.

Six tiny clients on MINI_BANK (one respondent each) give round numbers; the benchmark
tests take them from the files, the build tests build them once per module (a seventh,
broken project is skipped). Orchestration cases (fewer than five clients, a site that
fails to build) use a stand-in engine that copies the generated Markdown, so they need
no MkDocs run.
"""

from __future__ import annotations

import multiprocessing
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assessment.benchmark import (
    MIN_PEERS,
    PeerComparison,
    Spread,
    benchmark,
    compare,
    distributions,
    position,
    quartiles,
)
from assessment.scoring import Results
from generator import portfolio
from generator.cli import cli
from generator.engine import BuildError
from generator.site import MARKER, generate, prepare

from .conftest import MINI_BANK
from .test_site import Page

GAMMA = """\
  - id: gamma
    title: Gamma
    questions:
      - id: four
        text: Question four?
"""

# MINI_BANK: alpha (weight 1) = (2 x one + two) / 3, one on 1-5 (0, 25, 50, 75, 100), two
# no/partly/yes (0, 50, 100); beta (weight 2) = three, multi chat 1 + email 3 (chat 25,
# email 75, both 100). Overall = (alpha + 2 beta) / 3; fern also has gamma (weight 1):
# (alpha + 2 beta + gamma) / 4.
#
# folder  client            one two     three         alpha   beta   gamma  overall
# acme    Quixa Anvils      1   no      [chat]          0.0   25.0     -     16.667
# bolt    Brumbly Bikes     3   partly  [chat]         50.0   25.0     -     33.333
# cora    Cordwell Cafés    5   yes     [chat]        100.0   25.0     -     50.000
# dune    Dunmore Dairies   3   partly  [email]        50.0   75.0     -     66.667
# echo    Ezzard & <Events> 5   yes     [chat, email] 100.0  100.0     -    100.000
# fern    Fernleigh Florals 4   partly  [email]        66.667 75.0   25.0    60.417
CLIENTS = {
    "acme": ("Quixa Anvils", "1", "no", "[chat]", ""),
    "bolt": ("Brumbly Bikes", "3", "partly", "[chat]", ""),
    "cora": ("Cordwell Cafés", "5", "yes", "[chat]", ""),
    "dune": ("Dunmore Dairies", "3", "partly", "[email]", ""),
    "echo": ("Ezzard & <Events>", "5", "yes", "[chat, email]", ""),
    "fern": ("Fernleigh Florals", "4", "partly", "[email]", "2"),
}
DISTINCT = {  # a word of each client's name found nowhere else
    "acme": "Quixa",
    "bolt": "Brumbly",
    "cora": "Cordwell",
    "dune": "Dunmore",
    "echo": "Ezzard",
    "fern": "Fernleigh",
}
OVERALL = {"acme": 50 / 3, "bolt": 100 / 3, "cora": 50.0, "dune": 200 / 3, "echo": 100.0}
OVERALL["fern"] = (200 / 3 + 150 + 25) / 4  # 60.41666...
THEME_ASSETS = re.compile(r"assets/(javascripts|stylesheets)/")
"""Material's own scripts and styles, the same in every site."""


def write_client(root: Path, folder: str, broken: bool = False) -> Path:
    name, one, two, three, four = CLIENTS.get(folder, ("Grimsby Goods", "9", "yes", "[chat]", ""))
    project = root / folder
    (project / "answers").mkdir(parents=True)
    (project / "bank.yml").write_text(MINI_BANK + (GAMMA if four else ""), encoding="utf-8")
    client = name.replace('"', '\\"')
    (project / "assessment.yml").write_text(
        f'client: "{client}"\nbank: bank.yml\ntarget: 80\ndate: 2026-05-01\n', encoding="utf-8"
    )
    sheet = textwrap.dedent(
        f"""\
        team: Support
        answers:
          alpha.one: {one}
          alpha.two: {two}
          beta.three: {three}
        """
    )
    if four:
        sheet += f"  gamma.four: {four}\n"
    (project / "answers" / "sam.yml").write_text(sheet, encoding="utf-8")
    return project


def write_portfolio(root: Path, folders: list[str]) -> Path:
    for folder in folders:
        write_client(root, folder)
    return root


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Results]:
    root = write_portfolio(tmp_path_factory.mktemp("six"), list(CLIENTS))
    return {folder: prepare(root / folder)[1] for folder in CLIENTS}


# Quartiles and positions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # Inclusive method: quartile p of m sorted scores lies at position p * (m - 1).
        # m = 4: positions 0.75, 1.5, 2.25 -> 10 + 0.75 * 10, (20 + 30) / 2, 30 + 0.25 * 10
        ([40.0, 10.0, 30.0, 20.0], (17.5, 25.0, 32.5)),
        # m = 5: positions 1, 2, 3 -> the 2nd, 3rd and 4th scores themselves
        ([0.0, 50.0, 100.0, 100.0, 200 / 3], (50.0, 200 / 3, 100.0)),
        # m = 6: positions 1.25, 2.5, 3.75 -> 2 + 0.25, (3 + 4) / 2, 4 + 0.75
        ([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], (2.25, 3.5, 4.75)),
        # m = 2: positions 0.25, 0.5, 0.75 of the way from 0 to 80
        ([0.0, 80.0], (20.0, 40.0, 60.0)),
        ([42.0], (42.0, 42.0, 42.0)),
    ],
)
def test_quartiles_by_the_inclusive_method(scores, expected):
    spread = quartiles(scores)
    assert spread.count == len(scores)
    got = (spread.lower_quartile, spread.median, spread.upper_quartile)
    assert got == pytest.approx(expected)


def test_quartiles_of_nothing_is_an_error():
    with pytest.raises(ValueError, match="no scores"):
        quartiles([])


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (80.0, "top"),
        (60.0, "upper"),  # the upper quartile itself is still the upper half
        (55.0, "upper"),
        (50.0, "median"),
        (45.0, "lower"),
        (40.0, "lower"),  # the lower quartile itself
        (39.9, "bottom"),
    ],
)
def test_position_against_the_quartiles(score, expected):
    assert position(score, Spread(4, 40.0, 50.0, 60.0)) == expected


def test_too_few_peers_are_not_compared():
    assert MIN_PEERS == 5
    # Three peers and the client: four clients, one short.
    assert compare(50.0, [10.0, 20.0, 30.0], None) == PeerComparison(
        None, 50.0, None, None, 0, None, None
    )
    assert compare(50.0, [10.0, 20.0, 30.0, 40.0], "x").shown
    assert not compare(None, [10.0, 20.0, 30.0, 40.0], "x").shown


def test_ties_share_the_better_rank_and_count_half():
    # Peers 20, 50, 50, 80: one higher, one lower, two tied -> rank 2 of 5,
    # percentile (1 + 2 / 2) / 4 = 50.
    result = compare(50.0, [20.0, 50.0, 50.0, 80.0], None)
    assert (result.rank, result.ranked, result.percentile) == (2, 5, 50.0)


# The six clients, by hand --------------------------------------------------------------------


def test_the_six_clients_score_as_in_the_table(six):
    for folder, expected in OVERALL.items():
        assert six[folder].current.all.score == pytest.approx(expected), folder


@pytest.mark.parametrize(
    ("client", "figure", "median", "q1", "q3", "rank", "percentile", "where"),
    [
        # Overall, dune (66.667) against 16.667, 33.333, 50, 60.417, 100:
        # q1 = 33.333, median = 50, q3 = 60.417; only echo is higher -> rank 2;
        # 4 of 5 lower -> 80.
        ("dune", None, 50.0, 100 / 3, OVERALL["fern"], 2, 80.0, "top"),
        # Overall, cora (50) against 16.667, 33.333, 60.417, 66.667, 100:
        # q1 33.333, median 60.417, q3 66.667; dune, echo, fern higher -> rank 4; 2/5 -> 40.
        ("cora", None, OVERALL["fern"], 100 / 3, 200 / 3, 4, 40.0, "lower"),
        # Overall, echo (100) against 16.667, 33.333, 50, 60.417, 66.667: q1 33.333,
        # median 50, q3 60.417; rank 1, 100.
        ("echo", None, 50.0, 100 / 3, OVERALL["fern"], 1, 100.0, "top"),
        # Overall, acme (16.667) against 33.333, 50, 60.417, 66.667, 100: last, 0.
        ("acme", None, OVERALL["fern"], 50.0, 200 / 3, 6, 0.0, "bottom"),
        # Alpha, dune (50) against 0, 50 (bolt), 100, 100, 66.667 -> sorted
        # 0, 50, 66.667, 100, 100: q1 50, median 66.667, q3 100; cora, echo, fern higher
        # -> rank 4; acme lower, bolt tied -> (1 + 0.5) / 5 = 30.
        ("dune", "alpha", 200 / 3, 50.0, 100.0, 4, 30.0, "lower"),
        # Alpha, fern (66.667) against 0, 50, 100, 50, 100 -> 0, 50, 50, 100, 100:
        # q1 50, median 50, q3 100; cora, echo higher -> rank 3; 3 lower -> 60.
        ("fern", "alpha", 50.0, 50.0, 100.0, 3, 60.0, "upper"),
        # Beta, fern (75) against 25, 25, 25, 75, 100: q1 25, median 25, q3 75 (= fern,
        # still the upper half); echo higher -> rank 2; 3 lower, dune tied -> 3.5 / 5 = 70.
        ("fern", "beta", 25.0, 25.0, 75.0, 2, 70.0, "upper"),
        # Beta, bolt (25) against 25, 25, 75, 100, 75 -> 25, 25, 75, 75, 100: q1 25,
        # median 75, q3 75; dune, echo, fern higher -> rank 4; two tied -> 1 / 5 = 20.
        ("bolt", "beta", 75.0, 25.0, 75.0, 4, 20.0, "lower"),
    ],
)
def test_benchmark_of_the_six_clients(six, client, figure, median, q1, q3, rank, percentile, where):
    result = benchmark(six)[client]
    assert result.clients == 6 and result.shown
    comparison = result.overall if figure is None else result.dimension(figure)
    assert comparison.peers is not None
    assert comparison.peers.count == 5
    assert comparison.peers.median == pytest.approx(median)
    assert comparison.peers.lower_quartile == pytest.approx(q1)
    assert comparison.peers.upper_quartile == pytest.approx(q3)
    assert (comparison.rank, comparison.ranked) == (rank, 6)
    assert comparison.percentile == pytest.approx(percentile)
    assert comparison.position == where


def test_a_dimension_only_one_bank_has_is_not_compared(six):
    gamma = benchmark(six)["fern"].dimension("gamma")
    assert gamma.score == pytest.approx(25.0)
    assert not gamma.shown and gamma.rank is None


def test_distributions_over_every_client(six):
    spreads = {d.dimension: d for d in distributions(six)}
    assert list(spreads) == [None, "alpha", "beta", "gamma"]
    # Overall, all six: 16.667, 33.333, 50, 60.417, 66.667, 100; positions 1.25, 2.5, 3.75:
    # q1 = 33.333 + 0.25 x 16.667 = 37.5, median = (50 + 60.417) / 2, q3 = 60.417 + 0.75 x
    # 6.25 = 65.104.
    overall = spreads[None]
    assert (overall.lowest, overall.highest) == pytest.approx((50 / 3, 100.0))
    assert overall.spread.lower_quartile == pytest.approx(37.5)
    assert overall.spread.median == pytest.approx((50 + OVERALL["fern"]) / 2)
    assert overall.spread.upper_quartile == pytest.approx(OVERALL["fern"] + 0.75 * 6.25)
    assert spreads["gamma"].spread == Spread(1, 25.0, 25.0, 25.0)


@pytest.mark.parametrize("clients", [["acme", "bolt", "cora", "dune"], "four and a blank"])
def test_fewer_than_five_clients_with_a_score_get_no_peer_section(six, tmp_path, clients):
    results = {c: six[c] for c in ("acme", "bolt", "cora", "dune")}
    if clients == "four and a blank":  # a fifth project, nobody answered yet: no score
        blank = write_client(tmp_path, "blank")
        (blank / "answers" / "sam.yml").unlink()
        results["blank"] = prepare(blank)[1]
        assert results["blank"].current.all.score is None
    benchmarks = benchmark(results)
    assert not any(b.shown or any(d.shown for d in b.dimensions) for b in benchmarks.values())
    assessment, _, plan = prepare(write_client(tmp_path, "dune"))
    files = generate(assessment, results["dune"], plan, {}, benchmarks["dune"])
    assert "docs/peers.md" not in files
    assert b"Among peers" not in files["docs/index.md"] + files["mkdocs.yml"]


def test_five_clients_are_enough(six, tmp_path):
    results = {c: six[c] for c in ("acme", "bolt", "cora", "dune", "echo")}
    dune = benchmark(results)["dune"]
    assert dune.shown and dune.overall.peers is not None and dune.overall.peers.count == 4
    assessment, _, plan = prepare(write_client(tmp_path, "dune"))
    files = generate(assessment, results["dune"], plan, {}, dune)
    assert "docs/peers.md" in files
    assert b"Among peers" in files["docs/index.md"] and b"peers.md" in files["mkdocs.yml"]


# Building, with a stand-in engine ---------------------------------------------------------------


def copy_engine(engine: str, project: Path, site: Path, epoch: int, warm: object = None) -> None:
    """Stands in for MkDocs: the "site" is the generated Markdown, for reading back."""
    if project.parent.name == "projects" and project.name == "bolt":
        raise BuildError("mkdocs build failed: a warning")
    shutil.copytree(project / "docs", site)


@pytest.fixture
def stand_in_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portfolio, "run_engine", copy_engine)


FORKED = multiprocessing.get_start_method() == "fork"
"""Worker processes then see the stand-in engine too."""


@pytest.mark.usefixtures("stand_in_engine")
@pytest.mark.parametrize(
    "jobs", [1, pytest.param(2, marks=pytest.mark.skipif(not FORKED, reason="needs fork"))]
)
def test_a_site_that_fails_to_build_is_skipped(tmp_path: Path, jobs: int):
    root = write_portfolio(tmp_path / "clients", list(CLIENTS))
    report = portfolio.build_portfolio(root, tmp_path / "out", jobs=jobs, engine="properdocs")
    assert report.built == ("acme", "cora", "dune", "echo", "fern")
    [skipped] = report.skipped
    assert skipped.project == root / "bolt" and not skipped.bad_input
    assert "mkdocs build failed" in skipped.problems[0]
    out = tmp_path / "out"
    assert (out / MARKER).is_file() and not (out / "clients" / "bolt").exists()
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "Brumbly Bikes (site not built)" in index
    assert "bolt: its site failed to build" in index
    # The benchmark still counts bolt: its scores are sound, only its site failed.
    assert (out / "clients" / "dune" / "peers.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clients", "out"]  # no temporary left


@pytest.mark.usefixtures("stand_in_engine")
def test_a_portfolio_of_four_has_no_peer_pages(tmp_path: Path):
    root = write_portfolio(tmp_path / "clients", ["acme", "cora", "dune", "echo"])
    report = portfolio.build_portfolio(root, tmp_path / "out", jobs=1, engine="properdocs")
    assert report.built == ("acme", "cora", "dune", "echo") and not report.compared
    for client in report.built:
        site = tmp_path / "out" / "clients" / client
        assert not (site / "peers.md").exists()
        assert "Among peers" not in (site / "index.md").read_text(encoding="utf-8")
    index = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert "With fewer than 5 clients with a score" in index


def test_slugs_are_distinct_and_url_safe(tmp_path: Path):
    projects = [tmp_path / name for name in ("Acme Co", "acme-co", "Été & fils", "___")]
    assert list(portfolio.client_slugs(projects).values()) == [
        "acme-co",
        "acme-co-2",
        "ete-fils",
        "client",
    ]


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_portfolio_command_has_help_with_an_example():
    result = run("portfolio", "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout and "cxmaturity portfolio" in result.stdout


def test_a_folder_without_projects_or_a_foreign_output_is_refused(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    result = run("portfolio", tmp_path / "empty")
    assert result.exit_code == 2 and "no project found" in result.stderr
    root = write_portfolio(tmp_path / "clients", ["acme"])
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run("portfolio", root, "--out", foreign)
    assert result.exit_code == 2 and "not written by cxmaturity" in result.stderr
    assert [p.name for p in foreign.iterdir()] == ["notes.txt"]


def test_nothing_is_written_when_no_project_can_be_read(tmp_path: Path):
    root = tmp_path / "clients"
    write_client(root, "grim")  # answers 9 on a 1-5 scale
    result = run("portfolio", root)
    assert result.exit_code == 2
    assert "answers.alpha.one: 9 is outside" in result.stderr
    assert "0 built, 1 skipped" in result.stdout and "Nothing written" in result.stdout
    assert sorted(p.name for p in root.iterdir()) == ["grim"]


# Building for real ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path, Path]:
    """The six clients and a broken seventh, built with MkDocs in two processes."""
    root = write_portfolio(tmp_path_factory.mktemp("portfolio"), [*CLIENTS, "grim"])
    out = root.parent / "portfolio-site"
    return run("portfolio", root, "--out", out, "--jobs", 2), root, out


def test_a_broken_project_is_reported_and_skipped(built):
    result, root, out = built
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    # grim answers 9 on a 1-5 scale, on line 3, column 14 of its sheet.
    assert f"{root}/grim/answers/sam.yml:3:14: answers.alpha.one: 9 is outside" in result.stderr
    assert f"skipped {root}/grim: 1 problem" in result.stderr
    assert "6 built, 1 skipped" in result.stdout
    assert sorted(p.name for p in (out / "clients").iterdir()) == sorted(CLIENTS)
    assert all((out / "clients" / c / "index.html").is_file() for c in CLIENTS)


def test_the_portfolio_index_lists_each_client_with_its_overall_score(built):
    _, _, out = built
    page = Page(out / "index.html", out)
    table = next(t for t in page.tables if t[0][:3] == ["Client", "People", "Overall"])
    rows = {row[0]: row for row in table[1:]}
    assert set(rows) == {name for name, *_ in CLIENTS.values()}  # shown as written
    for folder, (name, *_) in CLIENTS.items():
        assert rows[name][2] == f"{OVERALL[folder]:.1f}"
    links = {
        page.resolve(value)
        for tag, attribute, value in page.attributes
        if tag == "a" and attribute == "href" and "clients/" in value
    }
    assert links == {out / "clients" / c / "index.html" for c in CLIENTS}
    assert "<Events>" not in page.source  # the name is shown as text, never as markup
    for tag, attribute, value in page.attributes:  # the theme's assets and ours are there
        if (tag, attribute) in (("script", "src"), ("link", "href")) and "assets/" in value:
            assert page.resolve(value).is_file(), value
    assert "grim: 1 problem in its files" in page.content


def test_client_sites_never_name_the_other_clients(built):
    _, _, out = built
    for client, own in DISTINCT.items():
        site = out / "clients" / client
        text = "\n".join(
            p.read_text(encoding="utf-8", errors="replace").casefold()
            for p in sorted(site.rglob("*"))
            if p.is_file()
            and p.suffix != ".gz"
            and not THEME_ASSETS.match(p.relative_to(site).as_posix())
        )
        assert own.casefold() in text  # the check can see names at all
        others = [
            word for other, word in DISTINCT.items() if word.casefold() in text and other != client
        ]
        assert others == [], f"{client}'s site names {others}"
        assert not re.search(r"clients/|\b(acme|bolt|cora|dune|echo|fern|grim)/", text)


def test_a_client_report_shows_where_it_stands(built):
    _, _, out = built
    site = out / "clients" / "dune"
    page = Page(site / "peers.html", site)
    table = page.tables[0]
    rows = {row[0]: row[1:] for row in table[1:]}
    # Hand-computed above: overall 66.7 against median 50, q1 33.3, q3 60.4.
    assert rows["Overall"][:4] == ["66.7", "50.0", "33.3 to 60.4", "+16.7"]
    assert rows["Overall"][4].startswith("above the upper quartile")
    assert rows["Alpha"][:4] == ["50.0", "66.7", "50.0 to 100.0", "−16.7"]
    assert "number 4 of 6, higher than 30% of peers" in page.content
    home = Page(site / "index.html", site)
    assert "Among peers" in home.content and "median of 50.0" in home.content
    assert "Among peers" in home.text  # in the navigation too
    fern = Page(out / "clients" / "fern" / "peers.html")
    gamma = next(row for row in fern.tables[0] if row[0] == "Gamma")
    assert "not compared: fewer than 5 clients have a score" in gamma[-1]
