"""No CSV the app writes carries a spreadsheet formula from stored or user text (CSV injection)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from heimatruhr_geo.cli import main
from heimatruhr_geo.config import Settings
from heimatruhr_geo.csvsafe import neutral_cell, neutral_frame
from heimatruhr_geo.io import export_bytes
from heimatruhr_geo.store import Store

pytestmark = pytest.mark.usefixtures("cli_env")

FORMULAS = [
    '=HYPERLINK("https://evil.example/x","Klick")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
STORED = FORMULAS[:4]
"""The formulas that survive an import (titles are stripped of leading whitespace)."""
HEADER = (
    "title,description,street,postcode,city,lat,lon,building_type,owner_type,vacant_since,"
    "degree,floors,floor_area_m2,rent_band,available_from,available_until,power,water,heating,"
    "step_free,status,contact_public"
)


def _row(title: str, building_type: str = "commercial") -> list[str]:
    return [
        title, "Leerstand", "Grubenweg 5", "44388", "Dortmund", "51.5135", "7.465",
        building_type, "private", "under_1_year", "partly", "1", "80", "free", "2026-01-01",
        "2027-12-31", "ja", "nein", "", "", "vacant", title,
    ]  # fmt: skip


def _write_import(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER.split(","))
        for formula in STORED:
            writer.writerow(_row(formula))
        writer.writerow(_row("Halle", building_type='=HYPERLINK("x")'))


def _raw_cells(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as src:
        return [cell for row in csv.reader(src) for cell in row]


def _assert_neutral(cells: list[str]) -> None:
    dangerous = [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))]
    dangerous += [c for c in cells if c.startswith("-") and not _number(c)]
    assert dangerous == []


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_cell_gets_a_quote(value: str) -> None:
    assert neutral_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-12.5", "+49", "-3", "Zeche", "", "a=b", 7, None])
def test_numbers_and_plain_text_stay(value: object) -> None:
    assert neutral_cell(value) == value


def test_neutral_frame_keeps_numbers_and_the_callers_frame() -> None:
    frame = pd.DataFrame({"title": ["=1+1", "ok"], "n": [-1, 2], "=x": ["a", None]})
    out = neutral_frame(frame)
    assert out["title"].tolist() == ["'=1+1", "ok"]
    assert out["n"].tolist() == [-1, 2]
    assert list(out.columns) == ["title", "n", "'=x"]
    assert frame.loc[0, "title"] == "=1+1", "the caller's frame is not changed"


def test_cli_export_report_and_stats_are_neutral(tmp_path: Path) -> None:
    source = tmp_path / "hostile.csv"
    _write_import(source)
    report = tmp_path / "report.csv"
    code = main(["import", str(source), "--layer", "vacant", "--offline", "--report", str(report)])
    assert code == 1, "the row with a formula as building type is rejected"
    report_cells = _raw_cells(report)
    assert '\'=HYPERLINK("x")' in report_cells
    _assert_neutral(report_cells)

    csv_out, geojson_out = tmp_path / "out.csv", tmp_path / "out.geojson"
    assert main(["export", "--layer", "vacant", "--format", "csv", "-o", str(csv_out)]) == 0
    cells = _raw_cells(csv_out)
    _assert_neutral(cells)
    for formula in STORED:
        assert "'" + formula in cells
    assert main(["export", "--layer", "vacant", "--format", "geojson", "-o", str(geojson_out)]) == 0
    titles = {f["properties"]["title"] for f in json.loads(geojson_out.read_text())["features"]}
    assert titles == set(STORED), "GeoJSON keeps the raw text"


def test_planner_download_is_neutral(tmp_path: Path) -> None:
    source = tmp_path / "hostile.csv"
    _write_import(source)
    main(["import", str(source), "--layer", "vacant", "--offline"])
    settings = Settings.from_env()
    store = Store.from_settings(settings)
    try:
        frame = store.query("vacant", public=True)
    finally:
        store.close()
    path = tmp_path / "download.csv"
    path.write_bytes(export_bytes(frame, "csv", layer="vacant"))
    cells = _raw_cells(path)
    _assert_neutral(cells)
    assert "'" + FORMULAS[0] in cells


def test_assign_output_is_neutral(tmp_path: Path) -> None:
    source = tmp_path / "orte.csv"
    source.write_text('name,lat,lon\n"=HYPERLINK(""x"")",51.4818,7.2162\n', encoding="utf-8")
    target = tmp_path / "out.csv"
    assert main(["assign", str(source), "-o", str(target)]) == 0
    cells = _raw_cells(target)
    assert '\'=HYPERLINK("x")' in cells
    assert "51.4818" in cells
