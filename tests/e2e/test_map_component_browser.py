"""The map component's module (``static/map/heimatmap.js``) in a real browser, outside Streamlit.

A loopback HTTP server with the same ``/app/static/`` layout as Streamlit's serves a page
that imports the module and calls its ``render`` as Streamlit would, with a points document
of 600 demo records plus hostile titles; every request that leaves 127.0.0.1 is aborted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from heimatruhr_geo import mapdata
from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.i18n import t
from heimatruhr_geo.mapview import load_drawing_municipalities
from heimatruhr_geo.store import Store
from tests.e2e.component_site import SETTINGS, state, write_site
from tests.e2e.mapdriver import drawn_counts, open_popup, row_of, set_view, wait_ready
from tests.support.browser import block_outside, watch
from tests.support.http import serving_files

pytestmark = pytest.mark.e2e

EVIL = "<img src=x onerror=alert(1)>"
TRICKY = 'Quote " and </script><script>alert(2)</script> {{ 7*7 }}'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    root = tmp_path_factory.mktemp("component")
    store = Store(f"sqlite:///{root}/c.sqlite")
    try:
        store.add_many(demo_records(600, seed=5))
        spaces, vacant = store.query("spaces"), store.query("vacant")
    finally:
        store.close()
    funded = spaces.index[spaces["status"] == "funded"]
    spaces.loc[funded[0], ["title", "website"]] = [EVIL, "javascript:alert(3)"]
    spaces.loc[funded[1], ["title", "website", "source"]] = [TRICKY, "https://example.org/a", "f"]
    drawing = load_drawing_municipalities(SETTINGS)
    values = {a: float(i) if i % 5 else None for i, a in enumerate(sorted(drawing["ags"]))}
    doc = write_site(root, spaces, vacant, values)
    with serving_files(root) as base:
        yield {
            "url": f"{base}/index.html",
            "doc": doc,
            "spaces": spaces,
            "vacant": vacant,
            "values": values,
        }


def _page(
    browser: Any, site: dict[str, Any], width: int = 1000, height: int = 800, **kw: Any
) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, **kw)
    blocked = block_outside(context)
    page = context.new_page()
    problems = watch(page)
    page.goto(site["url"])
    wait_ready(page)
    return context, page, (blocked, problems)


@pytest.fixture
def page(browser: Any, site: dict[str, Any]) -> Iterator[Any]:
    context, page, problems = _page(browser, site)
    try:
        yield page
    finally:
        page.wait_for_load_state("networkidle")
        context.close()
        blocked, seen = problems
        assert blocked == [] and seen.none(), (blocked, seen)


def test_markers_attribution_and_cluster_counts(page: Any, site: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    doc = site["doc"]
    root = page.locator(".hr-map")
    assert int(root.get_attribute("data-selected")) == doc.count
    assert (
        int(root.get_attribute("data-markers"))
        == page.locator(".hr-map .hr-marker, .hr-map .hr-cluster").count()
    )
    expect(page.locator(".hr-map .leaflet-control-attribution")).to_contain_text(ATTRIBUTION)
    # The whole region in view: the drawn markers stand for every record exactly once.
    set_view(page, 51.5, 7.25, 7)
    assert sum(drawn_counts(page)) == doc.count
    # At every zoom the clusters of the whole index add up, and each drawn cluster's
    # number is the number of records under it.
    totals = page.evaluate(
        """() => { const v = document.querySelector('.hr-map')._hrView;
            const out = [];
            for (let z = 7; z <= 18; z++) {
              out.push(v.index.getClusters([-180, -85, 180, 85], z)
                .reduce((s, c) => s + (c.properties.cluster ? c.properties.point_count : 1), 0));
            }
            return out; }"""
    )
    assert totals == [doc.count] * len(totals)
    for zoom in (9, 11, 13):
        set_view(page, 51.48, 7.2, zoom)
        mismatched = page.evaluate(
            """() => { const v = document.querySelector('.hr-map')._hrView;
                return [...document.querySelectorAll('.hr-map .hr-cluster')].filter((n) => {
                  const id = Number(n.dataset.key.slice(1));
                  return v.index.getLeaves(id, Infinity).length !== Number(n.dataset.count);
                }).length; }"""
        )
        assert mismatched == 0, zoom


def test_hostile_titles_show_literally_and_details_trigger(page: Any, site: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    spaces = site["spaces"]
    evil_id = str(spaces.loc[spaces["title"] == EVIL, "id"].iloc[0])
    popup = open_popup(page, evil_id)
    expect(popup.locator(".hr-title")).to_have_text(EVIL)
    expect(popup.locator(".hr-demo")).to_have_text(t("map_demo", "de"))
    assert popup.locator("script, img").count() == 0
    assert page.locator("img[src='x'], a[href^='javascript']").count() == 0
    expect(popup.locator(".hr-website-text")).to_have_text("javascript:alert(3)")
    expect(page.locator(f'.hr-map [aria-label="{EVIL}, gefördert"]')).to_have_count(1)
    popup.get_by_role("button", name=t("map_show_details", "de")).click()
    assert page.evaluate("() => window.hrTriggers") == [["detail", evil_id]]

    tricky_id = str(spaces.loc[spaces["title"] == TRICKY, "id"].iloc[0])
    popup = open_popup(page, tricky_id)
    expect(popup.locator(".hr-title")).to_have_text(TRICKY)
    assert popup.locator(".hr-demo").count() == 0
    link = popup.get_by_role("link", name=t("map_website", "de"))
    expect(link).to_have_attribute("href", "https://example.org/a")
    expect(link).to_have_attribute("rel", "noopener noreferrer")


def test_popup_shows_the_facts_an_artist_needs(page: Any, site: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    vacant = site["vacant"]
    record = vacant[vacant["available_from"].notna() & vacant["floor_area_m2"].notna()].iloc[0]
    popup = open_popup(page, str(record["id"]))
    for label in ("map_building_type", "map_status", "map_floor_area", "map_rent_band"):
        expect(popup.locator("dt", has_text=t(label, "de"))).to_have_count(1)
    expect(popup).to_contain_text("m²")
    expect(popup).to_contain_text(t("mapfront_power", "de"))


def test_enter_opens_a_marker_and_zooms_a_cluster(page: Any, site: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    cluster = page.locator(".hr-map .hr-cluster").first
    expect(cluster).to_have_attribute("aria-label", re.compile(r"\d+ Orte"))
    zoom = page.evaluate("() => document.querySelector('.hr-map')._hrMap.getZoom()")
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(z) => document.querySelector('.hr-map')._hrMap.getZoom() > z", arg=zoom
    )
    record_id = str(site["doc"].ids[5])
    row, lat, lon = row_of(page, record_id)
    set_view(page, lat, lon, 18)
    marker = page.locator(f'.hr-map .hr-marker[data-row="{row}"]')
    marker.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".hr-map .leaflet-popup .hr-details")).to_be_focused()


def test_layer_control_filters_the_index(page: Any, site: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    doc = site["doc"]
    funded = int((doc.categories == mapdata.CATEGORIES.index("spaces_funded")).sum())
    assert funded > 0
    page.get_by_role("button", name=t("mapfront_layers", "de")).click()
    box = page.get_by_role("checkbox", name=t("map_layer_funded", "de"))
    expect(box).to_be_checked()
    box.uncheck()
    root = page.locator(".hr-map")
    expect(root).to_have_attribute("data-selected", str(doc.count - funded))
    set_view(page, 51.5, 7.25, 7)
    assert sum(drawn_counts(page)) == doc.count - funded
    assert page.locator(".hr-map .hr-cat-1").count() == 0
    box.check()
    expect(root).to_have_attribute("data-selected", str(doc.count))
    choropleth = page.get_by_role("checkbox", name="Antworten")
    choropleth.uncheck()
    fills = page.evaluate(
        "() => new Set([...document.querySelectorAll('.hr-map path')]"
        ".map((p) => p.getAttribute('fill'))).size"
    )
    assert fills == 1


def test_legend_starts_collapsed_and_has_no_empty_ranges(page: Any) -> None:
    from playwright.sync_api import expect

    button = page.get_by_role("button", name=t("map_legend", "de"))
    panel = page.locator(".hr-map .hr-legend .hr-panel")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(panel).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(panel).to_contain_text(t("map_legend_vacant", "de"))
    expect(panel).to_contain_text(t("too_few_responses", "de"))
    for label in panel.locator("li").all_inner_texts():
        low, _, high = label.partition(" – ")
        assert low.strip() != high.strip(), label


def test_rerun_keeps_the_map_and_restyles_in_place(page: Any, site: dict[str, Any]) -> None:
    doc = site["doc"]
    set_view(page, 51.45, 7.1, 10)
    before = page.evaluate(
        """() => { window.__m = document.querySelector('.hr-map')._hrMap;
            return [...document.querySelectorAll('.hr-map path')]
              .map((p) => p.getAttribute('fill')); }"""
    )
    changed = {ags: (None if v is None else 100.0 - v) for ags, v in site["values"].items()}
    rerun = state(doc, changed)
    only_vacant = mapdata.selection_bits(doc, [site["vacant"]])
    rerun["selection"] = {"key": "vacant-only", "bits": only_vacant}
    page.evaluate("(s) => window.hrRender(s)", rerun)
    page.wait_for_function(
        "(n) => document.querySelector('.hr-map').dataset.selected === String(n)",
        arg=int(mapdata.decode_bits(only_vacant, doc.count).sum()),
    )
    after = page.evaluate(
        """() => { const m = document.querySelector('.hr-map')._hrMap, c = m.getCenter();
            const fills = [...document.querySelectorAll('.hr-map path')]
              .map((p) => p.getAttribute('fill'));
            return [m === window.__m, m.getZoom(), c.lat.toFixed(6), c.lng.toFixed(6), fills]; }"""
    )
    assert after[:4] == [True, 10, "51.450000", "7.100000"]
    assert after[4] != before and len(after[4]) == len(before)
    spaces = [f".hr-map .hr-cat-{c}" for c in range(3)]
    assert page.locator(", ".join(spaces)).count() == 0
    assert np.array_equal(mapdata.decode_bits(only_vacant, doc.count), doc.categories >= 3)


def test_near_me_and_full_screen(browser: Any, site: dict[str, Any]) -> None:
    from playwright.sync_api import expect

    context, page, problems = _page(
        browser,
        site,
        geolocation={"latitude": 51.4818, "longitude": 7.2162},
        permissions=["geolocation"],
    )
    try:
        page.get_by_role("button", name=t("mapfront_near_me", "de")).click()
        page.wait_for_function("() => document.querySelector('.hr-map')._hrMap.getZoom() === 14")
        centre = page.evaluate(
            "() => { const c = document.querySelector('.hr-map')._hrMap.getCenter();"
            " return [c.lat, c.lng]; }"
        )
        assert abs(centre[0] - 51.4818) < 1e-3 and abs(centre[1] - 7.2162) < 1e-3
        expect(page.locator(".hr-map .hr-me-marker")).to_have_attribute(
            "title", t("mapfront_you_are_here", "de")
        )
        full = page.get_by_role("button", name=t("map_fullscreen", "de"))
        full.click()
        page.wait_for_function("() => document.fullscreenElement?.classList.contains('hr-map')")
        page.get_by_role("button", name=t("map_fullscreen_exit", "de")).click()
        page.wait_for_function("() => document.fullscreenElement === null")
    finally:
        context.close()
    assert problems[0] == [] and problems[1].none(), problems


def test_phone_width_popup_and_legend_fit(browser: Any, site: dict[str, Any]) -> None:
    context, page, problems = _page(browser, site, width=375, height=700)
    try:
        page.get_by_role("button", name=t("map_legend", "de")).click()
        row, lat, lon = row_of(page, str(site["doc"].ids[3]))
        set_view(page, lat, lon, 18)
        # the open legend covers the marker on a phone: open it with the keyboard
        page.locator(f'.hr-map .hr-marker[data-row="{row}"]').focus()
        page.keyboard.press("Enter")
        popup = page.locator(".hr-map .leaflet-popup-content .hr-popup")
        popup.wait_for()
        # An open popup is never covered by the legend: on a narrow map it closes.
        assert page.locator(".hr-map .hr-legend .hr-panel").is_hidden()
        box = page.locator(".hr-map .leaflet-popup").bounding_box()
        assert box is not None and box["width"] <= 375
        assert popup.is_visible()
    finally:
        context.close()
    assert problems[0] == [] and problems[1].none(), problems
