"""The pages' cached geocode keeps real answers, not answers given while Nominatim failed."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from heimatruhr_geo.geocoding import GeocodeResult
from heimatruhr_geo.ui import resources


@dataclass
class FakeGeocoder:
    issues: list[str]
    asked: list[str] = field(default_factory=list)

    def geocode(self, query: str) -> GeocodeResult:
        self.asked.append(query)
        issue = self.issues[min(len(self.asked), len(self.issues)) - 1]
        return GeocodeResult.not_found(query, "why", service_issue=issue)


@pytest.mark.parametrize(
    ("issues", "expected_asks"),
    [(["busy", ""], 2), (["unreachable", "unreachable"], 2), ([""], 1), (["offline"], 1)],
)
def test_transient_failures_are_not_cached(
    monkeypatch: pytest.MonkeyPatch, issues: list[str], expected_asks: int
) -> None:
    fake = FakeGeocoder(issues)
    monkeypatch.setattr(resources, "geocoder", lambda: fake)
    resources._geocode_cached.clear()
    query = f"Hauptstraße 1, Bochum {issues}"
    first = resources.geocode(query)
    second = resources.geocode(query)
    assert len(fake.asked) == expected_asks
    assert first["service_issue"] == issues[0]
    assert second["service_issue"] == issues[min(expected_asks, len(issues)) - 1]
