"""Build the folium maps of the app; no Streamlit here.

:func:`build_map` draws the whole map: tiles, the 53 municipalities, the switchable data
layers (creative spaces by status, vacant buildings, a choropleth per municipality), a
legend, full-screen and locate controls, with every asset served by the app itself.
:func:`base_map` draws only tiles and borders. The layers themselves live in
:mod:`heimatruhr_geo.maplayers`.
"""

from __future__ import annotations

import functools
import html
import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heimatruhr_geo import maplayers
from heimatruhr_geo.assets import localize_assets
from heimatruhr_geo.boundaries import ATTRIBUTION, DRAWING_FILE, load_municipalities
from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.i18n import t

MAX_ZOOM = 18
MIN_ZOOM = 7
BORDER_STYLE = {"color": "#1b4f72", "weight": 1.5, "fillColor": "#5dade2", "fillOpacity": 0.15}
HIGHLIGHT_STYLE = {"weight": 3, "fillOpacity": 0.35}
_TOOLTIP_FIELDS = ["name_html", "county_html"]
COORD_DECIMALS = 5  # about 1 m: enough for drawing, a smaller page
FIT_PADDING_PX = (24, 24)  # keeps the borders clear of the zoom and attribution controls


def load_drawing_municipalities(settings: Settings) -> gpd.GeoDataFrame:
    """Return the 53 municipalities simplified for drawing (shared cached frame: copy first).

    Parameters
    ----------
    settings
        ``data_dir`` holds ``ruhr_municipalities_simplified.geojson``.

    Returns
    -------
    geopandas.GeoDataFrame
        Validated like :func:`heimatruhr_geo.boundaries.load_municipalities`, EPSG:4326.
    """
    return load_municipalities(settings.data_dir / DRAWING_FILE)


def map_attribution(settings: Settings) -> str:
    """Return the attribution HTML: the tile source's and the BKG boundaries'."""
    return f"{settings.tile_attribution} | {html.escape(ATTRIBUTION)}"


def base_map(municipalities: gpd.GeoDataFrame, settings: Settings, lang: str = "de") -> folium.Map:
    """Build the base map: tiles and the municipality borders, fitted to the region.

    Parameters
    ----------
    municipalities
        The municipalities to draw (columns ``ags``, ``name``, ``county``, ``geometry``),
        usually :func:`load_drawing_municipalities`; not changed.
    settings
        Tile source and map assets (``asset_mode``, ``static_dir``, ``asset_url``).
    lang
        Language of the tooltip labels.

    Returns
    -------
    folium.Map
        With assets already pointed at the app's copies (unless ``asset_mode`` is
        ``"cdn"`` or the copies are missing). Call
        :func:`heimatruhr_geo.assets.localize_assets` again after adding plugins.
    """
    m, _borders = _base(municipalities, settings, lang, focus=None)
    localize_assets(m, settings)
    return m


@dataclass(frozen=True)
class Choropleth:
    """Values per municipality for the choropleth layer.

    Attributes
    ----------
    values
        Value by AGS; ``None`` (or NaN, or a missing key) means suppressed or no data and
        is drawn grey with ``suppressed_label``.
    title
        Legend title and layer name, already translated, plain text.
    suppressed_label
        Legend and tooltip text of grey municipalities, e.g. ``t("too_few_responses", lang)``.
    value_format
        How the legend and the tooltips show numbers (``str.format``); German output swaps
        the thousands and decimal separators.
    outside
        AGS keys outside the user's selection: drawn without fill and labelled
        ``outside_label``, whatever their value; their values do not shape the classes.
    outside_label
        Legend and tooltip text of those municipalities (required when ``outside`` is set).
    """

    values: Mapping[str, float | None]
    title: str
    suppressed_label: str
    value_format: str = "{:,.1f}"
    outside: frozenset[str] = frozenset()
    outside_label: str = ""


LAYER_GROUPS = ("spaces", "vacant", "choropleth")
"""Names accepted by ``build_map(show=...)`` besides the single point layers' keys."""


def build_map(
    municipalities: gpd.GeoDataFrame,
    settings: Settings,
    *,
    lang: str = "de",
    spaces: gpd.GeoDataFrame | None = None,
    vacant: gpd.GeoDataFrame | None = None,
    choropleth: Choropleth | None = None,
    focus: tuple[float, float, int] | None = None,
    show: Collection[str] = LAYER_GROUPS,
    fit_to: Collection[str] = (),
) -> folium.Map:
    """Build the public map: tiles, borders, the data layers, a legend and controls.

    Parameters
    ----------
    municipalities
        Drawing frame of the municipalities (:func:`load_drawing_municipalities`); not changed.
    settings
        Tiles, attribution and asset settings.
    lang
        ``"de"`` or ``"en"``: layer names, legend, popups.
    spaces, vacant
        Public-form records as :meth:`heimatruhr_geo.store.Store.query` returns them (plain
        DataFrames with ``lat``/``lon`` work too); ``None`` leaves the layers out. Spaces
        are drawn in three layers (proposed or under review, funded, realized); vacant
        buildings in two (available for creative use, other).
    choropleth
        Values per municipality; ``None`` leaves the layer out.
    focus
        ``(lat, lon, zoom)``: open the map there with a marker (e.g. a search result)
        instead of fitting the whole region.
    show
        Layers switched on when the map opens: ``"spaces"``, ``"vacant"``,
        ``"choropleth"`` or single point-layer keys (``"spaces_funded"`` …). All layers
        are in the layer control either way.
    fit_to
        AGS keys: without ``focus`` the map opens fitted to these municipalities (e.g. a
        planner's selection) instead of the whole region; unknown keys are ignored.

    Returns
    -------
    folium.Map
        Complete, with assets localized (see :func:`heimatruhr_geo.assets.localize_assets`).

    Raises
    ------
    InputError
        For an unknown name in ``show`` or a ``focus`` outside valid coordinates.
    """
    visible = _check_show(show)
    m, borders = _base(municipalities, settings, lang, _check_focus(focus), fit_to)
    maplayers.LayerScript(_popup_labels(lang)).add_to(m)
    sections: list[dict[str, object]] = []
    if choropleth is not None:
        sections.append(_add_choropleth(m, borders, municipalities, choropleth, lang, visible))
    for layer, frame, specs in (
        ("spaces", spaces, maplayers.SPACE_LAYERS),
        ("vacant", vacant, maplayers.VACANT_LAYERS),
    ):
        if frame is None:
            continue
        table = maplayers.PointTable.from_frame(_slim(frame), layer, lang)
        for spec in specs:
            data = table.layer_data(spec.key)
            on = spec.group in visible or spec.key in visible
            maplayers.PointLayer(spec, data, name=t(spec.label_key, lang), show=on).add_to(m)
        sections.append(_point_section(layer, specs, lang))
    if focus is not None:
        folium.Marker(focus[:2], tooltip=html.escape(t("map_search_result", lang))).add_to(m)
    if sections:
        maplayers.Legend(t("map_legend", lang), sections).add_to(m)
    _controls(m, lang)
    localize_assets(m, settings)
    return m


_POINT_COLUMNS = (
    "id", "lat", "lon", "title", "source", "website", "municipality", "street", "postcode",
    "city", "status", "project_type", "funding_amount_eur", "funding_year", "funding_program",
    "building_type", "rent_band", "floor_area_m2", "available_from",
)  # fmt: skip


def _slim(frame: pd.DataFrame) -> pd.DataFrame:
    """Return only the columns the point layers draw, as a plain DataFrame.

    Splitting a wide GeoDataFrame into layers costs more than the layers themselves.
    """
    columns = [c for c in _POINT_COLUMNS if c in frame.columns]
    if not {"lat", "lon"} <= set(columns) and "geometry" in frame.columns:
        columns.append("geometry")
    return pd.DataFrame(frame[columns]) if "geometry" not in columns else frame[columns]


def _check_show(show: Collection[str]) -> set[str]:
    allowed = set(LAYER_GROUPS) | {spec.key for spec in maplayers.POINT_LAYERS}
    if isinstance(show, str) or not set(show) <= allowed:
        raise InputError(f"show={show!r} is not allowed; use names from {sorted(allowed)}")
    return set(show)


def _check_focus(focus: tuple[float, float, int] | None) -> tuple[float, float, int] | None:
    if focus is None:
        return None
    lat, lon, zoom = focus
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and MIN_ZOOM <= zoom <= MAX_ZOOM):
        raise InputError(
            f"focus={focus!r} is not allowed; use (lat -90..90, lon -180..180, "
            f"zoom {MIN_ZOOM}..{MAX_ZOOM})"
        )
    return float(lat), float(lon), int(zoom)


def _popup_labels(lang: str) -> dict[str, str]:
    return {
        "demo": t("map_demo", lang),
        "details": t("map_show_details", lang),
        "website": t("map_website", lang),
    }


def _point_section(
    layer: str, specs: tuple[maplayers.PointLayerSpec, ...], lang: str
) -> dict[str, object]:
    """Legend section of a point layer: one entry per status group."""
    prefix = t(f"map_legend_{layer}", lang)
    entries = []
    for spec in specs:
        name = t(spec.label_key, lang)
        short = name.split(": ", 1)[1] if name.startswith(f"{prefix}: ") else name
        short = short[:1].upper() + short[1:]
        entries.append({"color": spec.color, "label": short, "key": spec.key})
    return {"title": prefix, "kind": "dot", "entries": entries}


def _add_choropleth(
    m: folium.Map,
    borders: folium.GeoJson,
    municipalities: gpd.GeoDataFrame,
    choropleth: Choropleth,
    lang: str,
    visible: set[str],
) -> dict[str, object]:
    """Add the choropleth layer; return its legend section."""
    outside = {str(k) for k in choropleth.outside}
    if outside and not choropleth.outside_label:
        raise InputError("Choropleth.outside_label is required when outside is set")
    values = {str(k): _finite(v) for k, v in choropleth.values.items() if str(k) not in outside}
    classes = maplayers.choropleth_classes([v for v in values.values() if v is not None])

    def fmt(value: float) -> str:
        return maplayers.format_number(value, choropleth.value_format, lang)

    areas = {}
    for ags, name in zip(municipalities["ags"].astype(str), municipalities["name"], strict=True):
        value = values.get(ags)
        if ags in outside:
            areas[ags] = [maplayers.OUTSIDE_CLASS, choropleth.outside_label, str(name)]
        elif value is None:
            areas[ags] = [maplayers.SUPPRESSED_CLASS, choropleth.suppressed_label, str(name)]
        else:
            areas[ags] = [maplayers.class_index(value, classes), fmt(value), str(name)]
    data = {
        "title": choropleth.title,
        "suppressed": choropleth.suppressed_label,
        "colors": [c.color for c in classes],
        "none": maplayers.SUPPRESSED_COLOR,
        "areas": areas,
    }
    on = "choropleth" in visible
    maplayers.ChoroplethLayer(borders, data, name=choropleth.title, show=on).add_to(m)
    entries = [{"color": c.color, "label": f"{fmt(c.low)} – {fmt(c.high)}"} for c in classes] + [
        {"color": maplayers.SUPPRESSED_COLOR, "label": choropleth.suppressed_label}
    ]
    if outside:
        entries.append({"color": "transparent", "label": choropleth.outside_label})
    return {"title": choropleth.title, "kind": "box", "entries": entries}


def _finite(value: object) -> float | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def _controls(m: folium.Map, lang: str) -> None:
    """Add the layer control, full screen and "near me" (all self-hosted)."""
    folium.LayerControl(collapsed=True).add_to(m)
    folium.plugins.Fullscreen(
        title=t("map_fullscreen", lang), title_cancel=t("map_fullscreen_exit", lang)
    ).add_to(m)
    folium.plugins.LocateControl(
        strings={"title": t("map_locate", lang)}, flyTo=True, keepCurrentZoomLevel=False
    ).add_to(m)


def _base(
    municipalities: gpd.GeoDataFrame,
    settings: Settings,
    lang: str,
    focus: tuple[float, float, int] | None,
    fit_to: Collection[str] = (),
) -> tuple[folium.Map, folium.GeoJson]:
    """Return the map with tiles and borders (not localized) and the border layer.

    Without ``focus`` the view fits the municipalities named in ``fit_to`` (AGS), or the
    whole region when none of them is drawn.
    """
    shapes = municipalities.to_crs("EPSG:4326")
    west, south, east, north = shapes.total_bounds
    center = [(south + north) / 2, (west + east) / 2] if focus is None else list(focus[:2])
    m = folium.Map(
        location=center,
        zoom_start=9 if focus is None else focus[2],
        tiles=None,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        control_scale=True,
        zoom_snap=0.25,
        zoom_delta=0.5,
    )
    folium.TileLayer(
        tiles=settings.tile_url,
        attr=map_attribution(settings),
        max_zoom=MAX_ZOOM,
        name="base",
        control=False,
    ).add_to(m)
    borders = _borders_layer(shapes, lang).add_to(m)
    if focus is None:
        chosen = shapes[shapes["ags"].astype(str).isin(list(fit_to))]
        if len(chosen):
            west, south, east, north = chosen.total_bounds
        fit = folium.FitBounds([[south, west], [north, east]], padding=FIT_PADDING_PX)
        fit.options["animate"] = False  # no zoom animation while the clusters load
        m.add_child(fit)
    return m, borders


class _BoundedGeoJson(folium.GeoJson, maplayers.RawMacroElement):  # type: ignore[misc]
    """The border layer: knows its bounds and skips branca's second template pass.

    folium would walk every coordinate in Python for the bounds, which streamlit-folium
    asks for on every script run, and would parse the rendered GeoJSON once more as a
    Jinja template (see :class:`~heimatruhr_geo.maplayers.RawMacroElement`).
    """

    def __init__(self, data: Any, *, bounds: Sequence[float], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        west, south, east, north = (float(v) for v in bounds)
        self._bounds = [[south, west], [north, east]]

    def _get_self_bounds(self) -> list[list[float]]:
        return self._bounds


def _borders_layer(shapes: gpd.GeoDataFrame, lang: str) -> folium.GeoJson:
    """Return the municipality borders with an escaped name/county tooltip."""
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {
                    "ags": str(ags),
                    "name_html": html.escape(str(name)),
                    "county_html": html.escape(str(county)),
                },
                "geometry": geometry,
            }
            for ags, name, county, geometry in zip(
                shapes["ags"],
                shapes["name"],
                shapes["county"],
                rounded_geojson(shapes),
                strict=True,
            )
        ],
    }
    tooltip = folium.GeoJsonTooltip(
        fields=_TOOLTIP_FIELDS,
        aliases=[html.escape(t("municipality", lang)), html.escape(t("county", lang))],
        sticky=True,
    )
    return _BoundedGeoJson(
        data,
        bounds=shapes.total_bounds,
        name=t("boundaries_source", lang),
        style_function=lambda _feature: BORDER_STYLE,
        highlight_function=lambda _feature: HIGHLIGHT_STYLE,
        tooltip=tooltip,
    )


def rounded_geojson(shapes: gpd.GeoDataFrame) -> list[dict[str, object]]:
    """Return the shapes as GeoJSON geometries rounded to about 1 m (cached by content)."""
    return list(_geojson_cached(tuple(shapely.to_wkb(shapes.geometry.to_numpy()).tolist())))


@functools.lru_cache(maxsize=4)
def _geojson_cached(wkb: tuple[bytes, ...]) -> tuple[dict[str, object], ...]:
    geometries = shapely.transform(
        shapely.from_wkb(list(wkb)), lambda xy: np.round(xy, COORD_DECIMALS)
    )
    return tuple(json.loads(text) for text in shapely.to_geojson(geometries))
