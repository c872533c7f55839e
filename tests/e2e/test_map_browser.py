"""The app's public map (the custom component) in a real browser, with outside requests blocked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from heimatruhr_geo.boundaries import ATTRIBUTION, RUHR_AGS
from heimatruhr_geo.i18n import t
from tests.e2e.mapdriver import (
    IDLE,
    drawn_counts,
    hover_municipality,
    open_popup,
    row_of,
    set_view,
    wait_ready,
)
from tests.support.browser import block_outside, is_local

pytestmark = pytest.mark.e2e

TIMEOUT_MS = 60_000
MAX_TABS = 20


@dataclass
class Traffic:
    """What the page asked for: blocked outside requests and failed local ones."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    local_ok: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _open(browser: Any, width: int, height: int) -> tuple[Any, Any, Traffic]:
    """Open a page that blocks and records outside requests and records local failures."""
    context = browser.new_context(viewport={"width": width, "height": height})
    traffic = Traffic(blocked=block_outside(context))

    def on_response(response: Any) -> None:
        if is_local(response.url):
            target = traffic.failed if response.status >= 400 else traffic.local_ok
            target.append(f"{response.status} {response.url}")

    def on_failed(request: Any) -> None:
        if is_local(request.url):
            traffic.failed.append(f"{request.failure} {request.url}")

    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("response", on_response)
    page.on("requestfailed", on_failed)
    page.on("pageerror", lambda exc: traffic.errors.append(str(exc)))
    return context, page, traffic


@pytest.fixture
def desktop(browser: Any) -> Iterator[tuple[Any, Traffic]]:
    context, page, traffic = _open(browser, 1280, 900)
    yield page, traffic
    context.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[tuple[Any, Traffic]]:
    context, page, traffic = _open(browser, 375, 812)
    yield page, traffic
    context.close()


def _assert_clean(page: Any, traffic: Traffic) -> None:
    page.wait_for_load_state("networkidle")
    assert traffic.failed == [], f"local requests failed: {traffic.failed}"
    assert traffic.blocked == [], f"requests tried to leave the machine: {traffic.blocked}"
    assert traffic.errors == [], f"page errors: {traffic.errors}"
    broken = page.evaluate(
        "() => [...document.images].filter((i) => i.complete && i.naturalWidth === 0)"
        ".map((i) => i.src)"
    )
    assert broken == [], f"images that failed: {broken}"


def test_map_draws_markers_and_municipalities_from_local_assets(
    app_url: str, desktop: tuple[Any, Traffic]
) -> None:
    from playwright.sync_api import expect

    page, traffic = desktop
    page.goto(f"{app_url}/")
    wait_ready(page)
    assert page.locator("iframe").count() == 0  # the map lives in the page itself
    paths = page.locator(".hr-map .leaflet-overlay-pane path")
    expect(paths).to_have_count(len(RUHR_AGS))

    attribution = page.locator(".hr-map .leaflet-control-attribution")
    expect(attribution).to_be_visible()
    expect(attribution).to_contain_text(ATTRIBUTION)
    expect(page.get_by_text(f"{t('boundaries_source', 'de')}: {ATTRIBUTION}")).to_be_visible()
    expect(page.locator(".hr-map img.leaflet-tile-loaded").first).to_be_attached()

    # The whole region is in view: every selected record is counted exactly once.
    selected = int(page.locator(".hr-map").get_attribute("data-selected"))
    assert selected > 100
    page.evaluate("() => document.querySelector('.hr-map')._hrMap.setZoom(7, {animate: false})")
    page.wait_for_function("() => document.querySelector('.hr-map')._hrMap.getZoom() === 7")
    assert sum(drawn_counts(page)) == selected

    assert t("measure_survey_per_10k", "de") in hover_municipality(page, 10)
    _assert_clean(page, traffic)
    served = " ".join(traffic.local_ok)
    assert "/app/static/node_modules/leaflet/dist/leaflet.js" in served
    assert "/app/static/generated/points-de-" in served
    assert "/app/static/blank-tile.png" in served


def test_english_switch_translates_page_and_map(app_url: str, desktop: tuple[Any, Traffic]) -> None:
    from playwright.sync_api import expect

    page, traffic = desktop
    page.goto(f"{app_url}/")
    expect(page.get_by_role("heading", name=t("title", "de"))).to_be_visible()
    wait_ready(page)
    expect(page.get_by_role("button", name=t("mapfront_zoom_in", "de"))).to_be_visible()

    page.get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name=t("title", "en"))).to_be_visible()
    expect(page).to_have_title(t("title", "en"))
    expect(page).to_have_url(f"{app_url}/?lang=en")
    expect(page.get_by_role("button", name="Zoom in")).to_be_visible()
    expect(page.get_by_role("button", name=t("mapfront_layers", "en"))).to_be_visible()
    wait_ready(page, "en")
    assert t("measure_survey_per_10k", "en") in hover_municipality(page, 10)
    _assert_clean(page, traffic)


def test_language_from_shared_url(app_url: str, desktop: tuple[Any, Traffic]) -> None:
    from playwright.sync_api import expect

    page, _ = desktop
    page.goto(f"{app_url}/?lang=en")
    expect(page.get_by_role("heading", name=t("title", "en"))).to_be_visible()
    expect(page.get_by_text(t("intro", "en"))).to_be_visible()


def test_details_open_from_a_popup_click(app_url: str, desktop: tuple[Any, Traffic]) -> None:
    from playwright.sync_api import expect

    page, traffic = desktop
    page.goto(f"{app_url}/")
    wait_ready(page)
    record_id, title = page.evaluate(
        """() => { const d = document.querySelector('.hr-map')._hrView.doc;
            const i = d.demo.indexOf('1'); return [d.id[i], d.title[i]]; }"""
    )
    popup = open_popup(page, record_id)
    expect(popup.locator(".hr-title")).to_have_text(title)
    expect(popup.locator(".hr-demo")).to_have_text(t("map_demo", "de"))
    expect(popup).to_contain_text(t("map_status", "de"))
    popup.get_by_role("button", name=t("map_show_details", "de")).click()
    expect(page).to_have_url(re.compile(rf"[?&]detail={record_id}(&|$)"))
    expect(page.get_by_role("heading", name=t("details", "de"))).to_be_visible()
    expect(page.get_by_text(title, exact=True).first).to_be_visible()
    _assert_clean(page, traffic)


def _tab_until(page: Any, predicate: str, limit: int) -> tuple[int, list[str]]:
    """Press Tab until ``predicate`` holds for the focused element; return presses and names."""
    names: list[str] = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        name = page.evaluate(
            """() => { const e = document.activeElement;
                return `${e.tagName}.${e.className}|${e.getAttribute('aria-label') || ''}`; }"""
        )
        names.append(name)
        if page.evaluate(f"() => {predicate}"):
            return presses, names
    return limit + 1, names


def test_keyboard_reaches_the_map_controls_and_markers(
    app_url: str, desktop: tuple[Any, Traffic]
) -> None:
    from playwright.sync_api import expect

    page, traffic = desktop
    page.goto(f"{app_url}/")
    wait_ready(page)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    zoom_in = "document.activeElement.classList.contains('leaflet-control-zoom-in')"
    presses, names = _tab_until(page, zoom_in, 60)
    assert presses <= MAX_TABS, names

    # Every focusable element of the map has a name; municipality shapes are no tab stops.
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('.hr-map a[href], .hr-map button, '
                 + '.hr-map input, .hr-map [tabindex]:not([tabindex="-1"])')]
            .filter((e) => !e.closest('.leaflet-control-attribution'))
            .filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim()
                             || (e.labels && e.labels.length) || e.title))
            .map((e) => e.outerHTML.slice(0, 120))"""
    )
    assert unnamed == []
    seen: set[str] = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        tag = page.evaluate("() => document.activeElement.tagName.toLowerCase()")
        seen.add(tag)
        assert tag != "path"
        if page.evaluate("() => document.activeElement.matches('.hr-marker, .hr-cluster')"):
            break
    assert page.evaluate("() => document.activeElement.matches('.hr-marker, .hr-cluster')")

    # Enter on a cluster zooms in.
    cluster = page.locator(".hr-map .hr-cluster").first
    cluster.focus()
    zoom = page.evaluate("() => document.querySelector('.hr-map')._hrMap.getZoom()")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(z) => document.querySelector('.hr-map')._hrMap.getZoom() > z", arg=zoom
    )
    # Enter on a point marker opens its popup with the focus on "Details".
    record_id = page.evaluate("() => document.querySelector('.hr-map')._hrView.doc.id[1]")
    row, lat, lon = row_of(page, record_id)
    set_view(page, lat, lon, 18)
    page.locator(f'.hr-map .hr-marker[data-row="{row}"]').focus()
    page.keyboard.press("Enter")
    details = page.locator(".hr-map .leaflet-popup .hr-details")
    expect(details).to_be_focused()
    _assert_clean(page, traffic)


def test_rerun_restyles_the_choropleth_in_the_same_map(
    app_url: str, desktop: tuple[Any, Traffic]
) -> None:
    from playwright.sync_api import expect

    page, traffic = desktop
    page.goto(f"{app_url}/")
    wait_ready(page)
    centre = page.evaluate(
        """() => { const m = document.querySelector('.hr-map')._hrMap;
            m.setView([51.5, 7.2], 11, {animate: false}); window.__hrBefore = m;
            const c = m.getCenter(); return [c.lat, c.lng]; }"""
    )
    fills = (
        "() => [...document.querySelectorAll('.hr-map .leaflet-overlay-pane path')]"
        ".map((p) => p.getAttribute('fill')).join()"
    )
    before = page.evaluate(fills)
    page.get_by_text(t("measure_survey_identity_share", "de")).click()
    expect(page.locator(IDLE)).to_have_count(1)
    page.wait_for_function(f"() => ({fills})() !== {before!r}")
    same = page.evaluate(
        """() => { const m = document.querySelector('.hr-map')._hrMap, c = m.getCenter();
            return [m === window.__hrBefore, m.getZoom(), c.lat, c.lng]; }"""
    )
    assert same[0] is True
    assert same[1] == 11
    assert same[2:] == centre
    page.get_by_role("button", name=t("map_legend", "de")).click()
    legend = page.locator(".hr-map .hr-legend .hr-panel")
    expect(legend).to_contain_text(t("measure_survey_identity_share", "de"))
    for label in legend.locator("li span:last-child").all_inner_texts():
        low, _, high = label.partition(" – ")
        assert low != high, label
    _assert_clean(page, traffic)


def test_map_is_on_a_phones_first_screen(app_url: str, phone: tuple[Any, Traffic]) -> None:
    from playwright.sync_api import expect

    page, traffic = phone
    page.goto(f"{app_url}/")
    wait_ready(page)
    expect(page.locator(".hr-map .leaflet-control-attribution")).to_contain_text(
        "GeoBasis-DE / BKG"
    )
    box = page.locator(".hr-map").bounding_box()
    assert box is not None
    assert box["y"] < 812 - 150, box  # at least 150 px of the map on the first screen
    assert 200 <= box["width"] <= 375
    expect(page.get_by_role("textbox", name=t("search_label", "de"))).to_be_visible()
    _assert_clean(page, traffic)


def test_search_moves_the_same_map_to_the_result(
    app_url: str, desktop: tuple[Any, Traffic]
) -> None:
    from playwright.sync_api import expect

    page, traffic = desktop
    page.goto(f"{app_url}/")
    wait_ready(page)
    page.evaluate("() => { window.__hrBefore = document.querySelector('.hr-map')._hrMap; }")
    page.get_by_role("textbox", name=t("search_label", "de")).fill("Bochum")
    page.get_by_role("button", name=t("search_button", "de")).click()
    expect(page.locator(".hr-map .hr-focus-marker")).to_have_count(1)
    expect(page.locator(".hr-map .hr-focus-marker")).to_have_attribute(
        "title", t("map_search_result", "de")
    )
    same, zoom = page.evaluate(
        """() => { const m = document.querySelector('.hr-map')._hrMap;
            return [m === window.__hrBefore, m.getZoom()]; }"""
    )
    assert same is True and zoom >= 12
    _assert_clean(page, traffic)
