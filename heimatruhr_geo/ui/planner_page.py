"""The planners' view: filters, map, a table per municipality, charts and downloads."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from functools import partial
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from heimatruhr_geo.boundaries import COUNTIES
from heimatruhr_geo.formatting import format_eur, format_number, sort_key, vega_locale
from heimatruhr_geo.i18n import t, tn
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
    projects_by_year_status,
    status_colors,
)
from heimatruhr_geo.ui import embed, resources, state
from heimatruhr_geo.ui.common import (
    demo_notice,
    measure_choropleth,
    plain,
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
DECIMALS = {"spaces_per_10k": 1, "spaces_per_km2": 2, "vacant_per_10k": 1}
"""Decimals shown of the rate columns (the rest are whole numbers)."""
TEXT_COLUMNS = ("level", "name", "county")


def render() -> None:
    """Draw the planners' page."""
    lang = st.session_state.get("lang", "de")
    view = state.initial_view()
    st.title(t("planner_title", lang))
    for problem in state.url_problems():
        st.warning(t("url_problem", lang).format(problem=plain(problem)))
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
    _charts(figures["by_type"], projects_by_year_status(spaces), lang)
    _downloads(spaces, vacant, lang)
    embed.offer_snippet(view, lang)
    show_details(view.detail, lang)
    st.caption(t("population_source", lang))


def _selection(view: View) -> View:
    """Return the part of ``view`` that selects data (not language, layers, measure, detail)."""
    return View(**{f: getattr(view, f) for f in state.FILTER_FIELDS})


def _filters(view: View, lang: str) -> View:
    """Show the filter widgets in the sidebar; return the view they select."""
    side = st.sidebar
    side.header(t("filters", lang))
    munis = resources.municipalities()
    names = dict(zip(munis["ags"], munis["name"], strict=True))
    counties = dict(zip(munis["ags"], munis["county"], strict=True))
    side.multiselect(
        t("filter_municipalities", lang),
        options=sorted(names, key=lambda a: (sort_key(names[a]), a)),
        format_func=lambda a: (
            names[a] if counties[a] == names[a] else f"{names[a]} ({counties[a]})"
        ),
        key=state.widget_key("municipalities"),
        placeholder=t("all", lang),
    )
    side.multiselect(
        t("filter_counties", lang),
        options=sorted(COUNTIES, key=lambda c: sort_key(COUNTIES[c])),
        format_func=COUNTIES.__getitem__,
        key=state.widget_key("counties"),
        placeholder=t("all", lang),
    )
    spaces = resources.published("spaces")
    _choice(side, "project_types", [v.value for v in ProjectType], lang, ProjectType)
    _choice(side, "statuses", [v.value for v in PUBLIC_STATUSES], lang, ProjectStatus)
    programs = sorted(
        (p for p in spaces["funding_program"].dropna().unique() if str(p).strip()), key=sort_key
    )
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
    cols[0].metric(t("metric_spaces", lang), format_number(table["spaces"].sum(), lang))
    cols[1].metric(t("metric_funded_eur", lang), format_eur(table["funded_eur"].sum(), lang))
    cols[2].metric(
        t("metric_vacant_available", lang), format_number(table["vacant_available"].sum(), lang)
    )
    responses = table["survey_responses"].dropna().sum()
    cols[3].metric(t("metric_survey", lang), format_number(responses, lang))


def table_formats(lang: str) -> dict[str, Any]:
    """Return the display format of each numeric column of the planners' table.

    Numbers stay numbers in the table (it sorts by value); a pandas ``Styler`` shows
    them with the language's marks, because Streamlit's own number formats follow the
    browser's locale (``"localized"``) or printf (``"%,d"``: English marks only).
    """
    formats: dict[str, Any] = {
        c: partial(_whole, lang=lang) for c in TABLE_COLUMNS if c not in TEXT_COLUMNS
    }
    formats["funded_eur"] = partial(format_eur, lang=lang)
    for column, decimals in DECIMALS.items():
        formats[column] = partial(format_number, lang=lang, decimals=decimals)
    return formats


def _whole(value: float, lang: str) -> str:
    return format_number(value, lang)


def _table(full: pd.DataFrame, narrowed: bool, lang: str) -> None:
    st.subheader(t("table_title", lang))
    region = full["level"] == "region"
    full.loc[region, "name"] = t("selection_total" if narrowed else "region_total", lang)
    shown = full[["level", *TABLE_COLUMNS]].copy()
    shown["level"] = shown["level"].map(lambda v: t(f"level_{v}", lang))
    config: dict[str, Any] = {
        c: (
            st.column_config.TextColumn(t(f"col_{c}", lang))
            if c in TEXT_COLUMNS
            else st.column_config.NumberColumn(t(f"col_{c}", lang))
        )
        for c in shown.columns
    }
    config["survey_responses"] = st.column_config.NumberColumn(
        t("col_survey_responses", lang), help=t("too_few_help", lang)
    )
    styled = shown.style.format(table_formats(lang), na_rep="–")
    st.dataframe(styled, hide_index=True, column_config=config, width="stretch")


def chart_specs(
    by_type: pd.DataFrame, by_year: pd.DataFrame, lang: str
) -> list[tuple[pd.DataFrame, dict[str, Any]]]:
    """Return the planners' charts as (data, Vega-Lite spec) pairs, in ``lang``.

    Bars are coloured by project status in the map's colours; numbers on axes and in
    tooltips follow the language (``config.locale``). The first chart counts projects by
    type, stacked by status; then projects and funding per funding year (when any).
    """
    colors = status_colors()

    def color(present: pd.Series) -> dict[str, Any]:  # type: ignore[type-arg]
        """Return the status colour scale, its legend limited to the statuses shown."""
        shown = [s for s in colors if s in set(present)]
        domain = [label(ProjectStatus(s), lang) for s in shown]
        return {
            "field": "status_label",
            "type": "nominal",
            "title": t("field_status", lang),
            "scale": {"domain": domain, "range": [colors[s] for s in shown]},
            "sort": domain,
        }

    order = {"field": "status_rank", "type": "quantitative"}
    config = {"locale": vega_locale(lang), "legend": {"orient": "bottom"}}
    status_label = {s: label(ProjectStatus(s), lang) for s in colors}
    rank = {s: i for i, s in enumerate(colors)}
    types = by_type.groupby(["project_type", "status"], sort=False)["count"].sum().reset_index()
    types["type_label"] = [label(ProjectType(v), lang) for v in types["project_type"]]
    types["status_label"] = types["status"].map(status_label)
    types["status_rank"] = types["status"].map(rank)
    count_title = t("chart_count", lang)
    by_kind: dict[str, Any] = {
        "title": t("chart_by_type", lang),
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "aggregate": "sum",
                "field": "count",
                "type": "quantitative",
                "title": count_title,
                "axis": {"format": ",d", "tickMinStep": 1, "tickCount": 8},
            },
            "y": {
                "field": "type_label",
                "type": "nominal",
                "sort": "-x",
                "title": t("field_project_type", lang),
                "axis": {"labelLimit": 260},
            },
            "color": color(types["status"]),
            "order": order,
            "tooltip": [
                {"field": "type_label", "type": "nominal", "title": t("field_project_type", lang)},
                {"field": "status_label", "type": "nominal", "title": t("field_status", lang)},
                {"field": "count", "type": "quantitative", "title": count_title, "format": ",d"},
            ],
        },
        "config": config,
    }
    charts: list[tuple[pd.DataFrame, dict[str, Any]]] = [(types, by_kind)]
    if by_year.empty:
        return charts
    years = by_year.assign(
        year_label=by_year["year"].astype(str),
        status_label=by_year["status"].map(status_label),
        status_rank=by_year["status"].map(rank),
    )
    year_axis = {
        "field": "year_label",
        "type": "ordinal",
        "title": t("field_funding_year", lang),
        "axis": {"labelAngle": 0},
    }
    year_tip = {"field": "year_label", "type": "ordinal", "title": t("field_funding_year", lang)}
    status_tip = {"field": "status_label", "type": "nominal", "title": t("field_status", lang)}
    for field, title, fmt in (
        ("count", t("chart_count_per_year", lang), ",d"),
        ("funded_eur", t("chart_funding_per_year", lang), "$,.0f"),
    ):
        axis_title = count_title if field == "count" else t("metric_funded_eur", lang)
        spec: dict[str, Any] = {
            "title": title,
            "mark": {"type": "bar"},
            "encoding": {
                "x": year_axis,
                "y": {
                    "aggregate": "sum",
                    "field": field,
                    "type": "quantitative",
                    "title": axis_title,
                    "axis": {"format": fmt, **({"tickMinStep": 1} if field == "count" else {})},
                },
                "color": color(years["status"]),
                "order": order,
                "tooltip": [
                    year_tip,
                    status_tip,
                    {"field": field, "type": "quantitative", "title": axis_title, "format": fmt},
                ],
            },
            "config": config,
        }
        charts.append((years, spec))
    return charts


def _charts(by_type: pd.DataFrame, by_year: pd.DataFrame, lang: str) -> None:
    st.subheader(t("charts_title", lang))
    if by_type.empty:
        st.info(t("no_records", lang))
        return
    # Plain Vega-Lite specs: Altair's schema validation would cost more than the query.
    charts = chart_specs(by_type, by_year, lang)
    data, spec = charts[0]
    st.vega_lite_chart(data, spec, width="stretch", key="chart_by_type")
    if len(charts) > 1:
        left, right = st.columns(2)
        for column, (data, spec), key in zip(
            (left, right),
            charts[1:],
            ("chart_count_per_year", "chart_funding_per_year"),
            strict=True,
        ):
            column.vega_lite_chart(data, spec, width="stretch", key=key)


def _downloads(spaces: gpd.GeoDataFrame, vacant: gpd.GeoDataFrame, lang: str) -> None:
    st.subheader(t("downloads_title", lang))
    for layer, frame in (("spaces", spaces), ("vacant", vacant)):
        cols = st.columns(len(EXPORT_FORMATS) + 1, vertical_alignment="center")
        cols[0].write(f"{t(f'layer_{layer}', lang)} ({tn('count_records', len(frame), lang)})")
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
