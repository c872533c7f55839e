"""The map's data layers in a real browser: clusters, escaped popups, layer switch, legend.

A standalone page of :func:`heimatruhr_geo.mapview.build_map` with a few hundred demo
records (plus hostile titles) is served by a loopback HTTP server with the same
``/app/static/`` layout as Streamlit's; every request that leaves 127.0.0.1 is aborted.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import geopandas as gpd
import pytest

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.config import DEFAULT_STATIC_DIR, Settings
from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.i18n import t
from heimatruhr_geo.mapview import Choropleth, build_map, load_drawing_municipalities
from heimatruhr_geo.store import Store
from tests.conftest import skip_or_fail
from tests.support.browser import block_outside, watch
from tests.support.http import serving_files

pytestmark = pytest.mark.e2e

EVIL = "<script>alert(1)</script>"
TRICKY = 'Quote " and </script><img src=x onerror=alert(2)> {{ 7*7 }}'
SETTINGS = Settings(tile_url="/app/static/blank-tile.png", tile_attribution="Local tiles")
POINT_KEYS = ("spaces_proposed", "spaces_funded", "spaces_realized", "vacant_available")
ALL_DRAWN = "() => Object.keys((window.heimatruhr || {drawn: {}}).drawn).length === 5"


def _frames(folder: Path) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    store = Store(f"sqlite:///{folder}/layers.sqlite")
    try:
        store.add_many(demo_records(600, seed=5))
        spaces, vacant = store.query("spaces"), store.query("vacant")
    finally:
        store.close()
    funded = spaces.index[spaces["status"] == "funded"]
    spaces.loc[funded[0], ["title", "website"]] = [EVIL, "javascript:alert(3)"]
    spaces.loc[funded[1], ["title", "website", "source"]] = [
        TRICKY,
        "https://example.org/a",
        "form",
    ]
    return spaces, vacant


@pytest.fixture(scope="module")
def layers_page() -> Iterator[dict[str, Any]]:
    if not (DEFAULT_STATIC_DIR / "node_modules").is_dir():
        skip_or_fail("static/node_modules is missing; run `npm ci --prefix static`")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "app").mkdir()
        (root / "app" / "static").symlink_to(DEFAULT_STATIC_DIR, target_is_directory=True)
        spaces, vacant = _frames(root)
        drawing = load_drawing_municipalities(SETTINGS)
        values = {a: float(i) if i % 5 else None for i, a in enumerate(sorted(drawing["ags"]))}
        m = build_map(
            drawing,
            SETTINGS,
            spaces=spaces,
            vacant=vacant,
            choropleth=Choropleth(values, "Antworten", t("too_few_responses", "de")),
        )
        (root / "index.html").write_text(m.get_root().render(), encoding="utf-8")
        with serving_files(root) as base:
            yield {
                "url": f"{base}/index.html",
                "spaces": spaces,
            }


@pytest.fixture
def page(browser: Any, layers_page: dict[str, Any]) -> Iterator[Any]:
    """A page on the layers map, with outside requests, errors and dialogs recorded."""
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    blocked = block_outside(context)
    page = context.new_page()
    problems = watch(page)
    page.goto(layers_page["url"])
    page.wait_for_function(ALL_DRAWN, timeout=15_000)
    try:
        yield page
    finally:
        context.close()
        assert blocked == [] and problems.none(), (blocked, problems)


def test_layers_draw_offline_with_legend_and_attribution(page: Any) -> None:
    from playwright.sync_api import expect

    expect(page.locator(".marker-cluster").first).to_be_visible()
    for key in POINT_KEYS:
        assert page.locator(f".hr-cluster-{key}, .hr-point-{key}").count() > 0, key
    legend = page.locator(".hr-legend")
    expect(legend).to_be_visible()
    for key in ("map_layer_funded", "map_legend_vacant", "too_few_responses"):
        expect(legend).to_contain_text(t(key, "de").split(": ")[-1], ignore_case=True)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text(ATTRIBUTION)
    page.wait_for_load_state("networkidle")


def _open_popup(page: Any, title: str) -> Any:
    """Zoom to the marker of the record titled ``title`` and click it."""
    key, index = page.evaluate(
        """(title) => {
            for (const [key, layer] of Object.entries(heimatruhr.layers)) {
                const d = layer.hrData;
                for (let i = 0; i < d.id.length; i++) {
                    if (heimatruhr.value(d.title, i) === title) { return [key, i]; }
                }
            }
            return [null, -1];
        }""",
        title,
    )
    assert key is not None, title
    finder = f"heimatruhr.layers[{key!r}].getLayers().find(m => m.hrIndex === {index})"
    show = f"""() => {{
        const c = heimatruhr.layers[{key!r}], m = {finder};
        if (!m._icon && !c._map._animatingZoom && !c._inZoomAnimation) {{
            c._map.setView(m.getLatLng(), 18, {{animate: false}});
        }}
        return !!m._icon;
    }}"""
    page.evaluate(f"() => heimatruhr.layers[{key!r}]._map.closePopup()")
    page.wait_for_function("() => !document.querySelector('.leaflet-popup')")
    page.wait_for_function(show, polling=250)  # retried until the cluster has settled
    box = page.evaluate(
        f"() => {{ const r = {finder}._icon.getBoundingClientRect(); "
        "return [r.x + r.width / 2, r.y + r.height / 2]; }"
    )
    page.mouse.click(*box)
    popup = page.locator(".leaflet-popup-content .hr-popup")
    popup.wait_for()
    return popup


def test_popup_shows_hostile_titles_as_text(page: Any, layers_page: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    popup = _open_popup(page, EVIL)
    expect(popup.locator(".hr-title")).to_have_text(EVIL)
    expect(popup.locator(".hr-demo")).to_have_text(t("map_demo", "de"))
    expect(popup).to_contain_text(t("map_status", "de"))
    assert popup.locator("script, img").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    expect(popup.locator(".hr-website-text")).to_have_text("javascript:alert(3)")
    details = popup.locator("a.hr-details")
    expect(details).to_have_attribute("target", "_top")
    spaces = layers_page["spaces"]
    record_id = spaces.loc[spaces["title"] == EVIL, "id"].iloc[0]
    assert parse_qs(urlparse(details.get_attribute("href")).query) == {"detail": [record_id]}

    popup = _open_popup(page, TRICKY)
    expect(popup.locator(".hr-title")).to_have_text(TRICKY)
    assert popup.locator(".hr-demo").count() == 0
    link = popup.locator("a", has_text=t("map_website", "de"))
    expect(link).to_have_attribute("href", "https://example.org/a")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    assert page.locator(".leaflet-popup-content img").count() == 0


def test_layer_control_hides_and_shows_a_layer(page: Any) -> None:
    markers = page.locator(".hr-cluster-spaces_funded, .hr-point-spaces_funded")
    others = page.locator(".hr-cluster-spaces_realized, .hr-point-spaces_realized")
    before = markers.count()
    assert before > 0
    page.locator(".leaflet-control-layers").hover()
    checkbox = page.locator("label", has_text=t("map_layer_funded", "de")).locator("input")
    checkbox.uncheck()
    page.wait_for_function(
        "() => !document.querySelector('.hr-cluster-spaces_funded, .hr-point-spaces_funded')"
    )
    assert others.count() > 0
    checkbox.check()
    page.wait_for_function(
        "() => !!document.querySelector('.hr-cluster-spaces_funded, .hr-point-spaces_funded')"
    )
    assert markers.count() > 0


def test_legend_is_collapsed_on_a_phone(browser: Any, layers_page: dict[str, Any]) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 667})
    block_outside(context)
    try:
        page = context.new_page()
        page.goto(layers_page["url"])
        page.wait_for_function(ALL_DRAWN, timeout=15_000)
        details = page.locator(".hr-legend details")
        assert details.evaluate("d => d.open") is False
        page.locator(".hr-legend summary").click()
        assert details.evaluate("d => d.open") is True
        width = page.locator(".hr-legend").bounding_box()["width"]
        assert width <= 375 / 2
    finally:
        context.close()
