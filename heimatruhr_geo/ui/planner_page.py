"""The planners' view: filters, map, a table per municipality, charts and downloads."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import partial

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from heimatruhr_geo.boundaries import COUNTIES
from heimatruhr_geo.i18n import number, t
from heimatruhr_geo.io import export_bytes
from heimatruhr_geo.models import (
    BuildingType,
    ProjectStatus,
    ProjectType,
    RentBand,
    label,
)
from heimatruhr_geo.planning import (
    MEASURES,
)
from heimatruhr_geo.ui import resources, state
from heimatruhr_geo.ui.common import (
    demo_notice,
    measure_choropleth,
    selection_figures,
    show_map,
)
from heimatruhr_geo.ui.details import show_details
from heimatruhr_geo.viewstate import View, apply_view

MAP_HEIGHT = "min(65vh, 480px)"
DETAIL_KEY = "planner_detail"
PUBLIC_STATUSES = tuple(
    s for s in ProjectStatus if s not in (ProjectStatus.REJECTED, ProjectStatus.WITHDRAWN)
)
EXPORT_FORMATS = {
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}
TABLE_COLUMNS = (
    "name",
    "county",
    "population",
    "spaces",
    "spaces_proposed",
    "spaces_under_review",
    "spaces_funded",
    "spaces_realized",
    "funded_eur",
    "spaces_per_10k",
    "spaces_per_km2",
    "vacant",
    "vacant_available",
    "vacant_per_10k",
    "survey_responses",
)


def render() -> None:
    """Draw the planners' page."""
    lang = st.session_state.get("lang", "de")
    view = state.initial_view()
    st.title(t("planner_title", lang))
    for problem in state.url_problems():
        st.warning(t("url_problem", lang).format(problem=problem))
    view = _filters(view, lang)
    view = view.with_changes(detail=st.session_state.get(DETAIL_KEY) or view.detail)
    state.publish(view, lang)

    spaces = apply_view(resources.published("spaces"), view, "spaces")
    vacant = apply_view(resources.published("vacant"), view, "vacant")
    figures = selection_figures(_selection(view))
    table, shown = figures["table"], figures["shown"]
    demo_notice(lang, spaces, vacant, survey=True)
    _headline(shown, lang)
    narrowed = bool(view.municipalities or view.counties)
    clicked = show_map(
        spaces,
        vacant,
        measure_choropleth(table, view.measure, lang, shown["ags"] if narrowed else None),
        lang,
        height=MAP_HEIGHT,
        fit_to=tuple(shown["ags"]) if narrowed else (),
        key="planner_map",
    )
    if clicked:
        st.session_state[DETAIL_KEY] = clicked
        view = view.with_changes(detail=clicked)
        st.query_params["detail"] = clicked
    _table(figures["subtotals"], narrowed, lang)
    _charts(figures["by_type"], figures["by_year"], lang)
    _downloads(spaces, vacant, lang)
    show_details(view.detail, lang)
    st.caption(t("population_source", lang))


def _selection(view: View) -> View:
    """Return the part of ``view`` that selects data (not language, layers, measure, detail)."""
    return View(**{f: getattr(view, f) for f in state.FILTER_FIELDS})


def _filters(view: View, lang: str) -> View:
    """Show the filter widgets in the sidebar; return the view they select."""
    side = st.sidebar
    side.header(t("filters", lang))
    munis = resources.municipalities().sort_values(["county_key", "name"])
    names = dict(zip(munis["ags"], munis["name"], strict=True))
    counties = dict(zip(munis["ags"], munis["county"], strict=True))
    side.multiselect(
        t("filter_municipalities", lang),
        options=list(munis["ags"]),
        format_func=lambda a: (
            names[a] if counties[a] == names[a] else f"{counties[a]} · {names[a]}"
        ),
        key=state.widget_key("municipalities"),
        placeholder=t("all", lang),
    )
    side.multiselect(
        t("filter_counties", lang),
        options=list(COUNTIES),
        format_func=COUNTIES.__getitem__,
        key=state.widget_key("counties"),
        placeholder=t("all", lang),
    )
    spaces = resources.published("spaces")
    _choice(side, "project_types", [v.value for v in ProjectType], lang, ProjectType)
    _choice(side, "statuses", [v.value for v in PUBLIC_STATUSES], lang, ProjectStatus)
    programs = sorted(p for p in spaces["funding_program"].dropna().unique() if str(p).strip())
    _choice(side, "programs", programs, lang)
    years = sorted(int(y) for y in spaces["funding_year"].dropna().unique())
    _choice(side, "years", years, lang)
    _choice(side, "building_types", [v.value for v in BuildingType], lang, BuildingType)
    _choice(side, "rent_bands", [v.value for v in RentBand], lang, RentBand)
    side.selectbox(
        t("measure", lang),
        options=list(MEASURES),
        format_func=lambda key: t(f"measure_{key}", lang),
        key="measure",
    )
    return state.view_from_widgets(view)


def _choice(
    side: DeltaGenerator,
    field: str,
    options: Sequence[object],
    lang: str,
    taxonomy: type[StrEnum] | None = None,
) -> None:
    """Show one multiselect filter; taxonomy values are shown with their labels."""
    key = state.widget_key(field)
    # Values from a shared URL that are no longer offered (e.g. a year) must not crash.
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options]
    side.multiselect(
        t(f"filter_{field}", lang),
        options=options,
        format_func=(lambda v: label(taxonomy(v), lang)) if taxonomy else str,
        key=key,
        placeholder=t("all", lang),
    )


def _headline(table: pd.DataFrame, lang: str) -> None:
    cols = st.columns(4)
    cols[0].metric(t("metric_spaces", lang), number(table["spaces"].sum(), lang))
    cols[1].metric(t("metric_funded_eur", lang), f"{number(table['funded_eur'].sum(), lang)} €")
    cols[2].metric(
        t("metric_vacant_available", lang), number(table["vacant_available"].sum(), lang)
    )
    cols[3].metric(t("metric_survey", lang), number(table["survey_responses"].dropna().sum(), lang))


def _table(full: pd.DataFrame, narrowed: bool, lang: str) -> None:
    st.subheader(t("table_title", lang))
    region = full["level"] == "region"
    full.loc[region, "name"] = t("selection_total" if narrowed else "region_total", lang)
    shown = full[["level", *TABLE_COLUMNS]].copy()
    shown["level"] = shown["level"].map(lambda v: t(f"level_{v}", lang))
    config = {c: st.column_config.Column(t(f"col_{c}", lang)) for c in shown.columns}
    config["survey_responses"] = st.column_config.NumberColumn(
        t("col_survey_responses", lang), help=t("too_few_help", lang)
    )
    st.dataframe(shown, hide_index=True, column_config=config, width="stretch")


def _charts(by_type: pd.DataFrame, years: pd.DataFrame, lang: str) -> None:
    st.subheader(t("charts_title", lang))
    if by_type.empty:
        st.info(t("no_records", lang))
        return
    by_type["type_label"] = [label(ProjectType(v), lang) for v in by_type["project_type"]]
    by_type["status_label"] = [label(ProjectStatus(v), lang) for v in by_type["status"]]
    # A plain Vega-Lite spec: Altair's schema validation would cost more than the query.
    spec = {
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "aggregate": "sum",
                "field": "count",
                "type": "quantitative",
                "title": t("chart_count", lang),
            },
            "y": {"field": "name", "type": "nominal", "sort": "-x", "title": None},
            "color": {"field": "status_label", "type": "nominal", "title": t("field_status", lang)},
            "tooltip": [{"field": f} for f in ("name", "type_label", "status_label", "count")],
        },
    }
    st.vega_lite_chart(by_type, spec, width="stretch")
    if not years.empty:
        st.bar_chart(
            years,
            x="year",
            y="funded_eur",
            x_label=t("field_funding_year", lang),
            y_label=t("metric_funded_eur", lang),
        )


def _downloads(spaces: gpd.GeoDataFrame, vacant: gpd.GeoDataFrame, lang: str) -> None:
    st.subheader(t("downloads_title", lang))
    for layer, frame in (("spaces", spaces), ("vacant", vacant)):
        cols = st.columns(len(EXPORT_FORMATS) + 1, vertical_alignment="center")
        cols[0].write(f"{t(f'layer_{layer}', lang)} ({number(len(frame), lang)})")
        for col, (fmt, mime) in zip(cols[1:], EXPORT_FORMATS.items(), strict=True):
            col.download_button(
                fmt.upper(),
                data=partial(export_bytes, frame, fmt),
                file_name=f"heimatruhr-{layer}.{fmt}",
                mime=mime,
                on_click="ignore",
                disabled=frame.empty,
                key=f"download_{layer}_{fmt}",
            )
