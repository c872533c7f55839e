"""Helpers that drive the map component (``static/map/heimatmap.js``) in a browser test."""

from __future__ import annotations

from typing import Any

READY = '.hr-map[data-state="ready"]'
IDLE = '[data-test-script-state="notRunning"]'


def wait_ready(page: Any, lang: str | None = None) -> Any:
    """Wait until the map has drawn its markers (and the script run is over); return it.

    ``lang``: wait for the map of that language (after a language switch).
    """
    from playwright.sync_api import expect

    if page.locator('[data-testid="stApp"]').count():
        expect(page.locator(IDLE)).to_have_count(1)
    root = page.locator(READY + (f'[data-lang="{lang}"]' if lang else ""))
    expect(root).to_have_count(1)
    expect(page.locator(".hr-map .hr-marker, .hr-map .hr-cluster").first).to_be_attached()
    return root


def serial(page: Any) -> int:
    """Return how many times the map has drawn its markers."""
    return int(page.locator(".hr-map").get_attribute("data-serial") or 0)


def wait_redrawn(page: Any, before: int) -> None:
    """Wait until the map has drawn again after ``before`` draws."""
    page.wait_for_function(
        "(n) => Number(document.querySelector('.hr-map').dataset.serial) > n", arg=before
    )


def drawn_counts(page: Any) -> list[int]:
    """Return the number each drawn marker stands for (1 per point, the count per cluster)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('.hr-map .hr-marker, .hr-map .hr-cluster')]
                .map((n) => n.classList.contains('hr-cluster') ? Number(n.dataset.count) : 1)"""
        )
    )


def set_view(page: Any, lat: float, lon: float, zoom: float) -> None:
    """Move the map without animation and wait for the redraw."""
    before = serial(page)
    page.evaluate(
        "([lat, lon, zoom]) => document.querySelector('.hr-map')._hrMap"
        ".setView([lat, lon], zoom, {animate: false})",
        [lat, lon, zoom],
    )
    wait_redrawn(page, before)


def row_of(page: Any, record_id: str) -> tuple[int, float, float]:
    """Return the row of a record in the loaded points document and its coordinates."""
    page.wait_for_function(
        "(id) => { const v = document.querySelector('.hr-map')._hrView;"
        " return !!(v && v.doc && v.doc.id.includes(id)); }",
        arg=record_id,
    )
    row, lat, lon = page.evaluate(
        """(id) => { const d = document.querySelector('.hr-map')._hrView.doc;
            const i = d.id.indexOf(id); return [i, d.lat[i] / 1e5, d.lon[i] / 1e5]; }""",
        record_id,
    )
    return int(row), float(lat), float(lon)


def open_popup(page: Any, record_id: str) -> Any:
    """Zoom to a record, click its marker with the mouse and return the popup."""
    row, lat, lon = row_of(page, record_id)
    page.evaluate("() => document.querySelector('.hr-map')._hrMap.closePopup()")
    set_view(page, lat, lon, 18)
    page.locator(f'.hr-map .hr-marker[data-row="{row}"]').click()
    popup = page.locator(".hr-map .leaflet-popup-content .hr-popup")
    popup.wait_for()
    return popup


def hover_municipality(page: Any, n: int) -> str:
    """Hover municipality shape ``n`` (markers hidden, so none covers it); return its tooltip."""
    page.evaluate("() => document.querySelector('.hr-map .hr-points').style.display = 'none'")
    page.locator(".hr-map .leaflet-overlay-pane path").nth(n).hover(force=True)
    tooltip = page.locator(".hr-map .leaflet-tooltip")
    tooltip.wait_for()
    text = str(tooltip.inner_text())
    page.mouse.move(0, 0)
    page.evaluate("() => document.querySelector('.hr-map .hr-points').style.display = ''")
    return text
