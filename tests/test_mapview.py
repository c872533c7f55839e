from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest

from heimatruhr_geo import maplayers
from heimatruhr_geo.assets import ASSETS, DROPPED, referenced_urls
from heimatruhr_geo.boundaries import ATTRIBUTION, RUHR_AGS
from heimatruhr_geo.config import Settings
from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.i18n import LABELS, LANGUAGES, normalize_language, t
from heimatruhr_geo.maplayers import script_json
from heimatruhr_geo.mapview import (
    MAX_ZOOM,
    Choropleth,
    base_map,
    build_map,
    load_drawing_municipalities,
)
from heimatruhr_geo.store import Store

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


# --- build_map: data layers, legend, choropleth -------------------------------------------

LOCAL = Settings(tile_url="/app/static/blank-tile.png", tile_attribution="Local tiles")
CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
TRICKY = 'Quote " and </script><img src=x onerror=alert(2)> {{ 7*7 }}'


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[gpd.GeoDataFrame, ...]]:
    """Public-form spaces and vacant frames of 400 demo records, as the store returns them."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('db')}/map.sqlite")
    store.add_many(demo_records(400, seed=3))
    try:
        yield store.query("spaces"), store.query("vacant")
    finally:
        store.close()


def _layers(m: folium.Map, cls: type) -> list:
    return [c for c in m._children.values() if isinstance(c, cls)]


def _point_data(m: folium.Map) -> dict[str, dict]:
    return {layer.key: json.loads(layer.data_json) for layer in _layers(m, maplayers.PointLayer)}


def _value(column: dict, i: int) -> str:
    if "s" in column:
        return column["t"][CODE_CHARS.index(column["s"][i])]
    return column["t"][column["c"][i]] if "c" in column else column["v"][i]


def _legend(m: folium.Map) -> maplayers.Legend:
    (legend,) = _layers(m, maplayers.Legend)
    return legend


def _choropleth(drawing: gpd.GeoDataFrame) -> Choropleth:
    keys = sorted(drawing["ags"])
    values: dict[str, float | None] = {a: float(i) for i, a in enumerate(keys)}
    values[keys[0]] = None
    values[keys[1]] = math.nan
    del values[keys[2]]
    return Choropleth(values, title="Antworten je 10.000", suppressed_label="Zu wenige")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_build_map_has_named_switchable_layers(
    drawing: gpd.GeoDataFrame, frames: tuple, lang: str
) -> None:
    spaces, vacant = frames
    m = build_map(
        drawing, LOCAL, lang=lang, spaces=spaces, vacant=vacant, choropleth=_choropleth(drawing)
    )
    names = {layer.key: layer.layer_name for layer in _layers(m, maplayers.PointLayer)}
    assert names == {spec.key: t(spec.label_key, lang) for spec in maplayers.POINT_LAYERS}
    assert [c.layer_name for c in _layers(m, maplayers.ChoroplethLayer)] == ["Antworten je 10.000"]
    assert len(_layers(m, folium.LayerControl)) == 1
    html = m.get_root().render()
    for name in names.values():
        assert json.dumps(name) in html  # listed in the layer control
    assert "L.control.layers" in html


def test_records_go_to_their_status_layer(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, vacant = frames
    data = _point_data(build_map(drawing, LOCAL, spaces=spaces, vacant=vacant))
    groups = {
        "spaces_proposed": spaces["status"].isin(["proposed", "under_review"]),
        "spaces_funded": spaces["status"] == "funded",
        "spaces_realized": spaces["status"] == "realized",
    }
    for key, mask in groups.items():
        assert sorted(data[key]["id"]) == sorted(spaces.loc[mask, "id"]), key
        assert mask.sum() > 0
    available = vacant["status"].isin(["vacant", "temporary_use"]) & vacant["rent_band"].isin(
        ["free", "below_market"]
    )
    assert sorted(data["vacant_available"]["id"]) == sorted(vacant.loc[available, "id"])
    assert sorted(data["vacant_other"]["id"]) == sorted(vacant.loc[~available, "id"])
    assert 0 < available.sum() < len(vacant)


def test_popup_data_carries_translated_fields(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, _ = frames
    row = spaces[spaces["status"] == "funded"].iloc[0]
    data = _point_data(build_map(drawing, LOCAL, lang="en", spaces=spaces))["spaces_funded"]
    i = data["id"].index(row["id"])
    fields = {f["label"]: _value(f, i) for f in data["fields"]}
    assert fields[t("map_status", "en")] == "Funded"
    assert fields[t("map_municipality", "en")] == row["municipality"]
    assert str(int(row["funding_year"])) in fields[t("map_funding", "en")]
    assert _value(data["title"], i) == row["title"]
    assert data["lat"][i] / 1e5 == pytest.approx(row["lat"], abs=6e-6)
    assert data["lon"][i] / 1e5 == pytest.approx(row["lon"], abs=6e-6)


def test_demo_records_are_flagged(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, _ = frames
    mixed = spaces.copy()
    mixed.loc[mixed.index[0], "source"] = "form"
    data = _point_data(build_map(drawing, LOCAL, spaces=mixed))
    flags = {
        record_id: flag
        for d in data.values()
        for record_id, flag in zip(d["id"], d["demo"], strict=True)
    }
    assert flags[mixed["id"].iloc[0]] == "0"
    assert sum(int(flag) for flag in flags.values()) == len(mixed) - 1
    assert (
        json.dumps(t("map_demo", "de"))
        in build_map(drawing, LOCAL, spaces=mixed).get_root().render()
    )


def test_user_text_appears_only_escaped(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, vacant = frames
    spaces = spaces.copy()
    spaces.loc[spaces.index[0], "title"] = EVIL
    spaces.loc[spaces.index[1], "title"] = TRICKY
    spaces.loc[spaces.index[1], "funding_program"] = "</script>"
    spaces.loc[spaces.index[2], "website"] = "javascript:alert(3)"
    html = build_map(drawing, LOCAL, spaces=spaces, vacant=vacant).get_root().render()
    assert EVIL not in html
    assert "</script><img" not in html
    assert "onerror=alert(2)>" not in html
    assert html.count("</script>") == html.count("<script")  # no user text ends a script
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    assert "{{ 7*7 }}" in html  # not evaluated as a template
    assert 'href="javascript' not in html
    data = _point_data(build_map(drawing, LOCAL, spaces=spaces))
    titles = {_value(d["title"], i) for d in data.values() for i in range(len(d["id"]))}
    assert {EVIL, TRICKY} <= titles


def test_legend_lists_colours_classes_and_suppressed(
    drawing: gpd.GeoDataFrame, frames: tuple
) -> None:
    spaces, vacant = frames
    choropleth = _choropleth(drawing)
    m = build_map(drawing, LOCAL, spaces=spaces, vacant=vacant, choropleth=choropleth)
    legend = _legend(m)
    sections = {s["title"]: s["entries"] for s in legend.sections}
    colours = {e["color"] for entries in sections.values() for e in entries}
    assert {spec.color for spec in maplayers.POINT_LAYERS} <= colours
    classes = sections["Antworten je 10.000"]
    assert len(classes) == len(maplayers.CHOROPLETH_COLORS) + 1
    assert classes[-1] == {"color": maplayers.SUPPRESSED_COLOR, "label": "Zu wenige"}
    assert [e["color"] for e in classes[:-1]] == list(maplayers.CHOROPLETH_COLORS)
    html = m.get_root().render()
    assert legend.data_json in html
    assert all(e["color"] in html for entries in sections.values() for e in entries)


def test_choropleth_classes_and_grey_municipalities(drawing: gpd.GeoDataFrame) -> None:
    choropleth = _choropleth(drawing)
    m = build_map(drawing, LOCAL, lang="en", choropleth=choropleth)
    (layer,) = _layers(m, maplayers.ChoroplethLayer)
    data = json.loads(layer.data_json)
    keys = sorted(drawing["ags"])
    assert set(data["areas"]) == set(keys)
    for missing in keys[:3]:  # None, NaN and a key without value
        assert data["areas"][missing][:2] == [-1, "Zu wenige"]
    shown = [data["areas"][a] for a in keys[3:]]
    assert [c for c, _, _ in shown] == sorted(c for c, _, _ in shown)  # classes follow values
    assert shown[0][0] == 0 and shown[-1][0] == len(data["colors"]) - 1
    assert shown[-1][1] == f"{len(keys) - 1:,.1f}"


def test_choropleth_numbers_in_german(drawing: gpd.GeoDataFrame) -> None:
    keys = sorted(drawing["ags"])
    choropleth = Choropleth({keys[0]: 1234.5}, "Wert", "keine", value_format="{:,.1f}")
    data = json.loads(
        _layers(build_map(drawing, LOCAL, choropleth=choropleth), maplayers.ChoroplethLayer)[
            0
        ].data_json
    )
    assert data["areas"][keys[0]][1] == "1.234,5"


def test_quantile_classes() -> None:
    classes = maplayers.choropleth_classes([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    assert len(classes) == 5
    assert classes[0].low == 1.0 and classes[-1].high == 10.0
    assert all(a.high == b.low for a, b in itertools.pairwise(classes))
    assert [maplayers.class_index(v, classes) for v in (1.0, 10.0)] == [0, 4]
    single = maplayers.choropleth_classes([3.0, 3.0])
    assert [(c.low, c.high) for c in single] == [(3.0, 3.0)]
    assert maplayers.choropleth_classes([]) == []


def test_attribution_on_the_full_map(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, vacant = frames
    html = build_map(drawing, LOCAL, spaces=spaces, vacant=vacant).get_root().render()
    assert "Local tiles" in html
    assert ATTRIBUTION in json.loads(re.search(r'"attribution": ("[^"]*")', html).group(1))


def test_full_map_loads_nothing_from_a_cdn(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, vacant = frames
    m = build_map(drawing, LOCAL, spaces=spaces, vacant=vacant, choropleth=_choropleth(drawing))
    urls = referenced_urls(m)
    assert urls and all(url.startswith(f"{LOCAL.asset_url}/") for url in urls), urls
    html = m.get_root().render()
    assert re.findall(r"https?://", html) == []


def test_empty_frames_give_a_map(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, vacant = frames
    empty = Choropleth({}, "Leer", "keine Daten")
    m = build_map(
        drawing, LOCAL, spaces=spaces.iloc[0:0], vacant=vacant.iloc[0:0], choropleth=empty
    )
    assert all(len(d["id"]) == 0 for d in _point_data(m).values())
    assert len(_point_data(m)) == len(maplayers.POINT_LAYERS)
    sections = {s["title"]: s["entries"] for s in _legend(m).sections}
    assert sections["Leer"] == [{"color": maplayers.SUPPRESSED_COLOR, "label": "keine Daten"}]
    assert "heimatruhr.pointLayer" in m.get_root().render()
    bare = build_map(drawing, LOCAL)
    assert _layers(bare, maplayers.PointLayer) == [] and _layers(bare, maplayers.Legend) == []
    bare.get_root().render()


def test_hidden_statuses_and_missing_coordinates_are_not_drawn(
    drawing: gpd.GeoDataFrame, frames: tuple
) -> None:
    spaces, _ = frames
    odd = spaces.copy()
    odd.loc[odd.index[0], "status"] = "rejected"
    odd.loc[odd.index[1], "lat"] = math.nan
    ids = [i for d in _point_data(build_map(drawing, LOCAL, spaces=odd)).values() for i in d["id"]]
    assert sorted(ids) == sorted(odd["id"].iloc[2:])


def test_show_switches_layers_on(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, vacant = frames
    m = build_map(
        drawing,
        LOCAL,
        spaces=spaces,
        vacant=vacant,
        choropleth=_choropleth(drawing),
        show=("vacant", "spaces_funded"),
    )
    shown = {layer.key for layer in _layers(m, maplayers.PointLayer) if layer.show}
    assert shown == {"vacant_available", "vacant_other", "spaces_funded"}
    assert [c.show for c in _layers(m, maplayers.ChoroplethLayer)] == [False]
    with pytest.raises(InputError, match="'nope'"):
        build_map(drawing, LOCAL, show=("nope",))


def test_focus_opens_the_map_there(drawing: gpd.GeoDataFrame) -> None:
    m = build_map(drawing, LOCAL, focus=(51.48, 7.22, 15))
    assert m.location == [51.48, 7.22]
    assert m.options["zoom"] == 15
    assert _layers(m, folium.FitBounds) == []
    (marker,) = _layers(m, folium.Marker)
    assert marker.location == [51.48, 7.22]
    assert _layers(build_map(drawing, LOCAL), folium.FitBounds)
    with pytest.raises(InputError, match="focus"):
        build_map(drawing, LOCAL, focus=(95.0, 7.2, 12))


def test_build_map_does_not_change_its_inputs(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, vacant = frames
    before = spaces.copy(), vacant.copy(), drawing.copy()
    build_map(drawing, LOCAL, spaces=spaces, vacant=vacant, choropleth=_choropleth(drawing))
    pd.testing.assert_frame_equal(spaces, before[0])
    pd.testing.assert_frame_equal(vacant, before[1])
    assert drawing.equals(before[2])


def test_plain_dataframes_work_too(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    spaces, _ = frames
    plain = pd.DataFrame(spaces.drop(columns="geometry"))
    data = _point_data(build_map(drawing, LOCAL, spaces=plain))
    assert sum(len(d["id"]) for d in data.values()) == len(spaces)


def test_layers_survive_streamlit_folium(drawing: gpd.GeoDataFrame, frames: tuple) -> None:
    """st_folium takes each element's script macro, not the page: the data must be in it."""
    from streamlit_folium import _get_header, generate_leaflet_string

    spaces, vacant = frames
    spaces = spaces.copy()
    spaces.loc[spaces.index[0], "title"] = TRICKY
    m = build_map(drawing, LOCAL, spaces=spaces, vacant=vacant, choropleth=_choropleth(drawing))
    m.get_root().render()
    m.render()
    script = generate_leaflet_string(m)
    assert script.count("heimatruhr.pointLayer(") == len(maplayers.POINT_LAYERS)
    assert "heimatruhr.legend(" in script and "heimatruhr.pointLayer = function" in script
    assert script_json(TRICKY)[1:-1] in script
    (borders,) = re.findall(r"var (geo_json_\w+) = L\.geoJson", script)
    assert f"heimatruhr.choropleth({borders}, " in script
    assert ".hr-legend" in _get_header(m)


def test_map_fits_the_chosen_municipalities(drawing: gpd.GeoDataFrame, settings: Settings) -> None:
    region = build_map(drawing, settings)
    bochum = build_map(drawing, settings, fit_to=("05911000", "not-a-key"))
    unknown = build_map(drawing, settings, fit_to=("not-a-key",))

    def fitted(m: folium.Map) -> list[list[float]]:
        fits = [c for c in m._children.values() if isinstance(c, folium.FitBounds)]
        return fits[0].bounds

    west, south, east, north = drawing[drawing["ags"] == "05911000"].total_bounds
    (s, w), (n, e) = fitted(bochum)
    assert [s, w, n, e] == pytest.approx([south, west, north, east])
    assert fitted(unknown) == fitted(region)
    assert fitted(region) != fitted(bochum)


def test_municipalities_outside_the_selection_are_not_coloured(drawing: gpd.GeoDataFrame) -> None:
    keys = sorted(drawing["ags"])
    values = {a: float(i) for i, a in enumerate(keys)}
    inside = set(keys[:3])
    choropleth = Choropleth(
        values, "Wert", "keine", outside=frozenset(keys) - inside, outside_label="Nicht gewählt"
    )
    m = build_map(drawing, LOCAL, choropleth=choropleth)
    data = json.loads(_layers(m, maplayers.ChoroplethLayer)[0].data_json)
    for ags in keys[3:]:
        assert data["areas"][ags][:2] == [maplayers.OUTSIDE_CLASS, "Nicht gewählt"]
    # the classes span the selected values only: 0 .. 2, not 0 .. 52
    assert {data["areas"][a][1] for a in inside} == {"0,0", "1,0", "2,0"}
    assert data["areas"][keys[2]][0] == len(data["colors"]) - 1
    (legend,) = _layers(m, maplayers.Legend)
    labels = [e["label"] for s in json.loads(legend.data_json)["sections"] for e in s["entries"]]
    assert labels[-1] == "Nicht gewählt"
    with pytest.raises(InputError, match="outside_label"):
        build_map(drawing, LOCAL, choropleth=Choropleth(values, "Wert", "k", outside=inside))
