"""From the form to the public map in a real browser, with a hostile title.

A proposal titled ``<img src=x onerror=alert(1)>`` is submitted on ``/mitmachen``,
published by a signed-in moderator on ``/moderation`` and opened on the public map: the
title shows literally everywhere, no dialog opens (the payload would call ``alert``) and
no ``<img src=x>`` element exists in the page (the map is part of it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from heimatruhr_geo.i18n import t
from tests.e2e.mapdriver import open_popup, wait_ready
from tests.support.app_process import MODERATOR, MODERATOR_PASSWORD
from tests.support.browser import watch

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser_context(viewport={"width": 1280, "height": 1400}),
    pytest.mark.usefixtures("watched"),
]

HOSTILE = "<img src=x onerror=alert(1)>"
IDLE = '[data-test-script-state="notRunning"]'


@pytest.fixture
def watched(page: Any) -> Iterator[Any]:
    """The shared page, failing the test if a script of the hostile title opened a dialog."""
    problems = watch(page)
    yield page
    assert problems.dialogs == [], "a script of the hostile title ran"


def _no_hostile_element(page: Any) -> None:
    assert page.locator("img[src='x']").count() == 0  # the map is in the page (no iframe)


def _submit(page: Any, app_url: str) -> str:
    """Propose a music space in Bochum titled HOSTILE; return its reference (record id)."""
    from playwright.sync_api import expect

    page.goto(f"{app_url}/mitmachen?lang=en")
    expect(page.get_by_role("heading", name=t("submit_title", "en"))).to_be_visible()
    page.locator(".st-key-spaces_loc_city input").fill("Bochum")
    page.locator(".st-key-spaces_loc_find button").click()
    chosen = t("submit_location_chosen", "en").split("{")[0]
    expect(page.get_by_text(chosen)).to_be_visible()
    expect(page.locator(IDLE)).to_have_count(1)
    page.locator(".st-key-spaces_title input").fill(HOSTILE)
    box = page.locator('[data-testid="stSelectbox"]').filter(
        has_text=t("submit_field_project_type", "en")
    )
    box.locator('[role="combobox"]').click()
    page.keyboard.type("Music")
    page.get_by_role("option", name="Music", exact=True).click()
    page.get_by_role("button", name=t("submit_send_spaces", "en")).click()
    thanks = page.get_by_text(t("submit_thanks", "en").split("(")[0].strip())
    expect(thanks).to_be_visible()
    match = re.search(r"\b([0-9a-f]{32})\b", thanks.inner_text())
    assert match, thanks.inner_text()
    _no_hostile_element(page)
    return match.group(1)


def _publish(page: Any, app_url: str, record_id: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/moderation?lang=en")
    page.locator(".st-key-mod_username input").fill(MODERATOR)
    page.locator(".st-key-mod_password input").fill(MODERATOR_PASSWORD)
    page.locator(".st-key-mod_sign_in button").click()
    publish = page.locator(f".st-key-mod_publish_{record_id} button")
    expect(publish).to_be_visible()
    expect(page.get_by_text(HOSTILE, exact=True).first).to_be_visible()  # shown as text
    _no_hostile_element(page)
    publish.click()
    expect(page.get_by_text(t("mod_published", "en"))).to_be_visible()


def test_hostile_title_goes_from_form_to_map_as_plain_text(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    record_id = _submit(page, app_url)
    _publish(page, app_url, record_id)

    page.goto(f"{app_url}/?lang=en")
    wait_ready(page)
    popup = open_popup(page, record_id)
    expect(popup.locator(".hr-title")).to_have_text(HOSTILE)
    _no_hostile_element(page)

    page.goto(f"{app_url}/?lang=en&detail={record_id}")
    expect(page.get_by_text(HOSTILE, exact=True).first).to_be_visible()
    _no_hostile_element(page)
