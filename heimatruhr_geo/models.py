"""Records of the three map layers, their taxonomies and their validation.

Three layers (see ``docs/data.md`` and ``docs/architecture.md``):

* ``spaces``: creative spaces and projects (:class:`CreativeSpace`),
* ``vacant``: vacant buildings open to creative use (:class:`VacantBuilding`),
* ``survey``: survey responses of artists and creatives (:class:`SurveyResponse`).

Every record carries a stable ``id``, ``created_at``/``updated_at`` (UTC), a ``source``
(form, import, demo), a ``moderation`` state (the public sees only ``published``) and
WGS84 coordinates inside the Ruhr's bounding box. The municipality is *not* a field: the
store derives it from the coordinates. Submitter contact data (``contact_name``,
``contact_email``) lives on the record object but is stored apart from the public fields
and never leaves the store through a public query or export.

Taxonomies are :class:`enum.StrEnum` classes (:data:`TAXONOMIES`) whose German and English
labels are in :mod:`heimatruhr_geo.labels.taxonomy`; :func:`label` looks one up.
"""

from __future__ import annotations

import re
import typing
import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.i18n import t

Layer = Literal["spaces", "vacant", "survey"]
LAYERS: tuple[Layer, ...] = ("spaces", "vacant", "survey")

GeocodePrecision = Literal["exact", "address", "street", "district", "municipality"]
"""How precise a record's point is (``geocode_precision``), from best to worst.

``exact``: coordinates given (an import's columns, a pin on the map, or placed by a
moderator); ``address``: a house or building found by the address service (or a station
in the gazetteer); ``street``: a street; ``district``: the centre of a district;
``municipality``: only the municipality is known, the point is its centre. ``None`` on a
record means "not recorded" (older data, imports with their own coordinates).
"""
PRECISIONS: tuple[GeocodePrecision, ...] = typing.get_args(GeocodePrecision)
APPROXIMATE_PRECISIONS: frozenset[str] = frozenset({"district", "municipality"})
"""Precisions whose point is only a centre: drawn, listed and queued as approximate."""


def is_approximate(precision: object) -> bool:
    """Return whether a ``geocode_precision`` value places a record only approximately.

    Examples
    --------
    >>> is_approximate("municipality"), is_approximate("address"), is_approximate(None)
    (True, False, False)
    """
    return isinstance(precision, str) and precision in APPROXIMATE_PRECISIONS


RUHR_BOUNDS = (6.2, 51.2, 8.1, 51.9)
"""Rough lon/lat box around the 53 municipalities (min lon, min lat, max lon, max lat)."""
FUNDING_YEARS = (2019, 2035)
MAX_TITLE = 200
MAX_TEXT = 5000
MAX_SHORT = 200
MAX_FUNDING_EUR = 10_000_000
CONTACT_RETENTION_DAYS = 365
"""A submitter's private contact is deleted this many days after the moderation decision."""
MAX_FLOOR_AREA_M2 = 1_000_000


class ProjectType(StrEnum):
    """Kind of creative space or project."""

    STUDIO = "studio"
    GALLERY = "gallery"
    STAGE = "stage"
    MUSIC = "music"
    WORKSHOP = "workshop"
    MEETING_PLACE = "meeting_place"
    PUBLIC_ART = "public_art"
    COWORKING = "coworking"
    FESTIVAL = "festival"


class ProjectStatus(StrEnum):
    """Pipeline of a project; ``rejected`` and ``withdrawn`` are never public."""

    PROPOSED = "proposed"
    UNDER_REVIEW = "under_review"
    FUNDED = "funded"
    REALIZED = "realized"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


HIDDEN_PROJECT_STATUSES = (ProjectStatus.REJECTED, ProjectStatus.WITHDRAWN)


class BuildingType(StrEnum):
    """Building type as the Leerstandsmelder platform records it."""

    RESIDENTIAL = "residential"
    COMMERCIAL = "commercial"
    INDUSTRIAL = "industrial"
    HISTORICAL = "historical"
    PUBLIC_WORKS = "public_works"
    OTHER = "other"


class OwnerType(StrEnum):
    """Kind of owner of a vacant building."""

    PRIVATE = "private"
    BUSINESS = "business"
    PUBLIC = "public"
    CITY = "city"


class VacantSince(StrEnum):
    """How long a building has stood empty."""

    UNDER_1_YEAR = "under_1_year"
    OVER_1_YEAR = "over_1_year"
    OVER_3_YEARS = "over_3_years"
    OVER_5_YEARS = "over_5_years"
    OVER_10_YEARS = "over_10_years"


class VacancyDegree(StrEnum):
    """Whether a building is partly or completely vacant."""

    PARTLY = "partly"
    COMPLETELY = "completely"


class RentBand(StrEnum):
    """What a creative user would pay."""

    FREE = "free"
    BELOW_MARKET = "below_market"
    MARKET = "market"


class VacancyStatus(StrEnum):
    """Current state of a vacant building."""

    VACANT = "vacant"
    TEMPORARY_USE = "temporary_use"
    RENTED = "rented"
    DEMOLISHED = "demolished"


class Discipline(StrEnum):
    """Artistic or creative discipline of a survey respondent."""

    VISUAL_ARTS = "visual_arts"
    PERFORMING_ARTS = "performing_arts"
    MUSIC = "music"
    LITERATURE = "literature"
    FILM_MEDIA = "film_media"
    DESIGN = "design"
    CRAFTS = "crafts"
    ARCHITECTURE = "architecture"
    SOCIO_CULTURAL = "socio_cultural"
    OTHER = "other"


class Moderation(StrEnum):
    """Moderation state; only ``published`` records are public."""

    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


class Source(StrEnum):
    """Where a record came from."""

    FORM = "form"
    IMPORT = "import"
    DEMO = "demo"


TAXONOMIES: tuple[type[StrEnum], ...] = (
    ProjectType,
    ProjectStatus,
    BuildingType,
    OwnerType,
    VacantSince,
    VacancyDegree,
    RentBand,
    VacancyStatus,
    Discipline,
    Moderation,
    Source,
)
"""Every taxonomy; the labels of their values are in :mod:`heimatruhr_geo.labels.taxonomy`."""


FACILITIES = ("power", "water", "heating", "step_free")
"""A vacant building's yes/no facilities, in the order forms and views show them."""
AVAILABILITY = ("available_from", "available_until")
"""The dates a vacant building is available between."""

TAXONOMY_FIELDS: dict[tuple[str, str], type[StrEnum]] = {
    ("spaces", "project_type"): ProjectType,
    ("spaces", "status"): ProjectStatus,
    ("vacant", "building_type"): BuildingType,
    ("vacant", "status"): VacancyStatus,
    ("vacant", "rent_band"): RentBand,
}
"""The taxonomy of each ``(layer, field)`` whose values are shown by their :func:`label`."""


def label_key(value: StrEnum) -> str:
    """Return the text key of a taxonomy value: ``tax_<taxonomy>_<value>``.

    Examples
    --------
    >>> label_key(ProjectType.STUDIO)
    'tax_project_type_studio'
    """
    taxonomy = re.sub(r"(?<!^)(?=[A-Z])", "_", type(value).__name__).lower()
    return f"tax_{taxonomy}_{value.value}"


def label(value: StrEnum, lang: str = "de") -> str:
    """Return the German (``"de"``, default) or English (``"en"``) label of a value.

    Examples
    --------
    >>> label(ProjectType.STUDIO, "en")
    'Studio / atelier'
    """
    return t(label_key(value), lang)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^\d{5}$")
_TRUE = {"1", "true", "yes", "y", "ja", "j", "x", "wahr", "on"}
_FALSE = {"0", "false", "no", "n", "nein", "falsch", "off", "-"}


def parse_bool(value: Any) -> Any:
    """Read yes/no the way spreadsheets write it (ja/nein, x, 1/0, true/false).

    Empty values become ``None``; anything unknown is passed on for pydantic to reject.
    """
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "":
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return value


def parse_number(value: Any) -> Any:
    """Read a number written with a German decimal comma (``"51,45"``); ``""`` is ``None``."""
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        if text == "":
            return None
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        return text
    return value


def parse_date(value: Any) -> Any:
    """Read ISO (``2025-03-01``) or German (``01.03.2025``) dates; ``""`` is ``None``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return text
        return text[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ].*", text) else text
    return value


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id() -> str:
    return uuid.uuid4().hex


class Record(BaseModel):
    """Fields every record has. Use one of the three subclasses."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=True, validate_assignment=True, frozen=False
    )

    layer: ClassVar[Layer]
    kind_field: ClassVar[str]
    """Name of the field stored in the indexed ``kind`` column (type or discipline)."""
    status_field: ClassVar[str | None] = None
    private_fields: ClassVar[tuple[str, ...]] = ("contact_name", "contact_email")
    sparse_fields: ClassVar[frozenset[str]] = frozenset()
    """Fields added after records were stored: written to the stored document only when set,
    so the documents of older records stay as they were (an unchanged re-import is still
    unchanged)."""

    id: str = Field(default_factory=_new_id, min_length=1, max_length=64)
    lat: float = Field(ge=RUHR_BOUNDS[1], le=RUHR_BOUNDS[3])
    lon: float = Field(ge=RUHR_BOUNDS[0], le=RUHR_BOUNDS[2])
    street: str = Field(default="", max_length=MAX_SHORT)
    postcode: str = Field(default="", max_length=5)
    city: str = Field(default="", max_length=100)
    source: Source = Source.FORM
    source_key: str | None = Field(default=None, max_length=300)
    moderation: Moderation = Moderation.PENDING
    created_at: datetime = Field(default_factory=_now)
    updated_at: datetime = Field(default_factory=_now)
    geocode_precision: GeocodePrecision | None = None
    geocode_source: str | None = Field(default=None, max_length=64)
    contact_name: str = Field(default="", max_length=MAX_SHORT)
    contact_email: str = Field(default="", max_length=MAX_SHORT)

    @field_validator("lat", "lon", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return parse_number(value)

    @field_validator("postcode", mode="before")
    @classmethod
    def _postcode_text(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"{int(value):05d}"
        return value

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value: str) -> str:
        if value and not _POSTCODE.match(value):
            raise ValueError("a German postcode has five digits, e.g. 44135")
        return value

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str) -> str:
        if value and not _EMAIL.match(value):
            raise ValueError("an e-mail address like name@example.org")
        return value

    @model_validator(mode="after")
    def _timestamps(self) -> Record:
        if self.updated_at < self.created_at:
            raise ValueError("updated_at: must not lie before created_at")
        return self

    def kind_value(self) -> str:
        """Return the value of the layer's type field (project type, building type, discipline)."""
        return str(getattr(self, self.kind_field))

    def status_value(self) -> str | None:
        """Return the layer's status value, or ``None`` for layers without one."""
        return None if self.status_field is None else str(getattr(self, self.status_field))

    def public_data(self) -> dict[str, Any]:
        """Return the layer-specific public fields as JSON-ready values (no contact data)."""
        common = set(Record.model_fields) | set(self.private_fields)
        return {
            name: _jsonable(getattr(self, name))
            for name in type(self).model_fields
            if name not in common
            and not (name in self.sparse_fields and getattr(self, name) is None)
        }

    @classmethod
    def attribute_fields(cls) -> list[str]:
        """Names of the layer-specific public fields, in declaration order."""
        common = set(Record.model_fields) | set(cls.private_fields)
        return [name for name in cls.model_fields if name not in common]


def _jsonable(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


class CreativeSpace(Record):
    """A creative space or project (layer ``spaces``)."""

    layer: ClassVar[Layer] = "spaces"
    kind_field: ClassVar[str] = "project_type"
    status_field: ClassVar[str | None] = "status"

    title: str = Field(min_length=1, max_length=MAX_TITLE)
    description: str = Field(default="", max_length=MAX_TEXT)
    project_type: ProjectType
    status: ProjectStatus = ProjectStatus.PROPOSED
    funding_program: str = Field(default="", max_length=MAX_SHORT)
    funding_amount_eur: float | None = Field(default=None, ge=0, le=MAX_FUNDING_EUR)
    funding_year: int | None = Field(default=None, ge=FUNDING_YEARS[0], le=FUNDING_YEARS[1])
    website: str = Field(default="", max_length=300)
    contact_public: str = Field(default="", max_length=MAX_SHORT)

    @field_validator("funding_amount_eur", "funding_year", mode="before")
    @classmethod
    def _numbers(cls, value: Any) -> Any:
        return parse_number(value)

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        if value and not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value):
            raise ValueError("a web address starting with http:// or https://")
        return value


class VacantBuilding(Record):
    """A vacant building that could host creative use (layer ``vacant``)."""

    layer: ClassVar[Layer] = "vacant"
    kind_field: ClassVar[str] = "building_type"
    status_field: ClassVar[str | None] = "status"

    title: str = Field(min_length=1, max_length=MAX_TITLE)
    description: str = Field(default="", max_length=MAX_TEXT)
    building_type: BuildingType
    owner_type: OwnerType | None = None
    vacant_since: VacantSince | None = None
    degree: VacancyDegree | None = None
    floors: int | None = Field(default=None, ge=0, le=100)
    floor_area_m2: float | None = Field(default=None, ge=0, le=MAX_FLOOR_AREA_M2)
    rent_band: RentBand | None = None
    available_from: date | None = None
    available_until: date | None = None
    power: bool | None = None
    water: bool | None = None
    heating: bool | None = None
    step_free: bool | None = None
    status: VacancyStatus = VacancyStatus.VACANT
    contact_public: str = Field(default="", max_length=MAX_SHORT)
    demolition_rumor: bool | None = None
    """Rumours that the building will be demolished (as Leerstandsmelder records them)."""

    sparse_fields: ClassVar[frozenset[str]] = frozenset({"demolition_rumor"})

    @field_validator("floors", "floor_area_m2", mode="before")
    @classmethod
    def _numbers(cls, value: Any) -> Any:
        return parse_number(value)

    @field_validator("available_from", "available_until", mode="before")
    @classmethod
    def _dates(cls, value: Any) -> Any:
        return parse_date(value)

    @field_validator("power", "water", "heating", "step_free", "demolition_rumor", mode="before")
    @classmethod
    def _bools(cls, value: Any) -> Any:
        return parse_bool(value)

    @model_validator(mode="after")
    def _period(self) -> VacantBuilding:
        start, end = self.available_from, self.available_until
        if start and end and start > end:
            raise ValueError(
                f"available_from: {start} lies after available_until {end}; "
                "it must be on or before it"
            )
        return self


class SurveyResponse(Record):
    """One anonymous survey response (layer ``survey``); never shown individually.

    It holds no personal identifiers: no name, no e-mail, no free address beyond the
    place the respondent works in (used only to derive the municipality).
    """

    layer: ClassVar[Layer] = "survey"
    kind_field: ClassVar[str] = "discipline"
    private_fields: ClassVar[tuple[str, ...]] = ("contact_name", "contact_email")

    discipline: Discipline
    identity_rating: int | None = Field(default=None, ge=1, le=5)
    """How much local identity matters to the respondent (1 = not at all, 5 = very much)."""
    space_rating: int | None = Field(default=None, ge=1, le=5)
    """How well the respondent finds spaces for art in their municipality (1-5)."""
    region_rating: int | None = Field(default=None, ge=1, le=5)
    """How strongly the respondent feels part of the Ruhr region as a whole (1-5)."""
    vacancy_rating: int | None = Field(default=None, ge=1, le=5)
    """How much the respondent would like to use a vacant building for their work (1-5)."""
    identity_text: str = Field(default="", max_length=2000)
    places_text: str = Field(default="", max_length=2000)

    @field_validator(
        "identity_rating", "space_rating", "region_rating", "vacancy_rating", mode="before"
    )
    @classmethod
    def _numbers(cls, value: Any) -> Any:
        return parse_number(value)

    @model_validator(mode="after")
    def _anonymous(self) -> SurveyResponse:
        if self.contact_name or self.contact_email:
            raise ValueError(
                "contact_name: survey responses are anonymous; no contact data allowed"
            )
        return self


MODELS: dict[str, type[Record]] = {
    "spaces": CreativeSpace,
    "vacant": VacantBuilding,
    "survey": SurveyResponse,
}
"""The record class of each layer."""


def model_for(layer: str) -> type[Record]:
    """Return the record class of ``layer``.

    Raises
    ------
    InputError
        If ``layer`` is not one of :data:`LAYERS`.
    """
    try:
        return MODELS[layer]
    except KeyError:
        raise InputError(f"layer={layer!r} is not allowed; use one of {list(LAYERS)}") from None


def validation_problems(exc: ValidationError) -> list[tuple[str, Any, str]]:
    """Turn a pydantic error into ``(field, value, what is allowed)`` triples."""
    problems = []
    for err in exc.errors(include_url=False):
        field = ".".join(str(p) for p in err["loc"])
        message = str(err["msg"]).removeprefix("Value error, ")
        value = err.get("input")
        if err["type"] == "missing":
            value, message = None, "a value is required"
        elif not field:  # a check across fields names its field first: "field: why"
            head, _, rest = message.partition(": ")
            field, message = (head, rest) if rest and " " not in head else ("record", message)
            value = value.get(field) if isinstance(value, dict) else value
        problems.append((field, value, message))
    return problems


def build_record(layer: str, values: dict[str, Any]) -> Record:
    """Validate ``values`` into a record of ``layer``.

    Raises
    ------
    InputError
        Naming every bad field, its value and what is allowed.
    """
    cls = model_for(layer)
    try:
        return cls.model_validate(values)
    except ValidationError as exc:
        parts = [f"{f}={v!r}: {why}" for f, v, why in validation_problems(exc)]
        raise InputError(f"invalid {layer} record: " + "; ".join(parts)) from exc
