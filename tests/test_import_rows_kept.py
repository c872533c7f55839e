"""Imports that used to lose data quietly: every input row is stored or reported by number."""

from __future__ import annotations

import codecs
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from heimatruhr_geo.cli import main
from heimatruhr_geo.csvread import read_csv_text
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.io import import_file
from heimatruhr_geo.store import Store

HEADER = "title,lat,lon,building_type,status\n"


def _row(title: str, lat: float = 51.5135, lon: float = 7.465) -> str:
    return f"{title},{lat},{lon},commercial,vacant\n"


def _titles(store: Store) -> list[str]:
    return sorted(store.query("vacant", public=False)["title"])


def test_an_unterminated_quote_does_not_swallow_the_next_row(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text(
        HEADER
        + _row("Halle eins")
        + '"Halle zwei,51.5,7.4,commercial,vacant\n'
        + _row("Halle drei")
        + _row("Halle vier"),
        encoding="utf-8",
    )  # fmt: skip
    report = import_file(store, path, "vacant")
    assert _titles(store) == ["Halle drei", "Halle eins", "Halle vier"]
    assert report.bad_rows == [3]
    assert "unterminated quote" in report.errors[0].allowed
    assert report.rows == 4, "every input line with a row is counted"


def test_a_quoted_field_may_span_lines(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "multiline.csv"
    path.write_text(
        HEADER + '"Halle\nmit Umbruch",51.5135,7.465,commercial,vacant\n' + _row("Halle zwei"),
        encoding="utf-8",
    )
    report = import_file(store, path, "vacant")
    assert report.errors == []
    assert _titles(store) == ["Halle\nmit Umbruch", "Halle zwei"]


def test_one_latin1_byte_in_a_utf8_file_is_reported_not_stored_as_mojibake(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.csv"
    text = HEADER + _row("Bühne Essen") + _row("Atelier Dortmund") + _row("Große Halle")
    data = text.encode("utf-8").replace(b"Atelier", "Ateli\xe9r".encode("latin-1"))
    path.write_bytes(data)
    report = import_file(store, path, "vacant")
    assert _titles(store) == ["Bühne Essen", "Große Halle"]
    assert report.bad_rows == [3]
    assert report.errors[0].field == "encoding"
    assert "Ã" not in "".join(_titles(store))


def test_a_whole_windows_1252_file_is_still_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + _row("Bühne Essen") + _row("Große Halle")).encode("cp1252"))
    report = import_file(store, path, "vacant")
    assert _titles(store) == ["Bühne Essen", "Große Halle"]
    assert any("Windows-1252" in w for w in report.warnings)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_accepted(store: Store, tmp_path: Path, codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    path = tmp_path / "excel.csv"
    path.write_bytes(bom + (HEADER + _row("Bühne Essen")).encode(codec))
    report = import_file(store, path, "vacant")
    assert report.errors == [] and _titles(store) == ["Bühne Essen"]


def test_utf16_without_bom_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "nobom.csv"
    path.write_bytes((HEADER + _row("Halle")).encode("utf-16-le"))
    with pytest.raises(InputError, match="byte-order mark"):
        read_csv_text(path)


def _two_layer_gpkg(path: Path) -> None:
    for name, title in (("leerstand", "Halle A"), ("zweite", "Halle B")):
        frame = gpd.GeoDataFrame(
            {"title": [title], "building_type": ["commercial"], "status": ["vacant"]},
            geometry=[shapely.Point(7.465, 51.5135)],
            crs="EPSG:4326",
        )
        frame.to_file(path, layer=name, driver="GPKG", engine="pyogrio")


def test_a_geopackage_with_two_layers_is_refused_naming_them(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    _two_layer_gpkg(path)
    with pytest.raises(InputError, match=r"leerstand.*zweite"):
        import_file(store, path, "vacant")
    assert _titles(store) == []


def test_the_layer_name_picks_one_layer(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "two.gpkg"
    _two_layer_gpkg(path)
    report = import_file(store, path, "vacant", layer_name="zweite")
    assert report.errors == [] and _titles(store) == ["Halle B"]
    with pytest.raises(InputError, match="no layer 'dritte'"):
        import_file(store, path, "vacant", layer_name="dritte")


def test_cli_layer_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    monkeypatch.setenv("HEIMATRUHR_OFFLINE", "1")
    path = tmp_path / "two.gpkg"
    _two_layer_gpkg(path)
    assert main(["import", str(path), "--layer", "vacant"]) == 2
    assert main(["import", str(path), "--layer", "vacant", "--layer-name", "leerstand"]) == 0


def test_assign_refuses_a_file_with_a_broken_quote_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text('name,lat,lon\n"kaputt,51.5,7.1\nok,51.4,7.2\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        from heimatruhr_geo.tables import read_csv_table

        read_csv_table(path, ("lat", "lon"))
