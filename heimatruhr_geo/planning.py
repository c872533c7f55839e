"""The planners' numbers: one row per municipality, county subtotals, chart data.

Everything here is pure pandas on frames the pages already have: the public query
results of the ``spaces`` and ``vacant`` layers (:meth:`~heimatruhr_geo.store.Store.query`,
already narrowed by :func:`heimatruhr_geo.viewstate.apply_view`), the survey answers
(:meth:`~heimatruhr_geo.store.Store.survey_answers`), the 53 municipalities
(:func:`~heimatruhr_geo.boundaries.load_municipalities`) and the population table
(:func:`~heimatruhr_geo.population.load_population`). Survey figures obey the k-anonymity
rule of :mod:`heimatruhr_geo.survey`.

Examples
--------
>>> table = municipality_table(spaces, vacant, answers, munis, population)  # doctest: +SKIP
>>> with_subtotals(table)  # 53 municipalities, 4 Kreise, 1 region row  # doctest: +SKIP
>>> measure_values(table, "spaces_per_10k")["05911000"]  # doctest: +SKIP
"""

from __future__ import annotations

import logging
import math
from typing import Any

import numpy as np
import pandas as pd

from heimatruhr_geo.errors import DataError, InputError
from heimatruhr_geo.formatting import sort_key
from heimatruhr_geo.maplayers import SPACE_LAYERS, SPACE_STATUS_LAYER
from heimatruhr_geo.models import HIDDEN_PROJECT_STATUSES, ProjectStatus, RentBand, VacancyStatus
from heimatruhr_geo.spatial import municipality_counts
from heimatruhr_geo.survey import K, municipality_summary, share_of_answer

logger = logging.getLogger(__name__)

PUBLIC_STATUSES = tuple(s.value for s in ProjectStatus if s not in HIDDEN_PROJECT_STATUSES)
"""Project statuses the public (and the planners' table) sees."""
AVAILABLE_STATUSES = (VacancyStatus.VACANT.value, VacancyStatus.TEMPORARY_USE.value)
AVAILABLE_RENT_BANDS = (RentBand.FREE.value, RentBand.BELOW_MARKET.value)
"""A vacant building counts as available for creative use in one of these statuses and bands."""
IDENTITY_HIGH = (4, 5)
"""Ratings that count as "local identity matters (very) much" for the share measure."""
REGION_NAME = "Ruhrgebiet (RVR)"

COUNT_COLUMNS = [
    "spaces",
    *[f"spaces_{s}" for s in PUBLIC_STATUSES],
    "funded_eur",
    "vacant",
    "vacant_available",
]
"""Columns that add up over municipalities."""

MEASURES: dict[str, str] = {
    "spaces": "spaces",
    "spaces_per_10k": "spaces_per_10k",
    "spaces_per_km2": "spaces_per_km2",
    "spaces_funded": "spaces_funded",
    "spaces_realized": "spaces_realized",
    "funded_eur": "funded_eur",
    "funded_eur_per_inhabitant": "funded_eur_per_inhabitant",
    "vacant": "vacant",
    "vacant_per_10k": "vacant_per_10k",
    "vacant_per_km2": "vacant_per_km2",
    "vacant_available": "vacant_available",
    "survey_responses": "survey_responses",
    "survey_per_10k": "survey_per_10k",
    "survey_identity_share": "survey_identity_share",
}
"""Choropleth measure key -> column of :func:`municipality_table`."""
DEFAULT_MEASURE = "spaces_per_10k"
_SIZES = ["population", "area_km2"]


SURVEY_COLUMNS = [
    "survey_responses",
    "survey_suppressed",
    "survey_per_10k",
    "survey_identity_share",
]
"""The survey's columns of :func:`municipality_table` (see :func:`survey_columns`)."""


def municipality_table(
    spaces: pd.DataFrame,
    vacant: pd.DataFrame,
    survey_answers: pd.DataFrame | None,
    municipalities: pd.DataFrame,
    population: pd.DataFrame,
    k: int = K,
    *,
    survey: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the planners' table: one row per municipality, zeros included.

    Parameters
    ----------
    spaces, vacant
        Public query results of the two layers (already filtered); need ``ags`` and,
        for spaces, ``status`` and ``funding_amount_eur``; for vacant buildings,
        ``status`` and ``rent_band``.
    survey_answers
        :meth:`~heimatruhr_geo.store.Store.survey_answers` of the whole region (which
        cells are hidden must not depend on a selection; narrow the rows afterwards).
        May be ``None`` when ``survey`` is given.
    municipalities
        ``ags, name, county, area_km2`` of the municipalities (the 53).
    population
        ``ags, population`` (:func:`~heimatruhr_geo.population.load_population`).
    k
        The survey's k-anonymity threshold.
    survey
        :func:`survey_columns` computed before (they do not depend on the records'
        filters, so a page computes them once for every selection).

    Returns
    -------
    pandas.DataFrame
        ``ags, name, county_key, county, population, area_km2, spaces,
        spaces_proposed, spaces_under_review, spaces_funded, spaces_realized,
        funded_eur, vacant, vacant_available, spaces_per_10k, vacant_per_10k,
        spaces_per_km2, vacant_per_km2, funded_eur_per_inhabitant, survey_responses``
        (``Int64``, ``<NA>`` when suppressed), ``survey_suppressed``, ``survey_per_10k``
        and ``survey_identity_share`` (share of identity ratings 4-5; both ``Float64``,
        ``<NA>`` when suppressed).

    Raises
    ------
    DataError
        If ``population`` lacks a municipality.
    """
    table = municipality_counts(_ags(spaces), municipalities).rename(columns={"count": "spaces"})
    table = table.drop(columns="per_km2")
    table.insert(2, "county_key", table["ags"].str[:5])
    table.insert(4, "population", _population(table["ags"], population))
    by_status = _count_by(spaces, "status", PUBLIC_STATUSES)
    for status in PUBLIC_STATUSES:
        table[f"spaces_{status}"] = _lookup(table, by_status[status])
    funded = pd.Series(dtype=float)
    if len(spaces):
        amounts = pd.to_numeric(spaces["funding_amount_eur"], errors="coerce")
        funded = amounts.groupby(_ags(spaces)).sum()
    table["funded_eur"] = table["ags"].map(funded).fillna(0.0).astype(float)
    table["vacant"] = _lookup(table, _ags(vacant).value_counts())
    table["vacant_available"] = _lookup(table, _ags(vacant[_available(vacant)]).value_counts())
    _rates(table)
    if survey is None:
        if survey_answers is None:
            raise InputError("municipality_table needs survey_answers or survey")
        survey = survey_columns(survey_answers, municipalities, population, k)
    return table.merge(survey[["ags", *SURVEY_COLUMNS]], on="ags", how="left", validate="1:1")


def survey_columns(
    survey_answers: pd.DataFrame,
    municipalities: pd.DataFrame,
    population: pd.DataFrame,
    k: int = K,
) -> pd.DataFrame:
    """Return the survey columns of :func:`municipality_table`, one row per municipality.

    Returns
    -------
    pandas.DataFrame
        ``ags`` and :data:`SURVEY_COLUMNS`, k-anonymous over all of ``survey_answers``.
    """
    table = pd.DataFrame({"ags": municipalities["ags"].astype(str).to_numpy()})
    table["population"] = _population(table["ags"], population)
    return _with_survey(table, survey_answers, municipalities, k)[["ags", *SURVEY_COLUMNS]]


def _population(keys: pd.Series, population: pd.DataFrame) -> pd.Series:
    """Return the inhabitants of each AGS in ``keys``.

    Raises
    ------
    DataError
        If ``population`` lacks one.
    """
    pop = pd.Series(population["population"].to_numpy(), index=population["ags"].astype(str))
    people = keys.map(pop)
    if people.isna().any():
        missing = keys[people.isna()].tolist()
        raise DataError(f"population lacks municipalities {missing}; rebuild population.csv")
    return people.astype("int64")


def with_subtotals(table: pd.DataFrame, *, all_counties: bool = False) -> pd.DataFrame:
    """Add county subtotal rows and a region total row to a :func:`municipality_table`.

    Parameters
    ----------
    table
        The per-municipality table.
    all_counties
        Also add a subtotal row for each county-free city (it equals the city's row);
        by default only the four Kreise get one.

    Returns
    -------
    pandas.DataFrame
        The rows grouped by county (each Kreis followed by its subtotal), then the
        region row; counties and the municipalities in a Kreis in German alphabetical
        order (:func:`~heimatruhr_geo.formatting.sort_key`: Bönen before Bottrop). A
        ``level`` column (``municipality``, ``county``, ``region``).
        Subtotal rows carry the county key in ``ags`` and the county name in ``name``;
        the region row has ``ags`` ``""``. Counts, money, population and area are
        summed and the rates recomputed. Survey counts are summed over the *shown*
        municipality cells only (``<NA>`` when every cell is suppressed), so subtotals
        reveal nothing the cells do not; ``survey_incomplete`` marks a group in which
        some cells are suppressed and therefore not included.
    """
    rows = table.copy()
    rows.insert(0, "level", "municipality")
    rows["survey_incomplete"] = False
    keys = rows["county_key"].astype(str)
    sizes = keys.value_counts()
    wanted = keys.isin(sizes.index if all_counties else sizes.index[sizes > 1])
    counties = _subtotals(rows[wanted.to_numpy()], keys[wanted].to_numpy())
    counties["level"], counties["county_key"] = "county", counties["ags"]
    names = rows.drop_duplicates("county_key").set_index("county_key")["county"]
    counties["name"] = counties["county"] = counties["ags"].map(names)
    region = _subtotals(rows, np.zeros(len(rows), dtype=np.int64))
    region["level"], region["ags"], region["name"] = "region", "", REGION_NAME
    region["county_key"] = region["county"] = ""
    # each county's municipalities (by name), then its subtotal row; the region row last
    group = {k: f"{sort_key(str(n))}\x00{k}" for k, n in names.items()}
    order = pd.concat(
        [
            pd.DataFrame(
                {
                    "k": keys.map(group).to_numpy(),
                    "r": 0,
                    "n": [sort_key(str(n)) for n in rows["name"]],
                    "i": np.arange(len(rows)),
                }
            ),
            pd.DataFrame({"k": counties["ags"].map(group).to_numpy(), "r": 1, "n": "", "i": 0}),
            pd.DataFrame({"k": ["\uffff"], "r": [2], "n": [""], "i": [0]}),
        ],
        ignore_index=True,
    )
    full = pd.concat([rows, counties[rows.columns], region[rows.columns]], ignore_index=True)
    return full.iloc[order.sort_values(["k", "r", "n", "i"]).index].reset_index(drop=True)


def measure_values(table: pd.DataFrame, key: str) -> dict[str, float | None]:
    """Return a choropleth measure per municipality AGS (``None`` where not shown).

    Parameters
    ----------
    table
        :func:`municipality_table` (subtotal rows, if any, are ignored).
    key
        One of :data:`MEASURES`.

    Raises
    ------
    InputError
        If ``key`` is not a measure.
    """
    if key not in MEASURES:
        raise InputError(f"measure={key!r} is not allowed; use one of {sorted(MEASURES)}")
    rows = table[table["level"] == "municipality"] if "level" in table.columns else table
    values = rows[MEASURES[key]].astype("Float64")
    return {
        str(a): (None if pd.isna(v) or not math.isfinite(float(v)) else float(v))
        for a, v in zip(rows["ags"], values, strict=True)
    }


def projects_by_type_status(spaces: pd.DataFrame) -> pd.DataFrame:
    """Count projects per municipality, type and status (long form, for charts).

    Returns
    -------
    pandas.DataFrame
        ``ags, name, project_type, status, count``; only combinations that occur,
        ordered by AGS, type and status.
    """
    columns = ["ags", "name", "project_type", "status"]
    if spaces.empty:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in columns}).assign(
            count=pd.Series(dtype="int64")
        )
    frame = pd.DataFrame(
        {
            "ags": _ags(spaces),
            "name": spaces["municipality"].astype(str),
            "project_type": spaces["project_type"].astype(str),
            "status": spaces["status"].astype(str),
        }
    )
    counts = frame.groupby(columns, sort=True).size().reset_index(name="count")
    counts["count"] = counts["count"].astype("int64")
    return counts


def funding_by_year(spaces: pd.DataFrame) -> pd.DataFrame:
    """Count funded projects and sum their funding per funding year.

    Returns
    -------
    pandas.DataFrame
        ``year`` (int), ``count`` (projects with that funding year), ``funded_eur``
        (their summed ``funding_amount_eur``), ordered by year; only years that occur.
    """
    per_status = projects_by_year_status(spaces)
    sums = per_status.groupby("year", sort=True)[["count", "funded_eur"]].sum().reset_index()
    return pd.DataFrame(
        {
            "year": sums["year"].astype("int64"),
            "count": sums["count"].astype("int64"),
            "funded_eur": sums["funded_eur"].astype(float),
        }
    )


def projects_by_year_status(spaces: pd.DataFrame) -> pd.DataFrame:
    """Count projects and sum their funding per funding year and status (long form, for charts).

    Returns
    -------
    pandas.DataFrame
        ``year`` (int), ``status``, ``count``, ``funded_eur``; only projects with a
        funding year, only combinations that occur, ordered by year and by the
        pipeline order of :data:`PUBLIC_STATUSES` (other statuses last). Summed over
        statuses, it is :func:`funding_by_year`.
    """
    empty = pd.DataFrame(
        {
            "year": pd.Series(dtype="int64"),
            "status": pd.Series(dtype=str),
            "count": pd.Series(dtype="int64"),
            "funded_eur": pd.Series(dtype=float),
        }
    )
    if spaces.empty:
        return empty
    years = pd.to_numeric(spaces["funding_year"], errors="coerce")
    amounts = pd.to_numeric(spaces["funding_amount_eur"], errors="coerce").fillna(0.0)
    frame = pd.DataFrame(
        {"year": years, "status": spaces["status"].astype(str), "amount": amounts}
    )[years.notna().to_numpy()]
    if frame.empty:
        return empty
    grouped = frame.groupby(["year", "status"], sort=False)["amount"].agg(["size", "sum"])
    out = grouped.reset_index()
    rank = {s: i for i, s in enumerate(PUBLIC_STATUSES)}
    out["_rank"] = out["status"].map(rank).fillna(len(rank))
    out = out.sort_values(["year", "_rank", "status"]).reset_index(drop=True)
    return pd.DataFrame(
        {
            "year": out["year"].astype("int64"),
            "status": out["status"].astype(str),
            "count": out["size"].astype("int64"),
            "funded_eur": out["sum"].astype(float),
        }
    )


def status_colors() -> dict[str, str]:
    """Return the colour of each public project status: the map's point layer colours.

    ``under_review`` shares its map layer with ``proposed``; in a chart it gets a lighter
    shade of that colour so that the two stay apart.

    Examples
    --------
    >>> colors = status_colors()
    >>> list(colors) == list(PUBLIC_STATUSES), colors["funded"] == _layer_color("funded")
    (True, True)
    """
    colors = {status: _layer_color(status) for status in PUBLIC_STATUSES}
    if colors.get("under_review") == colors.get("proposed"):
        colors["under_review"] = _lighter(colors["under_review"])
    return colors


def _layer_color(status: str) -> str:
    layer = SPACE_STATUS_LAYER[ProjectStatus(status)]
    return next(spec.color for spec in SPACE_LAYERS if spec.key == layer)


def _lighter(color: str, share: float = 0.45) -> str:
    """Return ``#rrggbb`` mixed with ``share`` white.

    Examples
    --------
    >>> _lighter("#e67e22")
    '#f1b885'
    """
    channels = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * share):02x}" for c in channels)


def _ags(frame: pd.DataFrame) -> pd.Series:  # type: ignore[type-arg]
    if "ags" not in frame.columns:
        raise InputError(f"records lack the column 'ags'; columns are {list(frame.columns)}")
    return frame["ags"].astype(str)


def _lookup(table: pd.DataFrame, counts: pd.Series) -> pd.Series:  # type: ignore[type-arg]
    return table["ags"].map(counts).fillna(0).astype("int64")


def _count_by(frame: pd.DataFrame, column: str, values: tuple[str, ...]) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=list(values), dtype="int64")
    counts = frame.groupby([_ags(frame), frame[column].astype(str)]).size().unstack(fill_value=0)
    return counts.reindex(columns=list(values), fill_value=0)


def _available(vacant: pd.DataFrame) -> pd.Series:  # type: ignore[type-arg]
    if vacant.empty:
        return pd.Series(dtype=bool)
    status = vacant["status"].astype(str).isin(AVAILABLE_STATUSES)
    band = vacant["rent_band"].astype("string").isin(AVAILABLE_RENT_BANDS).fillna(False)
    return status & band.astype(bool)


def _rates(table: pd.DataFrame) -> None:
    """(Re)compute the per-inhabitant and per-km² columns in place."""
    people = table["population"].astype(float).replace(0.0, np.nan)
    area = table["area_km2"].astype(float).replace(0.0, np.nan)
    for layer in ("spaces", "vacant"):
        table[f"{layer}_per_10k"] = table[layer] / people * 10_000
        table[f"{layer}_per_km2"] = table[layer] / area
    table["funded_eur_per_inhabitant"] = table["funded_eur"] / people


def _with_survey(
    table: pd.DataFrame, answers: pd.DataFrame, municipalities: pd.DataFrame, k: int
) -> pd.DataFrame:
    summary = municipality_summary(answers, municipalities, k).set_index("ags")
    share = share_of_answer(answers, "identity_rating", IDENTITY_HIGH, k, municipalities)
    table["survey_responses"] = table["ags"].map(summary["responses"]).astype("Int64")
    table["survey_suppressed"] = table["ags"].map(summary["suppressed"]).astype(bool)
    responses = table["survey_responses"].astype("Float64")
    table["survey_per_10k"] = responses / table["population"].astype(float) * 10_000
    table["survey_identity_share"] = (
        table["ags"].map(share.set_index("ags")["share"]).astype("Float64")
    )
    return table


def _subtotals(rows: pd.DataFrame, by: Any) -> pd.DataFrame:
    """Sum ``rows`` per group label in ``by``; survey figures over shown cells only."""
    shown = ~rows["survey_suppressed"].to_numpy(dtype=bool)
    responses = rows["survey_responses"].astype("Float64").fillna(0.0).to_numpy(float)
    share = rows["survey_identity_share"].astype("Float64").fillna(0.0).to_numpy(float)
    parts = pd.DataFrame({c: rows[c].to_numpy() for c in [*COUNT_COLUMNS, *_SIZES]})
    parts["_responses"] = np.where(shown, responses, 0.0)
    parts["_matching"] = np.where(shown, responses * share, 0.0)
    parts["_shown"] = shown.astype(np.int64)
    parts["_cells"] = 1
    parts["_shown_people"] = np.where(shown, rows["population"].to_numpy(float), 0.0)
    sums = parts.groupby(by, sort=True).sum()
    out = sums[[*COUNT_COLUMNS, *_SIZES]].reset_index(names="ags")
    out["ags"] = out["ags"].astype(str)
    for column in [*COUNT_COLUMNS, *_SIZES]:
        out[column] = out[column].astype(rows[column].dtype)
    _rates(out)
    none = sums["_shown"].to_numpy() == 0
    total = sums["_responses"].to_numpy()
    out["survey_responses"] = pd.array(np.round(total).astype(np.int64), dtype="Int64")
    out.loc[none, "survey_responses"] = pd.NA
    out["survey_suppressed"] = none
    out["survey_incomplete"] = (~none) & (sums["_shown"].to_numpy() < sums["_cells"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        per_10k = total / sums["_shown_people"].to_numpy() * 10_000
        identity = sums["_matching"].to_numpy() / total
    out["survey_per_10k"] = pd.array(np.where(none, np.nan, per_10k), dtype="Float64")
    out["survey_identity_share"] = pd.array(
        np.where(none | (total == 0), np.nan, identity), dtype="Float64"
    )
    return out
