"""The survey page in AppTest: the form stores anonymous pending responses, and the
results hide every municipality below k = 5 in the table, the chart and the CSV.

Each test runs on its own throw-away database (never the shared demo database), set
through ``HEIMATRUHR_DATABASE_URL`` with the app's cached resources cleared.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.abuse import CLIENT_LIMIT
from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import SurveyResponse
from heimatruhr_geo.questionnaire import municipality_points
from heimatruhr_geo.store import Store
from heimatruhr_geo.ui import survey_page
from tests.support.apptest import errors, page_app, successes
from tests.support.survey_form import SELM, VALID, fill, run, submit, survey_records

DORTMUND, ESSEN = "05913000", "05113000"
POINTS = municipality_points(load_municipalities(default_path(DEFAULT_DATA_DIR)))


@pytest.fixture
def store(app_store: Store) -> Store:
    """The app's fresh database (tests/conftest.py)."""
    return app_store


# ------------------------------------------------------------------------------ form


def test_valid_response_is_stored_pending_without_identifier(store: Store) -> None:
    at = submit(fill(run(), **VALID))
    assert successes(at) == [t("survey_thanks", "de")]
    assert errors(at) == []
    records = survey_records(store)
    assert len(records) == 1
    stored = records.iloc[0]
    assert stored["moderation"] == "pending" and stored["source"] == "form"
    assert stored["ags"] == SELM and (stored["lat"], stored["lon"]) == POINTS[SELM]
    assert stored["identity_text"] == VALID["identity_text"]
    assert stored["identity_rating"] == 4 and pd.isna(stored["region_rating"])
    assert stored["contact_name"] == stored["contact_email"] == ""
    assert stored["street"] == stored["city"] == ""
    created = stored["created_at"]
    assert (created.hour, created.minute, created.second, created.microsecond) == (0, 0, 0, 0)
    assert store.survey_answers().empty  # counted only after review


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"discipline": None}, "discipline", "survey_err_required"),
        ({"ags": None}, "ags", "survey_err_required"),
        ({"identity_rating": None}, "identity_rating", "survey_err_required"),
        ({"space_rating": None}, "space_rating", "survey_err_required"),
        ({"identity_text": "Mail: atelier@example.org"}, "identity_text", "survey_err_personal"),
        ({"places_text": "Tel. 0201 1234567"}, "places_text", "survey_err_personal"),
        # (longer texts: the text area's max_chars stops them; questionnaire tests check it)
    ],
)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_invalid_field_shows_its_message_and_stores_nothing(
    store: Store, changes: dict[str, Any], field: str, message: str, lang: str
) -> None:
    at = run(lang)
    values = {k: v for k, v in (VALID | changes).items() if v is not None}
    submit(fill(at, **values), lang)
    expected = f"{t(f'survey_field_{field}', lang)}: {t(message, lang)}"
    assert expected in errors(at)
    assert t("survey_errors", lang) in errors(at)
    assert successes(at) == []
    assert survey_records(store).empty


def test_filled_honeypot_stores_nothing_but_thanks(store: Store) -> None:
    at = fill(run(), **VALID)
    at.text_input(key="homepage_url_survey").set_value("http://spam.example")
    submit(at)
    assert successes(at) == [t("survey_thanks", "de")]
    assert survey_records(store).empty


def test_session_limit_refuses_further_responses(store: Store) -> None:
    at = fill(run(), **VALID)
    for _ in range(CLIENT_LIMIT):
        submit(at)
        assert successes(at) == [t("survey_thanks", "de")]
    submit(at)
    assert successes(at) == []
    warning = t("trust_form_limited", "de").split("{")[0]
    assert any(w.value.startswith(warning) for w in at.warning)
    assert len(survey_records(store)) == CLIENT_LIMIT


# --------------------------------------------------------------------------- results


def publish(store: Store, counts: dict[str, int]) -> None:
    """Store and publish ``counts[ags]`` responses per municipality, every rating given."""
    responses = []
    for ags, n in counts.items():
        lat, lon = POINTS[ags]
        for i in range(n):
            responses.append(
                SurveyResponse(
                    lat=lat,
                    lon=lon,
                    discipline="music",
                    identity_rating=1 + i % 5,
                    space_rating=1 + (i * 2) % 5,
                    region_rating=3,
                    vacancy_rating=4,
                    identity_text=f"Antwort {ags} {i}",
                    moderation="published",
                )
            )
    store.add_many(responses)


class Captured:
    """The CSV bytes the page offers for download (the real function, recorded)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.data = b""
        real = survey_page.results_csv

        def spy(*args: Any, **kwargs: Any) -> bytes:
            self.data = real(*args, **kwargs)
            return self.data

        monkeypatch.setattr(survey_page, "results_csv", spy)

    def frame(self) -> pd.DataFrame:
        return pd.read_csv(io.BytesIO(self.data), dtype={"ags": str}).set_index("ags")


def table(at: AppTest) -> pd.DataFrame:
    frame = next(d.value for d in at.dataframe if t("municipality", "de") in d.value.columns)
    return frame.set_index(t("municipality", "de"))


def chart_rows(at: AppTest) -> pd.DataFrame:
    proto = at.get("vega_lite_chart")[0].proto
    return convert_arrow_bytes_to_pandas_df(proto.data.data)


@pytest.mark.parametrize("selm", [4, 5])
@pytest.mark.parametrize("county", [None, "05978"])
def test_results_hide_4_and_show_5_in_page_chart_and_export(
    store: Store, monkeypatch: pytest.MonkeyPatch, selm: int, county: str | None
) -> None:
    publish(store, {SELM: selm, DORTMUND: 30, ESSEN: 12})
    captured = Captured(monkeypatch)
    at = run()
    if county:
        at.multiselect(key="survey_f_counties").set_value([county]).run()
        assert not at.exception
    rows = table(at)
    cells = set(chart_rows(at)["cell"])
    export = captured.frame()
    too_few = t("too_few_responses", "de")
    if selm == 4:
        assert rows.at["Selm", "Antworten"] == too_few
        assert rows.loc["Selm"].drop(["Antworten", t("county", "de")]).isna().all()
        assert "Selm" not in cells
        assert pd.isna(export.at[SELM, "responses"]) and export.at[SELM, "note"] == too_few
        assert export.loc[SELM].drop(["level", "name", "county", "note"]).isna().all()
    else:
        assert rows.at["Selm", "Antworten"] == "5"
        assert "Selm" in cells
        assert export.at[SELM, "responses"] == 5
    assert (DORTMUND in export.index) != bool(county)
    region = t("survey_summary_region", "de")
    assert region in cells
    metric = {m.label: m.value for m in at.metric}
    # 4 answers in one municipality x discipline cell are never released (issue 11.1)
    assert metric[t("survey_responses", "de")] == str(42 + (selm if selm >= 5 else 0))


def test_filters_come_from_and_go_to_the_url(store: Store) -> None:
    publish(store, {SELM: 5, DORTMUND: 30})
    at = page_app("survey_page")
    at.query_params["discipline"] = "music"
    at.query_params["counties"] = "05978,<b>x</b>"
    at.run()
    assert not at.exception
    assert at.selectbox(key="survey_f_discipline").value == "music"
    assert at.multiselect(key="survey_f_counties").value == ["05978"]
    assert len(table(at)) == 10  # the ten municipalities of Kreis Unna
    assert at.query_params["counties"] == "05978"
    assert at.query_params["discipline"] == "music"
    at.selectbox(key="survey_f_discipline").set_value(None)
    at.multiselect(key="survey_f_counties").set_value([])
    at.run()
    assert "discipline" not in at.query_params and "counties" not in at.query_params
    assert len(table(at)) == 53


def test_free_texts_only_for_the_region_and_never_as_markup(store: Store) -> None:
    publish(store, {DORTMUND: 6})
    lat, lon = POINTS[DORTMUND]
    store.add(
        SurveyResponse(
            lat=lat,
            lon=lon,
            discipline="design",
            identity_text="<script>alert(1)</script> **fett** {{7*7}}",
            moderation="published",
        )
    )
    at = run()
    texts = next(d.value for d in at.dataframe if t("survey_col_text", "de") in d.value.columns)
    assert "<script>alert(1)</script> **fett** {{7*7}}" in set(texts[t("survey_col_text", "de")])
    assert t("municipality", "de") not in texts.columns  # no municipality next to a text
    rendered = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("alert(1)" in v or "49" in v for v in rendered)


def test_too_few_in_the_whole_region_shows_no_results(store: Store) -> None:
    publish(store, {SELM: 4})
    at = run("en")
    assert t("survey_region_too_few", "en") in [i.value for i in at.info]
    assert t("survey_chart_none", "en") in [i.value for i in at.info]
    assert [i.value for i in at.info].count(t("survey_region_too_few", "en")) == 2  # + texts
    assert not at.get("vega_lite_chart")
    assert not any(d.value.shape[0] and "Antwort" in str(d.value.values) for d in at.dataframe)


def test_demo_answers_are_announced(store: Store) -> None:
    at = run("en")
    assert not [i for i in at.info if "Demo" in i.value]
    lat, lon = POINTS[ESSEN]
    store.add_many(
        [
            SurveyResponse(
                lat=lat, lon=lon, discipline="music", source="demo", moderation="published"
            )
            for _ in range(6)
        ]
    )
    st.cache_resource.clear()
    notice = t("demo_survey_notice_other", "en").format(n="6")
    assert notice in [i.value for i in run("en").info]


def test_municipalities_in_german_order_and_means_with_a_decimal_comma(store: Store) -> None:
    import pyarrow as pa

    from heimatruhr_geo.formatting import sort_key

    publish(store, {SELM: 5, DORTMUND: 30, ESSEN: 12})
    at = run()
    options = at.selectbox(key="survey_ags").options
    assert options == sorted(options, key=sort_key) and len(options) == 53
    assert options.index("Bönen") < options.index("Bottrop")  # not after all B…
    counties = at.multiselect(key="survey_f_counties").options
    assert counties == sorted(counties, key=sort_key)
    frame = next(d for d in at.dataframe if t("municipality", "de") in d.value.columns)
    names = frame.value[t("municipality", "de")].tolist()
    assert names == sorted(names, key=sort_key)
    shown = pa.ipc.open_stream(frame.proto.arrow_data.styler.display_values).read_all()
    means = shown.to_pandas().iloc[:, 3].tolist()  # the first rating's mean, as shown
    assert any("," in m for m in means) and not any("." in m for m in means), means
