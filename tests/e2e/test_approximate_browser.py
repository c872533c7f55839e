"""Approximate locations on the map in Chromium: a dashed diamond, named and labelled so.

The map module is served outside Streamlit as in ``test_map_component_browser.py``, with
two records at the same address: one placed at Bochum's centre (precision
``municipality``), one at its address.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from heimatruhr_geo.i18n import t
from tests.e2e.component_site import write_site
from tests.e2e.mapdriver import open_popup, row_of, set_view, wait_ready
from tests.support.browser import watch
from tests.support.http import serving_files

pytestmark = pytest.mark.e2e

APPROX = "Lage ungefähr (Gemeindemitte)"


def _records() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["centre", "address"],
            "title": ["Atelier Rottstraße (Mitte)", "Atelier Rottstraße (Adresse)"],
            "project_type": ["studio", "studio"],
            "status": ["funded", "funded"],
            "street": ["Rottstraße 5", "Rottstraße 5"],
            "postcode": ["44793", "44793"],
            "city": ["Bochum", "Bochum"],
            "lat": [51.4818, 51.48653],
            "lon": [7.2162, 7.21072],
            "municipality": ["Bochum", "Bochum"],
            "geocode_precision": ["municipality", "address"],
        }
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("approximate")
    write_site(root, _records(), None, {})
    with serving_files(root) as base:
        yield f"{base}/index.html"


@pytest.fixture
def map_page(page: Any, site: str) -> Iterator[Any]:
    """The conftest's page (no request leaves the machine) with the map drawn; no errors."""
    problems = watch(page)
    page.goto(site)
    wait_ready(page)
    yield page
    assert problems.none(), problems


def _marker(page: Any, record_id: str) -> Any:
    row, lat, lon = row_of(page, record_id)
    set_view(page, lat, lon, 18)
    return page.locator(f'.hr-map .hr-marker[data-row="{row}"]')


def test_the_approximate_marker_is_a_dashed_diamond_named_so(map_page: Any) -> None:
    page = map_page
    from playwright.sync_api import expect

    centre = _marker(page, "centre")
    expect(centre).to_have_class("hr-marker hr-cat-1 hr-approx")
    expect(centre).to_have_attribute(
        "aria-label", f"Atelier Rottstraße (Mitte), gefördert, {APPROX}"
    )
    style = centre.evaluate(
        "(n) => { const s = getComputedStyle(n); return [s.borderTopStyle, s.transform]; }"
    )
    assert style[0] == "dashed" and style[1] != "none", "dashed and turned: a diamond"
    exact = _marker(page, "address")
    expect(exact).not_to_have_class("hr-approx")
    assert exact.evaluate("(n) => getComputedStyle(n).borderTopStyle") == "solid"


def test_the_popup_says_the_location_is_approximate(map_page: Any) -> None:
    page = map_page
    from playwright.sync_api import expect

    popup = open_popup(page, "centre")
    expect(popup.locator(".hr-approx-note")).to_have_text(APPROX)
    expect(popup).to_contain_text("Rottstraße 5")
    popup = open_popup(page, "address")
    expect(popup.locator(".hr-approx-note")).to_have_count(0)


def test_the_legend_explains_the_shape(map_page: Any) -> None:
    page = map_page
    from playwright.sync_api import expect

    page.locator(".hr-map .hr-legend button").click()
    legend = page.locator(".hr-map .hr-legend .hr-panel")
    expect(legend.get_by_text(t("place_legend_title", "de"), exact=True)).to_be_visible()
    entry = legend.locator("li", has_text=t("place_legend_approx", "de"))
    expect(entry.locator(".hr-swatch.hr-shape-approx")).to_be_visible()
