"""A stand-in for the importer's geocoder: answers from a table, records what it was asked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from heimatruhr_geo.io import GeocodeRequest


@dataclass(frozen=True)
class FakeAnswer:
    """What the importer reads of a geocoding result."""

    found: bool
    lat: float | None
    lon: float | None
    precision: str | None
    source: str | None
    reason: str


class FakeGeocoder:
    """Answers each request with the point ``lookup`` gives it, or "not found".

    Parameters
    ----------
    lookup
        ``request -> (lat, lon)`` of a known address, or None.
    precision
        The precision every found answer claims.
    """

    def __init__(
        self,
        lookup: Callable[[GeocodeRequest], tuple[float, float] | None],
        precision: str,
    ) -> None:
        self.lookup = lookup
        self.precision = precision
        self.asked: list[GeocodeRequest] = []

    def __call__(self, requests: list[GeocodeRequest]) -> list[FakeAnswer]:
        self.asked += requests
        return [self._answer(r) for r in requests]

    def _answer(self, request: GeocodeRequest) -> FakeAnswer:
        point = self.lookup(request)
        if point is None:
            return FakeAnswer(False, None, None, None, None, "not found")
        return FakeAnswer(True, point[0], point[1], self.precision, "fake", "")
