"""The app's map in a real browser, with every request that leaves 127.0.0.1 blocked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from heimatruhr_geo.boundaries import RUHR_AGS
from heimatruhr_geo.i18n import t
from tests.e2e.conftest import block_outside, is_local

pytestmark = pytest.mark.e2e

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 60_000


@dataclass
class Traffic:
    """What the page asked for: blocked outside requests and failed local ones."""

    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    local_ok: list[str] = field(default_factory=list)


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


def _wait_for_map(page: Any) -> Any:
    """Wait until the map has drawn every municipality; return the map frame."""
    from playwright.sync_api import expect

    # A rerun shows the old map next to the new one until the script has finished.
    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    expect(page.locator(MAP_FRAME)).to_have_count(1)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-container")).to_be_visible()
    # The map page draws every municipality twice: its border and its survey choropleth.
    paths = frame.locator(".leaflet-overlay-pane path.leaflet-interactive")
    expect(paths).to_have_count(2 * len(RUHR_AGS))
    return frame


def _assert_clean(page: Any, traffic: Traffic) -> None:
    page.wait_for_load_state("networkidle")
    assert traffic.failed == [], f"local requests failed: {traffic.failed}"
    assert traffic.blocked == [], f"requests tried to leave the machine: {traffic.blocked}"


def test_map_draws_53_municipalities_from_local_assets(
    app_url: str, desktop: tuple[Any, Traffic]
) -> None:
    from playwright.sync_api import expect

    page, traffic = desktop
    page.goto(f"{app_url}/")
    frame = _wait_for_map(page)

    attribution = frame.locator(".leaflet-control-attribution")
    expect(attribution).to_be_visible()
    expect(attribution).to_contain_text("GeoBasis-DE / BKG")
    expect(page.get_by_text("GeoBasis-DE / BKG 2016 (Daten verändert)").first).to_be_visible()
    expect(frame.locator("img.leaflet-tile-loaded").first).to_be_attached()

    frame.locator(".leaflet-overlay-pane path.leaflet-interactive").nth(10).hover(force=True)
    # the survey choropleth lies on top: its tooltip names the measure
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(t("measure_survey_per_10k", "de"))

    map_frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    image_dir = map_frame.evaluate("() => L.Icon.Default.imagePath")
    assert image_dir == "/app/static/node_modules/leaflet/dist/images/"
    status = map_frame.evaluate(
        "async (dir) => (await fetch(dir + 'marker-icon.png')).status", image_dir
    )
    assert status == 200

    _assert_clean(page, traffic)
    served = " ".join(traffic.local_ok)
    assert "/app/static/node_modules/leaflet/dist/leaflet.js" in served
    assert "/app/static/blank-tile.png" in served


def test_english_switch_changes_title_labels_and_url(
    app_url: str, desktop: tuple[Any, Traffic]
) -> None:
    from playwright.sync_api import expect

    page, traffic = desktop
    page.goto(f"{app_url}/")
    expect(page.get_by_role("heading", name=t("title", "de"))).to_be_visible()
    _wait_for_map(page)

    page.get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name=t("title", "en"))).to_be_visible()
    expect(page).to_have_title(t("title", "en"))
    expect(page).to_have_url(f"{app_url}/?lang=en")
    frame = _wait_for_map(page)
    frame.locator(".leaflet-overlay-pane path.leaflet-interactive").nth(10).hover(force=True)
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(t("measure_survey_per_10k", "en"))
    _assert_clean(page, traffic)


def test_language_from_shared_url(app_url: str, desktop: tuple[Any, Traffic]) -> None:
    from playwright.sync_api import expect

    page, _ = desktop
    page.goto(f"{app_url}/?lang=en")
    expect(page.get_by_role("heading", name=t("title", "en"))).to_be_visible()
    expect(page.get_by_text(t("intro", "en"))).to_be_visible()


def test_map_fits_a_phone_screen(app_url: str, phone: tuple[Any, Traffic]) -> None:
    from playwright.sync_api import expect

    page, traffic = phone
    page.goto(f"{app_url}/")
    frame = _wait_for_map(page)
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text("GeoBasis-DE / BKG")
    box = page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    assert 200 <= box["width"] <= 375
    _assert_clean(page, traffic)
