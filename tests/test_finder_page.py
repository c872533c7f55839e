"""The space finder page, run headless by Streamlit's AppTest on the seeded demo data."""

from __future__ import annotations

import folium
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.demo import SHOWCASE_VACANT
from heimatruhr_geo.finder import Needs, SpaceSearch
from heimatruhr_geo.i18n import t
from heimatruhr_geo.ui.common import plain
from tests.support.apptest import run_page

SHOWCASE_CONTACT = SHOWCASE_VACANT["contact_public"]
HBF_PARAMS = {"lat": "51.47868", "lon": "7.22326", "place": "Bochum Hauptbahnhof"}


def results(at: AppTest, lang: str = "de") -> pd.DataFrame:
    assert len(at.dataframe) == 1, [w.value for w in at.warning]
    frame: pd.DataFrame = at.dataframe[0].value
    assert frame.columns[0] == t("finder_col_distance", lang)
    return frame


def test_an_artist_finds_a_free_step_free_space_near_bochum_hbf() -> None:
    at = run_page("finder_page")
    assert any(t("finder_no_centre", "de") in i.value for i in at.info)
    at.text_input(key="fs_place").set_value("Bochum Hauptbahnhof")
    at.button[0].click().run()
    at.select_slider(key="fs_radius_km").set_value(5.0)
    at.number_input(key="fs_min_area").set_value(80.0)
    at.multiselect(key="fs_rent_bands").set_value(["free"])
    at.checkbox(key="fs_step_free").set_value(True).run()
    assert not at.exception, at.exception
    frame = results(at)
    contacts = frame[t("finder_col_contact", "de")].tolist()
    assert SHOWCASE_CONTACT in contacts
    assert set(frame[t("finder_col_rent", "de")]) == {"Kostenlos / Zwischennutzung"}
    assert all("Stufenloser Zugang" in f for f in frame[t("finder_col_facilities", "de")])
    assert all(d.endswith((" m", " km")) for d in frame[t("finder_col_distance", "de")])
    params = at.query_params
    assert (params["radius"], params["min_area"], params["rent"], params["needs"]) == (
        "5000", "80", "free", "step_free"
    )  # fmt: skip
    assert params["lang"] == "de" and "Bochum" in params["place"]


def test_a_shared_url_restores_the_search() -> None:
    at = run_page(
        "finder_page", **HBF_PARAMS, radius="5000", min_area="80", rent="free", needs="step_free"
    )
    assert at.select_slider(key="fs_radius_km").value == 5.0
    assert at.number_input(key="fs_min_area").value == 80.0
    assert at.multiselect(key="fs_rent_bands").value == ["free"]
    assert at.checkbox(key="fs_step_free").value is True
    assert at.checkbox(key="fs_power").value is False
    assert SHOWCASE_CONTACT in results(at)[t("finder_col_contact", "de")].tolist()
    assert any("Bochum Hauptbahnhof" in c.value for c in at.caption)


def test_an_empty_result_suggests_and_applies_a_relaxation() -> None:
    at = run_page(
        "finder_page",
        **HBF_PARAMS,
        radius="500",
        min_area="5000",
        needs="power,water,heating,step_free",
    )
    radius = "500 m"
    assert any(t("finder_none", "de").format(radius=radius) in w.value for w in at.warning)
    assert not at.dataframe
    labels = [b.label for b in at.button if b.key and b.key.startswith("fs_suggest_")]
    assert labels and all("Treffer" in text for text in labels)
    at.button(key="fs_suggest_all_needs").click().run()
    assert not at.exception, at.exception
    assert at.number_input(key="fs_min_area").value is None
    assert at.checkbox(key="fs_power").value is False
    assert len(results(at)) >= 1
    assert "needs" not in at.query_params and "min_area" not in at.query_params


def test_english_page_and_list() -> None:
    at = run_page("finder_page", **HBF_PARAMS, radius="3000", lang="en")
    assert at.title[0].value == t("finder_title", "en")
    assert at.select_slider(key="fs_radius_km").label == t("finder_radius", "en")
    frame = results(at, "en")
    assert list(frame.columns)[-1] == t("finder_col_place", "en")
    assert any(c.startswith("No public contact: ask the culture office of") for c in
               frame[t("finder_col_contact", "en")])  # fmt: skip
    assert any("matching vacant buildings within 3.0 km" in s.value.lower() for s in at.success)


def test_garbage_in_the_url_is_reported_and_dropped() -> None:
    at = run_page(
        "finder_page", lat="51.5", lon="7.2", radius="1e9", rent="gratis", evil="<b>x</b>"
    )
    texts = " ".join(w.value for w in at.warning)
    # shown as text: the Markdown characters arrive escaped
    assert all(plain(part) in texts for part in ("radius='1e9'", "'gratis'", "'evil'"))
    assert at.select_slider(key="fs_radius_km").value == 2.0
    assert at.query_params["radius"] == "2000" and "evil" not in at.query_params


def test_a_point_outside_the_region_is_not_a_search() -> None:
    at = run_page("finder_page", lat="48.1", lon="11.5")
    assert any(t("finder_no_centre", "de") in i.value for i in at.info)
    assert "lat" not in at.query_params


@pytest.mark.parametrize("radius", [500, 25_000])
def test_search_map_draws_the_radius_without_text(radius: int) -> None:
    from heimatruhr_geo.ui.finder_page import search_map

    search = SpaceSearch(51.47868, 7.22326, radius, Needs(), place="{{7*7}} <b>x</b>")
    m = search_map(search, None, "de")
    circles = [c for c in m._children.values() if isinstance(c, folium.Circle)]
    assert len(circles) == 1
    assert circles[0].location == [51.47868, 7.22326]
    assert circles[0].options["radius"] == radius
    assert not circles[0]._children  # no tooltip or popup
    html = m.get_root().render()
    assert (
        "{{7*7}}" not in html
        and "<b>x</b>" not in html
        and "49" not in html.split("L.circle")[1][:200]
    )
    assert not any(
        isinstance(c, folium.Circle) for c in search_map(None, None, "de")._children.values()
    )


def test_a_place_from_a_shared_url_is_shown_as_text_not_markdown() -> None:
    params = {**HBF_PARAMS, "place": "[Anmelden](https://evil.example) **jetzt**"}
    at = run_page("finder_page", **params)
    captions = [c.value for c in at.caption if "Anmelden" in c.value]
    assert captions, [c.value for c in at.caption]
    assert all("\\[Anmelden\\]\\(https\\://evil\\.example\\) \\*\\*jetzt" in c for c in captions)


def test_demo_buildings_are_labelled_demo() -> None:
    at = run_page("finder_page", **HBF_PARAMS, radius="5000", lang="en")
    titles = results(at, "en")[t("finder_col_title", "en")].tolist()
    assert titles and all(title.endswith(f"({t('map_demo', 'en')})") for title in titles)
    assert any(i.value.startswith(t("demo_notice_other", "en").split("{")[0]) for i in at.info)


@pytest.mark.parametrize(
    ("lang", "first", "second", "last"),
    [("de", "0,5\xa0km", "1\xa0km", "25\xa0km"), ("en", "0.5\xa0km", "1\xa0km", "25\xa0km")],
)
def test_radius_slider_speaks_the_language(lang: str, first: str, second: str, last: str) -> None:
    at = run_page("finder_page", **HBF_PARAMS, radius="2500", lang=lang)
    slider = at.select_slider(key="fs_radius_km")
    assert slider.options[:2] == [first, second] and slider.options[-1] == last
    assert slider.value == 2.5
    assert first.replace("0", "2", 1) in slider.options  # 2,5 km / 2.5 km
    slider.set_value(0.5).run()
    assert not at.exception
    assert at.query_params["radius"] == "500"  # the URL keeps metres


def test_an_off_step_radius_from_a_shared_link_is_kept() -> None:
    at = run_page("finder_page", **HBF_PARAMS, radius="1234")
    slider = at.select_slider(key="fs_radius_km")
    assert slider.value == 1.234 and "1,2\xa0km" in slider.options
    assert at.query_params["radius"] == "1234"


def test_a_shared_link_fills_the_address_field_with_its_place() -> None:
    at = run_page("finder_page", **HBF_PARAMS)
    assert at.text_input(key="fs_place").value == "Bochum Hauptbahnhof"
    hostile = "[Anmelden](https://evil.example) <b>x</b>"
    at = run_page("finder_page", **{**HBF_PARAMS, "place": hostile})
    assert at.text_input(key="fs_place").value == hostile  # a text field: shown as typed
