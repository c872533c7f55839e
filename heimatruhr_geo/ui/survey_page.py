"""The #heimatruhr survey: the anonymous form and its k-anonymous results.

Everything shown comes from :func:`heimatruhr_geo.survey.selection_results`, which hides
every figure below k = 5, applied to :func:`heimatruhr_geo.ui.resources.survey`: the demo
answers while no real answer exists, else the last release
(:mod:`heimatruhr_geo.survey_release`), never live answers. User text is shown only in
``st.dataframe`` cells (never as markdown or HTML) and only for the region as a whole.
The results' filters are mirrored into the URL (``?discipline=music&counties=05978,05913``).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from heimatruhr_geo.abuse import Verdict, honeypot_filled
from heimatruhr_geo.boundaries import COUNTIES
from heimatruhr_geo.formatting import (
    format_date,
    format_number,
    format_percent,
    sort_key,
    vega_locale,
)
from heimatruhr_geo.i18n import number, t
from heimatruhr_geo.models import Discipline, label
from heimatruhr_geo.questionnaire import (
    MAX_TEXT_CHARS,
    QUESTIONS,
    SCALE,
    Kind,
    Question,
    municipality_points,
    response_from_form,
)
from heimatruhr_geo.survey import (
    ALL_RATINGS,
    DISCIPLINES,
    K,
    Selection,
    SelectionResults,
    results_csv,
    selection_results,
)
from heimatruhr_geo.survey_release import PublicSurvey
from heimatruhr_geo.ui import resources
from heimatruhr_geo.ui.common import demo_notice
from heimatruhr_geo.ui.guard import check_submission, honeypot_field, limit_message

FORM_KEY = "survey"
_SEEDED = "_survey_filters_seeded"
CHART_HEIGHT_PER_ROW = 22


@st.cache_resource
def _points() -> dict[str, tuple[float, float]]:
    """Return a point inside each municipality, computed once per process."""
    return municipality_points(resources.municipalities())


def render() -> None:
    """Draw the survey page: the form and the results in two tabs."""
    lang = st.session_state.get("lang", "de")
    st.title(t("survey_title", lang))
    st.write(t("survey_intro", lang))
    form_tab, results_tab = st.tabs([t("survey_tab_form", lang), t("survey_tab_results", lang)])
    with form_tab:
        _form(lang)
    with results_tab:
        _results(lang)


# ---------------------------------------------------------------------------- the form


def _form(lang: str) -> None:
    st.info(t("survey_privacy", lang))
    values: dict[str, Any] = {}
    with st.form("survey_form"):
        st.subheader(t("survey_form_title", lang))
        for question in QUESTIONS:
            values[question.key] = _widget(question, lang)
        honeypot = honeypot_field(FORM_KEY, lang)
        sent = st.form_submit_button(t("survey_submit", lang), type="primary")
    if sent:
        _submit(values, honeypot, lang)


def _widget(question: Question, lang: str) -> Any:
    """Draw the widget of one question and return its value (``None``: no answer)."""
    text = question.text(lang)
    if not question.required:
        text = f"{text} {t('survey_optional', lang)}"
    key = f"survey_{question.key}"
    if question.kind is Kind.DISCIPLINE:
        return st.selectbox(
            text,
            options=list(DISCIPLINES),
            format_func=lambda v: label(Discipline(v), lang),
            index=None,
            placeholder=t("survey_choose", lang),
            key=key,
        )
    if question.kind is Kind.MUNICIPALITY:
        munis = resources.municipalities()
        names = dict(zip(munis["ags"], munis["name"], strict=True))
        return st.selectbox(
            text,
            options=sorted(names, key=lambda a: (sort_key(names[a]), a)),
            format_func=names.__getitem__,
            index=None,
            placeholder=t("survey_choose", lang),
            key=key,
        )
    if question.kind is Kind.RATING:
        low, high = question.scale(lang)
        return st.radio(
            text,
            options=list(SCALE),
            index=None,
            horizontal=True,
            captions=[low, "", "", "", high],
            key=key,
        )
    return st.text_area(text, max_chars=MAX_TEXT_CHARS, key=key)


def _submit(values: dict[str, Any], honeypot: str, lang: str) -> None:
    """Store a valid response, or say what is wrong; a bot gets the usual thank-you."""
    if honeypot_filled(honeypot):
        st.success(t("survey_thanks", lang))
        return
    result = response_from_form(values, _points(), lang)
    if result.response is None:
        st.error(t("survey_errors", lang))
        for key, message in result.problems.items():
            st.error(f"{t(f'survey_field_{key}', lang)}: {message}")
        return
    verdict = check_submission(honeypot)
    if verdict is Verdict.LIMITED:
        st.warning(limit_message(lang))
        return
    if verdict is Verdict.OK:
        resources.store().add(result.response)
    st.success(t("survey_thanks", lang))


# ---------------------------------------------------------------------------- the results


def _results(lang: str) -> None:
    st.caption(t("survey_k_note", lang))
    selection = _filters(lang)
    shown = resources.survey()  # demo answers or the last release, never live answers
    results = selection_results(shown.answers, resources.municipalities(), selection)
    demo_notice(lang, survey=True)
    _release_note(shown, lang)
    _summary(results, lang)
    _table(results, lang)
    _chart(results, lang)
    _texts(shown.texts, len(shown.answers), lang)
    st.download_button(
        t("survey_download", lang),
        data=results_csv(results, lang),
        file_name="heimatruhr-umfrage.csv",
        mime="text/csv",
        on_click="ignore",
        key="survey_download",
    )


def _release_note(shown: PublicSurvey, lang: str) -> None:
    """Say which release is shown, and that results change only in steps of k."""
    if shown.demo:
        return
    if shown.release is None:
        st.info(t("survey_release_none", lang))
        return
    release = shown.release
    st.caption(
        t("survey_release_shown", lang).format(
            number=number(release.number, lang),
            date=format_date(release.created_at.date(), lang),
            n=number(release.responses, lang),
        )
    )


def _seed_filters() -> None:
    """On a session's first run, take the filters from the URL; unknown values are dropped."""
    if st.session_state.get(_SEEDED):
        return
    st.session_state[_SEEDED] = True
    discipline = st.query_params.get("discipline")
    if discipline in DISCIPLINES:
        st.session_state["survey_f_discipline"] = discipline
    counties = str(st.query_params.get("counties") or "").split(",")
    st.session_state["survey_f_counties"] = [c for c in counties if c in COUNTIES]


def _publish(selection: Selection) -> None:
    """Mirror the filters into the URL, so that a view can be shared."""
    for key in ("discipline", "counties"):
        if key in st.query_params:
            del st.query_params[key]
    if selection.discipline:
        st.query_params["discipline"] = selection.discipline
    if selection.counties:
        st.query_params["counties"] = ",".join(sorted(selection.counties))


def _filters(lang: str) -> Selection:
    _seed_filters()
    left, right = st.columns(2)
    discipline = left.selectbox(
        t("survey_filter_discipline", lang),
        options=[None, *DISCIPLINES],
        format_func=lambda v: (
            t("survey_all_disciplines", lang) if v is None else label(Discipline(v), lang)
        ),
        key="survey_f_discipline",
    )
    counties = right.multiselect(
        t("survey_filter_counties", lang),
        options=sorted(COUNTIES, key=lambda c: sort_key(COUNTIES[c])),
        format_func=COUNTIES.__getitem__,
        placeholder=t("survey_all", lang),
        key="survey_f_counties",
    )
    selection = Selection(discipline=discipline, counties=tuple(counties))
    _publish(selection)
    return selection


def _field(rating: str, lang: str) -> str:
    return t(f"survey_field_{rating}", lang)


def _summary(results: SelectionResults, lang: str) -> None:
    discipline = results.selection.discipline
    title = (
        t("survey_summary_region", lang)
        if discipline is None
        else t("survey_summary_discipline", lang).format(
            discipline=label(Discipline(discipline), lang)
        )
    )
    st.subheader(title)
    summary = results.summary
    if summary.suppressed or summary.responses is None:
        st.info(t("survey_region_too_few", lang))
        return
    cols = st.columns(1 + len(ALL_RATINGS))
    cols[0].metric(t("survey_responses", lang), format_number(summary.responses, lang))
    for col, rating in zip(cols[1:], ALL_RATINGS, strict=True):
        mean = summary.rating_means.get(rating)
        col.metric(
            t("survey_mean", lang).format(question=_field(rating, lang)),
            t("survey_no_value", lang) if mean is None else format_number(mean, lang, 1),
        )
    if discipline is None:
        shares = summary.disciplines
        shown = pd.DataFrame(
            {
                t("survey_filter_discipline", lang): [
                    label(Discipline(d), lang) for d in shares["discipline"]
                ],
                t("survey_responses", lang): _counts(shares["responses"], lang),
                t("survey_share", lang): shares["share"].astype("Float64") * 100,
            }
        )
        share = t("survey_share", lang)
        styled = shown.style.format(
            {share: partial(_percent, lang=lang)}, na_rep="–"
        )  # numbers stay numbers (sorting); the Styler writes them as the language does
        with st.expander(t("survey_disciplines_title", lang)):
            st.dataframe(
                styled, hide_index=True, column_config={share: st.column_config.NumberColumn()}
            )


def _percent(value: float, lang: str) -> str:
    return format_percent(value / 100, lang)


def _counts(values: pd.Series, lang: str) -> list[str]:  # type: ignore[type-arg]
    """Return counts as text; hidden ones read "too few responses"."""
    return [
        t("too_few_responses", lang) if pd.isna(v) else format_number(int(v), lang) for v in values
    ]


def _table(results: SelectionResults, lang: str) -> None:
    st.subheader(t("survey_table_title", lang))
    table = results.table
    shown = pd.DataFrame(
        {
            t("municipality", lang): table["name"],
            t("county", lang): table["county"],
            t("survey_responses", lang): _counts(table["responses"], lang),
        }
    )
    config = {}
    formats = {}
    for rating in ALL_RATINGS:
        name = t("survey_mean", lang).format(question=_field(rating, lang))
        shown[name] = table[f"{rating}_mean"].round(1)
        config[name] = st.column_config.NumberColumn()
        formats[name] = partial(format_number, lang=lang, decimals=1)
    names = shown[t("municipality", lang)].astype(str)
    shown = shown.iloc[sorted(range(len(shown)), key=lambda i: sort_key(names.iloc[i]))]
    styled = shown.style.format(formats, na_rep="–")  # type: ignore[arg-type]
    st.dataframe(styled, hide_index=True, width="stretch", column_config=config, key="survey_table")


def _chart(results: SelectionResults, lang: str) -> None:
    st.subheader(t("survey_chart_title", lang))
    data = results.distributions
    if data.empty:
        st.info(t("survey_chart_none", lang))
        return
    rating = st.selectbox(
        t("survey_chart_question", lang),
        options=[r for r in ALL_RATINGS if r in set(data["question"])],
        format_func=lambda r: _field(r, lang),
        key="survey_chart_question",
    )
    rows = data[data["question"] == rating].copy()
    region = t("survey_summary_region", lang)
    rows["cell"] = rows["name"].where(rows["ags"] != "", region)
    rows["order"] = (rows["ags"] != "").astype(int)
    rows["percent"] = (rows["share"] * 100).round(1)
    spec = {
        "mark": {"type": "bar"},
        "height": CHART_HEIGHT_PER_ROW * rows["cell"].nunique(),
        "encoding": {
            "x": {
                "field": "share",
                "type": "quantitative",
                "stack": "normalize",
                "axis": {"format": "%"},
                "title": t("survey_share", lang),
            },
            "y": {
                "field": "cell",
                "type": "nominal",
                "sort": {"field": "order"},
                "title": None,
            },
            "color": {
                "field": "rating",
                "type": "ordinal",
                "scale": {"scheme": "redyellowgreen"},
                "title": t("survey_chart_rating", lang),
            },
            "order": {"field": "rating"},
            "tooltip": [
                {"field": "cell", "title": t("municipality", lang)},
                {"field": "rating", "title": t("survey_chart_rating", lang)},
                {
                    "field": "percent",
                    "type": "quantitative",
                    "title": t("survey_share", lang),
                    "format": ",.1f",
                },
            ],
        },
        "config": {"locale": vega_locale(lang)},
    }
    chart_data = rows[["cell", "order", "rating", "share", "percent"]]
    st.vega_lite_chart(chart_data, spec, width="stretch", key="survey_chart")


def _texts(texts: pd.DataFrame, responses: int, lang: str) -> None:
    st.subheader(t("survey_texts_title", lang))
    st.caption(t("survey_texts_note", lang))
    if texts.empty:
        too_few = responses < K
        st.info(t("survey_region_too_few" if too_few else "survey_texts_none", lang))
        return
    shown = pd.DataFrame(
        {
            t("survey_col_question", lang): [_field(q, lang) for q in texts["question"]],
            t("survey_col_text", lang): texts["text"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="survey_texts")
