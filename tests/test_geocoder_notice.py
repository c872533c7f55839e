"""Pages say when the address service was busy or unreachable (issue 11.6, issue 12.4)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.geocoding import GeocodeResult
from heimatruhr_geo.i18n import t
from heimatruhr_geo.ui import resources
from tests.support.apptest import run_page


@dataclass
class Degraded:
    """A geocoder whose online service failed: answers from the gazetteer, or nothing."""

    issue: str
    found: bool = True

    def geocode(self, query: object) -> GeocodeResult:
        label = str(query)
        if not self.found:
            return GeocodeResult.not_found(label, "nominatim: down", self.issue)
        return GeocodeResult(
            label, True, 51.4818, 7.2162, "municipality", "gazetteer", "05911000", "Bochum",
            "Bochum", "nominatim: down", self.issue,
        )  # fmt: skip


@pytest.fixture
def degraded(monkeypatch: pytest.MonkeyPatch) -> Degraded:
    fake = Degraded("unreachable")
    monkeypatch.setattr(resources, "geocoder", lambda: fake)
    resources._geocode_cached.clear()
    return fake


def _search_map(text: str) -> AppTest:
    at = run_page("map_page")
    at.text_input[0].input(text)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("issue", ["unreachable", "busy"])
def test_map_search_says_the_service_failed(degraded: Degraded, issue: str) -> None:
    degraded.issue = issue
    at = _search_map(f"Rottstraße 5, Bochum {issue}")
    assert t(f"geocoder_{issue}", "de") in [i.value for i in at.info]
    assert at.success, "the approximate place is still shown"


def test_map_search_not_found_while_unreachable_says_why(degraded: Degraded) -> None:
    degraded.found = False
    at = _search_map("Irgendwo 1")
    said = t("place_geocoder_unreachable_not_found", "de").format(query="Irgendwo 1")
    assert [w.value for w in at.warning] == [said], "unreachable, not 'not in the Ruhr'"


def test_a_working_service_adds_no_notice(degraded: Degraded) -> None:
    degraded.issue = ""
    at = _search_map("Rottstraße 5, Bochum ok")
    assert not any(t("geocoder_unreachable", "de") == i.value for i in at.info)


def test_finder_says_the_service_failed_and_escapes_the_query(degraded: Degraded) -> None:
    degraded.found = False
    at = run_page("finder_page")
    at.text_input(key="fs_place").input("[x](https://evil.example)")
    at.button[0].click().run()
    assert not at.exception, at.exception
    (warning,) = at.warning
    assert warning.value.startswith("Der Adressdienst war nicht erreichbar")
    assert "](https://evil" not in warning.value, "the query is escaped"
