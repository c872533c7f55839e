"""Every page answers at its own path (``/karte``, ``/planung`` …) and the root shows the
map: no "Page not found", the address bar keeps the path."""

from __future__ import annotations

from typing import Any

import pytest

from heimatruhr_geo.i18n import t

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser_context(viewport={"width": 1280, "height": 900}),
]

PAGES = [
    ("", "title"),
    ("karte", "title"),
    ("planung", "planner_title"),
    ("raumsuche", "finder_title"),
    ("umfrage", "survey_title"),
    ("mitmachen", "submit_title"),
    ("impressum", "about_title"),
    ("moderation", "mod_title"),
]
NOT_FOUND = "Page not found"
"""Streamlit's dialog for a path that no page has."""


@pytest.mark.parametrize(("path", "title_key"), PAGES)
def test_each_page_answers_at_its_own_path(
    app_url: str, page: Any, path: str, title_key: str
) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/{path}?lang=en")
    expect(page.get_by_role("heading", name=t(title_key, "en"), exact=True)).to_be_visible()
    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    expect(page.get_by_text(NOT_FOUND)).to_have_count(0)
    assert page.url.split("?")[0].rstrip("/") == f"{app_url}/{path}".rstrip("/")


def test_the_navigation_links_to_each_page_by_its_path(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/planung?lang=en")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name=t("nav_map", "en"), exact=True)).to_have_attribute(
        "href", f"{app_url}/karte"
    )
    nav.get_by_role("link", name=t("nav_map", "en"), exact=True).click()
    expect(page.get_by_role("heading", name=t("title", "en"), exact=True)).to_be_visible()
    expect(page).to_have_url(f"{app_url}/karte?lang=en")
