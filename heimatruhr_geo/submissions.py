"""Public submissions: form values to a pending record, or one message per bad field.

Two forms feed the map: a proposal of a creative space (layer ``spaces``) and a report of
a vacant building (layer ``vacant``). :func:`submission_from_form` takes what a form sent
(field name -> raw value, ``None`` or blank for nothing) and the chosen
:class:`Location`, and returns either a record to store or, per bad field, a message in
the user's language (:data:`FIELDS` lists the form fields in the order they are asked).

Every submission is stored ``pending`` with source ``form``: the public sees it only
after a moderator publishes it. Its project status is ``proposed`` and its vacancy status
``vacant`` whatever the form sends. User text is kept as typed (only surrounding
whitespace is stripped): it is escaped where it is shown, never on the way in. The
submitter's name and e-mail are optional; the store keeps them apart from the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.formatting import format_number
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import (
    AVAILABILITY,
    FACILITIES,
    CreativeSpace,
    GeocodePrecision,
    Moderation,
    ProjectStatus,
    Record,
    Source,
    VacancyStatus,
    VacantBuilding,
)
from heimatruhr_geo.spatial import MunicipalityIndex, assign_municipalities, default_index

FormLayer = Literal["spaces", "vacant"]
FORM_LAYERS: tuple[FormLayer, ...] = ("spaces", "vacant")

LOCATION = "location"
"""Problem key of the location (the point, chosen by address or pin)."""
ADDRESS_FIELDS = ("street", "postcode", "city")
CONTACT_FIELDS = ("contact_name", "contact_email")
FIELDS: dict[FormLayer, tuple[str, ...]] = {
    "spaces": (
        "title",
        "project_type",
        "description",
        "website",
        "contact_public",
        *ADDRESS_FIELDS,
        *CONTACT_FIELDS,
    ),
    "vacant": (
        "title",
        "building_type",
        "description",
        "owner_type",
        "vacant_since",
        "degree",
        "floors",
        "floor_area_m2",
        "rent_band",
        *AVAILABILITY,
        *FACILITIES,
        "contact_public",
        *ADDRESS_FIELDS,
        *CONTACT_FIELDS,
    ),
}
"""The fields each form sends, in the order the form asks them."""
REQUIRED: dict[FormLayer, tuple[str, ...]] = {
    "spaces": ("title", "project_type"),
    "vacant": ("title", "building_type"),
}
"""Fields without which a submission is refused (besides the location)."""

_MODELS: dict[FormLayer, type[CreativeSpace] | type[VacantBuilding]] = {
    "spaces": CreativeSpace,
    "vacant": VacantBuilding,
}
_FIXED: dict[FormLayer, dict[str, Any]] = {
    "spaces": {"status": ProjectStatus.PROPOSED},
    "vacant": {"status": VacancyStatus.VACANT},
}
_PLACEHOLDER = (7.0116, 51.4556)
"""A point in Essen, used only to check the other fields when no location is chosen."""
_VALUE_ERRORS = {
    "contact_email": "submit_err_email",
    "website": "submit_err_url",
    "postcode": "submit_err_postcode",
}
_TYPE_MESSAGES = {
    "missing": "submit_err_required",
    "string_too_short": "submit_err_required",
    "enum": "submit_err_choice",
    "bool_parsing": "submit_err_choice",
    "bool_type": "submit_err_choice",
    "int_parsing": "submit_err_integer",
    "int_from_float": "submit_err_integer",
    "int_type": "submit_err_integer",
    "float_parsing": "submit_err_number",
    "float_type": "submit_err_number",
    "finite_number": "submit_err_number",
    "date_parsing": "submit_err_date",
    "date_from_datetime_parsing": "submit_err_date",
    "date_from_datetime_inexact": "submit_err_date",
    "date_type": "submit_err_date",
    "extra_forbidden": "submit_err_unknown",
}
_RANGE_TYPES = frozenset({"greater_than_equal", "less_than_equal", "greater_than", "less_than"})


@dataclass(frozen=True)
class Location:
    """A point chosen for a submission, inside one of the 53 municipalities.

    Attributes
    ----------
    lon, lat
        WGS84 coordinates.
    ags, municipality
        The municipality key and official name derived from the point.
    precision, source
        How precise the point is (``exact`` for a pin, else the geocoder's precision) and
        where it came from (``pin``, or the geocoder's source: cache, nominatim, ...).
    label
        What the geocoder matched (e.g. Nominatim's display name); ``""`` for a pin.
        Text from outside: escape it before it reaches markup.
    """

    lon: float
    lat: float
    ags: str
    municipality: str
    precision: GeocodePrecision
    source: str
    label: str = ""


@dataclass(frozen=True)
class Submission:
    """What :func:`submission_from_form` made of a form.

    Attributes
    ----------
    record
        The pending record to store, ``None`` when there are problems.
    problems
        Field name (or ``"location"``) -> message in the form's language; empty when
        ``record`` is set.
    """

    record: CreativeSpace | VacantBuilding | None
    problems: dict[str, str] = field(default_factory=dict)


def submission_from_form(
    layer: FormLayer,
    values: Mapping[str, Any],
    location: Location | None,
    lang: str = "de",
    *,
    index: MunicipalityIndex | None = None,
) -> Submission:
    """Check a submitted form and build a pending record from it.

    Parameters
    ----------
    layer
        ``"spaces"`` (propose a creative space) or ``"vacant"`` (report a vacant building).
    values
        Field name (see :data:`FIELDS`) -> what the form sent: text, an enum value, a
        date, a bool, or ``None``/blank for nothing. Numbers may be text with a German
        decimal comma, dates text as ``01.03.2027`` or ISO.
    location
        The chosen point, ``None`` when none was chosen.
    lang
        Language of the messages (``"de"`` or ``"en"``).
    index
        Municipality index used to check that the point lies in the Ruhr; the one over
        the shipped boundaries when omitted.

    Returns
    -------
    Submission
        The record (``pending``, source ``form``) or one message per bad field, never both.

    Raises
    ------
    InputError
        If ``layer`` is not one of :data:`FORM_LAYERS`.

    Examples
    --------
    >>> where = Location(7.2162, 51.4818, "05911000", "Bochum", "exact", "pin")
    >>> ok = submission_from_form("spaces", {"title": "Atelier", "project_type": "studio"}, where)
    >>> ok.record.moderation.value, ok.problems
    ('pending', {})
    >>> submission_from_form("spaces", {"title": " "}, where, "en").problems
    {'title': 'Please fill this in.', 'project_type': 'Please fill this in.'}
    """
    if layer not in FORM_LAYERS:
        raise InputError(f"layer={layer!r} is not allowed; use one of {list(FORM_LAYERS)}")
    problems = {
        name: t("submit_err_unknown", lang) for name in sorted(set(values) - set(FIELDS[layer]))
    }
    clean = {
        name: _clean(values[name]) for name in FIELDS[layer] if _clean(values.get(name)) is not None
    }
    if location is None:
        problems[LOCATION] = t("submit_err_location", lang)
    elif not _inside(location, index):
        problems[LOCATION] = t("submit_err_outside", lang)
    lon, lat = (location.lon, location.lat) if location is not None else _PLACEHOLDER
    data = {
        **clean,
        **_FIXED[layer],
        "lon": lon,
        "lat": lat,
        "source": Source.FORM,
        "moderation": Moderation.PENDING,
        "geocode_precision": location.precision if location else None,
        "geocode_source": location.source if location else None,
    }
    model = _MODELS[layer]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            name, message = _problem(err, model, lang)
            problems.setdefault(name, message)
        return Submission(None, _ordered(problems, layer))
    if problems:
        return Submission(None, _ordered(problems, layer))
    return Submission(record)


def field_label(name: str, lang: str = "de") -> str:
    """Return the name of form field ``name`` (or ``"location"``) in ``lang``."""
    return t(f"submit_field_{name}", lang)


def problem_lines(problems: Mapping[str, str], lang: str = "de") -> list[str]:
    """Return each problem as ``"<field name>: <message>"``, in the order given."""
    return [f"{field_label(name, lang)}: {message}" for name, message in problems.items()]


def _clean(value: Any) -> Any:
    """Strip text; blank text and ``None`` become ``None`` (the model's default applies)."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _inside(location: Location, index: MunicipalityIndex | None) -> bool:
    ags = assign_municipalities([location.lon], [location.lat], index=index or default_index())
    return bool(ags[0])


def _ordered(problems: dict[str, str], layer: FormLayer) -> dict[str, str]:
    """Return the problems in form order: location first, then the fields, then the rest."""
    order = [LOCATION, *FIELDS[layer]]
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(problems.items(), key=lambda item: rank.get(item[0], len(order))))


def _problem(err: ErrorDetails, model: type[Record], lang: str) -> tuple[str, str]:
    """Return ``(field, message)`` for one pydantic error."""
    kind = err["type"]
    if not err["loc"]:  # a check across fields; the only one a form can break is the period
        if "available_from" in str(err["msg"]):
            return "available_until", t("submit_err_date_order", lang)
        return "record", t("submit_err_invalid", lang)
    name = str(err["loc"][0])
    if name in ("lat", "lon"):
        return LOCATION, t("submit_err_outside", lang)
    if kind == "string_too_long":
        limit = int(err.get("ctx", {}).get("max_length", 0))
        text = t("submit_err_too_long", lang)
        return name, text.format(
            max=format_number(limit, lang), n=format_number(len(str(err["input"])), lang)
        )
    if kind in _RANGE_TYPES:
        low, high = _bounds(model, name, lang)
        return name, t("submit_err_range", lang).format(min=low, max=high)
    if kind == "value_error" and name in _VALUE_ERRORS:
        return name, t(_VALUE_ERRORS[name], lang)
    return name, t(_TYPE_MESSAGES.get(kind, "submit_err_invalid"), lang)


def _bounds(model: type[Record], name: str, lang: str) -> tuple[str, str]:
    """Return the allowed range of a number field as text (``"–"`` for an open end)."""
    bounds: dict[str, float] = {}
    for item in model.model_fields[name].metadata:
        for attr, side in (("ge", "low"), ("gt", "low"), ("le", "high"), ("lt", "high")):
            if hasattr(item, attr):
                bounds[side] = float(getattr(item, attr))
    low, high = (format_number(bounds[s], lang) if s in bounds else "–" for s in ("low", "high"))
    return low, high
