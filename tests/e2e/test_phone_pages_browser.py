"""Every page on a 375 px wide phone: it draws, its title shows, nothing is wider than the
screen (no sideways scrolling) and no request leaves the machine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from heimatruhr_geo.i18n import t
from tests.support.browser import block_outside

pytestmark = pytest.mark.e2e

PHONE_WIDTH = 375
PAGES = [
    ("karte", "title"),
    ("planung", "planner_title"),
    ("raumsuche", "finder_title"),
    ("umfrage", "survey_title"),
    ("mitmachen", "submit_title"),
    ("impressum", "about_title"),
    ("moderation", "mod_title"),
]

LATE_ELEMENTS_DRAWN = """() => {
  const frames = [...document.querySelectorAll("iframe")].every((f) => {
    const doc = f.contentDocument;
    if (!doc || doc.readyState !== "complete") return false;
    return !f.title.startsWith("streamlit_folium") || !!doc.querySelector(".leaflet-container");
  });
  const charts = [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].every(
    (c) => !!c.querySelector("canvas, svg"),
  );
  return frames && charts;
}"""
"""Drawn after the script run: every iframe loaded (a folium map with its Leaflet
container) and every chart with its canvas."""


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 812}, is_mobile=True, has_touch=True
    )
    blocked = block_outside(context)
    yield context.new_page(), blocked
    context.close()


@pytest.mark.parametrize(("path", "title_key"), PAGES)
def test_page_fits_a_phone(
    app_url: str, phone: tuple[Any, list[str]], path: str, title_key: str
) -> None:
    from playwright.sync_api import expect

    page, blocked = phone
    page.goto(f"{app_url}/{path}?lang=en")
    expect(page.get_by_role("heading", name=t(title_key, "en"), exact=True)).to_be_visible()
    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    page.wait_for_function(LATE_ELEMENTS_DRAWN)  # maps and charts have taken their size
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"/{path} is {width} px wide"
    assert blocked == []
