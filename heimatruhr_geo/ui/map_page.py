"""The public map: creative spaces, vacant buildings and the survey per municipality."""

from __future__ import annotations

import streamlit as st

from heimatruhr_geo.i18n import t
from heimatruhr_geo.ui import resources
from heimatruhr_geo.ui.common import (
    demo_notice,
    geocode_search,
    geocoder_notice,
    measure_choropleth,
    plain,
    selection_figures,
    show_map,
)
from heimatruhr_geo.ui.details import show_details
from heimatruhr_geo.viewstate import View

MAP_HEIGHT = "min(70vh, 560px)"
SURVEY_MEASURES = ("survey_per_10k", "survey_identity_share")
MEASURE_KEY = "map_survey_measure"
SEARCH_ZOOM = {"address": 17, "street": 16, "district": 14, "municipality": 12, "exact": 17}


def render() -> None:
    """Draw the public map page."""
    lang = st.session_state.get("lang", "de")
    st.title(t("title", lang))
    st.write(t("intro", lang))
    spaces, vacant = resources.published("spaces"), resources.published("vacant")
    demo_notice(lang, spaces, vacant, survey=True, collapsed=True)
    focus = _search(lang)
    # The measure's radio sits under the map (the map stays on a phone's first screen);
    # its value is read from the session before the widget is drawn.
    measure = st.session_state.get(MEASURE_KEY, SURVEY_MEASURES[0])
    if measure not in SURVEY_MEASURES:
        measure = SURVEY_MEASURES[0]
    table = selection_figures(View())["table"]
    clicked = show_map(
        spaces,
        vacant,
        measure_choropleth(table, measure, lang),
        lang,
        height=MAP_HEIGHT,
        focus=focus,
        all_records=True,
        key="public_map",
        under_map=lambda: st.radio(
            t("survey_measure", lang),
            options=SURVEY_MEASURES,
            format_func=lambda key: t(f"measure_{key}", lang),
            horizontal=True,
            key=MEASURE_KEY,
        ),
    )
    if clicked:
        st.query_params["detail"] = clicked
    if not len(spaces) and not len(vacant):
        st.info(t("no_records", lang))
    show_details(st.query_params.get("detail", ""), lang)


def _search(lang: str) -> tuple[float, float, int] | None:
    """Geocode what the user typed; return where the map should fly to."""
    with st.form("search", border=False):
        query_col, button_col = st.columns([5, 1], vertical_alignment="bottom")
        query = query_col.text_input(
            t("search_label", lang), placeholder=t("search_placeholder", lang), max_chars=200
        )
        submitted = button_col.form_submit_button(t("search_button", lang))
    if submitted:
        st.session_state["search_result"] = (
            geocode_search(query.strip(), lang) if query.strip() else None
        )
    result = st.session_state.get("search_result")
    if result is None:
        return None
    found = bool(result["found"])
    explained = geocoder_notice(
        result.get("service_issue"), lang, found=found, query=str(result["query"])
    )
    if not found:
        if not explained:
            st.warning(t("search_not_found", lang).format(query=plain(result["query"])))
        return None
    st.success(
        t("search_found", lang).format(
            label=plain(result["label"]),
            municipality=plain(result["municipality"]),
            precision=t(f"precision_{result['precision']}", lang),
        )
    )
    return float(result["lat"]), float(result["lon"]), SEARCH_ZOOM.get(result["precision"], 13)
