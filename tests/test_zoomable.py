"""Map documents let visitors zoom: folium's locked viewport is replaced, the rest kept."""

from __future__ import annotations

import folium

from heimatruhr_geo.zoomable import FREE_VIEWPORT, allow_page_zoom


def test_the_map_document_allows_zoom_and_still_draws_the_map() -> None:
    m = folium.Map(location=(51.5, 7.2), zoom_start=9, tiles=None)
    folium.Marker((51.5, 7.2), tooltip="x").add_to(m)
    locked = folium.Map(tiles=None).get_root().render()
    assert "user-scalable=no" in locked  # what folium does on its own
    html = allow_page_zoom(m).get_root().render()
    assert "user-scalable=no" not in html and "maximum-scale" not in html
    assert html.count(FREE_VIEWPORT) == 1
    assert f"var {m.get_name()} = L.map(" in html and "L.marker(" in html
    assert allow_page_zoom(m) is m  # twice is harmless
    assert allow_page_zoom(m).get_root().render().count(FREE_VIEWPORT) == 1
