"""Data commands: ``init-db``, ``import``, ``export``, ``seed-demo``, ``stats``."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from heimatruhr_geo.config import Settings
from heimatruhr_geo.csvsafe import neutral_frame
from heimatruhr_geo.demo import DEFAULT_N, seed_demo
from heimatruhr_geo.io import (
    RECORD_EXPORT_FORMATS,
    Geocode,
    GeocodeRequest,
    export_leerstandsmelder,
    export_records,
    import_file,
)
from heimatruhr_geo.models import LAYERS, Moderation
from heimatruhr_geo.store import Filters, Store, database_url


def register(commands: Any) -> None:
    """Add the data commands to the CLI's sub-parsers."""
    init = commands.add_parser("init-db", help="create or upgrade the database schema")
    init.set_defaults(handler=_init_db)

    imp = commands.add_parser(
        "import", help="import a CSV, GeoJSON, GeoPackage or Leerstandsmelder file"
    )
    imp.add_argument("file", type=Path, help="the file to import")
    imp.add_argument(
        "--layer", required=True, choices=LAYERS, help="which layer the rows belong to"
    )
    imp.add_argument("--offline", action="store_true", help="geocode without the network")
    imp.add_argument(
        "--moderation",
        default=Moderation.PUBLISHED.value,
        choices=[m.value for m in Moderation],
        help="state of the imported records (default: published)",
    )
    imp.add_argument("--report", type=Path, help="write the rejected rows as CSV to this file")
    imp.add_argument("--layer-name", help="the layer to read from a GeoPackage that holds several")
    imp.set_defaults(handler=_import)

    exp = commands.add_parser(
        "export", help="export records as CSV, GeoJSON, GeoPackage or Leerstandsmelder JSON"
    )
    exp.add_argument("--layer", choices=LAYERS, help="required, except for leerstandsmelder")
    exp.add_argument("--format", required=True, choices=RECORD_EXPORT_FORMATS, dest="fmt")
    exp.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    exp.add_argument("--municipality", nargs="+", default=[], metavar="AGS", help="8-digit keys")
    exp.add_argument(
        "--full", action="store_true", help="moderator export: everything, contacts too"
    )
    exp.add_argument(
        "--region-uuid",
        default="",
        help="leerstandsmelder: the platform's region of the locations (written as region_uuid)",
    )
    exp.set_defaults(handler=_export)

    seed = commands.add_parser("seed-demo", help="store reproducible demo data for all layers")
    seed.add_argument("--n", type=int, default=DEFAULT_N, help=f"records (default {DEFAULT_N})")
    seed.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    seed.set_defaults(handler=_seed_demo)

    stats = commands.add_parser("stats", help="records per municipality and layer as CSV")
    stats.add_argument("--public", action="store_true", help="count only what the public sees")
    stats.set_defaults(handler=_stats)


def _store(settings: Settings) -> Store:
    return Store.from_settings(settings)


def _init_db(args: argparse.Namespace, settings: Settings) -> int:
    _store(settings).close()
    print(f"database ready: {_shown_url(settings)}")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        report = import_file(
            store,
            args.file,
            args.layer,
            geocode=_geocoder(settings, offline=args.offline or settings.offline),
            moderation=args.moderation,
            layer_name=args.layer_name,
        )
    finally:
        store.close()
    print(report.summary())
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for err in report.errors:
        print(f"rejected {err}", file=sys.stderr)
    for held in report.withheld:
        print(f"not published: row {held.row} ({held.reason} at the source)", file=sys.stderr)
    if args.report is not None:
        report.write_csv(args.report)
        print(f"report: {args.report}")
    return 1 if report.errors else 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    lsm = args.fmt == "leerstandsmelder"
    if args.layer is None and not lsm:
        print("export: --layer is required for this format", file=sys.stderr)
        return 2
    if lsm and args.full:
        print("export: leerstandsmelder is a public format; leave out --full", file=sys.stderr)
        return 2
    store = _store(settings)
    try:
        filters = Filters(municipalities=tuple(args.municipality))
        if lsm:
            n = export_leerstandsmelder(
                store,
                args.output,
                filters,
                layer=args.layer or "vacant",
                region_uuid=args.region_uuid,
            )
        else:
            n = export_records(
                store, args.layer, args.output, args.fmt, filters, public=not args.full
            )
    finally:
        store.close()
    print(f"{n} records written to {args.output}")
    return 0


def _seed_demo(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        counts = seed_demo(store, args.n, args.seed)
    finally:
        store.close()
    print(
        f"demo data: {counts.inserted} new, {counts.updated} updated, {counts.unchanged} unchanged"
    )
    return 0


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    try:
        table = store.stats(public=args.public)
    finally:
        store.close()
    neutral_frame(table).to_csv(sys.stdout, index=False)
    return 0


def _geocoder(settings: Settings, *, offline: bool) -> Geocode:
    """Build the real geocoding chain lazily (only the CLI needs it)."""
    from heimatruhr_geo.geocoding import AddressQuery, Geocoder

    geocoder = Geocoder(dataclasses.replace(settings, offline=offline))

    def geocode(requests: list[GeocodeRequest]) -> Sequence[Any]:
        queries = [
            AddressQuery(street=r.street, postcode=r.postcode, city=r.city, text=r.text)
            for r in requests
        ]
        return geocoder.geocode_many(queries)

    return geocode


def _shown_url(settings: Settings) -> str:
    import sqlalchemy as sa

    return sa.make_url(database_url(settings)).render_as_string(hide_password=True)
