"""The survey's questions and form checks: valid answers become an anonymous response."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest

from heimatruhr_geo.i18n import LABELS, t
from heimatruhr_geo.models import Moderation, Source, SurveyResponse
from heimatruhr_geo.questionnaire import (
    MAX_TEXT_CHARS,
    QUESTIONS,
    Kind,
    municipality_points,
    response_from_form,
)
from heimatruhr_geo.store import Filters, Store

SELM = "05978032"
DAY = date(2026, 3, 14)


@pytest.fixture(scope="module")
def points(municipalities: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    return municipality_points(municipalities)


def valid(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "discipline": "music",
        "ags": SELM,
        "identity_text": "Die Zeche um die Ecke.",
        "places_text": "",
        "identity_rating": 4,
        "space_rating": 2,
        "region_rating": None,
        "vacancy_rating": 5,
    }
    return values | changes


def test_questions_have_texts_in_both_languages() -> None:
    keys = [q.key for q in QUESTIONS]
    assert len(keys) == len(set(keys))
    fields = set(SurveyResponse.attribute_fields()) | {"ags"}
    assert set(keys) <= fields
    assert {"identity_text", "places_text", "discipline", "ags"} <= set(keys)
    for question in QUESTIONS:
        for lang in ("de", "en"):
            assert question.text(lang)
            assert t(f"survey_field_{question.key}", lang)
            if question.kind is Kind.RATING:
                low, high = question.scale(lang)
                assert low.startswith("1") and high.startswith("5")
    assert QUESTIONS[2].text("en") == "What significance does local identity carry for you?"
    assert set(LABELS["de"]) == set(LABELS["en"])


def test_valid_form_gives_an_anonymous_pending_response(
    points: dict[str, tuple[float, float]],
) -> None:
    result = response_from_form(valid(), points, "de", today=DAY)
    assert result.problems == {}
    response = result.response
    assert isinstance(response, SurveyResponse)
    assert response.moderation is Moderation.PENDING and response.source is Source.FORM
    assert (response.lat, response.lon) == points[SELM]
    assert response.created_at == response.updated_at == datetime(2026, 3, 14, tzinfo=UTC)
    assert not (response.contact_name or response.contact_email or response.street)
    assert response.identity_rating == 4 and response.region_rating is None
    assert response.discipline == "music" and response.identity_text == "Die Zeche um die Ecke."


def test_today_defaults_to_midnight_utc(points: dict[str, tuple[float, float]]) -> None:
    response = response_from_form(valid(), points).response
    assert response is not None
    assert response.created_at.date() == datetime.now(UTC).date()
    assert (response.created_at.hour, response.created_at.minute) == (0, 0)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("discipline", None, "survey_err_required"),
        ("discipline", "juggling", "survey_err_choice"),
        ("ags", None, "survey_err_required"),
        ("ags", "05315000", "survey_err_municipality"),  # Köln is not in the Ruhr
        ("identity_rating", None, "survey_err_required"),
        ("identity_rating", 6, "survey_err_rating"),
        ("space_rating", None, "survey_err_required"),
        ("space_rating", "3", "survey_err_rating"),
        ("region_rating", 0, "survey_err_rating"),
        ("vacancy_rating", True, "survey_err_rating"),
        ("identity_text", "Schreiben Sie mir: kunst@example.org", "survey_err_personal"),
        ("places_text", "Ruf an: 0234 1234567", "survey_err_personal"),
        ("places_text", "mehr auf www.mein-atelier.de", "survey_err_personal"),
        ("identity_text", "folgt @atelier_ruhr", "survey_err_personal"),
        ("identity_text", "x" * (MAX_TEXT_CHARS + 1), "survey_err_too_long"),
    ],
)
@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_bad_field_gets_its_message(
    points: dict[str, tuple[float, float]], field: str, value: Any, message: str, lang: str
) -> None:
    result = response_from_form(valid(**{field: value}), points, lang)
    assert result.response is None
    assert list(result.problems) == [field]
    expected = t(message, lang)
    if message == "survey_err_too_long":
        expected = expected.format(max="2.000" if lang == "de" else "2,000", n=
                                   "2.001" if lang == "de" else "2,001")  # fmt: skip
    assert result.problems[field] == expected


@pytest.mark.parametrize(
    "text",
    ["Seit 2019-2024 in Bochum", "PLZ 44793, Hausnummer 5", "Wir @ Zeche Zollverein", "50 %"],
)
def test_ordinary_texts_are_not_taken_for_personal_data(
    points: dict[str, tuple[float, float]], text: str
) -> None:
    assert response_from_form(valid(identity_text=text), points).problems == {}


def test_several_problems_and_unknown_fields_at_once(
    points: dict[str, tuple[float, float]],
) -> None:
    values = valid(discipline="", ags=None, email="a@b.de")
    result = response_from_form(values, points, "en")
    assert result.response is None
    assert set(result.problems) == {"discipline", "ags", "email"}
    assert result.problems["email"] == t("survey_err_unknown", "en")


def test_exactly_the_longest_text_is_allowed(points: dict[str, tuple[float, float]]) -> None:
    result = response_from_form(valid(places_text="y" * MAX_TEXT_CHARS), points)
    assert result.response is not None and len(result.response.places_text) == MAX_TEXT_CHARS


def test_every_municipality_point_lands_in_its_municipality(
    points: dict[str, tuple[float, float]], tmp_path: Path
) -> None:
    assert len(points) == 53
    store = Store(f"sqlite:///{tmp_path / 'points.sqlite'}")
    try:
        responses = []
        for ags in points:
            response = response_from_form(valid(ags=ags), points).response
            assert response is not None
            responses.append(response)
        store.add_many(responses)
        stored = store.query("survey", Filters(), public=False)
        by_id = dict(zip(stored["id"], stored["ags"], strict=True))
        assert [by_id[r.id] for r in responses] == list(points)
        assert set(stored["moderation"]) == {"pending"}
        assert store.survey_answers().empty  # pending responses are not counted
    finally:
        store.close()
