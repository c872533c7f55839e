"""The embedded map (``/karte?embed=true&municipalities=…``) in Chromium, as an ``<iframe>``
on another site shows it: only the map of that municipality's records, no navigation, no
other widgets, legend and attribution kept, usable at phone width; hostile URL values are
ignored with a message as plain text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.i18n import t
from tests.e2e.axe import describe, violations
from tests.e2e.mapdriver import drawn_counts, wait_ready
from tests.support.browser import block_outside
from tests.support.http import serving_files

pytestmark = pytest.mark.e2e

BOCHUM = "05911000"
WIDGETS = (
    '[data-testid="stTextInput"], [data-testid="stRadio"], [data-testid="stButton"],'
    ' [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stForm"]'
)
NAVIGATION = (
    '[data-testid="stSidebar"], [data-testid="stSidebarNav"],'
    ' [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"],'
    ' [data-testid="stTopNavLinkContainer"]'
)
CODES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
SELECTED_ROWS = """() => {
  const codes = 'CODES';
  const view = document.querySelector('.hr-map')._hrView;
  const doc = view.doc;
  const municipality = doc.facts.find((f) => f.key === 'municipality');
  const text = (column, i) => column.v !== undefined ? column.v[i]
    : column.s !== undefined ? column.t[codes.indexOf(column.s[i])]
    : column.t[column.c[i]];
  const selected = [];
  const all = [];
  for (let i = 0; i < doc.n; i++) {
    const name = text(municipality, i);
    if ((view.selection[i >> 3] >> (i & 7)) & 1) { selected.push(name); }
    all.push(name);
  }
  return { selected, all, shown: Number(view.root.dataset.selected) };
}""".replace("CODES", CODES)


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    """Open a URL in a fresh context; check no request left the machine and no dialog opened."""
    contexts: list[tuple[Any, list[str], list[str], list[str]]] = []

    def open_url(url: str, width: int = 900, height: int = 700) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height})
        blocked, dialogs, errors = block_outside(context), [], []
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        contexts.append((context, blocked, dialogs, errors))
        page.goto(url)
        return page

    yield open_url
    for context, blocked, dialogs, errors in contexts:
        context.close()
        assert (blocked, dialogs, errors) == ([], [], [])


def _selected(page: Any) -> dict[str, Any]:
    wait_ready(page)
    return dict(page.evaluate(SELECTED_ROWS))


def test_embedded_map_shows_only_that_municipalitys_records(app_url: str, visit: Any) -> None:
    from playwright.sync_api import expect

    page = visit(f"{app_url}/karte?embed=true&municipalities={BOCHUM}")
    rows = _selected(page)
    bochum = [name for name in rows["all"] if name == "Bochum"]
    assert bochum, "the demo data has records in Bochum"
    assert rows["selected"] == bochum, "exactly Bochum's records are selected"
    assert rows["shown"] == len(bochum)
    # the map fits Bochum: every selected record is drawn (as a marker or in a cluster)
    assert sum(drawn_counts(page)) == len(bochum)
    # the map only: no navigation, no title, no other widget
    expect(page.locator(NAVIGATION)).to_have_count(0)
    expect(page.locator("h1")).to_have_count(0)
    expect(page.locator(WIDGETS)).to_have_count(0)
    # legend and attribution kept
    expect(page.locator(".hr-map .hr-legend button")).to_be_visible()
    expect(page.locator(".hr-map .leaflet-control-attribution")).to_be_visible()
    expect(page.get_by_text(ATTRIBUTION, exact=False).first).to_be_visible()


def test_the_same_url_without_embed_is_the_full_page_with_the_same_selection(
    app_url: str, visit: Any
) -> None:
    from playwright.sync_api import expect

    page = visit(f"{app_url}/karte?municipalities=Bochum&lang=en")
    rows = _selected(page)
    assert rows["selected"] and set(rows["selected"]) == {"Bochum"}
    expect(page.get_by_role("heading", name=t("title", "en"), exact=True)).to_be_visible()
    expect(page.locator('[data-testid="stSidebar"]')).to_have_count(1)


def test_embedded_map_at_phone_width(app_url: str, visit: Any) -> None:
    page = visit(f"{app_url}/karte?embed=true&municipalities={BOCHUM}", width=360, height=640)
    rows = _selected(page)
    assert set(rows["selected"]) == {"Bochum"}
    box = page.locator(".hr-map").bounding_box()
    assert box is not None and box["width"] <= 360 and box["height"] >= 300
    assert box["y"] < 24, "the map starts at the top of the frame"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize(
    "query",
    [
        "municipalities=%3Cscript%3Ealert(1)%3C/script%3E&layers=%00&years=abc&lang=xx",
        "municipalities=[x](https://evil.example)&counties=999&detail=../../etc/passwd",
        "measure=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E&statuses=rejected&embed_options=x",
    ],
)
def test_hostile_url_values_are_ignored_with_a_plain_message(
    app_url: str, visit: Any, query: str
) -> None:
    from playwright.sync_api import expect

    page = visit(f"{app_url}/karte?embed=true&{query}")
    rows = _selected(page)
    assert rows["shown"] == len(rows["all"]) > 0, "nothing valid selected: the whole region"
    expect(page.get_by_text(t("place_embed_url_ignored", "de"))).to_be_visible()
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.locator('a[href^="https://evil"]')).to_have_count(0)
    expect(page.locator(NAVIGATION)).to_have_count(0)


def test_an_iframe_on_another_site_shows_the_map(app_url: str, visit: Any, tmp_path: Path) -> None:
    """The documented snippet on a page of another origin, as a municipality's site has it.

    (The host page is served from loopback too: Chromium blocks a public page from
    framing a private address, which the app is here.)
    """
    from playwright.sync_api import expect

    from heimatruhr_geo.viewstate import View, embed_url, iframe_snippet

    url = embed_url(app_url, View(municipalities=(BOCHUM,)))
    html = (
        f"<!doctype html><title>Stadt Bochum</title><h1>Kultur</h1>{iframe_snippet(url, 'Karte')}"
    )
    (tmp_path / "index.html").write_text(html, encoding="utf-8")
    with serving_files(tmp_path) as base:
        host = visit(f"{base}/index.html")
        frame = host.frame_locator("iframe")
        expect(frame.locator('.hr-map[data-state="ready"]')).to_have_count(1)
        expect(frame.locator(".hr-map .hr-marker, .hr-map .hr-cluster").first).to_be_attached()
        expect(frame.locator(NAVIGATION)).to_have_count(0)
        expect(frame.locator(WIDGETS)).to_have_count(0)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_embedded_map_has_no_axe_violations(app_url: str, visit: Any, lang: str) -> None:
    page = visit(f"{app_url}/karte?embed=true&municipalities={BOCHUM}&lang={lang}")
    wait_ready(page)
    page.locator(".hr-map .hr-legend button").click()  # the legend with the location shapes
    found = violations(page)
    assert not found, describe(found, "/karte?embed=true")
