"""Pieces that several pages show: the map with its attribution, and a measure's choropleth."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from heimatruhr_geo import mapdata
from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.config import Settings
from heimatruhr_geo.formatting import plural
from heimatruhr_geo.i18n import number, t, tn
from heimatruhr_geo.maplayers import POINT_LAYERS, SPACE_LAYERS, VACANT_LAYERS
from heimatruhr_geo.mapview import Choropleth, map_attribution
from heimatruhr_geo.models import LAYERS
from heimatruhr_geo.planning import (
    funding_by_year,
    measure_values,
    municipality_table,
    projects_by_type_status,
    with_subtotals,
)
from heimatruhr_geo.ui import map_component, resources
from heimatruhr_geo.viewstate import View, apply_view

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")

LOCATION_COLOR = "#767676"
"""Colour of the legend's two location shapes (a dot, a dashed diamond for approximate)."""

SHARE_MEASURES = frozenset({"survey_identity_share"})
"""Measures that are shares (0–1), shown as percentages."""


def plain(text: object) -> str:
    r"""Return ``text`` with every Markdown character escaped, for Streamlit's text elements.

    ``st.caption``, ``st.success`` and the like read Markdown: a search text or a place
    from a shared URL such as ``[Login](https://evil.example)`` must show as typed.

    Examples
    --------
    >>> plain("[x](y) *z*")
    '\\[x\\]\\(y\\) \\*z\\*'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


TRANSIENT_GEOCODER_ISSUES = ("busy", "unreachable")


def geocode_search(query: str, lang: str) -> dict[str, object]:
    """Geocode ``query`` through the chain, showing the wait (up to the lookup's deadline)."""
    with st.spinner(t("geocoder_wait", lang), show_time=True):
        return resources.geocode(query)


def geocoder_notice(issue: object, lang: str, *, found: bool = True, query: str = "") -> bool:
    """Say when the online geocoder could not help; return whether anything was said.

    With ``found`` the answer came from the offline gazetteer and is only approximate;
    without it nothing was found offline either, and the notice says that the service was
    unreachable (or busy) instead of "not found in the Ruhr" (the caller then shows no
    not-found message of its own). ``query`` (user text) is escaped here.
    """
    if issue not in TRANSIENT_GEOCODER_ISSUES:
        return False
    if found:
        st.info(t(f"geocoder_{issue}", lang))
    else:
        st.warning(t(f"place_geocoder_{issue}_not_found", lang).format(query=plain(query)))
    return True


def demo_notice(
    lang: str, *frames: pd.DataFrame, survey: bool = False, collapsed: bool = False
) -> None:
    """Say how many of the records shown (and, with ``survey``, survey answers) are demo data.

    ``collapsed`` puts the notices into a closed expander (the map page keeps the map on a
    phone's first screen that way).
    """
    records = sum(int((frame["source"] == "demo").sum()) for frame in frames)
    answers = resources.demo_survey_responses() if survey else 0
    hidden = resources.survey().hidden_demo if survey else 0
    if not records and not answers and not hidden:
        return
    box = st.expander(t("mapfront_notices", lang)) if collapsed else st.container()
    with box:
        if records:
            st.info(tn("demo_notice", records, lang))
        if answers:
            st.info(tn("demo_survey_notice", answers, lang))
        if hidden:
            st.info(t("survey_release_demo_hidden", lang))


def measure_choropleth(
    table: pd.DataFrame, measure: str, lang: str, selected: Collection[str] | None = None
) -> Choropleth:
    """Return one measure of the planners' table as the map's choropleth.

    ``selected``: AGS keys of the user's selection; the others are drawn without fill.
    """
    outside = frozenset(table["ags"]) - frozenset(selected) if selected is not None else frozenset()
    return Choropleth(
        values=measure_values(table, measure),
        title=t(f"measure_{measure}", lang),
        suppressed_label=t(
            "too_few_responses" if measure.startswith("survey") else "no_data", lang
        ),
        value_format="{:.0%}" if measure in SHARE_MEASURES else "{:,.1f}",
        outside=outside,
        outside_label=t("not_selected", lang) if outside else "",
    )


def map_data(
    settings: Settings,
    drawing: gpd.GeoDataFrame,
    *,
    lang: str,
    points_url: str,
    borders_url: str,
    bits: str,
    choropleth: Choropleth,
    height: str,
    focus: tuple[float, float, int] | None = None,
    fit_to: Collection[str] = (),
    layers: Collection[str] = LAYERS,
) -> dict[str, Any]:
    """Return the small per-run state the map component gets (see ``static/map/heimatmap.js``).

    Parameters
    ----------
    settings
        Tiles, attribution and asset URLs.
    drawing
        The municipalities for drawing (names, region bounds, ``fit_to`` bounds).
    lang
        Page language.
    points_url, borders_url
        URLs of the points document and the borders (content-hashed files).
    bits
        Selection over the points document's rows (:func:`heimatruhr_geo.mapdata.selection_bits`).
    choropleth, height, focus, fit_to, layers
        As for :func:`show_map`.
    """
    names = dict(zip(drawing["ags"].astype(str), drawing["name"].astype(str), strict=True))
    west, south, east, north = (float(v) for v in drawing.total_bounds)
    chosen = drawing[drawing["ags"].astype(str).isin(list(fit_to))]
    bounds = None
    if len(chosen) and focus is None:
        w, s_, e, n = (float(v) for v in chosen.total_bounds)
        bounds = [[s_, w], [n, e]]
    focus_data = (
        {"lat": focus[0], "lon": focus[1], "zoom": focus[2], "label": t("map_search_result", lang)}
        if focus
        else None
    )
    selection = {"key": hashlib.sha256(bits.encode()).hexdigest()[:16], "bits": bits}
    data: dict[str, Any] = {
        "assets": map_component.asset_urls(settings),
        "lang": lang,
        "labels": _map_labels(lang),
        "height": height,
        "points": points_url,
        "borders": borders_url,
        "tiles": {"url": settings.tile_url, "attribution": map_attribution(settings)},
        "region": [[south, west], [north, east]],
        "categories": _categories(lang, layers),
        "legend": _legend_sections(lang),
        "layers_key": "all" if set(layers) >= set(LAYERS) else ",".join(sorted(layers)) or "none",
        "show_choropleth": "survey" in layers,
        "selection": selection,
        "choropleth": mapdata.choropleth_payload(
            choropleth.values,
            names,
            title=choropleth.title,
            suppressed_label=choropleth.suppressed_label,
            value_format=choropleth.value_format,
            lang=lang,
            outside=choropleth.outside,
            outside_label=choropleth.outside_label,
        ),
        "view": {
            "key": map_component.view_key(focus_data, bounds),
            "focus": focus_data,
            "bounds": bounds,
        },
    }
    return data


def show_map(
    spaces: pd.DataFrame,
    vacant: pd.DataFrame,
    choropleth: Choropleth,
    lang: str,
    *,
    height: str,
    focus: tuple[float, float, int] | None = None,
    fit_to: Collection[str] = (),
    all_records: bool = False,
    key: str = "map",
    under_map: Callable[[], object] | None = None,
    layers: Collection[str] = LAYERS,
) -> str | None:
    """Draw the map component, its attribution and the list of places on it.

    Parameters
    ----------
    spaces, vacant
        The records to show (a selection of the published ones).
    choropleth
        The measure per municipality.
    lang
        Page language.
    height
        CSS height of the map, e.g. ``"min(70vh, 560px)"``.
    focus
        ``(lat, lon, zoom)`` of a search result: the map moves there (once per result).
    fit_to
        AGS keys: without ``focus`` the map fits these municipalities (once per set).
    all_records
        ``spaces``/``vacant`` are all published records (the selection is everything).
    key
        Element key; one per page, so the map survives reruns.
    under_map
        Draws widgets right under the map (before the attribution and the list).
    layers
        The layers shown at first (``spaces``, ``vacant``, ``survey``: the choropleth);
        the visitor can switch them in the map's layer control.

    Returns
    -------
    str or None
        The id of the record whose "Details" button was just clicked in a popup.
    """
    doc, points_url = resources.points_document(lang)
    bits = mapdata.selection_bits(doc, None if all_records else (spaces, vacant))
    data = map_data(
        resources.settings(),
        resources.drawing_municipalities(),
        lang=lang,
        points_url=points_url,
        borders_url=resources.borders_url(),
        bits=bits,
        choropleth=choropleth,
        height=height,
        focus=focus,
        fit_to=fit_to,
        layers=layers,
    )
    clicked = map_component.mount(data, key=key)
    if under_map is not None:
        under_map()
    st.caption(f"{t('boundaries_source', lang)}: {ATTRIBUTION}")
    _place_list(f"{doc.sha}:{data['selection']['key']}", lang, spaces, vacant)
    return clicked


def _map_labels(lang: str) -> dict[str, object]:
    """Return the component's interface texts in ``lang``."""
    texts = {
        name: t(f"mapfront_{name}", lang)
        for name in (
            "zoom_in", "zoom_out", "layers", "layers_title", "legend_show", "legend_hide",
            "near_me", "near_me_failed", "you_are_here", "close", "loading", "load_failed",
            "region", "keys",
        )
    }  # fmt: skip
    return {
        **texts,
        "legend": t("map_legend", lang),
        "fullscreen": t("map_fullscreen", lang),
        "fullscreen_exit": t("map_fullscreen_exit", lang),
        "demo": t("map_demo", lang),
        "details": t("map_show_details", lang),
        "website": t("map_website", lang),
        "cluster": {
            "one": t("mapfront_cluster_one", lang),
            "other": t("mapfront_cluster_other", lang),
        },
    }


def _short(layer: str, label_key: str, lang: str) -> str:
    """Return a layer name without its group prefix ("gefördert" of "Kreativorte: gefördert")."""
    name, prefix = t(label_key, lang), t(f"map_legend_{layer}", lang)
    return name.split(": ", 1)[1] if name.startswith(f"{prefix}: ") else name


def _categories(lang: str, layers: Collection[str] = LAYERS) -> list[dict[str, object]]:
    """Return the five point categories in document code order (see mapdata.CATEGORIES)."""
    return [
        {
            "key": spec.key,
            "color": spec.color,
            "label": t(spec.label_key, lang),
            "short": _short(spec.group, spec.label_key, lang),
            "visible": spec.group in layers,
        }
        for spec in POINT_LAYERS
    ]


def _legend_sections(lang: str) -> list[dict[str, object]]:
    sections: list[dict[str, object]] = []
    for layer, specs in (("spaces", SPACE_LAYERS), ("vacant", VACANT_LAYERS)):
        entries = []
        for spec in specs:
            short = _short(layer, spec.label_key, lang)
            entries.append({"color": spec.color, "label": short[:1].upper() + short[1:]})
        sections.append(
            {"title": t(f"map_legend_{layer}", lang), "kind": "dot", "entries": entries}
        )
    sections.append(
        {
            "title": t("place_legend_title", lang),
            "kind": "dot",
            "entries": [
                {"color": LOCATION_COLOR, "label": t("place_legend_exact", lang)},
                {
                    "color": LOCATION_COLOR,
                    "label": t("place_legend_approx", lang),
                    "shape": "approx",
                },
            ],
        }
    )
    return sections


@st.cache_data(max_entries=16, show_spinner=False)
def _place_table(
    selection: str, lang: str, _spaces: pd.DataFrame, _vacant: pd.DataFrame
) -> tuple[pd.DataFrame, int]:
    """Return the place list of one selection (``selection``: data version and selection key)."""
    return mapdata.place_list(_spaces, _vacant, lang)


def _place_list(selection: str, lang: str, spaces: pd.DataFrame, vacant: pd.DataFrame) -> None:
    """Show the list of the places on the map (its text alternative) in an expander."""
    table, total = _place_table(selection, lang, spaces, vacant)
    with st.expander(t("mapfront_list", lang)):
        st.write(
            plural(
                total,
                {
                    "one": t("mapfront_list_count_one", lang),
                    "other": t("mapfront_list_count_other", lang),
                },
                lang,
            )
        )
        if total > len(table):
            st.caption(t("mapfront_list_more", lang).format(shown=number(len(table), lang)))
        if len(table):
            st.dataframe(table, hide_index=True, width="stretch")


@resources.derived_from_public_data
@st.cache_data(max_entries=64, show_spinner=False)
def selection_figures(selection: View) -> dict[str, pd.DataFrame]:
    """Compute the planners' table and chart data of one selection (filter fields only).

    Cached: a selection seen before (by anyone, at this data version) costs nothing.
    """
    spaces = apply_view(resources.published("spaces"), selection, "spaces")
    vacant = apply_view(resources.published("vacant"), selection, "vacant")
    # The survey figures are computed for the whole region and only then narrowed to the
    # selection: which cells are hidden (k = 5) must not depend on the filter, or comparing
    # two selections with the region total would reveal a hidden cell.
    table = municipality_table(
        spaces,
        vacant,
        None,
        resources.municipalities(),
        resources.population(),
        survey=resources.survey_columns(),
    )
    shown = selected_rows(table, selection)
    return {
        "table": table,
        "shown": shown,
        "subtotals": with_subtotals(shown),
        "by_type": projects_by_type_status(spaces),
        "by_year": funding_by_year(spaces),
    }


def selected_rows(table: pd.DataFrame, view: View) -> pd.DataFrame:
    """Return the table rows of the selected municipalities and counties (all when none)."""
    keep = pd.Series(True, index=table.index)
    if view.municipalities:
        keep &= table["ags"].isin(view.municipalities)
    if view.counties:
        keep &= table["ags"].str[:5].isin(view.counties)
    return table[keep]
