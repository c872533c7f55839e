"""Build the folium maps of the app; no Streamlit here.

:func:`base_map` draws the tile layer and the 53 municipalities; later layers
(places, clustering, legend, choropleth) are added to the map it returns, and
:func:`heimatruhr_geo.assets.localize_assets` runs once the map is complete.
"""

from __future__ import annotations

import html

import folium
import geopandas as gpd

from heimatruhr_geo.assets import localize_assets
from heimatruhr_geo.boundaries import ATTRIBUTION, DRAWING_FILE, load_municipalities
from heimatruhr_geo.config import Settings
from heimatruhr_geo.i18n import t

MAX_ZOOM = 18
MIN_ZOOM = 7
BORDER_STYLE = {"color": "#1b4f72", "weight": 1.5, "fillColor": "#5dade2", "fillOpacity": 0.15}
HIGHLIGHT_STYLE = {"weight": 3, "fillOpacity": 0.35}
_TOOLTIP_FIELDS = ["name_html", "county_html"]
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
    shapes = municipalities.to_crs("EPSG:4326")
    west, south, east, north = shapes.total_bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=9,
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
    _borders_layer(shapes, lang).add_to(m)
    m.fit_bounds([[south, west], [north, east]], padding=FIT_PADDING_PX)
    localize_assets(m, settings)
    return m


def _borders_layer(shapes: gpd.GeoDataFrame, lang: str) -> folium.GeoJson:
    """Return the municipality borders with an escaped name/county tooltip."""
    data = gpd.GeoDataFrame(
        {
            "ags": shapes["ags"].astype(str).to_numpy(),
            "name_html": [html.escape(str(v)) for v in shapes["name"]],
            "county_html": [html.escape(str(v)) for v in shapes["county"]],
        },
        geometry=shapes.geometry.to_numpy(),
        crs=shapes.crs,
    )
    tooltip = folium.GeoJsonTooltip(
        fields=_TOOLTIP_FIELDS,
        aliases=[html.escape(t("municipality", lang)), html.escape(t("county", lang))],
        sticky=True,
    )
    return folium.GeoJson(
        data,
        name=t("boundaries_source", lang),
        style_function=lambda _feature: BORDER_STYLE,
        highlight_function=lambda _feature: HIGHLIGHT_STYLE,
        tooltip=tooltip,
    )
