"""The public map: creative spaces, vacant buildings and the survey per municipality.

Also the embedded map (``?embed=true``): the map of the URL's selection and nothing else.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from heimatruhr_geo.i18n import t
from heimatruhr_geo.ui import embed, resources
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
from heimatruhr_geo.ui.state import FILTER_FIELDS
from heimatruhr_geo.viewstate import View, apply_view, municipality_names

MAP_HEIGHT = "min(70vh, 560px)"
EMBED_HEIGHT = "max(300px, calc(100vh - 4.5rem))"
"""The embedded map fills the ``<iframe>`` but for the attribution line under it."""
SURVEY_MEASURES = ("survey_per_10k", "survey_identity_share")
MEASURE_KEY = "map_survey_measure"
SEARCH_ZOOM = {"address": 17, "street": 16, "district": 14, "municipality": 12, "exact": 17}


def render() -> None:
    """Draw the public map page (only the map when embedded, see :mod:`.embed`).

    The URL's filter parameters (:class:`~heimatruhr_geo.viewstate.View`, e.g.
    ``?municipalities=05911000``) narrow the map; values that are not allowed are ignored.
    """
    lang = st.session_state.get("lang", "de")
    names = municipality_names(resources.settings().data_dir)
    view, problems = View.from_query_params(st.query_params.to_dict(), names)
    if embed.is_embedded():
        _embedded(view, problems, lang)
        return
    st.title(t("title", lang))
    st.write(t("intro", lang))
    spaces, vacant, narrowed = _records(view)
    if narrowed:
        _selection_note(lang)
    demo_notice(lang, spaces, vacant, survey=True, collapsed=True)
    focus = _search(lang)
    # The measure's radio sits under the map (the map stays on a phone's first screen);
    # its value is read from the session before the widget is drawn.
    measure = st.session_state.get(MEASURE_KEY, SURVEY_MEASURES[0])
    if measure not in SURVEY_MEASURES:
        measure = SURVEY_MEASURES[0]
    clicked = _map(
        view,
        (spaces, vacant, narrowed),
        measure,
        lang,
        height=MAP_HEIGHT,
        focus=focus,
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


def _embedded(view: View, problems: list[str], lang: str) -> None:
    """Draw only the map of the URL's selection, its attribution and list (an ``<iframe>``)."""
    embed.page_style()
    if problems:
        # The URL is the embedding site's, typed by hand: say what was ignored, as text.
        st.warning(t("place_embed_url_ignored", lang))
        st.text("\n".join(problems))
    spaces, vacant, narrowed = _records(view)
    measure = view.measure if "measure" in st.query_params else SURVEY_MEASURES[0]
    clicked = _map(view, (spaces, vacant, narrowed), measure, lang, height=EMBED_HEIGHT)
    if clicked:
        st.query_params["detail"] = clicked
    show_details(clicked or view.detail, lang)


def _map(
    view: View,
    records: tuple[pd.DataFrame, pd.DataFrame, bool],
    measure: str,
    lang: str,
    **options: Any,
) -> str | None:
    """Draw the map of ``records`` (spaces, vacant, narrowed) coloured by ``measure``.

    ``options`` go to :func:`~heimatruhr_geo.ui.common.show_map` (height, focus, …);
    returns the id of a record whose details were asked for.
    """
    spaces, vacant, narrowed = records
    figures = selection_figures(_selection(view))
    return show_map(
        spaces,
        vacant,
        measure_choropleth(figures["table"], measure, lang, _selected(figures, view)),
        lang,
        fit_to=_fit(figures, view),
        all_records=not narrowed,
        key="public_map",
        layers=view.layers,
        **options,
    )


def _selection_note(lang: str) -> None:
    """Say that the URL narrows the map, with a button that shows everything again."""
    note, button = st.columns([4, 1], vertical_alignment="center")
    note.info(t("place_map_selection", lang))
    button.button(t("place_map_show_all", lang), key="map_show_all", on_click=_show_all)


def _show_all() -> None:
    for name in FILTER_FIELDS:
        if name in st.query_params:
            del st.query_params[name]


def _selection(view: View) -> View:
    """Return the part of ``view`` that selects data (the filters)."""
    return View(**{name: getattr(view, name) for name in FILTER_FIELDS})


def _records(view: View) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """Return the published records of the view's filters, and whether any filter is set."""
    spaces, vacant = resources.published("spaces"), resources.published("vacant")
    if _selection(view) == View():
        return spaces, vacant, False
    return apply_view(spaces, view, "spaces"), apply_view(vacant, view, "vacant"), True


def _selected(figures: dict[str, pd.DataFrame], view: View) -> list[str] | None:
    """Return the AGS keys of the selected municipalities (``None``: all of them)."""
    if not (view.municipalities or view.counties):
        return None
    return list(figures["shown"]["ags"])


def _fit(figures: dict[str, pd.DataFrame], view: View) -> tuple[str, ...]:
    """Return the municipalities the map fits to: the selected ones (none: the region)."""
    return tuple(_selected(figures, view) or ())


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
