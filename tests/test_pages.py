"""Every page of the app, run headless by Streamlit's AppTest (no browser).

The pages share the session's throw-away database (tests/conftest.py), which the app
seeds with demo data on its first start.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.i18n import t
from tests.support.apptest import TIMEOUT_S, run_page

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BOCHUM = "05911000"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_app_starts_on_the_map_page_with_navigation() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert at.title[0].value == t("title", "de")
    assert at.query_params["lang"] == "de"


def test_map_page_labels_demo_data_and_attribution() -> None:
    at = run_page("map_page")
    assert any(t("demo_notice_other", "de").split(":")[0] in i.value for i in at.info)
    assert any(ATTRIBUTION in c.value for c in at.caption)


def test_map_page_speaks_english_on_request() -> None:
    at = run_page("map_page", lang="en")
    assert at.title[0].value == t("title", "en")
    assert at.radio(key="map_survey_measure").label == t("survey_measure", "en")
    assert at.text_input[0].label == t("search_label", "en")


def test_search_flies_to_a_district_offline() -> None:
    at = run_page("map_page")
    at.text_input[0].set_value("Wattenscheid")
    at.button[0].click().run()
    assert not at.exception
    assert "Bochum" in at.success[0].value
    at.text_input[0].set_value("Atlantis an der Ruhr")
    at.button[0].click().run()
    assert "Atlantis" in at.warning[0].value


def test_details_of_a_record_named_in_the_url() -> None:
    from heimatruhr_geo.ui import resources

    record = resources.published("spaces").iloc[0]
    at = run_page("map_page", detail=str(record["id"]))
    values = _details(at)
    assert record["title"] in values
    missing = run_page("map_page", detail="no-such-id")
    assert missing.warning[0].value == t("detail_missing", "de")


def _details(at: Any) -> list[str]:
    """The values of the details view (a table of Markdown-escaped texts), unescaped."""
    import re

    frame = at.table[0].value
    return [re.sub(r"\\(.)", r"\1", str(v)) for v in frame.iloc[:, 0]]


def _planner_table(at: Any) -> pd.DataFrame:
    """The planners' table per municipality (the map's place list is a dataframe too)."""
    return next(frame.value for frame in at.dataframe if "level" in frame.value.columns)


def test_planner_shows_details_from_a_popup_link_and_keeps_the_filters() -> None:
    from heimatruhr_geo.ui import resources

    spaces = resources.published("spaces")
    record = spaces[spaces["ags"] == BOCHUM].iloc[0]
    at = run_page("planner_page", municipalities=BOCHUM, detail=str(record["id"]))
    assert at.multiselect(key="f_municipalities").value == [BOCHUM]
    assert record["title"] in _details(at)


def test_planner_filters_change_every_number_and_the_url() -> None:
    at = run_page("planner_page")
    everything = metrics(at)
    table = _planner_table(at)
    assert (table["level"] == t("level_municipality", "de")).sum() == 53
    at.multiselect(key="f_municipalities").set_value([BOCHUM])
    at.multiselect(key="f_statuses").set_value(["funded"])
    at.run()
    assert not at.exception
    bochum = metrics(at)
    assert bochum != everything
    assert at.query_params["municipalities"] == BOCHUM
    assert at.query_params["statuses"] == "funded"
    rows = _planner_table(at)
    assert rows.loc[rows["level"] == t("level_municipality", "de"), "name"].tolist() == ["Bochum"]
    assert rows["spaces_proposed"].sum() == 0


def test_planner_view_is_restored_from_a_shared_url() -> None:
    at = run_page("planner_page", municipalities=BOCHUM, statuses="funded", lang="en")
    assert at.multiselect(key="f_municipalities").value == [BOCHUM]
    assert at.multiselect(key="f_statuses").value == ["funded"]
    assert at.title[0].value == t("planner_title", "en")
    names = _planner_table(at)["name"].tolist()
    assert "Bochum" in names and "Essen" not in names


def test_planner_reports_garbage_in_the_url_and_goes_on() -> None:
    at = run_page("planner_page", municipalities="Atlantis", statuses="<script>")
    assert len(at.warning) >= 1
    assert at.multiselect(key="f_municipalities").value == []
    assert len(_planner_table(at)) > 53  # all municipalities plus subtotals


def test_planner_offers_downloads_of_the_selection() -> None:
    at = run_page("planner_page", municipalities=BOCHUM)
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("GEOJSON") == 2 and labels.count("GPKG") == 2


@pytest.mark.parametrize("lang", ["de", "en"])
def test_about_page_names_sources_and_privacy(lang: str) -> None:
    at = run_page("about_page", lang=lang)
    text = " ".join(m.value for m in at.markdown)
    assert "GeoBasis-DE / BKG" in text
    assert "OpenStreetMap" in text
    assert [h.value for h in at.subheader] == [
        t("sources_title", lang),
        t("privacy_title", lang),
        t("imprint_title", lang),
        t("a11y_title", lang),
    ]


def test_planner_choropleth_leaves_unselected_municipalities_uncoloured() -> None:
    from heimatruhr_geo.ui.common import measure_choropleth

    table = pd.DataFrame({"ags": [BOCHUM, "05913000"], "spaces_per_10k": [1.5, 0.0]})
    narrowed = measure_choropleth(table, "spaces_per_10k", "en", selected=[BOCHUM])
    assert narrowed.outside == {"05913000"}
    assert narrowed.outside_label == t("not_selected", "en")
    assert not measure_choropleth(table, "spaces_per_10k", "en").outside


def test_planner_hides_the_same_survey_cells_under_every_filter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Selm 4, Bochum 5, Dortmund 30: Bochum is hidden with Selm in the whole region and
    must stay hidden when the selection narrows to it (else the region total minus the
    shown cells would reveal Selm's 4)."""
    from heimatruhr_geo.ui import common, resources

    template = resources.survey_answers().iloc[[0]]
    counts = {"05978032": 4, BOCHUM: 5, "05913000": 30}
    answers = pd.concat(
        [template.assign(ags=ags) for ags, n in counts.items() for _ in range(n)],
        ignore_index=True,
    )
    monkeypatch.setattr(resources, "survey_answers", lambda: answers)
    common.selection_figures.clear()
    resources.survey_columns.clear()
    try:
        for params in ({}, {"municipalities": BOCHUM}, {"counties": BOCHUM[:5]}):
            rows = _planner_table(run_page("planner_page", **params))
            cells = rows[rows["level"] == t("level_municipality", "de")].set_index("name")
            assert pd.isna(cells.loc["Bochum", "survey_responses"]), params
            assert not params or pd.isna(rows["survey_responses"]).all(), params
    finally:
        common.selection_figures.clear()
        resources.survey_columns.clear()


def test_refreshing_public_data_clears_what_pages_derived_from_it() -> None:
    from heimatruhr_geo.ui import common, resources
    from heimatruhr_geo.viewstate import View

    calls: list[str] = []

    @resources.derived_from_public_data
    @st.cache_data
    def derived(x: int) -> int:
        calls.append("run")
        return x

    try:
        derived(1), derived(1)
        assert calls == ["run"]
        common.selection_figures(View())  # cached now
        resources.refresh_public_data()
        derived(1)
        assert calls == ["run", "run"]
        assert common.selection_figures.clear in resources._DERIVED
    finally:
        resources._DERIVED.remove(derived.clear)


def test_search_text_is_shown_as_text_not_markdown() -> None:
    at = run_page("map_page")
    at.text_input[0].set_value("[Klick](https://evil.example) Nirgendwo")
    at.button[0].click().run()
    assert not at.exception
    assert "\\[Klick\\]\\(https\\://evil\\.example\\)" in at.warning[0].value


def test_demo_data_is_labelled_on_the_map_and_planner_pages() -> None:
    for page in ("map_page", "planner_page"):
        notices = [i.value for i in run_page(page, lang="en").info]
        records = t("demo_notice_other", "en").split("{")[0]
        answers = t("demo_survey_notice_other", "en").split("{")[0]
        assert any(n.startswith(records) for n in notices), (page, notices)
        assert any(n.startswith(answers) for n in notices), (page, notices)


def _planner_element(at: AppTest) -> Any:
    """Return the planners' table element (the page also lists the map's places)."""
    return next(frame for frame in at.dataframe if "population" in frame.value.columns)


def _display_values(at: AppTest) -> pd.DataFrame:
    """Return the texts the planners' table shows (its pandas Styler's display values)."""
    import pyarrow as pa

    data = _planner_element(at).proto.arrow_data.styler.display_values
    return pa.ipc.open_stream(data).read_all().to_pandas()


@pytest.mark.parametrize(
    ("lang", "population", "rate"),
    [("de", r"\d{3}\.\d{3}", r"\d+,\d"), ("en", r"\d{3},\d{3}", r"\d+\.\d")],
)
def test_planner_figures_use_the_languages_number_format(
    lang: str, population: str, rate: str
) -> None:
    from heimatruhr_geo.formatting import format_eur, format_number

    at = run_page("planner_page", municipalities=BOCHUM, lang=lang)
    rows = _planner_element(at).value
    bochum = rows[rows["name"] == "Bochum"].iloc[0]
    assert pd.api.types.is_numeric_dtype(rows["population"])  # sorts by number, not text
    shown = _display_values(at)
    cell = shown.loc[rows.index[rows["name"] == "Bochum"][0]]
    assert cell["population"] == format_number(bochum["population"], lang)
    assert re.fullmatch(population, cell["population"])
    assert cell["funded_eur"] == format_eur(bochum["funded_eur"], lang)
    assert re.fullmatch(rate, cell["spaces_per_10k"])
    funded = metrics(at)[t("metric_funded_eur", lang)]
    assert funded == format_eur(bochum["funded_eur"], lang)
    assert ("\xa0€" in funded) == (lang == "de")


def test_planner_charts_in_map_colours_with_german_numbers() -> None:
    import json

    from heimatruhr_geo.planning import status_colors

    at = run_page("planner_page")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    titles = [s["title"] for s in specs]
    assert titles == [
        t("chart_by_type", "de"),
        t("chart_count_per_year", "de"),
        t("chart_funding_per_year", "de"),
    ]
    by_type, per_year, funding = specs
    assert by_type["encoding"]["y"]["field"] == "type_label"  # type and status in one chart
    assert by_type["encoding"]["color"]["field"] == "status_label"
    assert by_type["encoding"]["color"]["scale"]["range"] == list(status_colors().values())
    assert by_type["encoding"]["color"]["scale"]["domain"][2] == "Gefördert"
    for spec in specs:
        assert spec["config"]["locale"]["number"]["thousands"] == "."
        assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert funding["encoding"]["y"]["axis"]["format"] == "$,.0f"
    assert funding["encoding"]["y"]["title"] == t("metric_funded_eur", "de")
    assert per_year["encoding"]["x"]["title"] == t("field_funding_year", "de")


def test_planner_lists_municipalities_in_german_order() -> None:
    from heimatruhr_geo.formatting import sort_key

    at = run_page("planner_page")
    options = at.multiselect(key="f_municipalities").options
    names = [o.split(" (")[0] for o in options]
    assert names == sorted(names, key=sort_key) and len(names) == 53
    assert names.index("Bönen") < names.index("Bottrop")


def test_planner_download_rows_count_records_in_the_singular_and_plural() -> None:
    at = run_page("planner_page", municipalities=BOCHUM)
    texts = [m.value for m in at.markdown]
    assert any(re.fullmatch(r"Kreativorte \(\d+ Einträge\)", x) for x in texts), texts
    from heimatruhr_geo.i18n import tn

    assert tn("count_records", 1, "de") == "1 Eintrag"


def test_details_show_formatted_facts_as_plain_text() -> None:
    from heimatruhr_geo.formatting import format_area, format_date
    from heimatruhr_geo.ui import resources

    vacant = resources.published("vacant")
    record = vacant[vacant["available_from"].notna() & vacant["floor_area_m2"].notna()].iloc[0]
    at = run_page("map_page", detail=str(record["id"]))
    values = _details(at)
    assert format_area(float(record["floor_area_m2"]), "de") in values
    assert format_date(str(record["available_from"]), "de") in values
    assert t("mapfront_yes", "de") in values or t("mapfront_no", "de") in values
    raw = at.table[0].value.iloc[:, 0].tolist()  # escaped: Markdown shows them as typed
    assert all("." not in v.replace("\\.", "") for v in raw)
