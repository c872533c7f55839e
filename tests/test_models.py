"""Record models: taxonomies, labels and validation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from heimatruhr_geo.errors import InputError, LabelError
from heimatruhr_geo.i18n import LABELS, LANGUAGES
from heimatruhr_geo.models import (
    TAXONOMIES,
    CreativeSpace,
    ProjectType,
    SurveyResponse,
    VacantBuilding,
    build_record,
    label,
    label_key,
    model_for,
)

BASE: dict[str, Any] = {"lat": 51.4818, "lon": 7.2162}


def test_every_taxonomy_value_has_two_labels_and_no_label_is_orphaned() -> None:
    keys = {label_key(value) for enum in TAXONOMIES for value in enum}
    for lang in LANGUAGES:
        assert all(LABELS[lang].get(key, "").strip() for key in keys), lang
        assert {k for k in LABELS[lang] if k.startswith("tax_")} == keys, lang
    assert label(ProjectType.STUDIO) == "Atelier"
    assert label(ProjectType.STUDIO, "en") == "Studio / atelier"
    with pytest.raises(LabelError, match="fr"):
        label(ProjectType.STUDIO, "fr")


def test_defaults_ids_and_timestamps() -> None:
    a = CreativeSpace(**BASE, title="A", project_type="music")
    b = CreativeSpace(**BASE, title="A", project_type="music")
    assert a.id != b.id and len(a.id) == 32
    assert a.moderation == "pending" and a.source == "form" and a.status == "proposed"
    assert a.created_at.tzinfo is not None


@pytest.mark.parametrize(
    ("layer", "values", "field"),
    [
        ("spaces", {"title": "A", "project_type": "castle"}, "project_type"),
        ("spaces", {"title": "", "project_type": "music"}, "title"),
        ("spaces", {"title": "x" * 201, "project_type": "music"}, "title"),
        ("spaces", {"title": "A", "project_type": "music", "funding_year": 2018}, "funding_year"),
        ("spaces", {"title": "A", "project_type": "music", "funding_year": 2036}, "funding_year"),
        (
            "spaces",
            {"title": "A", "project_type": "music", "funding_amount_eur": -1},
            "funding_amount_eur",
        ),
        ("spaces", {"title": "A", "project_type": "music", "website": "ftp://x"}, "website"),
        (
            "spaces",
            {"title": "A", "project_type": "music", "contact_email": "nope"},
            "contact_email",
        ),
        ("spaces", {"title": "A", "project_type": "music", "postcode": "4413"}, "postcode"),
        ("spaces", {"title": "A", "project_type": "music", "ags": "05913000"}, "ags"),
        ("spaces", {"title": "A", "project_type": "music", "lat": 52.5}, "lat"),
        ("spaces", {"title": "A", "project_type": "music", "lon": "abc"}, "lon"),
        ("vacant", {"title": "A", "building_type": "other", "floor_area_m2": -5}, "floor_area_m2"),
        ("vacant", {"title": "A", "building_type": "other", "power": "vielleicht"}, "power"),
        (
            "vacant",
            {
                "title": "A",
                "building_type": "other",
                "available_from": "2026-05-01",
                "available_until": "2026-04-30",
            },
            "available_from",
        ),
        ("survey", {"discipline": "music", "identity_rating": 6}, "identity_rating"),
        ("survey", {"discipline": "music", "contact_email": "a@b.de"}, "contact_name"),
    ],
)
def test_bad_values_name_field_value_and_rule(
    layer: str, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(InputError) as info:
        build_record(layer, {**BASE, **values})
    assert f"{field}=" in str(info.value)


def test_lenient_spreadsheet_input() -> None:
    v = build_record(
        "vacant",
        {
            "lat": "51,4818",
            "lon": "7,2162",
            "title": "  Halle  ",
            "building_type": "industrial",
            "power": "ja",
            "water": "nein",
            "heating": "",
            "available_from": "01.03.2026",
            "available_until": "2026-12-31",
            "postcode": 4413.0 + 40000,
            "floor_area_m2": "1.250,5".replace(".", ""),
        },
    )
    assert isinstance(v, VacantBuilding)
    assert (v.lat, v.title, v.power, v.water, v.heating) == (51.4818, "Halle", True, False, None)
    assert v.available_from == date(2026, 3, 1) and v.postcode == "44413"
    assert v.floor_area_m2 == 1250.5


def test_public_data_excludes_contact_and_bookkeeping() -> None:
    s = CreativeSpace(**BASE, title="A", project_type="music", contact_email="a@example.org")
    data = s.public_data()
    assert "contact_email" not in data and "moderation" not in data and "lat" not in data
    assert data["project_type"] == "music" and data["title"] == "A"
    assert s.kind_value() == "music" and s.status_value() == "proposed"
    assert SurveyResponse(**BASE, discipline="design").status_value() is None


def test_unknown_layer() -> None:
    with pytest.raises(InputError, match="use one of"):
        model_for("castles")
