"""What the moderation page shows and sends, without Streamlit.

Queue items, the rows of a record, form values for
:meth:`heimatruhr_geo.store.Store.update_record`, and the audit log as a table.

Everything here returns user text verbatim as plain ``str``; the page must show it as
text (``st.text``, ``st.dataframe``), never as markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import pandas as pd

from heimatruhr_geo.audit import AuditEntry, editable_fields
from heimatruhr_geo.formatting import (
    format_area,
    format_date,
    format_datetime,
    format_eur,
    sort_key,
)
from heimatruhr_geo.i18n import LABELS as TEXTS
from heimatruhr_geo.i18n import t, tn
from heimatruhr_geo.models import TAXONOMIES, Discipline, label, model_for

QUEUE_LAYERS = ("spaces", "vacant", "survey")
"""Layers in the queue, in the order the page shows them."""
EDIT_LAYERS = ("spaces", "vacant")
"""Layers whose pending records a moderator may edit (survey answers are kept as given)."""
FUNDING_FIELDS = ("status", "funding_program", "funding_amount_eur", "funding_year")
"""Fields of the status and funding editor for published projects."""
SHOWN_META = ("municipality", "county", "lat", "lon", "created_at", "source", "id")
PRIVATE = ("contact_name", "contact_email")
_MONEY = frozenset({"funding_amount_eur"})
_AREAS = frozenset({"floor_area_m2"})
_LABEL_PREFIXES = ("field_", "submit_field_", "survey_field_", "mod_field_")


@dataclass(frozen=True)
class QueueItem:
    """One pending record as the queue shows it.

    Attributes
    ----------
    title
        The record's title (verbatim), or for a survey answer its discipline.
    values
        Every field of the record (public, private and bookkeeping) by name.
    """

    record_id: str
    layer: str
    title: str
    values: dict[str, Any]


def queue_items(frame: pd.DataFrame, layer: str, lang: str = "de") -> list[QueueItem]:
    """Turn the frame of :meth:`~heimatruhr_geo.store.Store.pending` into queue items."""
    items = []
    for row in frame.drop(columns="geometry", errors="ignore").to_dict("records"):
        values = {str(k): _missing_to_none(v) for k, v in row.items()}
        title = str(values.get("title") or "")
        if layer == "survey" or not title:
            title = _survey_title(values, lang)
        items.append(QueueItem(str(values["id"]), layer, title, values))
    return items


def field_name(name: str, lang: str = "de") -> str:
    """Return the interface name of a record field in ``lang`` (the raw name if none)."""
    for prefix in _LABEL_PREFIXES:
        key = prefix + name
        if key in TEXTS[lang]:
            return t(key, lang)
    return name


def field_rows(values: Mapping[str, Any], layer: str, lang: str = "de") -> pd.DataFrame:
    """Return a record's fields as a two-column table of plain text: ``field, value``.

    The layer's fields first, then the private contact, then where and when. Empty
    fields are left out.
    """
    names = [*model_for(layer).attribute_fields(), "street", "postcode", "city"]
    names += [*PRIVATE, *SHOWN_META]
    rows = [
        {"field": field_name(n, lang), "value": display_value(n, values[n], lang)}
        for n in names
        if n in values and values[n] not in (None, "")
    ]
    return pd.DataFrame(rows, columns=["field", "value"])


def display_value(name: str, value: Any, lang: str = "de") -> str:
    """Return one field value as text in ``lang``.

    Taxonomy labels, yes/no, dates and times (``14.08.2026``), euros and floor areas
    (``1.103.400 €``, ``142 m²``); the rest (user text, years, coordinates) as is.
    Values may come as stored or as the audit log keeps them (ISO text for dates).

    Examples
    --------
    >>> display_value("status", "funded", "de"), display_value("available_from", "2026-08-14")
    ('Gefördert', '14.08.2026')
    >>> display_value("funding_amount_eur", 1103400.0, "en"), display_value("power", True, "en")
    ('€1,103,400', 'yes')
    """
    if value is None:
        return ""
    enum = _enum_of(name)
    if enum is not None and str(value) in {member.value for member in enum}:
        return label(enum(str(value)), lang)
    if isinstance(value, bool):
        return t("mod_yes" if value else "mod_no", lang)
    if isinstance(value, datetime):
        return format_datetime(value, lang)
    if isinstance(value, date):
        return format_date(value, lang)
    kind = _kind_of(name)
    try:
        if kind in ("date", "datetime") and isinstance(value, str):
            return (format_date if kind == "date" else format_datetime)(value, lang)
        if name in _MONEY and isinstance(value, int | float):
            return format_eur(value, lang)
        if name in _AREAS and isinstance(value, int | float):
            return format_area(value, lang)
    except ValueError:  # not a date after all: shown as given
        pass
    return str(value)


def form_default(name: str, value: Any) -> Any:
    """Return the widget value that shows a stored ``value`` in the edit form."""
    if value is None:
        return "" if _enum_of(name) is None and not _is_bool(name) else None
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, bool) or _enum_of(name) is not None:
        return value
    if isinstance(value, float) and value.is_integer() and name not in ("lat", "lon"):
        return str(int(value))
    return str(value)


def form_input(layer: str, name: str, raw: Any) -> Any:
    """Return what :meth:`~heimatruhr_geo.store.Store.update_record` gets for a widget value.

    Text fields keep text (``""`` clears them); for other fields an empty entry means
    "none" (``None``), and text is passed on for the model to read (``"12,5"``).
    """
    annotation = model_for(layer).model_fields[name].annotation
    if isinstance(raw, str):
        text = raw.strip()
        return text if annotation is str or text else None
    return raw


def edit_widgets(layer: str) -> list[tuple[str, str]]:
    """Return ``(field, widget)`` for the edit form: ``select``, ``yesno``, ``area`` or ``text``."""
    widgets = []
    for name in editable_fields(layer):
        if _enum_of(name) is not None:
            kind = "select"
        elif _is_bool(name):
            kind = "yesno"
        elif name == "description":
            kind = "area"
        else:
            kind = "text"
        widgets.append((name, kind))
    return widgets


def select_options(name: str) -> list[str | None]:
    """Return the choices of a taxonomy field (with ``None`` first when it is optional)."""
    enum = _enum_of(name)
    if enum is None:
        raise KeyError(name)
    values: list[str | None] = [str(e.value) for e in enum]
    return [None, *values] if _optional(name) else values


def audit_table(entries: Sequence[AuditEntry], lang: str = "de") -> pd.DataFrame:
    """Return audit entries as a plain-text table: ``at, actor, action, record_id, details``."""
    rows = [
        {
            "at": format_datetime(entry.at, lang),
            "actor": entry.actor,
            "action": t(f"mod_action_{entry.action}", lang)
            if f"mod_action_{entry.action}" in TEXTS[lang]
            else entry.action,
            "record_id": entry.record_id or "",
            "details": describe_details(entry.details, lang),
        }
        for entry in entries
    ]
    return pd.DataFrame(rows, columns=["at", "actor", "action", "record_id", "details"])


def describe_details(details: Mapping[str, Any], lang: str = "de") -> str:
    """Return the details of an audit entry as one line of readable text.

    Changed fields as ``Field: old → new`` with translated names and values, then the
    reason, the number of contact entries, how they were found and their records, and
    a purge's age limit. Unknown keys are named with their value, never as raw JSON.

    Examples
    --------
    >>> describe_details({"changes": {"status": ["proposed", "funded"]}}, "de")
    'Status: Vorgeschlagen → Gefördert'
    >>> describe_details({"moderation": ["pending", "published"], "reason": ""}, "en")
    'Review state: Pending → Published'
    >>> describe_details({"by": "email", "count": 1, "record_ids": ["a1"]}, "de")
    '1 Kontakteintrag; nach E-Mail-Adresse; Einträge: a1'
    """
    parts = []
    changes = dict(details.get("changes") or {})
    if "moderation" in details and not isinstance(details["moderation"], str):
        changes = {"moderation": details["moderation"], **changes}
    for name, pair in changes.items():
        old, new = [*list(pair), None, None][:2]
        parts.append(
            f"{field_name(name, lang)}: {_shown(name, old, lang)} → {_shown(name, new, lang)}"
        )
    if details.get("reason"):
        parts.append(f"{t('mod_reason_short', lang)}: {details['reason']}")
    if isinstance(details.get("count"), int):
        parts.append(tn("count_contacts", details["count"], lang))
    if details.get("by") in ("email", "record"):
        parts.append(t(f"audit_by_{details['by']}", lang))
    if details.get("record_ids"):
        ids = ", ".join(str(i) for i in details["record_ids"])
        parts.append(t("audit_records", lang).format(ids=_short(ids, 200)))
    if "days" in details and details.get("cutoff"):
        cutoff = _shown_date(str(details["cutoff"]), lang)
        days = tn("count_days", int(details["days"]), lang)
        parts.append(t("audit_older_than", lang).format(days=days, date=cutoff))
    known = {"changes", "moderation", "reason", "count", "by", "record_ids", "days", "cutoff"}
    for key, value in details.items():
        if key not in known:
            parts.append(f"{field_name(key, lang)}: {_short(value)}")
    return "; ".join(parts)


def project_choices(frame: pd.DataFrame) -> dict[str, str]:
    """Return id → ``"title (municipality)"`` of projects, for the status editor's choice.

    In German alphabetical order (:func:`~heimatruhr_geo.formatting.sort_key`).
    """
    choices = {
        str(row["id"]): f"{row['title']} ({row['municipality']})"
        for row in frame[["id", "title", "municipality"]].to_dict("records")
    }
    return dict(sorted(choices.items(), key=lambda item: (sort_key(item[1]), item[0])))


def _survey_title(values: Mapping[str, Any], lang: str) -> str:
    discipline = values.get("discipline")
    place = values.get("municipality") or ""
    if discipline in {d.value for d in Discipline}:
        return f"{label(Discipline(str(discipline)), lang)} – {place}".strip(" –")
    return str(place)


def _enum_of(name: str) -> type[StrEnum] | None:
    for layer in QUEUE_LAYERS:
        fields = model_for(layer).model_fields
        if name in fields:
            for enum in TAXONOMIES:
                if fields[name].annotation in (enum, enum | None):
                    return enum
    return None


def _is_bool(name: str) -> bool:
    return any(
        model_for(layer).model_fields[name].annotation in (bool, bool | None)
        for layer in QUEUE_LAYERS
        if name in model_for(layer).model_fields
    )


def _optional(name: str) -> bool:
    enum = _enum_of(name)
    return enum is not None and any(
        model_for(layer).model_fields[name].annotation == (enum | None)
        for layer in QUEUE_LAYERS
        if name in model_for(layer).model_fields
    )


def _shown(name: str, value: Any, lang: str) -> str:
    return _short(display_value(name, value, lang))


def _shown_date(text: str, lang: str) -> str:
    try:
        return format_datetime(text, lang)
    except ValueError:
        return text


def _kind_of(name: str) -> str:
    """Return ``date``, ``datetime`` or ``""`` by the field's type in any layer's model."""
    for layer in QUEUE_LAYERS:
        field = model_for(layer).model_fields.get(name)
        if field is None:
            continue
        if field.annotation in (datetime, datetime | None):
            return "datetime"
        if field.annotation in (date, date | None):
            return "date"
    return ""


def _missing_to_none(value: Any) -> Any:
    if value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value


def _short(value: Any, limit: int = 60) -> str:
    text = "–" if value is None or value == "" else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
