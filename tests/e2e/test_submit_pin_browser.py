"""The submissions page in a real browser: a click on the small map drops the pin, the
derived municipality is shown, and a proposal located by it is accepted; nothing leaves
the machine and the honeypot is off screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from heimatruhr_geo.i18n import t

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser_context(viewport={"width": 1280, "height": 1400}),
]

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'


@pytest.fixture(autouse=True)
def assets_load(page: Any) -> Iterator[None]:
    """Fail the test if an image, script or style sheet failed (e.g. the marker's image)."""
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if _failed_asset(r) else None)
    yield
    assert failed == []


def _failed_asset(response: Any) -> bool:
    """Whether an image, script or style sheet failed (Streamlit's own probes may 404)."""
    kinds = {"image", "script", "stylesheet"}
    return response.status >= 400 and response.request.resource_type in kinds


def test_a_click_on_the_map_locates_a_proposal(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/mitmachen?lang=en")
    expect(page.get_by_role("heading", name=t("submit_title", "en"))).to_be_visible()
    page.wait_for_function(
        "() => { const b = document.querySelector('.st-key-homepage_url_spaces');"
        " return b && b.getBoundingClientRect().right < 0; }"
    )
    leaflet = page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    expect(leaflet).to_be_visible()
    borders = page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive")
    expect(borders.first).to_be_visible()  # the map is drawn and fitted
    box = leaflet.bounding_box()
    leaflet.click(position={"x": box["width"] / 2, "y": box["height"] / 2})
    chosen = t("submit_location_chosen", "en").split("{")[0]
    expect(page.get_by_text(chosen)).to_be_visible()
    expect(page.frame_locator(MAP_FRAME).locator(".leaflet-marker-icon")).to_have_count(1)
    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)

    page.locator(".st-key-spaces_title input").fill("<img src=x onerror=alert(1)>")
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has_text=t("submit_field_project_type", "en")
    )
    box.locator('[role="combobox"]').click()
    page.keyboard.type("Music")
    page.get_by_role("option", name="Music", exact=True).click()
    page.get_by_role("button", name=t("submit_send_spaces", "en")).click()
    expect(page.get_by_text(t("submit_thanks", "en").split("(")[0].strip())).to_be_visible()
    assert page.locator("img[src=x]").count() == 0
    expect(page.locator(".st-key-spaces_title input")).to_have_value("")  # emptied
