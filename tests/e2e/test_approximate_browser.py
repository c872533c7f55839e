"""Approximate locations on the map in Chromium: a dashed diamond, named and labelled so.

The map module is served outside Streamlit as in ``test_map_component_browser.py``, with
two records at the same address: one placed at Bochum's centre (precision
``municipality``), one at its address.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from heimatruhr_geo import mapdata
from heimatruhr_geo.config import DEFAULT_STATIC_DIR
from heimatruhr_geo.i18n import t
from heimatruhr_geo.mapview import load_drawing_municipalities
from tests.conftest import skip_or_fail
from tests.e2e.conftest import block_outside
from tests.e2e.mapdriver import open_popup, row_of, set_view, wait_ready
from tests.e2e.test_map_component_browser import PAGE, SETTINGS, _QuietHandler, _state

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
    if not (DEFAULT_STATIC_DIR / "node_modules").is_dir():
        skip_or_fail("static/node_modules is missing; run `npm ci --prefix static`")
    root: Path = tmp_path_factory.mktemp("approximate")
    (root / "app").mkdir()
    (root / "app" / "static").symlink_to(DEFAULT_STATIC_DIR, target_is_directory=True)
    doc = mapdata.encode_points(_records(), None, "de")
    drawing = load_drawing_municipalities(SETTINGS)
    (root / "points.json").write_bytes(doc.data)
    (root / "borders.json").write_bytes(mapdata.encode_borders(drawing))
    (root / "state.json").write_text(json.dumps(_state(doc, {})), encoding="utf-8")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser: Any, site: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    blocked = block_outside(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(site)
    wait_ready(page)
    yield page
    context.close()
    assert (blocked, errors) == ([], [])


def _marker(page: Any, record_id: str) -> Any:
    row, lat, lon = row_of(page, record_id)
    set_view(page, lat, lon, 18)
    return page.locator(f'.hr-map .hr-marker[data-row="{row}"]')


def test_the_approximate_marker_is_a_dashed_diamond_named_so(page: Any) -> None:
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


def test_the_popup_says_the_location_is_approximate(page: Any) -> None:
    from playwright.sync_api import expect

    popup = open_popup(page, "centre")
    expect(popup.locator(".hr-approx-note")).to_have_text(APPROX)
    expect(popup).to_contain_text("Rottstraße 5")
    popup = open_popup(page, "address")
    expect(popup.locator(".hr-approx-note")).to_have_count(0)


def test_the_legend_explains_the_shape(page: Any) -> None:
    from playwright.sync_api import expect

    page.locator(".hr-map .hr-legend button").click()
    legend = page.locator(".hr-map .hr-legend .hr-panel")
    expect(legend.get_by_text(t("place_legend_title", "de"), exact=True)).to_be_visible()
    entry = legend.locator("li", has_text=t("place_legend_approx", "de"))
    expect(entry.locator(".hr-swatch.hr-shape-approx")).to_be_visible()
