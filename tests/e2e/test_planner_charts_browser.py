"""The planners' charts in a real browser: German numbers in the tooltips (Vega's locale)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from heimatruhr_geo.i18n import t

pytestmark = pytest.mark.e2e

CHART = '[data-testid="stVegaLiteChart"]'


def _labels(chart: Any) -> list[str]:
    """Return the texts of the chart's axis labels (Streamlit draws these charts as SVG)."""
    return [str(x) for x in chart.locator(".role-axis-label text").all_text_contents()]


@pytest.mark.parametrize(
    ("lang", "money"),
    [("de", r"\d{1,3}(\.\d{3})+\s€"), ("en", r"€\d{1,3}(,\d{3})+")],
)
def test_funding_chart_speaks_the_language(app_url: str, page: Any, lang: str, money: str) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app_url}/planung?lang={lang}")
    expect(page.locator('[data-test-script-state="notRunning"]')).to_have_count(1)
    charts = page.locator(CHART)
    expect(charts).to_have_count(3)
    by_type, per_year, funding = charts.nth(0), charts.nth(1), charts.nth(2)
    for chart in (by_type, per_year, funding):
        chart.scroll_into_view_if_needed()
        expect(chart.locator(".role-axis-label text").first).to_be_attached()
    money_labels = [x for x in _labels(funding) if re.search(r"\d", x) and "€" in x]
    assert money_labels and all(
        re.fullmatch(money, x) or x in ("0\xa0€", "€0") for x in money_labels
    )
    assert any(re.fullmatch(money, x) for x in money_labels), money_labels
    years = [x for x in _labels(per_year) if re.fullmatch(r"20\d\d", x)]
    assert years, _labels(per_year)  # years without a group mark ("2.024")
    # titles and the status legend in the language
    text = " ".join(funding.locator("text").all_text_contents())
    assert t("chart_funding_per_year", lang) in text and t("field_funding_year", lang) in text
    legend = " ".join(by_type.locator(".role-legend-label text").all_text_contents())
    assert ("Gefördert" if lang == "de" else "Funded") in legend, legend
