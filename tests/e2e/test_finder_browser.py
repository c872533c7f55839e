"""The space finder in a real browser: the circle is drawn and a map click moves it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from heimatruhr_geo.i18n import t
from heimatruhr_geo.ui.finder_page import CIRCLE_STYLE

pytestmark = pytest.mark.e2e

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SHARED = (
    "/raumsuche?lat=51.47868&lon=7.22326&radius=5000&place=Bochum+Hauptbahnhof"
    "&min_area=80&rent=free&needs=step_free&lang=de"
)
CIRCLE = f'.leaflet-overlay-pane path[stroke="{CIRCLE_STYLE["color"]}"]'


def _settled(page: Any) -> Any:
    from playwright.sync_api import expect

    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-container")).to_be_visible()
    return frame


def _centre(url: str) -> tuple[float, float]:
    query = parse_qs(urlparse(url).query)
    return float(query["lat"][0]), float(query["lon"][0])


def test_the_radius_is_drawn_and_a_click_moves_the_centre(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app_url + SHARED)
    expect(page.get_by_role("heading", name=t("finder_title", "de"))).to_be_visible()
    frame = _settled(page)
    expect(frame.locator(CIRCLE)).to_have_count(1)
    expect(page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    before = _centre(page.url)
    assert before == (51.47868, 7.22326)

    box = frame.locator(".leaflet-container").bounding_box()
    frame.locator(".leaflet-container").click(
        position={"x": box["width"] * 0.3, "y": box["height"] * 0.3}
    )
    expect(page).not_to_have_url(page.url, timeout=30_000)
    _settled(page)
    after = _centre(page.url)
    assert after[0] > before[0] and after[1] < before[1]  # up and left of the old centre
    assert "place=" not in page.url and "radius=5000" in page.url
    expect(_settled(page).locator(CIRCLE)).to_have_count(1)
