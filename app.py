"""heimatruhr – the Streamlit app. Start it with ``streamlit run app.py``.

A thin page: it reads the settings and the language, asks the core for the map and shows
it. Everything else lives in the ``heimatruhr_geo`` package.
"""

from __future__ import annotations

import logging

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.config import Settings
from heimatruhr_geo.i18n import LANGUAGES, normalize_language, t
from heimatruhr_geo.mapview import base_map, load_drawing_municipalities

MAP_HEIGHT = 600

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@st.cache_resource
def _settings() -> Settings:
    """Read the settings once per process."""
    return Settings.from_env()


@st.cache_resource
def _municipalities(data_dir: str, _settings: Settings) -> gpd.GeoDataFrame:
    """Load the municipalities for drawing once per data folder (shared: do not change)."""
    return load_drawing_municipalities(_settings)


def _language() -> str:
    """Return the page language: widget state, else ``?lang=``, else German."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = normalize_language(st.query_params.get("lang"))
    lang = normalize_language(st.session_state["lang"])
    st.query_params["lang"] = lang
    return lang


def _map(settings: Settings, lang: str) -> folium.Map:
    """Build this run's map (folium maps are changed by rendering, so not shared)."""
    return base_map(_municipalities(str(settings.data_dir), settings), settings, lang)


def main() -> None:
    """Draw the page."""
    settings = _settings()
    lang = _language()
    st.set_page_config(page_title=t("title", lang), page_icon="🗺️", layout="wide")
    head, switch = st.columns([4, 1], vertical_alignment="bottom")
    head.title(t("title", lang))
    switch.radio(
        t("language", lang),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key="lang",
        horizontal=True,
    )
    st.write(t("intro", lang))
    st_folium(
        _map(settings, lang),
        returned_objects=[],
        use_container_width=True,
        height=MAP_HEIGHT,
    )
    st.caption(f"{t('boundaries_source', lang)}: {ATTRIBUTION}")


main()
