"""Benchmark the record store: import and export.

Run on demand (not part of the tests)::

    .venv/bin/python benchmarks/bench_store.py            # SQLite in a temp folder
    .venv/bin/python benchmarks/bench_store.py --url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Targets: importing 10,000 rows with coordinates < 10 s on SQLite; exporting 100,000
records as GeoJSON < 10 s. Radius searches are the space finder's (``bench_finder.py``).
The PostgreSQL URL must name an existing, empty database (its tables are deleted).
"""

from __future__ import annotations

import argparse
import csv
import gc
import tempfile
import time
from pathlib import Path

from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.io import export_records, import_file
from heimatruhr_geo.models import CreativeSpace, Record, VacantBuilding
from heimatruhr_geo.schema import CONTACTS, RECORDS
from heimatruhr_geo.store import Store


def timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"{label:<55} {time.perf_counter() - start:8.2f} s")
    return result


def write_import_csv(path: Path, records: list[Record]) -> None:
    columns = ["source_id", "title", "lat", "lon", "building_type", "floors", "power", "street"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for i, r in enumerate(records):
            assert isinstance(r, VacantBuilding)
            writer.writerow(
                [f"b{i}", r.title, r.lat, r.lon, r.building_type, r.floors, r.power, r.street]
            )


def as_spaces(records: list[Record]) -> list[Record]:
    """Turn 100,000 demo points into 100,000 creative spaces (one layer, one query)."""
    return [
        CreativeSpace.model_validate(
            {
                "id": f"bench{i:07d}",
                "lon": r.lon,
                "lat": r.lat,
                "title": f"Ort {i}",
                "project_type": "studio",
                "status": "funded",
                "moderation": "published",
                "source": "demo",
            }
        )
        for i, r in enumerate(records)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        store = Store(url)
        with store.engine.begin() as conn:
            conn.execute(CONTACTS.delete())
            conn.execute(RECORDS.delete())
        print(f"backend: {store.engine.dialect.name}")

        vacant = [r for r in demo_records(34_000, seed=5) if r.layer == "vacant"][:10_000]
        csv_path = Path(tmp) / "import.csv"
        write_import_csv(csv_path, vacant)
        report = timed(
            "import 10,000 CSV rows with coordinates", import_file, store, csv_path, "vacant"
        )
        assert report.inserted == 10_000, report.summary()
        again = timed(
            "re-import the same 10,000 rows (all unchanged)", import_file, store, csv_path, "vacant"
        )
        assert again.unchanged == 10_000

        points = timed(f"generate {args.n:,} demo records", demo_records, args.n, 1)
        spaces = timed(f"validate {args.n:,} creative spaces", as_spaces, points)
        timed(f"store {args.n:,} creative spaces (one transaction)", store.add_many, spaces)
        # The app process does not hold 100,000 record objects: drop them, or Python's
        # garbage collector walks them during the queries below and inflates their times.
        del points, spaces
        gc.collect()

        out = Path(tmp) / "spaces.geojson"
        n = timed(f"export {args.n:,} records as GeoJSON", export_records, store, "spaces", out)
        print(f"  {n:,} features, {out.stat().st_size / 1e6:.1f} MB")
        gpkg = Path(tmp) / "spaces.gpkg"
        timed(f"export {args.n:,} records as GeoPackage", export_records, store, "spaces", gpkg)
        if args.url:
            with store.engine.begin() as conn:
                conn.execute(CONTACTS.delete())
                conn.execute(RECORDS.delete())
        store.close()


if __name__ == "__main__":
    main()
