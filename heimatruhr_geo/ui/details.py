"""The details of one published record, opened from a map popup (``?detail=<id>``)."""

from __future__ import annotations

from enum import StrEnum

import pandas as pd
import streamlit as st

from heimatruhr_geo.errors import NotFound
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import (
    BuildingType,
    ProjectStatus,
    ProjectType,
    RentBand,
    VacancyStatus,
    label,
)
from heimatruhr_geo.ui import resources

TAXONOMIES: dict[tuple[str, str], type[StrEnum]] = {
    ("spaces", "project_type"): ProjectType,
    ("spaces", "status"): ProjectStatus,
    ("vacant", "building_type"): BuildingType,
    ("vacant", "status"): VacancyStatus,
    ("vacant", "rent_band"): RentBand,
}
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
    "available_from",
    "available_until",
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
    rows = [
        (t(f"field_{name}", lang), _display(name, record[name], str(record["layer"]), lang))
        for name in DETAIL_FIELDS
        if record.get(name) not in (None, "")
    ]
    st.table(pd.DataFrame(rows, columns=[t("field", lang), t("value", lang)]))


def _display(name: str, value: object, layer: str, lang: str) -> str:
    """Return a field's value as plain text; taxonomy values get their label."""
    taxonomy = TAXONOMIES.get((layer, name))
    if taxonomy is not None:
        return label(taxonomy(str(value)), lang)
    if name == "source" and value == "demo":
        return t("map_demo", lang)
    return str(value)
