"""``python -m heimatruhr_geo geocode``: one address as JSON, a CSV file, offline and online."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pytest
from pytest_httpserver import HTTPServer

from heimatruhr_geo import __version__
from heimatruhr_geo.cli import main
from heimatruhr_geo.config import PROJECT_DIR

FIELDS = {"query", "found", "lat", "lon", "precision", "source", "ags", "municipality", "label"}


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away cache folder and no network unless a test says otherwise."""
    monkeypatch.setenv("HEIMATRUHR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HEIMATRUHR_OFFLINE", "1")
    monkeypatch.setenv("HEIMATRUHR_NOMINATIM_URL", "http://127.0.0.1:9")  # nothing listens
    return tmp_path


def run_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code = main(["geocode", *args])
    return code, json.loads(capsys.readouterr().out)


def test_one_address_prints_one_json_object(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, result = run_json(["Rottstraße 5, 44793 Bochum", "--offline"], capsys)
    assert code == 0
    assert FIELDS | {"reason", "service_issue"} == set(result)
    assert result["ags"] == "05911000" and result["municipality"] == "Bochum"
    assert result["found"] is True and result["source"] == "gazetteer"


def test_not_found_exits_1_with_the_reason(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, result = run_json(["Alexanderplatz, Berlin"], capsys)
    assert code == 1
    assert result["found"] is False and result["ags"] == ""
    assert "gazetteer" in str(result["reason"])


def test_offline_resolves_all_53_names_and_variants(
    env: Path, capsys: pytest.CaptureFixture[str], municipalities: gpd.GeoDataFrame
) -> None:
    expected = dict(zip(municipalities["name"], municipalities["ags"], strict=True))
    expected |= {
        "Mülheim": "05117000",
        "Mülheim a.d. Ruhr": "05117000",
        "Voerde": "05170044",
        "Wetter": "05954032",
        "Fröndenberg": "05978012",
        "Haltern": "05562016",
        "Stadt Gelsenkirchen": "05513000",
        "HUENXE": "05170016",
    }
    got = {}
    for name in expected:
        _, result = run_json([name, "--offline"], capsys)
        got[name] = result["ags"]
    assert got == expected


def test_csv_in_csv_out(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = env / "shops.csv"
    source.write_text(
        "id;street;postcode;city;lat;lon\n"
        "1;Rottstraße 5;44793;Bochum;;\n"
        "2;Hauptstraße 1;;Wattenscheid;;\n"
        "3;Unter den Linden 1;10117;Berlin;;\n"
        "4;Rottstraße 5;44793;Bochum;;\n"
        "5;;;;51,4556;7,0116\n",
        encoding="utf-8",
    )
    target = env / "out.csv"
    assert main(["geocode", "--input", str(source), "-o", str(target), "--offline"]) == 0
    err = capsys.readouterr().err
    assert "4/4 distinct queries" in err
    assert "5 rows: 4 found" in err and "1 not found" in err
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r["ags"] for r in rows] == ["05911000", "05911000", "", "05911000", "05113000"]
    assert [r["precision"] for r in rows] == [
        "municipality",
        "district",
        "",
        "municipality",
        "exact",
    ]
    assert rows[4]["source"] == "given" and float(rows[4]["lat"]) == pytest.approx(51.4556)
    assert rows[2]["lat"] == "" and "gazetteer" in rows[2]["reason"]
    assert {"lat", "lon", "precision", "source", "ags", "municipality"} <= set(rows[0])


def test_csv_with_address_column(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = env / "in.csv"
    source.write_text('address\n"Huyssenallee 53, 45128 Essen"\nDortmund-Hörde\n', "utf-8")
    target = env / "out.csv"
    assert main(["geocode", "--input", str(source), "-o", str(target)]) == 0
    with target.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["ags"], r["precision"]) for r in rows] == [
        ("05113000", "municipality"),
        ("05913000", "district"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "either one ADDRESS or --input"),
        (["Bochum", "--input", "x.csv", "-o", "y.csv"], "either one ADDRESS or --input"),
        (["--input", "x.csv"], "-o/--output"),
    ],
)
def test_bad_arguments_are_one_line_errors(
    env: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["geocode", *args]) == 2
    assert message in capsys.readouterr().err


def test_csv_without_address_columns_is_refused(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = env / "in.csv"
    source.write_text("name,value\na,1\n", "utf-8")
    assert main(["geocode", "--input", str(source), "-o", str(env / "o.csv")]) == 2
    err = capsys.readouterr().err
    assert "needs the column 'address'" in err and "found: name, value" in err


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    srv = HTTPServer(host="127.0.0.1", port=0)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


def test_online_uses_the_configured_server_and_contact(
    env: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    server: HTTPServer,
) -> None:
    agent = f"heimatruhr-geo/{__version__} (ops@example.org)"
    server.expect_request("/search", headers={"User-Agent": agent}).respond_with_json(
        [{"lat": "51.4858", "lon": "7.2214", "display_name": "Rottstraße 5", "place_rank": 30}]
    )
    monkeypatch.setenv("HEIMATRUHR_OFFLINE", "0")
    monkeypatch.setenv("HEIMATRUHR_NOMINATIM_URL", server.url_for("/"))
    monkeypatch.setenv("HEIMATRUHR_CONTACT", "ops@example.org")
    code, result = run_json(["Rottstraße 5, 44793 Bochum"], capsys)
    assert code == 0
    assert (result["source"], result["precision"], result["ags"]) == (
        "nominatim",
        "address",
        "05911000",
    )
    assert len(server.log) == 1
    assert server.log[0][0].args["q"] == "Rottstraße 5, 44793 Bochum"


def test_module_entry_point(env: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "heimatruhr_geo", "geocode", "Gelsenkirchen-Buer", "--offline"],
        cwd=PROJECT_DIR,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert (result["ags"], result["precision"], result["label"]) == ("05513000", "district", "Buer")
