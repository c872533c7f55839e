"""The map component's data: the points document, selections, borders and the choropleth."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from heimatruhr_geo import mapdata
from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.i18n import t
from heimatruhr_geo.mapview import load_drawing_municipalities

HOSTILE = "<img src=x onerror=alert(1)>"
SCRIPT_END = 'Quote " and </script><script>alert(2)</script>'


def _spaces() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["s1", "s2", "s3", "s4", "s5"],
            "title": [HOSTILE, SCRIPT_END, "Galerie X", "Abgelehnt", "Ohne Ort"],
            "project_type": ["gallery", "music", "studio", "music", "music"],
            "status": ["funded", "proposed", "realized", "rejected", "under_review"],
            "funding_program": ["#heimatruhr", "", "", "", ""],
            "funding_amount_eur": [1103400.0, np.nan, np.nan, np.nan, np.nan],
            "funding_year": pd.array([2026, None, None, None, None], dtype="Int64"),
            "website": ["https://example.org/a", "javascript:alert(3)", "", "", ""],
            "street": ["Rottstraße 5", "", "", "", ""],
            "postcode": ["44793", "", "", "", ""],
            "city": ["Bochum", "", "", "", ""],
            "lat": [51.4823456, 51.5, 51.6, 51.7, np.nan],
            "lon": [7.2123456, 7.3, 7.4, 7.5, 7.6],
            "municipality": ["Bochum", "Essen", "Dortmund", "Hagen", "Hamm"],
            "source": ["demo", "form", "form", "form", "form"],
        }
    )


def _vacant() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["v1", "v2"],
            "title": ["Alte Halle", "Laden"],
            "building_type": ["industrial", "commercial"],
            "status": ["vacant", "rented"],
            "rent_band": ["free", "market"],
            "floor_area_m2": [142.0, 1250.0],
            "available_from": ["2026-08-14", None],
            "available_until": ["2027-01-31", None],
            "power": [True, False],
            "water": [False, None],
            "heating": [True, True],
            "step_free": [None, True],
            "lat": [51.45, 51.46],
            "lon": [7.01, 7.02],
            "municipality": ["Essen", "Essen"],
            "source": ["form", "demo"],
        }
    )


def _doc(lang: str = "de") -> tuple[mapdata.PointsDocument, dict[str, Any]]:
    doc = mapdata.encode_points(_spaces(), _vacant(), lang)
    return doc, json.loads(doc.data)


def _fact(data: dict[str, Any], key: str, row: int) -> str:
    (column,) = [f for f in data["facts"] if f["key"] == key]
    if "v" in column:
        return str(column["v"][row])
    code = column["s"][row] if "s" in column else column["c"][row]
    index = mapdata._CODE_CHARS.index(code) if isinstance(code, str) else code
    return str(column["t"][index])


def test_document_has_one_row_per_drawn_record_with_category_codes() -> None:
    doc, data = _doc()
    # rejected projects and rows without coordinates are never drawn
    assert data["id"] == ["s1", "s2", "s3", "v1", "v2"] == list(doc.ids)
    assert data["n"] == doc.count == 5
    assert data["categories"] == list(mapdata.CATEGORIES)
    codes = {key: i for i, key in enumerate(mapdata.CATEGORIES)}
    assert data["cat"] == "".join(
        str(codes[k])
        for k in (
            "spaces_funded",
            "spaces_proposed",
            "spaces_realized",
            "vacant_available",
            "vacant_other",
        )
    )
    assert data["lat"][0] == 5148235 and data["lon"][0] == 721235  # 5 decimals, as integers
    assert data["demo"] == "10001"


def test_hostile_titles_stay_plain_data() -> None:
    _, data = _doc()
    assert data["title"][:2] == [HOSTILE, SCRIPT_END]
    text = _doc()[0].data.decode()
    # the document is only ever parsed as JSON and put into the page with textContent
    assert json.loads(text)["title"][1].endswith("</script>")


def test_facts_are_formatted_and_translated() -> None:
    _, data = _doc("de")
    labels = {f["key"]: f["label"] for f in data["facts"]}
    assert labels["floor_area"] == t("map_floor_area", "de")
    assert _fact(data, "floor_area", 3) == "142\xa0m²"
    assert _fact(data, "floor_area", 4) == "1.250\xa0m²"
    assert _fact(data, "available_from", 3) == "14.08.2026"
    assert _fact(data, "available_until", 3) == "31.01.2027"
    assert _fact(data, "funding", 0) == "1.103.400\xa0€ · 2026 · #heimatruhr"
    assert _fact(data, "status", 0) == "Gefördert"
    assert _fact(data, "project_type", 0) == "Ausstellung / Galerie"
    assert _fact(data, "building_type", 3) == "Industrie"
    assert _fact(data, "address", 0) == "Rottstraße 5, 44793 Bochum"
    assert [_fact(data, k, 3) for k in ("power", "water", "heating", "step_free")] == [
        "ja",
        "nein",
        "ja",
        "",
    ]
    assert _fact(data, "floor_area", 0) == ""  # spaces have no floor area
    _, english = _doc("en")
    assert _fact(english, "available_from", 3) == "14 Aug 2026"
    assert _fact(english, "funding", 0).startswith("€1,103,400")


def test_websites_are_sent_as_data() -> None:
    _, data = _doc()
    web = data["web"]
    values = web["v"] if "v" in web else [web["t"][mapdata._CODE_CHARS.index(c)] for c in web["s"]]
    assert values[:2] == ["https://example.org/a", "javascript:alert(3)"]


def test_selection_bits_mark_the_rows_of_a_selection() -> None:
    doc, _ = _doc()
    everything = mapdata.selection_bits(doc, None)
    assert mapdata.decode_bits(everything, doc.count).all()
    some = mapdata.selection_bits(doc, [_spaces().iloc[[1, 3]], _vacant().iloc[[1]]])
    assert mapdata.decode_bits(some, doc.count).tolist() == [False, True, False, False, True]
    assert mapdata.selection_bits(doc, [_spaces().iloc[[]]]) == "AA=="


def test_bits_at_50000_rows_are_small() -> None:
    mask = np.random.default_rng(1).random(50_000) < 0.5
    text = mapdata.encode_bits(mask)
    assert len(text) < 9_000
    assert np.array_equal(mapdata.decode_bits(text, 50_000), mask)


def test_empty_input_gives_an_empty_document() -> None:
    doc = mapdata.encode_points(None, _vacant().iloc[[]], "de")
    data = json.loads(doc.data)
    assert data["n"] == 0 and data["id"] == [] and data["cat"] == ""


def test_inputs_are_not_changed() -> None:
    spaces, vacant = _spaces(), _vacant()
    before = spaces.copy(), vacant.copy()
    mapdata.encode_points(spaces, vacant, "de")
    pd.testing.assert_frame_equal(spaces, before[0])
    pd.testing.assert_frame_equal(vacant, before[1])


def test_borders_are_geojson_with_names() -> None:
    drawing = load_drawing_municipalities(Settings())
    data = json.loads(mapdata.encode_borders(drawing))
    assert len(data["features"]) == 53
    assert {"ags", "name", "county"} == set(data["features"][0]["properties"])


@pytest.mark.parametrize(
    ("values", "decimals", "expected"),
    [
        ([1.41, 1.42, 1.43, 1.44], 1, ["1,4"]),
        ([1.0, 1.0, 2.0, 3.0], 0, ["1 – 2", "2 – 3"]),
        ([0.1234, 0.5, 0.9], 1, None),
    ],
)
def test_legend_never_shows_a_class_like_x_to_x(
    values: list[float], decimals: int, expected: list[str] | None
) -> None:
    names = {f"0{i}": f"M{i}" for i in range(len(values))}
    payload = mapdata.choropleth_payload(
        dict(zip(names, values, strict=True)),
        names,
        title="Wert",
        suppressed_label="zu wenige",
        value_format=f"{{:,.{decimals}f}}",
        lang="de",
    )
    labels = [entry["label"] for entry in payload["legend"][:-1]]
    for label in labels:
        low, _, high = label.partition(" – ")
        assert low != high
    if expected is not None:
        assert labels == expected
    assert payload["legend"][-1]["label"] == "zu wenige"


def test_choropleth_payload_classes_grey_and_outside() -> None:
    names = {"a": "A", "b": "B", "c": "C", "d": "D"}
    payload = mapdata.choropleth_payload(
        {"a": 0.12, "b": None, "c": 0.5, "d": 0.9},
        names,
        title="Anteil",
        suppressed_label="zu wenige",
        value_format="{:.0%}",
        lang="de",
        outside={"d"},
        outside_label="nicht gewählt",
    )
    areas = payload["areas"]
    assert areas["a"][1:] == ["12\xa0%", "A"]
    assert areas["b"] == [mapdata.SUPPRESSED_CLASS, "zu wenige", "B"]
    assert areas["d"] == [mapdata.OUTSIDE_CLASS, "nicht gewählt", "D"]
    assert areas["a"][0] < areas["c"][0]
    assert payload["legend"][-1] == {"color": "transparent", "label": "nicht gewählt"}
    again = mapdata.choropleth_payload(
        {"a": 0.12, "b": None, "c": 0.5, "d": 0.9},
        names,
        title="Anteil",
        suppressed_label="zu wenige",
        value_format="{:.0%}",
        lang="de",
        outside={"d"},
        outside_label="nicht gewählt",
    )
    assert again["key"] == payload["key"]
    with pytest.raises(InputError):
        mapdata.choropleth_payload(
            {}, names, title="x", suppressed_label="y", value_format="{:.1f}", lang="de",
            outside={"a"},
        )  # fmt: skip


def test_place_list_is_plain_text_sorted_by_municipality() -> None:
    table, total = mapdata.place_list(_spaces(), _vacant(), "de", limit=3)
    assert total == 5
    assert len(table) == 3
    assert list(table.columns) == [
        t("field_title", "de"),
        t("mapfront_col_category", "de"),
        t("field_status", "de"),
        t("field_municipality", "de"),
        t("map_address", "de"),
        t("place_col_location", "de"),
    ]
    assert table.iloc[0, 3] == "Bochum" and table.iloc[0, 0] == HOSTILE
