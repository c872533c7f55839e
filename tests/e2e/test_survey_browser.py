"""The survey page in a real browser: the form with its hidden honeypot, a filled-in
response accepted, and the results' chart drawn, with nothing leaving the machine."""

from __future__ import annotations

from typing import Any

import pytest

from heimatruhr_geo.i18n import t

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.browser_context(viewport={"width": 1280, "height": 1200}),
]


def _choose(page: Any, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (BaseWeb's combobox)."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label)
    box.locator('[role="combobox"]').click()
    page.keyboard.type(option)  # the list is virtual: narrow it first
    page.get_by_role("option", name=option, exact=True).click()


def test_form_hides_the_honeypot_and_accepts_a_response(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/umfrage?lang=en")
    expect(page.get_by_role("heading", name=t("survey_title", "en"))).to_be_visible()
    honeypot = page.locator(".st-key-homepage_url_survey")
    expect(honeypot).to_have_count(1)
    page.wait_for_function(  # moved off screen by the guard's CSS: not for people
        "() => document.querySelector('.st-key-homepage_url_survey')"
        ".getBoundingClientRect().right < 0"
    )

    _choose(page, t("survey_q_discipline", "en"), "Music")
    _choose(page, t("survey_q_ags", "en"), "Selm")
    for key, value in (("identity_rating", "4"), ("space_rating", "2")):
        group = page.locator(f".st-key-survey_{key}")
        group.get_by_text(value, exact=True).click()
    page.locator(".st-key-survey_identity_text textarea").fill("Der Marktplatz am Abend.")
    page.get_by_role("button", name=t("survey_submit", "en")).click()
    expect(page.get_by_text(t("survey_thanks", "en"))).to_be_visible()


def test_results_draw_the_chart(app_url: str, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/umfrage?lang=de")
    page.get_by_role("tab", name=t("survey_tab_results", "de")).click()
    expect(page.get_by_role("heading", name=t("survey_chart_title", "de"))).to_be_visible()
    chart = page.locator('[data-testid="stVegaLiteChart"] svg.marks')
    expect(chart).to_be_visible()
    expect(chart.locator(".mark-rect path").first).to_be_attached()  # the bars
    expect(page.get_by_role("button", name=t("survey_download", "de"))).to_be_visible()
