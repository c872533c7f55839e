"""Honest locations: approximate points are marked in the map data, the queue and the store.

A record placed only at a municipality's (or district's) centre is labelled "Lage ungefähr"
in the points document and the place list, marked in the moderation queue with the
location picker, and becomes exact when a moderator sets the pin (an audited edit).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from heimatruhr_geo import mapdata
from heimatruhr_geo.geocoding import AddressQuery, GeocodeResult
from heimatruhr_geo.i18n import t
from heimatruhr_geo.io import GeocodeRequest, import_file
from heimatruhr_geo.models import (
    APPROXIMATE_PRECISIONS,
    PRECISIONS,
    CreativeSpace,
    GeocodePrecision,
    VacantBuilding,
    is_approximate,
)
from heimatruhr_geo.store import Store
from heimatruhr_geo.ui.moderation_place import picker_prefix, save_key
from tests.support.apptest import clear_app_caches, page_app, rerun, run_page
from tests.support.moderation import open_page, sign_in

PASSWORD = "ein langes Moderationspasswort"
BOCHUM_CENTRE = (7.2162, 51.4818)
ROTTSTRASSE = (51.48653, 7.21072)  # (lat, lon) where the moderator sets the pin
ESSEN = (7.0116, 51.4556)


def test_the_precision_vocabulary_is_explicit() -> None:
    assert PRECISIONS == ("exact", "address", "street", "district", "municipality")
    assert {"district", "municipality"} == APPROXIMATE_PRECISIONS
    assert [p for p in PRECISIONS if is_approximate(p)] == ["district", "municipality"]
    assert not is_approximate(None) and not is_approximate("")
    with pytest.raises(ValueError, match="geocode_precision"):
        CreativeSpace(title="x", project_type="music", lon=7.0, lat=51.5, geocode_precision="city")


def _frame(precisions: list[str | None]) -> pd.DataFrame:
    n = len(precisions)
    return pd.DataFrame(
        {
            "id": [f"s{i}" for i in range(n)],
            "title": [f"Ort {i}" for i in range(n)],
            "project_type": ["music"] * n,
            "status": ["funded"] * n,
            "street": ["Rottstraße 5"] * n,
            "city": ["Bochum"] * n,
            "lat": [51.48] * n,
            "lon": [7.21] * n,
            "municipality": ["Bochum"] * n,
            "geocode_precision": precisions,
        }
    )


@pytest.mark.parametrize("lang", ["de", "en"])
def test_points_document_labels_approximate_rows(lang: str) -> None:
    spaces = _frame(["municipality", "address", None, "district", "exact"])
    doc = json.loads(mapdata.encode_points(spaces, None, lang).data)
    column = doc["approx"]
    assert column["i"] == [0, 3], "only the approximate rows travel"
    texts = [
        dict(zip(column["i"], [column["t"][c] for c in column["c"]], strict=True)).get(i, "")
        for i in range(doc["n"])
    ]
    assert texts == [
        t("place_approx_municipality", lang),
        "",
        "",
        t("place_approx_district", lang),
        "",
    ]
    assert t("place_approx_municipality", "de") == "Lage ungefähr (Gemeindemitte)"


def test_points_document_without_precision_column_has_no_approximate_row() -> None:
    doc = json.loads(
        mapdata.encode_points(_frame([None]).drop(columns="geocode_precision"), None, "de").data
    )
    assert doc["approx"] == {"t": [], "i": [], "c": []}


def test_place_list_says_which_location_is_approximate() -> None:
    table, total = mapdata.place_list(_frame(["municipality", "address"]), None, "de")
    assert total == 2
    column = table[t("place_col_location", "de")].tolist()
    assert sorted(column) == ["", "Lage ungefähr (Gemeindemitte)"]


# ------------------------------------------------------------------------- the store


def test_an_edit_that_keeps_the_point_keeps_the_precision(store: Store) -> None:
    rid = store.add(_approximate_space())
    record = store.get(rid, public=False)
    # the moderation edit form sends every field, the unchanged coordinates too
    diff = store.update_record(
        rid, {"title": "Neuer Titel", "lat": record["lat"], "lon": record["lon"]}, "alice"
    )
    assert set(diff) == {"title"}
    again = store.get(rid, public=False)
    assert (again["geocode_precision"], again["geocode_source"]) == ("municipality", "centroid")
    store.update_record(rid, {"lat": ROTTSTRASSE[0], "lon": ROTTSTRASSE[1]}, "alice")
    moved = store.get(rid, public=False)
    assert (moved["geocode_precision"], moved["geocode_source"]) == ("exact", "moderator")


def _approximate_space() -> CreativeSpace:
    return CreativeSpace(
        title="Atelier in der Rottstraße",
        project_type="studio",
        street="Rottstraße 5",
        city="Bochum",
        lon=BOCHUM_CENTRE[0],
        lat=BOCHUM_CENTRE[1],
        geocode_precision="municipality",
        geocode_source="centroid",
    )


# ------------------------------------------------------------------- the moderation queue


@pytest.fixture
def queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, str, str]]:
    from heimatruhr_geo.auth import hash_password
    from heimatruhr_geo.ui import resources

    url = f"sqlite:///{tmp_path / 'queue.sqlite'}"
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", url)
    monkeypatch.setenv("HEIMATRUHR_MODERATORS", f"alice:{hash_password(PASSWORD, fast=True)}")
    monkeypatch.setenv("HEIMATRUHR_OFFLINE", "1")
    store = Store(url)
    approximate = store.add(_approximate_space())
    exact = store.add(
        VacantBuilding(
            title="Laden mit Adresse",
            building_type="commercial",
            lon=ESSEN[0],
            lat=ESSEN[1],
            geocode_precision="address",
            geocode_source="nominatim",
        )
    )
    clear_app_caches()
    resources.limiter().reset()
    yield store, approximate, exact
    resources.limiter().reset()
    clear_app_caches()
    store.close()


def _signed_in() -> AppTest:
    return sign_in(open_page(), "alice", PASSWORD)


def _save_button(at: AppTest, rid: str):  # type: ignore[no-untyped-def]
    (button,) = [b for b in at.button if b.key == save_key(rid)]
    return button


def test_queue_marks_only_the_approximate_record(queue: tuple[Store, str, str]) -> None:
    _store, approximate, exact = queue
    at = _signed_in()
    marks = [w.value for w in at.warning if "ungefähr" in w.value]
    assert marks == [
        t("place_queue_approx", "de").format(
            precision=t("precision_municipality", "de"), where=t("place_where_municipality", "de")
        )
    ]
    # the picker opens on the record's current point and address
    prefix = picker_prefix(approximate)
    location = at.session_state[f"{prefix}_location"]
    assert (location.lon, location.lat) == BOCHUM_CENTRE
    assert at.text_input(key=f"{prefix}_street").value == "Rottstraße 5"
    assert _save_button(at, approximate).disabled, "nothing better chosen yet"
    assert not [b for b in at.button if b.key == save_key(exact)]


def test_moderator_places_the_pin_and_it_is_audited(queue: tuple[Store, str, str]) -> None:
    store, approximate, _exact = queue
    at = _signed_in()
    prefix = picker_prefix(approximate)
    at.session_state[f"{prefix}_map"] = {
        "last_clicked": {"lat": ROTTSTRASSE[0], "lng": ROTTSTRASSE[1]}
    }
    rerun(at)
    button = _save_button(at, approximate)
    assert not button.disabled
    button.click()
    rerun(at)
    record = store.get(approximate, public=False)
    assert (record["lat"], record["lon"]) == ROTTSTRASSE
    assert (record["geocode_precision"], record["geocode_source"]) == ("exact", "moderator")
    assert record["moderation"] == "pending", "placing the pin does not publish"
    (entry,) = store.audit_entries(approximate)
    assert (entry.actor, entry.action) == ("alice", "edit")
    assert entry.details["changes"]["lat"] == [BOCHUM_CENTRE[1], ROTTSTRASSE[0]]
    # the mark and the picker are gone
    assert not [w for w in at.warning if "ungefähr" in w.value]
    assert not [b for b in at.button if b.key == save_key(approximate)]


# ------------------------------------------------------------------------- imports


@dataclass(frozen=True)
class _Answer:
    found: bool
    lat: float | None
    lon: float | None
    precision: GeocodePrecision | None
    source: str | None
    reason: str = ""


def _geocoder(requests: list[GeocodeRequest]) -> list[_Answer]:
    """Street addresses are found exactly, bare city names only at the centre."""
    return [
        _Answer(True, 51.48653, 7.21072, "address", "nominatim")
        if r.street
        else _Answer(True, BOCHUM_CENTRE[1], BOCHUM_CENTRE[0], "municipality", "centroid")
        for r in requests
    ]


def test_an_import_located_only_at_a_centre_waits_for_a_moderator(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    pd.DataFrame(
        {
            "title": ["Mit Adresse", "Nur Stadt", "Mit Koordinaten"],
            "project_type": ["music"] * 3,
            "street": ["Rottstraße 5", "", ""],
            "city": ["Bochum", "Bochum", ""],
            "lat": ["", "", "51.5136"],
            "lon": ["", "", "7.4653"],
        }
    ).to_csv(path, index=False)
    report = import_file(store, path, "spaces", geocode=_geocoder)
    assert (report.inserted, report.geocoded, report.held) == (3, 2, 1)
    assert "1 held for review (approximate location)" in report.summary()
    assert any("row 3" in w and "municipality" in w for w in report.warnings)
    assert sorted(store.query("spaces")["title"]) == ["Mit Adresse", "Mit Koordinaten"]
    (pending,) = store.pending("spaces")["title"]
    assert pending == "Nur Stadt"


# ------------------------------------------------------------- details and search boxes


@pytest.fixture
def published(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'public.sqlite'}"
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", url)
    monkeypatch.setenv("HEIMATRUHR_OFFLINE", "1")
    store = Store(url)
    space = _approximate_space()
    space.moderation = "published"  # type: ignore[assignment]
    rid = store.add(space)
    clear_app_caches()
    yield rid
    clear_app_caches()
    store.close()


def test_details_and_place_list_say_the_location_is_approximate(published: str) -> None:
    at = run_page("map_page", detail=published)
    said = t("place_details_approx", "de").format(where=t("place_where_municipality", "de"))
    assert said in [w.value for w in at.warning]
    (places,) = [f.value for f in at.dataframe if t("place_col_location", "de") in f.value]
    assert places[t("place_col_location", "de")].tolist() == ["Lage ungefähr (Gemeindemitte)"]


class _Unreachable:
    def geocode(self, query: object) -> GeocodeResult:
        label = query.label() if isinstance(query, AddressQuery) else str(query)
        return GeocodeResult.not_found(label, "nominatim: down", "unreachable")


def test_submit_form_says_the_address_service_was_unreachable(
    published: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from heimatruhr_geo.ui import resources

    monkeypatch.setattr(resources, "geocoder", lambda: _Unreachable())
    at = rerun(page_app("submit_page"))
    at.text_input(key="spaces_loc_street").set_value("[Rottstraße](https://evil.example) 5")
    at.text_input(key="spaces_loc_city").set_value("Bochum")
    at.button(key="spaces_loc_find").click()
    rerun(at)
    warnings = [w.value for w in at.warning]
    assert t("submit_address_not_found", "de") not in warnings, "not 'not in the Ruhr'"
    (said,) = [w for w in warnings if w.startswith("Der Adressdienst war nicht erreichbar")]
    assert "Rottstraße\\]\\(https" in said, "the address is shown escaped"


def test_survey_answers_located_per_municipality_are_not_held(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    pd.DataFrame(
        {"discipline": ["music"], "identity_rating": [4], "space_rating": [3], "city": ["Bochum"]}
    ).to_csv(path, index=False)
    report = import_file(store, path, "survey", geocode=_geocoder)
    assert (report.inserted, report.held) == (1, 0), report.errors
