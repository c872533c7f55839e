"""The #heimatruhr artists' survey as data, and form answers turned into a response.

The questions (:data:`QUESTIONS`) name the :class:`~heimatruhr_geo.models.SurveyResponse`
field they fill, their kind and whether they are required; their German and English texts
are the labels ``survey_q_<key>`` (and ``survey_scale_<key>_low/high`` for ratings) in
:mod:`heimatruhr_geo.labels.survey_form`.

:func:`response_from_form` checks what a form sent and returns either an anonymous
response or one message per bad field. A response carries no personal identifier: no
name, e-mail, address, IP or session; its place is the representative point of the
chosen municipality (:func:`municipality_points`) and its time is midnight UTC of the
day, so that neither can link it to a person. Free texts that contain an e-mail address,
a phone number, a web address or an @-handle are refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

import geopandas as gpd
from pydantic import ValidationError

from heimatruhr_geo.formatting import format_number
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import Discipline, Moderation, Source, SurveyResponse

MAX_TEXT_CHARS = 2000
"""Longest free-text answer (the model's limit)."""
SCALE = (1, 2, 3, 4, 5)


class Kind(StrEnum):
    """How a question is asked."""

    DISCIPLINE = "discipline"
    MUNICIPALITY = "municipality"
    RATING = "rating"
    TEXT = "text"


@dataclass(frozen=True)
class Question:
    """One survey question.

    Attributes
    ----------
    key
        The :class:`~heimatruhr_geo.models.SurveyResponse` field it fills (``ags`` for
        the municipality, which becomes ``lat``/``lon``).
    kind
        How it is asked and checked.
    required
        Whether the form refuses a response without it.
    """

    key: str
    kind: Kind
    required: bool

    def text(self, lang: str) -> str:
        """Return the question in ``lang``."""
        return t(f"survey_q_{self.key}", lang)

    def scale(self, lang: str) -> tuple[str, str]:
        """Return what 1 and 5 mean (ratings only)."""
        return t(f"survey_scale_{self.key}_low", lang), t(f"survey_scale_{self.key}_high", lang)


QUESTIONS: tuple[Question, ...] = (
    Question("discipline", Kind.DISCIPLINE, required=True),
    Question("ags", Kind.MUNICIPALITY, required=True),
    Question("identity_text", Kind.TEXT, required=False),
    Question("places_text", Kind.TEXT, required=False),
    Question("identity_rating", Kind.RATING, required=True),
    Question("space_rating", Kind.RATING, required=True),
    Question("region_rating", Kind.RATING, required=False),
    Question("vacancy_rating", Kind.RATING, required=False),
)
"""The survey in the order the form asks it."""

_PERSONAL = re.compile(
    r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"  # e-mail address
    r"|(?<![\w@])@\w{2,}"  # @-handle
    r"|https?://|www\.\S"  # web address
    r"|(?:\+|\b)\d(?:[\s/().-]*\d){8,}",  # 9 or more digits: a phone number
)


@dataclass(frozen=True)
class FormResult:
    """What :func:`response_from_form` made of a form.

    Attributes
    ----------
    response
        The response to store, ``None`` when there are problems.
    problems
        Question key -> message (in the form's language), one per bad field.
    """

    response: SurveyResponse | None
    problems: dict[str, str] = field(default_factory=dict)


def municipality_points(municipalities: gpd.GeoDataFrame) -> dict[str, tuple[float, float]]:
    """Return a point inside each municipality as ``{ags: (lat, lon)}`` (EPSG:4326).

    Shapely's representative point lies inside its polygon (unlike a centroid), so the
    store assigns a response to the municipality that was chosen.
    """
    shapes = municipalities.to_crs("EPSG:4326")
    points = shapes.geometry.representative_point()
    return {
        str(a): (float(y), float(x))
        for a, x, y in zip(shapes["ags"], points.x, points.y, strict=True)
    }


def response_from_form(
    values: Mapping[str, Any],
    points: Mapping[str, tuple[float, float]],
    lang: str = "de",
    today: date | None = None,
) -> FormResult:
    """Check a submitted form and build an anonymous, pending survey response.

    Parameters
    ----------
    values
        Question key -> what the form sent (``None`` or ``""`` for no answer); keys
        that are not questions are refused.
    points
        :func:`municipality_points`: the allowed municipalities and their points.
    lang
        Language of the messages.
    today
        The day the response is stored (default: today in UTC); its time is midnight.

    Returns
    -------
    FormResult
        The response, or one message per bad field (naming the field and what is
        allowed); never both.
    """
    unknown = sorted(set(values) - {q.key for q in QUESTIONS})
    problems: dict[str, str] = {key: t("survey_err_unknown", lang) for key in unknown}
    clean: dict[str, Any] = {}
    for question in QUESTIONS:
        value = _blank_to_none(values.get(question.key))
        if value is None:
            if question.required:
                problems[question.key] = t("survey_err_required", lang)
            continue
        checked = _check(question, value, points, lang)
        if isinstance(checked, _Problem):
            problems[question.key] = checked.message
        else:
            clean[question.key] = checked
    if problems:
        return FormResult(None, problems)
    return _build(clean, points, today or datetime.now(UTC).date(), lang)


@dataclass(frozen=True)
class _Problem:
    message: str


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _check(
    question: Question, value: Any, points: Mapping[str, tuple[float, float]], lang: str
) -> Any:
    """Return the clean value, or a :class:`_Problem`."""
    if question.kind is Kind.DISCIPLINE:
        allowed = [d.value for d in Discipline]
        return str(value) if str(value) in allowed else _Problem(t("survey_err_choice", lang))
    if question.kind is Kind.MUNICIPALITY:
        key = str(value)
        return key if key in points else _Problem(t("survey_err_municipality", lang))
    if question.kind is Kind.RATING:
        ok = isinstance(value, int) and not isinstance(value, bool) and value in SCALE
        return value if ok else _Problem(t("survey_err_rating", lang))
    text = str(value).strip()
    if len(text) > MAX_TEXT_CHARS:
        message = t("survey_err_too_long", lang)
        return _Problem(
            message.format(
                max=format_number(MAX_TEXT_CHARS, lang), n=format_number(len(text), lang)
            )
        )
    if _PERSONAL.search(text):
        return _Problem(t("survey_err_personal", lang))
    return text


def _build(
    clean: dict[str, Any], points: Mapping[str, tuple[float, float]], day: date, lang: str
) -> FormResult:
    lat, lon = points[clean.pop("ags")]
    midnight = datetime.combine(day, time(0, 0), tzinfo=UTC)
    try:
        response = SurveyResponse(
            lat=lat,
            lon=lon,
            source=Source.FORM,
            moderation=Moderation.PENDING,
            created_at=midnight,
            updated_at=midnight,
            geocode_precision="municipality",
            geocode_source="survey_form",
            **clean,
        )
    except ValidationError as exc:  # a check above missed something: report, store nothing
        fields = {str(e["loc"][0]) if e["loc"] else "ags" for e in exc.errors()}
        return FormResult(None, {f: t("survey_err_invalid", lang) for f in fields})
    return FormResult(response)
