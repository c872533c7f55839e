"""Import with per-row reports, and export in public and full form."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import pytest
import shapely

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.io import (
    MAX_IMPORT_BYTES,
    detect_format,
    export_records,
    import_file,
)
from heimatruhr_geo.models import CreativeSpace
from heimatruhr_geo.store import Filters, Store
from tests.support.geocoding import FakeGeocoder

DATA = Path(__file__).parent / "data"
GOOD_BAD = DATA / "vacant_20_good_5_bad.csv"
BAD_LINES = {
    7: "lat/lon",
    13: "building_type",
    14: "floor_area_m2",
    20: "available_from",
    26: "title",
}


# Every test runs on SQLite and on PostgreSQL (the backend fixtures of test_store).


PLACES = {"Bochum": (51.4818, 7.2162), "Hamm": (51.6739, 7.8159), "Köln": (50.9375, 6.9603)}


def city_geocoder() -> FakeGeocoder:
    """Knows a few city names (to the municipality's precision)."""
    return FakeGeocoder(lambda r: PLACES.get(r.city), "municipality")


def write_csv(
    path: Path, rows: list[dict[str, Any]], sep: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=sep)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_twenty_good_five_bad_and_second_run_loses_nothing(store: Store, tmp_path: Path) -> None:
    report = import_file(store, GOOD_BAD, "vacant")
    assert (report.rows, report.inserted) == (25, 20)
    assert report.bad_rows == sorted(BAD_LINES)
    assert {e.row: e.field for e in report.errors} == BAD_LINES
    outside = next(e for e in report.errors if e.row == 7)
    assert "outside the 53 Ruhr municipalities" in outside.allowed
    assert store.count("vacant") == 20
    # the report as CSV, readable back
    rows = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert [int(r["row"]) for r in rows] == sorted(BAD_LINES)
    assert rows[1]["value"] == "castle" and "industrial" in rows[1]["allowed"]
    path = report.write_csv(tmp_path / "report.csv")
    assert path.read_text(encoding="utf-8-sig").startswith("row,field,value,allowed")
    again = import_file(store, GOOD_BAD, "vacant")
    assert (again.inserted, again.unchanged, len(again.bad_rows)) == (0, 20, 5)
    assert store.count("vacant") == 20


def test_changed_row_updates_in_place_with_id_column(store: Store, tmp_path: Path) -> None:
    row = {
        "id": "A1",
        "title": "Halle",
        "lat": "51.5136",
        "lon": "7.4653",
        "building_type": "other",
    }
    import_file(store, write_csv(tmp_path / "a.csv", [row]), "vacant")
    report = import_file(store, write_csv(tmp_path / "b.csv", [{**row, "floors": "2"}]), "vacant")
    assert (report.inserted, report.updated) == (0, 1)
    assert store.query("vacant")["floors"].tolist() == [2]


def test_duplicate_rows_in_one_file_are_reported(store: Store, tmp_path: Path) -> None:
    row = {"title": "Halle", "lat": "51.5136", "lon": "7.4653", "building_type": "other"}
    report = import_file(store, write_csv(tmp_path / "d.csv", [row, row]), "vacant")
    assert report.inserted == 1
    assert [(e.row, e.field) for e in report.errors] == [(3, "row")]
    assert "same as row 2" in report.errors[0].allowed


def test_german_spreadsheet_latin1_semicolons_decimal_commas(store: Store, tmp_path: Path) -> None:
    rows = [
        {"Titel": "Atelier Süd", "Breite": "51,4818", "Länge": "7,2162", "project_type": "studio"},
        {"Titel": "Bühne Nord", "Breite": "51,5136", "Länge": "7,4653", "project_type": "stage"},
    ]
    path = write_csv(tmp_path / "excel.csv", rows, sep=";", encoding="cp1252")
    report = import_file(store, path, "spaces")
    assert report.errors == [] and report.inserted == 2
    assert any("Windows-1252" in w for w in report.warnings)
    assert sorted(store.query("spaces")["title"]) == ["Atelier Süd", "Bühne Nord"]


def test_rows_without_coordinates_are_geocoded(store: Store, tmp_path: Path) -> None:
    rows = [
        {"title": "A", "city": "Bochum", "lat": "", "lon": "", "project_type": "music"},
        {"title": "B", "city": "Köln", "lat": "", "lon": "", "project_type": "music"},
        {"title": "C", "city": "Nirgendwo", "lat": "", "lon": "", "project_type": "music"},
        {"title": "D", "city": "", "lat": "", "lon": "", "project_type": "music"},
        {"title": "E", "city": "Hamm", "lat": "51.5", "lon": "", "project_type": "music"},
    ]
    geocoder = city_geocoder()
    report = import_file(store, write_csv(tmp_path / "g.csv", rows), "spaces", geocode=geocoder)
    assert [r.city for r in geocoder.asked] == ["Bochum", "Köln", "Nirgendwo"]
    assert report.inserted == 1 and report.geocoded == 1
    assert {e.row: e.field for e in report.errors} == {
        3: "address",
        4: "address",
        5: "lat/lon",
        6: "lon",
    }
    stored = store.query("spaces", public=False)
    assert stored.loc[0, "municipality"] == "Bochum"
    assert (stored.loc[0, "geocode_precision"], stored.loc[0, "geocode_source"]) == (
        "municipality",
        "fake",
    )


def test_without_geocoder_rows_lacking_coordinates_are_errors(store: Store, tmp_path: Path) -> None:
    rows = [{"title": "A", "city": "Bochum", "project_type": "music"}]
    report = import_file(store, write_csv(tmp_path / "n.csv", rows), "spaces")
    assert report.inserted == 0 and report.bad_rows == [2]


def test_wrong_field_count_is_a_row_error(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(
        "title,lat,lon,project_type\nA,51.48,7.21,studio\nB,51.48,7.21\nC,51.5136,7.4653,music\n",
        encoding="utf-8",
    )
    report = import_file(store, path, "spaces")
    assert report.inserted == 2 and [(e.row, e.field) for e in report.errors] == [(3, "row")]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("picture.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "PNG image"),
        ("sheet.csv", b"PK\x03\x04" + b"\x00" * 40, "Excel"),
        ("points.gpkg", b"title,lat,lon\nA,1,2\n", "not a GeoPackage"),
        ("notes.docx", b"hello", "not supported"),
        ("empty.csv", b"", "empty"),
        ("one.csv", b"just one column\nvalue\n", "not a CSV header"),
        ("bad.geojson", b'{"type": "FeatureCollection", "features": [', "not valid"),
    ],
)
def test_files_that_are_not_what_they_claim(
    store: Store, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        import_file(store, path, "spaces")


def test_too_big_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:  # sparse: no disk space used
        fh.truncate(MAX_IMPORT_BYTES + 1)
    with pytest.raises(InputError, match="limit is 105 MB"):
        detect_format(path)


def test_geojson_points_polygons_and_mixed(store: Store, tmp_path: Path) -> None:
    def feature(geom: dict[str, Any], title: str) -> dict[str, Any]:
        props = {"title": title, "project_type": "gallery"}
        return {"type": "Feature", "geometry": geom, "properties": props}

    point = {"type": "Point", "coordinates": [7.2162, 51.4818]}
    square = shapely.geometry.mapping(shapely.box(7.2, 51.4, 7.3, 51.5))
    polys = tmp_path / "areas.geojson"
    polys.write_text(json.dumps({"type": "FeatureCollection", "features": [feature(square, "x")]}))
    with pytest.raises(InputError, match="Polygon geometries; expected Point"):
        import_file(store, polys, "spaces")
    mixed = tmp_path / "mixed.geojson"
    features = [feature(point, "P"), feature(square, "Q")]
    mixed.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    report = import_file(store, mixed, "spaces")
    assert report.inserted == 1 and [(e.row, e.field) for e in report.errors] == [(2, "geometry")]


def test_geopackage_import_reprojects(store: Store, tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {
            "title": ["Galerie", "Bühne"],
            "project_type": ["gallery", "festival"],
            "funding_year": [2024, 2040],
        },
        geometry=gpd.points_from_xy([7.2162, 7.4653], [51.4818, 51.5136]),
        crs="EPSG:4326",
    ).to_crs("EPSG:25832")
    path = tmp_path / "in.gpkg"
    frame.to_file(path, driver="GPKG", engine="pyogrio")
    report = import_file(store, path, "spaces")
    assert report.inserted == 1
    assert [(e.row, e.field, e.value) for e in report.errors] == [(2, "funding_year", "2040")]
    got = store.query("spaces")
    assert got.loc[0, "municipality"] == "Bochum"
    assert got.loc[0, "lon"] == pytest.approx(7.2162, abs=1e-7)


def test_leerstandsmelder_export(store: Store) -> None:
    report = import_file(store, DATA / "leerstandsmelder.json", "vacant")
    assert report.format == "leerstandsmelder"
    assert report.inserted == 3
    assert [(e.row, e.field, e.value) for e in report.errors] == [(4, "emptySince", "forever")]
    got = store.query("vacant").set_index("title")
    assert got.loc["Alte Brauerei", "vacant_since"] == "over_1_year"
    assert got.loc["Alte Brauerei", "degree"] == "completely"
    assert got.loc["Alte Brauerei", "building_type"] == "industrial"
    assert got.loc["Alte Brauerei", "owner_type"] == "business"
    assert got.loc["Ladenzeile", "municipality"] == "Dortmund"
    again = import_file(store, DATA / "leerstandsmelder.json", "vacant")
    assert again.unchanged == 3 and store.count("vacant") == 3


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_export_public_has_no_private_or_unpublished_data(
    store: Store, tmp_path: Path, fmt: str
) -> None:
    def space(title: str, moderation: str, **kw: Any) -> CreativeSpace:
        return CreativeSpace(
            title=title, lon=7.2162, lat=51.4818, project_type="studio", moderation=moderation, **kw
        )

    store.add_many(
        [
            space(
                "Öffentlich", "published", contact_email="secret@example.org", contact_name="Geheim"
            ),
            space("Wartet", "pending"),
            space("Zurückgezogen", "published", status="withdrawn"),
        ]
    )
    path = tmp_path / f"out.{fmt}"
    assert export_records(store, "spaces", path) == 1
    text = path.read_bytes()
    assert b"secret@example.org" not in text and b"Geheim" not in text
    if fmt == "csv":
        back = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    else:
        back = pyogrio.read_dataframe(path).to_dict("records")
    assert [r["title"] for r in back] == ["Öffentlich"]
    assert back[0]["ags"] == "05911000" and back[0]["municipality"] == "Bochum"
    assert float(back[0]["lat"]) == pytest.approx(51.4818)
    assert "contact_email" not in back[0] and "moderation" not in back[0]
    full = tmp_path / f"full.{fmt}"
    assert export_records(store, "spaces", full, public=False) == 3
    assert b"secret@example.org" in full.read_bytes() or fmt == "gpkg"
    if fmt == "gpkg":
        assert "secret@example.org" in set(pyogrio.read_dataframe(full)["contact_email"])


def test_export_filtered_by_municipality(store: Store, tmp_path: Path) -> None:
    import_file(store, GOOD_BAD, "vacant")
    path = tmp_path / "dortmund.gpkg"
    n = export_records(store, "vacant", path, filters=Filters(municipalities=("05913000",)))
    frame = pyogrio.read_dataframe(path)
    assert n == len(frame) == 1
    assert frame.crs.to_epsg() == 4326 and set(frame["municipality"]) == {"Dortmund"}


def test_export_unknown_format(store: Store, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="export format"):
        export_records(store, "spaces", tmp_path / "out.xlsx")
