"""The space finder in a real browser: the circle is drawn and a map click moves it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from heimatruhr_geo.i18n import t
from heimatruhr_geo.ui.finder_page import CIRCLE_STYLE
from tests.e2e.conftest import block_outside

pytestmark = pytest.mark.e2e

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SHARED = (
    "/raumsuche?lat=51.47868&lon=7.22326&radius=5000&place=Bochum+Hauptbahnhof"
    "&min_area=80&rent=free&needs=step_free&lang=de"
)
CIRCLE = f'.leaflet-overlay-pane path[stroke="{CIRCLE_STYLE["color"]}"]'


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    blocked = block_outside(context)
    page = context.new_page()
    yield page, blocked
    context.close()


def _settled(page: Any) -> Any:
    from playwright.sync_api import expect

    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-container")).to_be_visible()
    return frame


def _centre(url: str) -> tuple[float, float]:
    query = parse_qs(urlparse(url).query)
    return float(query["lat"][0]), float(query["lon"][0])


def test_the_radius_is_drawn_and_a_click_moves_the_centre(
    app_url: str, page: tuple[Any, list[str]]
) -> None:
    from playwright.sync_api import expect

    browser_page, blocked = page
    browser_page.goto(app_url + SHARED)
    expect(browser_page.get_by_role("heading", name=t("finder_title", "de"))).to_be_visible()
    frame = _settled(browser_page)
    expect(frame.locator(CIRCLE)).to_have_count(1)
    expect(browser_page.locator('[data-testid="stDataFrame"]').first).to_be_visible()
    before = _centre(browser_page.url)
    assert before == (51.47868, 7.22326)

    box = frame.locator(".leaflet-container").bounding_box()
    frame.locator(".leaflet-container").click(
        position={"x": box["width"] * 0.3, "y": box["height"] * 0.3}
    )
    expect(browser_page).not_to_have_url(browser_page.url, timeout=30_000)
    _settled(browser_page)
    after = _centre(browser_page.url)
    assert after[0] > before[0] and after[1] < before[1]  # up and left of the old centre
    assert "place=" not in browser_page.url and "radius=5000" in browser_page.url
    expect(_settled(browser_page).locator(CIRCLE)).to_have_count(1)
    assert not blocked, blocked
