"""Every plugin in assets.ASSETS works from the local copies in a real browser.

The app itself only draws borders so far; this page uses each mapped plugin, a default
Leaflet marker (the image path trap) and an awesome-marker with a Font Awesome icon, and is
served by a loopback HTTP server with the same ``/app/static/`` layout as Streamlit's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import folium
import folium.plugins
import pytest

from heimatruhr_geo.assets import localize_assets, referenced_urls
from heimatruhr_geo.config import DEFAULT_STATIC_DIR, Settings
from tests.conftest import skip_or_fail
from tests.support.browser import block_outside
from tests.support.http import serving_files

pytestmark = pytest.mark.e2e


def _plugin_map(settings: Settings) -> folium.Map:
    m = folium.Map(location=[51.5, 7.2], zoom_start=10, tiles=None)
    folium.TileLayer("/app/static/blank-tile.png", attr="test", max_zoom=18).add_to(m)
    folium.Marker([51.45, 7.0], tooltip="default").add_to(m)
    folium.Marker([51.5, 7.4], icon=folium.Icon(color="red", icon="palette", prefix="fa")).add_to(m)
    cluster = folium.plugins.MarkerCluster().add_to(m)
    for i in range(20):
        folium.Marker([51.6 + i * 1e-4, 7.1]).add_to(cluster)
    folium.plugins.FastMarkerCluster([[51.3 + i * 1e-4, 7.3] for i in range(20)]).add_to(m)
    folium.plugins.Fullscreen().add_to(m)
    folium.plugins.LocateControl().add_to(m)
    assert localize_assets(m, settings).mode == "local"
    return m


@pytest.fixture(scope="module")
def plugin_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (DEFAULT_STATIC_DIR / "node_modules").is_dir():
        skip_or_fail("static/node_modules is missing; run `npm ci --prefix static`")
    root = tmp_path_factory.mktemp("site")
    (root / "app").mkdir()
    (root / "app" / "static").symlink_to(DEFAULT_STATIC_DIR, target_is_directory=True)
    m = _plugin_map(Settings())
    assert all(url.startswith("/app/static/") for url in referenced_urls(m))
    (root / "index.html").write_text(m.get_root().render(), encoding="utf-8")
    with serving_files(root) as base:
        yield f"{base}/index.html"


def test_all_mapped_plugins_work_offline(browser: Any, plugin_page: str) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1000, "height": 700})
    blocked = block_outside(context)
    failed: list[str] = []
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    page.on("requestfailed", lambda r: failed.append(f"{r.failure} {r.url}"))
    try:
        page.goto(plugin_page)
        expect(page.locator(".leaflet-container")).to_be_visible()
        expect(page.locator(".marker-cluster")).to_have_count(2)
        expect(page.locator(".leaflet-control-zoom-fullscreen")).to_be_visible()
        expect(page.locator(".leaflet-control-locate")).to_be_visible()
        expect(page.locator(".awesome-marker i.fa-palette")).to_be_visible()
        default_marker = page.locator("img.leaflet-marker-icon").first
        expect(default_marker).to_have_attribute(
            "src", "/app/static/node_modules/leaflet/dist/images/marker-icon.png"
        )
        page.wait_for_load_state("networkidle")
        icon_width = page.evaluate(
            "() => document.querySelector('img.leaflet-marker-icon').naturalWidth"
        )
        assert icon_width > 0
        assert errors == []
        assert failed == []
        assert blocked == []
    finally:
        context.close()
