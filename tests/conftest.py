"""Shared fixtures: the bundled example and a way to write small projects from text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from assessment.loading import load_assessment
from assessment.model import Assessment
from assessment.problems import InputError

ROOT = Path(__file__).resolve().parent.parent
ACME = ROOT / "content" / "examples" / "acme"

MINI_BANK = """\
id: mini
title: Mini bank
version: "1.0"
scales:
  agreement:
    points:
      - {value: 1, label: Not at all}
      - {value: 2, label: Rarely}
      - {value: 3, label: Sometimes}
      - {value: 4, label: Mostly}
      - {value: 5, label: Always}
  yes-no:
    choices:
      - {id: no, label: No, score: 0}
      - {id: partly, label: Partly, score: 0.5}
      - {id: yes, label: Yes, score: 1}
default_scale: agreement
levels:
  - {name: Low, min: 0, description: Starting out.}
  - {name: Middle, min: 40, description: Getting there.}
  - {name: High, min: 70, description: Strong.}
dimensions:
  - id: alpha
    title: Alpha
    weight: 1
    questions:
      - id: one
        text: Question one?
        weight: 2
        tune_ups:
          - {below: 60, title: Fix one, effort: low, impact: high}
      - id: two
        text: Question two?
        scale: yes-no
        tune_ups:
          - {below: 80, title: Fix two, effort: medium, impact: medium}
  - id: beta
    title: Beta
    weight: 2
    questions:
      - id: three
        text: Which channels?
        select: multi
        choices:
          - {id: chat, label: Chat, weight: 1}
          - {id: email, label: E-mail, weight: 3}
        tune_ups:
          - {below: 50, title: Add channels, effort: high, impact: high}
"""

WriteProject = Callable[..., Path]
Problems = Callable[[dict[str, str | bytes]], list[str]]
Load = Callable[[dict[str, str | bytes]], Assessment]


@pytest.fixture(scope="module", autouse=True)
def cache_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each test module caches charts and compiled templates in a folder of its own,
    never in ``~/.cache``."""
    root = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CXMATURITY_CACHE", str(root))
        yield root


@pytest.fixture
def acme() -> Path:
    return ACME


@pytest.fixture
def write_project(tmp_path: Path) -> WriteProject:
    """Write ``{relative path: text}`` under a fresh project folder and return it.

    Texts are dedented; ``assessment.yml`` and ``bank.yml`` default to a small project
    using :data:`MINI_BANK` unless given.
    """

    def write(files: dict[str, str | bytes], *, name: str = "proj") -> Path:
        root = tmp_path / name
        defaults: dict[str, str | bytes] = {
            "assessment.yml": "client: Test Co\nbank: bank.yml\ntarget: 80\n",
            "bank.yml": MINI_BANK,
        }
        for relative, content in (defaults | files).items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content), encoding="utf-8")
        return root

    return write


@pytest.fixture
def problems_of(
    write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Problems:
    """Write a project from texts, load it as ``proj`` and return its problems as printed."""
    monkeypatch.chdir(tmp_path)

    def load(files: dict[str, str | bytes]) -> list[str]:
        write_project(files)
        with pytest.raises(InputError) as caught:
            load_assessment("proj")
        return [str(problem) for problem in caught.value.problems]

    return load


@pytest.fixture
def loaded(write_project: WriteProject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Load:
    """Write a project from texts and load it as ``proj``; it must be valid."""
    monkeypatch.chdir(tmp_path)

    def load(files: dict[str, str | bytes]) -> Assessment:
        write_project(files)
        return load_assessment("proj")

    return load
