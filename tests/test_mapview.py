from __future__ import annotations

import json
import re
from pathlib import Path

import folium
import geopandas as gpd
import pytest

from heimatruhr_geo.assets import ASSETS, DROPPED, referenced_urls
from heimatruhr_geo.boundaries import ATTRIBUTION, RUHR_AGS
from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.i18n import LABELS, LANGUAGES, normalize_language, t
from heimatruhr_geo.mapview import MAX_ZOOM, base_map, load_drawing_municipalities

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def drawing() -> gpd.GeoDataFrame:
    return load_drawing_municipalities(Settings())


def _child(m: folium.Map, cls: type) -> folium.Element:
    found = [c for c in m._children.values() if isinstance(c, cls)]
    assert len(found) == 1
    return found[0]


def _features(m: folium.Map) -> list[dict]:
    return _child(m, folium.GeoJson).data["features"]


def test_map_draws_the_53_municipalities(drawing: gpd.GeoDataFrame, settings: Settings) -> None:
    m = base_map(drawing, settings)
    features = _features(m)
    assert sorted(f["properties"]["ags"] for f in features) == sorted(RUHR_AGS)
    names = {f["properties"]["name_html"] for f in features}
    assert "Essen" in names
    assert "Mülheim an der Ruhr" in names


def test_attribution_and_tiles(drawing: gpd.GeoDataFrame, tmp_path: Path) -> None:
    settings = Settings(tile_url="/app/static/blank-tile.png", tile_attribution="Test tiles")
    m = base_map(drawing, settings)
    tiles = _child(m, folium.TileLayer)
    assert tiles.tiles == "/app/static/blank-tile.png"
    assert tiles.options["max_zoom"] == MAX_ZOOM
    assert "Test tiles" in tiles.options["attribution"]
    assert ATTRIBUTION in tiles.options["attribution"]
    html = m.get_root().render()
    assert "GeoBasis-DE / BKG 2016" in html
    assert ATTRIBUTION in json.loads(re.search(r'"attribution": ("[^"]*")', html).group(1))


def test_map_is_fitted_to_the_region(drawing: gpd.GeoDataFrame, settings: Settings) -> None:
    m = base_map(drawing, settings)
    west, south, east, north = drawing.total_bounds
    fit = _child(m, folium.FitBounds)
    assert fit.bounds == [[south, west], [north, east]]


def test_tooltip_text_is_escaped(drawing: gpd.GeoDataFrame, settings: Settings) -> None:
    frame = drawing.copy()
    frame.loc[0, "name"] = EVIL
    frame.loc[0, "county"] = "Kreis A & B"
    m = base_map(frame, settings)
    props = next(
        f["properties"] for f in _features(m) if f["properties"]["ags"] == frame.loc[0, "ags"]
    )
    assert props["name_html"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert props["county_html"] == "Kreis A &amp; B"
    assert EVIL not in json.dumps(_features(m))
    assert EVIL not in m.get_root().render()


def test_input_frame_is_not_changed(drawing: gpd.GeoDataFrame, settings: Settings) -> None:
    before = drawing.copy()
    base_map(drawing, settings, lang="en")
    assert drawing.equals(before)
    assert list(drawing.columns) == list(before.columns)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_tooltip_labels_follow_the_language(
    drawing: gpd.GeoDataFrame, settings: Settings, lang: str
) -> None:
    layer = _child(base_map(drawing, settings, lang=lang), folium.GeoJson)
    tooltip = next(c for c in layer._children.values() if isinstance(c, folium.GeoJsonTooltip))
    assert tooltip.aliases == [t("municipality", lang), t("county", lang)]


def test_base_map_references_only_mapped_assets(drawing: gpd.GeoDataFrame) -> None:
    """Fails when a layer added to the base map loads a file that assets.ASSETS lacks."""
    settings = Settings()  # the project's static/ (needs `npm ci --prefix static`)
    local = {f"{settings.asset_url}/{a.path}" for a in ASSETS}
    cdn = {a.cdn_url for a in ASSETS} | DROPPED.keys()
    urls = referenced_urls(base_map(drawing, settings))
    assert urls
    assert set(urls) <= (local | cdn), set(urls) - local - cdn
    cdn_urls = referenced_urls(base_map(drawing, Settings(asset_mode="cdn")))
    assert set(cdn_urls) <= cdn, set(cdn_urls) - cdn


def test_both_languages_have_the_same_labels() -> None:
    assert set(LABELS) == set(LANGUAGES)
    assert {lang: sorted(labels) for lang, labels in LABELS.items()} == {
        lang: sorted(LABELS["de"]) for lang in LABELS
    }
    assert all(text.strip() for labels in LABELS.values() for text in labels.values())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("de", "de"),
        ("fr", "de"),
        ("", "de"),
        (None, "de"),
        ("en-GB", "en"),
    ],
)
def test_normalize_language(raw: str | None, expected: str) -> None:
    assert normalize_language(raw) == expected


def test_unknown_language_or_key_is_an_input_error() -> None:
    with pytest.raises(InputError, match="'fr'"):
        t("title", "fr")
    with pytest.raises(InputError, match="'nope'"):
        t("nope", "de")
