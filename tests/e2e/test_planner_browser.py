"""The planners' view in a real browser: a shared URL restores the filters; downloads work."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from heimatruhr_geo.boundaries import RUHR_AGS
from heimatruhr_geo.formatting import plural
from heimatruhr_geo.i18n import t
from tests.e2e.mapdriver import drawn_counts, open_popup, wait_ready

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True),
]

BOCHUM = "05911000"
SHARED = f"/planung?municipalities={BOCHUM}&statuses=funded&lang=de"


def _settled(page: Any) -> None:
    from playwright.sync_api import expect

    wait_ready(page)
    paths = page.locator(".hr-map .leaflet-overlay-pane path")
    expect(paths).to_have_count(len(RUHR_AGS))  # borders coloured by the measure


def _expect_chosen(page: Any, *values: str) -> None:
    """Wait until the sidebar's multiselect filters show exactly these chosen values."""
    from playwright.sync_api import expect

    tags = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] [data-tag]')
    expect(tags).to_have_count(len(values))
    for value in values:
        expect(tags.and_(page.locator(f'[aria-label="{value}"]'))).to_have_count(1)


def test_shared_url_restores_the_filters_after_a_reload(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app_url + SHARED)
    expect(page.get_by_role("heading", name=t("planner_title", "de"))).to_be_visible()
    _settled(page)
    _expect_chosen(page, "Bochum", "Gefördert")
    page.reload()
    _settled(page)
    _expect_chosen(page, "Bochum", "Gefördert")
    table = page.locator('[data-testid="stDataFrame"]:visible').first
    expect(table).to_be_visible()
    assert f"municipalities={BOCHUM}" in page.url and "statuses=funded" in page.url


def test_download_of_the_selection_as_geojson(app_url: str, page: Any, tmp_path: Path) -> None:
    page.goto(app_url + SHARED)
    _settled(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="GEOJSON").first.click()
    target = tmp_path / "selection.geojson"
    download.value.save_as(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert data["features"], "the demo data has funded projects in Bochum"
    for feature in data["features"]:
        props = feature["properties"]
        assert props["ags"] == BOCHUM and props["status"] == "funded"
        assert "contact_email" not in props and "contact_name" not in props


def test_planner_map_shows_the_filtered_records(app_url: str, page: Any) -> None:
    """The map's clusters stand for exactly the records of the shared filter."""
    from playwright.sync_api import expect

    page.goto(app_url + SHARED)
    _settled(page)
    root = page.locator(".hr-map")
    selected = int(root.get_attribute("data-selected") or 0)
    assert selected > 0
    page.evaluate("() => document.querySelector('.hr-map')._hrMap.setZoom(7, {animate: false})")
    page.wait_for_function("() => document.querySelector('.hr-map')._hrMap.getZoom() === 7")
    assert sum(drawn_counts(page)) == selected
    listing = page.get_by_text(t("mapfront_list", "de"))
    listing.click()
    forms = {
        "one": t("mapfront_list_count_one", "de"),
        "other": t("mapfront_list_count_other", "de"),
    }
    expect(page.get_by_text(plural(selected, forms, "de"))).to_be_visible()


def test_planner_details_open_from_a_popup_click(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app_url + SHARED)
    _settled(page)
    record_id, title = page.evaluate(
        """() => { const v = document.querySelector('.hr-map')._hrView, d = v.doc;
            const i = [...d.id.keys()].find((k) => (v.selection[k >> 3] >> (k & 7)) & 1);
            return [d.id[i], d.title[i]]; }"""
    )
    popup = open_popup(page, record_id)
    popup.get_by_role("button", name=t("map_show_details", "de")).click()
    expect(page.get_by_role("heading", name=t("details", "de"))).to_be_visible()
    expect(page.get_by_text(title, exact=True).first).to_be_visible()
    expect(page).to_have_url(re.compile(rf"detail={record_id}"))
    assert f"municipalities={BOCHUM}" in page.url  # the filters stay
