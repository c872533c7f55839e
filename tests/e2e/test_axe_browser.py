"""Accessibility as a checked property: axe-core finds no WCAG 2.1 A/AA violation on any
page of the app, at 1280 px and on a 375 × 812 phone, in German and English, map iframes
included (see ``tests/e2e/axe.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from heimatruhr_geo.i18n import t
from tests.e2e.axe import describe, violations
from tests.support.app_process import MODERATOR, MODERATOR_PASSWORD
from tests.support.browser import block_outside

pytestmark = pytest.mark.e2e

OLD_MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
PAGES = [
    ("karte", "title", ()),
    ("planung", "planner_title", ()),
    ("raumsuche", "finder_title", ()),
    ("umfrage", "survey_title", ()),
    ("mitmachen", "submit_title", ()),
    ("impressum", "about_title", ()),
    ("moderation", "mod_title", ()),
]
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True},
}
MAP_PAGES = {"raumsuche", "mitmachen"}
"""Pages whose folium map (an iframe) is checked inside as well."""
MAP_READY = ".leaflet-container path.leaflet-interactive"
"""Inside a folium iframe: the municipality shapes are drawn, the map is complete."""


@pytest.fixture(scope="module", params=sorted(VIEWPORTS))
def device(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(**VIEWPORTS[request.param])
    blocked = block_outside(context)
    yield context.new_page(), blocked
    context.close()


def checked_frames(page: Any, exclude: tuple[str, ...]) -> list[Any]:
    """Return the frames of the page's iframes that axe checks (all but the excluded)."""
    frames = []
    for handle in page.locator("iframe").element_handles():
        if any(handle.evaluate("(e, s) => e.matches(s)", sel) for sel in exclude):
            continue
        frame = handle.content_frame()
        if frame is not None:
            frames.append(frame)
    return frames


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize(("path", "title_key", "exclude"), PAGES)
def test_no_axe_violations(
    app_url: str,
    device: tuple[Any, list[str]],
    path: str,
    title_key: str,
    exclude: tuple[str, ...],
    lang: str,
) -> None:
    from playwright.sync_api import expect

    page, blocked = device
    page.goto(f"{app_url}/{path}?lang={lang}")
    expect(page.get_by_role("heading", name=t(title_key, lang), exact=True)).to_be_visible()
    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    if path in MAP_PAGES:  # the component draws its iframe after the script run
        page.locator(OLD_MAP_FRAME).first.scroll_into_view_if_needed()  # loaded lazily
        map_frame = page.frame_locator(OLD_MAP_FRAME).first
        expect(map_frame.locator(MAP_READY).first).to_be_visible()
    problems = []
    found = violations(page, exclude)
    if found:
        problems.append(describe(found, f"/{path}"))
    frames = checked_frames(page, exclude)
    if path in MAP_PAGES:
        assert frames, f"/{path}: the map's iframe is missing"
    for frame in frames:
        found = violations(frame)
        if found:
            problems.append(describe(found, f"the map iframe of /{path}"))
    assert not problems, "\n".join(problems)
    assert blocked == []


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_axe_violations_for_a_signed_in_moderator(
    app_url: str, device: tuple[Any, list[str]], lang: str
) -> None:
    from playwright.sync_api import expect

    from heimatruhr_geo.ui.moderation_page import SIGN_OUT_KEY

    page, blocked = device
    page.goto(f"{app_url}/moderation?lang={lang}")
    page.locator(".st-key-mod_username input").fill(MODERATOR)
    page.locator(".st-key-mod_password input").fill(MODERATOR_PASSWORD)
    page.locator(".st-key-mod_sign_in button").click()
    expect(page.locator(f".st-key-{SIGN_OUT_KEY} button")).to_be_visible()
    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    found = violations(page)
    assert not found, describe(found, "/moderation (signed in)")
    page.locator(f".st-key-{SIGN_OUT_KEY} button").click()  # the next test starts signed out
    expect(page.locator(".st-key-mod_sign_in button")).to_be_visible()
    assert blocked == []
