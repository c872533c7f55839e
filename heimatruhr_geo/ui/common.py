"""Pieces that several pages show: the map with its attribution, and a measure's choropleth."""

from __future__ import annotations

import re
from collections.abc import Collection

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.i18n import t, tn
from heimatruhr_geo.mapview import Choropleth, build_map
from heimatruhr_geo.planning import (
    funding_by_year,
    measure_values,
    municipality_table,
    projects_by_type_status,
    with_subtotals,
)
from heimatruhr_geo.ui import resources
from heimatruhr_geo.viewstate import View, apply_view

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")

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


def demo_notice(lang: str, *frames: pd.DataFrame, survey: bool = False) -> None:
    """Say how many of the records shown (and, with ``survey``, survey answers) are demo data."""
    records = sum(int((frame["source"] == "demo").sum()) for frame in frames)
    if records:
        st.info(tn("demo_notice", records, lang))
    answers = resources.demo_survey_responses() if survey else 0
    if answers:
        st.info(tn("demo_survey_notice", answers, lang))
    hidden = resources.survey().hidden_demo if survey else 0
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


def show_map(
    spaces: pd.DataFrame,
    vacant: pd.DataFrame,
    choropleth: Choropleth,
    lang: str,
    *,
    height: int,
    focus: tuple[float, float, int] | None = None,
    fit_to: Collection[str] = (),
) -> None:
    """Draw the map (no rerun on pan or zoom: nothing is returned) and its attribution."""
    m = build_map(
        resources.drawing_municipalities(),
        resources.settings(),
        lang=lang,
        spaces=spaces,
        vacant=vacant,
        choropleth=choropleth,
        focus=focus,
        fit_to=fit_to,
        point_tables={layer: resources.point_table(layer, lang) for layer in ("spaces", "vacant")},
    )
    st_folium(m, returned_objects=[], use_container_width=True, height=height)
    st.caption(f"{t('boundaries_source', lang)}: {ATTRIBUTION}")


@resources.derived_from_public_data
@st.cache_data(ttl=resources.DATA_TTL_S, max_entries=64, show_spinner=False)
def selection_figures(selection: View) -> dict[str, pd.DataFrame]:
    """Compute the planners' table and chart data of one selection (filter fields only).

    Cached: a selection seen before (by anyone, within the data TTL) costs nothing.
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
