"""The data commands of ``python -m heimatruhr_geo``."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from heimatruhr_geo.cli import main

pytestmark = pytest.mark.usefixtures("cli_env")

DATA = Path(__file__).parent / "data"


def test_init_db(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init-db"]) == 0
    assert cli_env.is_file()
    assert "database ready" in capsys.readouterr().out


def test_import_report_export_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.csv"
    code = main(
        ["import", str(DATA / "vacant_20_good_5_bad.csv"), "--layer", "vacant", "--offline",
         "--report", str(report)]
    )  # fmt: skip
    out = capsys.readouterr()
    assert code == 1  # some rows were rejected
    assert "20 new" in out.out and "5 rejected" in out.out
    assert "rejected row 13: building_type='castle'" in out.err
    assert pd.read_csv(report)["row"].tolist() == [7, 13, 14, 20, 26]
    gpkg = tmp_path / "dortmund.gpkg"
    assert (
        main(["export", "--layer", "vacant", "--format", "gpkg", "-o", str(gpkg),
              "--municipality", "05913000"])
        == 0
    )  # fmt: skip
    assert "1 records written" in capsys.readouterr().out
    assert pyogrio.read_dataframe(gpkg)["municipality"].tolist() == ["Dortmund"]
    assert main(["stats"]) == 0
    stats = pd.read_csv(StringIO(capsys.readouterr().out), dtype={"ags": str}).set_index("ags")
    assert stats["vacant"].sum() == 20 and len(stats) == 53


def test_seed_demo_and_export_refuses_public_survey(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed-demo", "--n", "200", "--seed", "2"]) == 0
    assert "200 new" in capsys.readouterr().out
    assert main(["seed-demo", "--n", "200", "--seed", "2"]) == 0
    assert "200 unchanged" in capsys.readouterr().out
    out = tmp_path / "survey.csv"
    assert main(["export", "--layer", "survey", "--format", "csv", "-o", str(out)]) == 2
    assert "never public" in capsys.readouterr().err
    assert main(["export", "--layer", "survey", "--format", "csv", "-o", str(out), "--full"]) == 0


def test_import_geocodes_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("heimatruhr_geo.geocoding")
    path = tmp_path / "cities.csv"
    path.write_text("title,city,project_type\nAtelier,Bochum,studio\n", encoding="utf-8")
    assert main(["import", str(path), "--layer", "spaces", "--offline"]) == 0
    assert "1 new" in capsys.readouterr().out
    assert main(["stats"]) == 0
    stats = pd.read_csv(StringIO(capsys.readouterr().out), dtype={"ags": str}).set_index("ags")
    assert stats.loc["05911000", "spaces"] == 1


def test_bad_file_is_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert main(["import", str(path), "--layer", "spaces"]) == 2
    assert capsys.readouterr().err.startswith("error: import file image.csv is named .csv")
