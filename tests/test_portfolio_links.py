"""A portfolio counts each real project once, however many links lead to it (issue 9,
item 12): two links must not make 3 clients count as 5, meet the peer threshold and
compare a client with itself."""

from __future__ import annotations

from pathlib import Path

from generator.portfolio import find_projects

from .test_portfolio import write_portfolio


def test_links_to_projects_in_the_folder_are_not_counted_again(tmp_path: Path) -> None:
    root = write_portfolio(tmp_path / "clients", ["acme", "cora", "dune"])
    (root / "zeta").symlink_to("acme", target_is_directory=True)
    (root / "alias").symlink_to(root / "cora", target_is_directory=True)
    assert [p.name for p in find_projects(root)] == ["acme", "cora", "dune"]


def test_a_project_outside_the_folder_counts_once_under_its_first_link(tmp_path: Path) -> None:
    root = write_portfolio(tmp_path / "clients", ["acme"])
    elsewhere = write_portfolio(tmp_path / "elsewhere", ["echo"]) / "echo"
    (root / "echo-b").symlink_to(elsewhere, target_is_directory=True)
    (root / "echo-a").symlink_to(elsewhere, target_is_directory=True)
    assert [p.name for p in find_projects(root)] == ["acme", "echo-a"]


def test_a_broken_link_or_a_link_loop_is_no_project(tmp_path: Path) -> None:
    root = write_portfolio(tmp_path / "clients", ["acme"])
    (root / "gone").symlink_to(tmp_path / "nowhere", target_is_directory=True)
    (root / "loop").symlink_to(root / "loop", target_is_directory=True)
    assert [p.name for p in find_projects(root)] == ["acme"]
