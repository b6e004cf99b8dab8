"""Peer benchmarks: where each client of a portfolio stands among the others.

Pure functions over the :class:`~assessment.scoring.Results` of many clients (each client's
current round, everyone in it). The rules, in one place:

* A client's **peers** for a figure are the *other* clients of the portfolio that have a
  score for it: the overall score, or a dimension by its id (only clients whose bank has
  a dimension with that id, and a score on it, count for that dimension).
* The peers' **median and quartiles** are ``statistics.quantiles(scores, n=4,
  method="inclusive")``: linear interpolation between the ranked scores, the lowest and
  highest counting as the 0 and 100 % points (the same as a spreadsheet's
  ``QUARTILE.INC`` and numpy's default). For sorted scores ``x[0..m-1]`` the quartile
  ``p`` (0.25, 0.5, 0.75) lies at position ``p * (m - 1)``.
* A figure is compared only when at least :data:`MIN_PEERS` clients, **the client itself
  included**, have a score for it; otherwise nothing about its peers is given, so a
  small portfolio never gives one client's score away.
* **Rank** is 1 for the highest score among the client and its peers; tied clients share
  the better rank. **Percentile** is the share of peers scoring lower, ties counted half,
  from 0 to 100.
* **Position** says which quarter of the peers' spread the score falls in (see
  :data:`Position`).

Peers are never named here: a :class:`ClientBenchmark` holds only the client's own scores
and statistics of the others.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from .scoring import Results

MIN_PEERS = 5
"""Clients with a score, the client itself included, needed before peers are compared."""

Position = Literal["top", "upper", "median", "lower", "bottom"]
"""Where a score falls against its peers' quartiles ``q1 <= median <= q3``:
``top`` above q3; ``upper`` above the median up to q3; ``median`` equal to it;
``lower`` from q1 up to below the median; ``bottom`` below q1."""

_SAME = 1e-9
"""Scores closer than this are equal (they are means of floats)."""


@dataclass(frozen=True)
class Spread:
    """The median and quartiles of a set of scores (inclusive method, see the module)."""

    count: int
    lower_quartile: float
    median: float
    upper_quartile: float


@dataclass(frozen=True)
class PeerComparison:
    """One client's score on one figure against its peers'; ``dimension`` ``None`` is overall.

    Everything but ``score`` is ``None`` (and ``ranked`` 0) when the figure is not
    compared: the client has no score, or fewer than :data:`MIN_PEERS` clients have one.
    """

    dimension: str | None
    score: float | None
    peers: Spread | None
    rank: int | None
    ranked: int
    percentile: float | None
    position: Position | None

    @property
    def shown(self) -> bool:
        return self.peers is not None


@dataclass(frozen=True)
class ClientBenchmark:
    """Where one client stands, overall and per dimension of its own bank (in its order)."""

    clients: int
    """Clients of the portfolio with an overall score, this one included."""
    overall: PeerComparison
    dimensions: tuple[PeerComparison, ...]

    @property
    def shown(self) -> bool:
        """Whether the report shows peers at all: the overall score is compared."""
        return self.overall.shown

    def dimension(self, dimension_id: str) -> PeerComparison:
        return next(d for d in self.dimensions if d.dimension == dimension_id)


@dataclass(frozen=True)
class Distribution:
    """Every client's score on one figure (``dimension`` ``None`` is overall), for the
    portfolio's own pages, which name the clients anyway."""

    dimension: str | None
    spread: Spread
    lowest: float
    highest: float


def quartiles(scores: Sequence[float]) -> Spread:
    """Median and quartiles of ``scores`` by ``statistics.quantiles(..., method="inclusive")``.

    A single score is its own median and quartiles; no score at all is a ``ValueError``.
    """
    if not scores:
        raise ValueError("no scores to take quartiles of")
    if len(scores) == 1:
        return Spread(1, scores[0], scores[0], scores[0])
    q1, median, q3 = statistics.quantiles(scores, n=4, method="inclusive")
    return Spread(len(scores), q1, median, q3)


def position(score: float, spread: Spread) -> Position:
    """Which part of the peers' spread ``score`` falls in (see :data:`Position`)."""
    if math.isclose(score, spread.median, rel_tol=0, abs_tol=_SAME):
        return "median"
    if score > spread.median:
        return "top" if score > spread.upper_quartile + _SAME else "upper"
    return "bottom" if score < spread.lower_quartile - _SAME else "lower"


def compare(score: float | None, peers: Sequence[float], dimension: str | None) -> PeerComparison:
    """``score`` against the other clients' ``peers`` scores on the same figure."""
    if score is None or len(peers) + 1 < MIN_PEERS:
        return PeerComparison(dimension, score, None, None, 0, None, None)
    higher = sum(1 for p in peers if p > score + _SAME)
    lower = sum(1 for p in peers if p < score - _SAME)
    tied = len(peers) - higher - lower
    spread = quartiles(peers)
    return PeerComparison(
        dimension=dimension,
        score=score,
        peers=spread,
        rank=higher + 1,
        ranked=len(peers) + 1,
        percentile=100 * (lower + tied / 2) / len(peers),
        position=position(score, spread),
    )


def _scores(results: Mapping[str, Results]) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Each client's overall score and scores by dimension id, only where there is one."""
    overall: dict[str, float] = {}
    by_dimension: dict[str, dict[str, float]] = {}
    for client, result in results.items():
        everyone = result.current.all
        if everyone.score is not None:
            overall[client] = everyone.score
        for dimension in everyone.dimensions:
            if dimension.score is not None:
                by_dimension.setdefault(dimension.id, {})[client] = dimension.score
    return overall, by_dimension


def _others(scores: Mapping[str, float], client: str) -> list[float]:
    return [score for name, score in scores.items() if name != client]


def benchmark(results: Mapping[str, Results]) -> dict[str, ClientBenchmark]:
    """Every client's position among the others, keyed like ``results``."""
    overall, by_dimension = _scores(results)
    benchmarks = {}
    for client, result in results.items():
        everyone = result.current.all
        dimensions = tuple(
            compare(d.score, _others(by_dimension.get(d.id, {}), client), d.id)
            for d in everyone.dimensions
        )
        benchmarks[client] = ClientBenchmark(
            clients=len(overall),
            overall=compare(everyone.score, _others(overall, client), None),
            dimensions=dimensions,
        )
    return benchmarks


def distributions(results: Mapping[str, Results]) -> tuple[Distribution, ...]:
    """The spread of every client's scores: overall first, then each dimension id in the
    order clients first ask it; a figure no client has a score for is left out."""
    overall, by_dimension = _scores(results)
    order: list[str] = []
    for result in results.values():
        order += [d.id for d in result.current.all.dimensions if d.id not in order]
    figures: list[tuple[str | None, list[float]]] = [(None, list(overall.values()))]
    figures += [(d, list(by_dimension[d].values())) for d in order if d in by_dimension]
    return tuple(
        Distribution(dimension, quartiles(scores), min(scores), max(scores))
        for dimension, scores in figures
        if scores
    )
