"""The forms' honeypot field in a real browser: Tab never lands on it, screen readers do not
see it, and a bot that fills it is still caught."""

from __future__ import annotations

from typing import Any

import pytest

from heimatruhr_geo.abuse import HONEYPOT_KEY
from heimatruhr_geo.i18n import t

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser_context(viewport={"width": 1280, "height": 900}),
]

MAX_TABS = 400
"""More Tab presses than the page has focusable things before its submit button."""
FORMS = [
    ("mitmachen", "spaces", "submit_send_spaces"),
    ("umfrage", "survey", "survey_submit"),
]


def _open(page: Any, app_url: str, path: str, form: str) -> Any:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/{path}?lang=en")
    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    box = page.locator(f".st-key-{HONEYPOT_KEY}_{form}")
    expect(box).to_have_attribute("aria-hidden", "true")
    return box


@pytest.mark.parametrize(("path", "form", "button_key"), FORMS)
def test_tab_never_lands_on_the_honeypot(
    app_url: str, page: Any, path: str, form: str, button_key: str
) -> None:
    from playwright.sync_api import expect

    box = _open(page, app_url, path, form)
    expect(box.locator("input")).to_have_attribute("tabindex", "-1")
    expect(box.locator("input")).to_have_attribute("autocomplete", "off")
    button = page.get_by_role("button", name=t(button_key, "en"))
    button.scroll_into_view_if_needed()
    page.locator("body").focus()
    reached = False
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        in_honeypot = box.evaluate("(b) => b.contains(document.activeElement)")
        assert not in_honeypot, "Tab landed on the honeypot"
        if button.evaluate("(b) => b === document.activeElement"):
            reached = True
            break
    assert reached, f"the submit button was not reached in {MAX_TABS} Tab presses"


@pytest.mark.parametrize(("path", "form", "button_key"), FORMS)
def test_screen_readers_do_not_see_the_honeypot(
    app_url: str, page: Any, path: str, form: str, button_key: str
) -> None:
    from playwright.sync_api import expect

    _open(page, app_url, path, form)
    expect(page.get_by_role("button", name=t(button_key, "en"))).to_be_visible()
    label = t("honeypot_label", "en")
    expect(page.get_by_role("textbox", name=label)).to_have_count(0)
    snapshot = page.locator("body").aria_snapshot()
    assert label not in snapshot


def test_a_bot_still_fills_the_honeypot_and_is_caught(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    box = _open(page, app_url, "mitmachen", "spaces")
    box.locator("input").fill("https://spam.example")
    box.locator("input").press("Enter")  # submits the form, like a bot would
    thanks = t("submit_thanks", "en").split("(")[0].strip()
    expect(page.get_by_text(thanks)).to_be_visible()  # the bot learns nothing
