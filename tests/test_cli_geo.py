"""The geo commands of ``python -m heimatruhr_geo``."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest

from heimatruhr_geo.cli import main
from heimatruhr_geo.tables import parse_coordinates

PROJECT = Path(__file__).resolve().parent.parent


def test_municipalities_prints_53_rows_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["municipalities"]) == 0
    table = pd.read_csv(StringIO(capsys.readouterr().out), dtype={"ags": str})
    assert list(table.columns) == ["ags", "name", "county", "area_km2"]
    assert len(table) == 53
    assert table.set_index("ags").loc["05913000", "name"] == "Dortmund"
    assert table["area_km2"].sum() == pytest.approx(4437.8, abs=0.5)


def test_module_entry_point_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "heimatruhr_geo", "municipalities"],
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT,
    )
    assert done.stdout.count("\n") == 54


def test_assign_adds_columns_keeps_rows_and_counts_bad_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "orte.csv"
    source.write_text(
        "id,name,lat,lon,note\n"
        "1,Rathaus Bochum,51.4818,7.2162,keep me\n"
        "2,Paris,48.85,2.35,\n"
        "3,kaputt,abc,7.1,\n"
        "4,halb,51.5,,\n"
        '5,Komma,"51,4556","7,0116",\n'
        "6,zu weit,99,7.1,\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.csv"
    assert main(["assign", str(source), "-o", str(target)]) == 0
    out = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert list(out.columns) == ["id", "name", "lat", "lon", "note", "ags", "municipality"]
    assert out["ags"].tolist() == ["05911000", "", "", "", "05113000", ""]
    assert out["municipality"].tolist() == ["Bochum", "", "", "", "Essen", ""]
    assert out.loc[0, "note"] == "keep me"
    assert out.loc[2, "lat"] == "abc", "bad values are kept as they were"
    summary = capsys.readouterr().err.strip()
    assert summary.count("\n") == 0
    assert "6 rows, 2 assigned, 1 outside the Ruhr, 3 with unparseable" in summary
    assert "(lines 4, 5, 7)" in summary


def test_assign_reads_german_spreadsheet_csv(tmp_path: Path) -> None:
    source = tmp_path / "excel.csv"
    source.write_bytes("Ort;lat;lon\nMülheim;51,4270;6,8825\n".encode("cp1252"))
    target = tmp_path / "out.csv"
    assert main(["assign", str(source), "-o", str(target)]) == 0
    out = pd.read_csv(target, dtype=str)
    assert out.loc[0, "Ort"] == "Mülheim"
    assert out.loc[0, "municipality"] == "Mülheim an der Ruhr"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,latitude,longitude\nx,51.4,7.1\n", "missing column(s) lat, lon"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"", "not a readable CSV"),
    ],
)
def test_assign_rejects_bad_files_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    assert main(["assign", str(source), "-o", str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert message in err
    assert not (tmp_path / "out.csv").exists()


def test_assign_on_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assign", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")]) == 2
    assert "nope.csv: cannot be read" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("51.5", 51.5),
        (" 7,25 ", 7.25),
        ("-0.5", -0.5),
        ("1e1", 10.0),
        ("", None),
        ("1,000.5", None),
    ],
)
def test_parse_coordinates(text: str, expected: float | None) -> None:
    value = parse_coordinates(pd.Series([text])).iloc[0]
    assert pd.isna(value) if expected is None else value == expected
