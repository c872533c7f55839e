"""The details of one published record, opened from a map popup (``?detail=<id>``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from heimatruhr_geo.errors import NotFound
from heimatruhr_geo.formatting import format_area, format_date, format_eur
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import (
    AVAILABILITY,
    FACILITIES,
    TAXONOMY_FIELDS,
    is_approximate,
    label,
)
from heimatruhr_geo.ui import resources
from heimatruhr_geo.ui.common import plain

BOOLEAN_FIELDS = frozenset({*FACILITIES, "demolition_rumor"})
DATE_FIELDS = frozenset(AVAILABILITY)
DETAIL_FIELDS = (
    "title",
    "description",
    "project_type",
    "building_type",
    "status",
    "municipality",
    "county",
    "street",
    "postcode",
    "city",
    "funding_program",
    "funding_amount_eur",
    "funding_year",
    "floor_area_m2",
    "rent_band",
    *AVAILABILITY,
    *FACILITIES,
    "demolition_rumor",
    "website",
    "contact_public",
    "source",
)


def show_details(record_id: str, lang: str) -> None:
    """Show one published record's fields, if the URL names one (``?detail=<id>``)."""
    if not record_id:
        return
    try:
        record = resources.store().get(record_id, public=True)
    except NotFound:
        st.warning(t("detail_missing", lang))
        return
    st.subheader(t("details", lang))
    precision = record.get("geocode_precision")
    if is_approximate(precision):
        where = t(f"place_where_{precision}", lang)
        st.warning(
            t("place_details_approx", lang).format(where=where), icon=":material/wrong_location:"
        )
    rows = [
        (_field_label(name, lang), _display(name, record[name], str(record["layer"]), lang))
        for name in DETAIL_FIELDS
        if not _missing(record.get(name))
    ]
    # st.table renders its cells as Markdown: every value is escaped (ui.common.plain), so
    # a title like "[x](https://evil.example)" shows as typed. A real HTML table reads
    # better with a screen reader than a canvas grid.
    table = pd.DataFrame(
        [(plain(name), plain(value)) for name, value in rows],
        columns=[t("field", lang), t("value", lang)],
    )
    st.table(table.set_index(t("field", lang)))


def _missing(value: object) -> bool:
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    try:
        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


def _field_label(name: str, lang: str) -> str:
    if name in BOOLEAN_FIELDS and name != "demolition_rumor":
        return t(f"mapfront_field_{name}", lang)
    if name == "floor_area_m2":
        return t("map_floor_area", lang)
    if name == "funding_amount_eur":
        return t("mapfront_field_funding_amount", lang)
    return t(f"field_{name}", lang)


def _display(name: str, value: object, layer: str, lang: str) -> str:
    """Return a field's value as plain text in the language's formats; taxonomies as labels."""
    taxonomy = TAXONOMY_FIELDS.get((layer, name))
    if taxonomy is not None:
        return label(taxonomy(str(value)), lang)
    if name == "source" and value == "demo":
        return t("map_demo", lang)
    if name in BOOLEAN_FIELDS:
        return t("mapfront_yes" if bool(value) else "mapfront_no", lang)
    try:
        if name == "floor_area_m2":
            return format_area(float(str(value)), lang)
        if name == "funding_amount_eur":
            return format_eur(float(str(value)), lang)
        if name == "funding_year":
            return str(int(float(str(value))))
        if name in DATE_FIELDS:
            return format_date(str(value), lang)
    except ValueError:
        return str(value)
    return str(value)
