"""Every page on a 375 px wide phone: it draws, its title shows, nothing is wider than the
screen (no sideways scrolling) and no request leaves the machine."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from heimatruhr_geo.i18n import t
from tests.e2e.conftest import block_outside

pytestmark = pytest.mark.e2e

PHONE_WIDTH = 375
PAGES = [
    ("karte", "title"),
    ("planung", "planner_title"),
    ("raumsuche", "finder_title"),
    ("umfrage", "survey_title"),
    ("mitmachen", "submit_title"),
    ("impressum", "about_title"),
    ("moderation", "mod_title"),
]


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 812}, is_mobile=True, has_touch=True
    )
    blocked = block_outside(context)
    yield context.new_page(), blocked
    context.close()


@pytest.mark.parametrize(("path", "title_key"), PAGES)
def test_page_fits_a_phone(
    app_url: str, phone: tuple[Any, list[str]], path: str, title_key: str
) -> None:
    from playwright.sync_api import expect

    page, blocked = phone
    page.goto(f"{app_url}/{path}?lang=en")
    expect(page.get_by_role("heading", name=t(title_key, "en"), exact=True)).to_be_visible()
    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    page.wait_for_timeout(500)  # let late elements (maps, charts) take their size
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"/{path} is {width} px wide"
    assert blocked == []
