"""The planners' table, subtotals, measures, chart data and downloads."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.errors import DataError, InputError
from heimatruhr_geo.formatting import sort_key
from heimatruhr_geo.io import export_bytes
from heimatruhr_geo.maplayers import SPACE_LAYERS
from heimatruhr_geo.planning import (
    MEASURES,
    funding_by_year,
    measure_values,
    municipality_table,
    projects_by_type_status,
    projects_by_year_status,
    status_colors,
    with_subtotals,
)
from heimatruhr_geo.population import load_population
from heimatruhr_geo.store import Store
from heimatruhr_geo.survey import K
from heimatruhr_geo.viewstate import View, apply_view
from tests.support.records import answers

BOCHUM, DORTMUND, SELM, UNNA = "05911000", "05913000", "05978032", "05978036"


@pytest.fixture(scope="module")
def population() -> pd.DataFrame:
    return load_population(DEFAULT_DATA_DIR)


def spaces_frame(rows: list[tuple[str, str, str, float | None, int | None, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["ags", "status", "project_type", "funding_amount_eur", "funding_year",
                 "funding_program"],
    ).assign(municipality=lambda f: f["ags"])  # fmt: skip


def vacant_frame(rows: list[tuple[str, str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["ags", "status", "rent_band"])


SPACES = spaces_frame(
    [
        (BOCHUM, "funded", "studio", 1000.0, 2024, "#heimatruhr"),
        (BOCHUM, "funded", "music", 2500.0, 2025, "#heimatruhr"),
        (BOCHUM, "proposed", "studio", None, None, ""),
        (DORTMUND, "realized", "gallery", 4000.0, 2024, "Kulturrucksack"),
        (SELM, "under_review", "festival", None, None, ""),
    ]
)
VACANT = vacant_frame(
    [
        (BOCHUM, "vacant", "free"),  # available
        (BOCHUM, "temporary_use", "below_market"),  # available
        (BOCHUM, "vacant", "market"),
        (BOCHUM, "rented", "free"),
        (UNNA, "vacant", None),
    ]
)


@pytest.fixture(scope="module")
def table(municipalities: gpd.GeoDataFrame, population: pd.DataFrame) -> pd.DataFrame:
    survey = answers({BOCHUM: 12, DORTMUND: 30, SELM: 3, UNNA: 6})
    return municipality_table(SPACES, VACANT, survey, municipalities, population)


def test_53_rows_with_zeros(table: pd.DataFrame, municipalities: gpd.GeoDataFrame) -> None:
    assert len(table) == 53
    assert table["ags"].tolist() == municipalities["ags"].tolist()
    rest = table[~table["ags"].isin([BOCHUM, DORTMUND, SELM, UNNA])]
    assert (rest[["spaces", "vacant", "funded_eur", "spaces_per_10k"]] == 0).all().all()


def test_counts_and_sums(table: pd.DataFrame, population: pd.DataFrame) -> None:
    row = table.set_index("ags").loc[BOCHUM]
    assert row["spaces"] == 3
    assert (row["spaces_funded"], row["spaces_proposed"], row["spaces_realized"]) == (2, 1, 0)
    assert row["funded_eur"] == 3500.0
    assert (row["vacant"], row["vacant_available"]) == (4, 2)
    people = population.set_index("ags").at[BOCHUM, "population"]
    assert row["population"] == people
    assert row["spaces_per_10k"] == pytest.approx(3 / people * 10_000)
    assert row["vacant_per_10k"] == pytest.approx(4 / people * 10_000)
    assert row["spaces_per_km2"] == pytest.approx(3 / row["area_km2"])
    assert row["vacant_per_km2"] == pytest.approx(4 / row["area_km2"])
    assert row["survey_responses"] == 12
    assert row["survey_per_10k"] == pytest.approx(12 / people * 10_000)
    unna = table.set_index("ags").loc[UNNA]
    assert (unna["vacant"], unna["vacant_available"]) == (1, 0)  # no rent band: not available


def test_survey_cells_below_k_never_shown(table: pd.DataFrame) -> None:
    by = table.set_index("ags")
    assert by.at[SELM, "survey_suppressed"] and pd.isna(by.at[SELM, "survey_responses"])
    # Selm's 3 alone could be derived from the region's 51: Unna (6, next smallest) goes too
    assert by.at[UNNA, "survey_suppressed"] and pd.isna(by.at[UNNA, "survey_per_10k"])
    shown = table.loc[~table["survey_suppressed"], "survey_responses"]
    assert (shown >= K).all()


def test_subtotals_add_up(table: pd.DataFrame) -> None:
    full = with_subtotals(table)
    assert set(full["level"]) == {"municipality", "county", "region"}
    assert (full["level"] == "municipality").sum() == 53
    counties = full[full["level"] == "county"]
    assert sorted(counties["ags"]) == ["05170", "05562", "05954", "05978"]
    region = full[full["level"] == "region"].iloc[0]
    for column in ("spaces", "spaces_funded", "funded_eur", "vacant", "vacant_available",
                   "population", "area_km2"):  # fmt: skip
        assert region[column] == pytest.approx(table[column].sum())
        for _, sub in counties.iterrows():
            members = table[table["county_key"] == sub["ags"]]
            assert sub[column] == pytest.approx(members[column].sum())
    assert region["spaces_per_10k"] == pytest.approx(
        table["spaces"].sum() / table["population"].sum() * 10_000
    )
    assert region["area_km2"] == pytest.approx(4437.8, abs=1)
    unna = counties.set_index("ags").loc["05978"]
    # survey: only shown cells are summed (Selm and Unna are hidden, so 0 shown in Kreis Unna)
    assert unna["survey_suppressed"] and pd.isna(unna["survey_responses"])
    assert region["survey_responses"] == 42 and region["survey_incomplete"]
    # each block is followed by its subtotal
    position = full.index[(full["level"] == "county") & (full["ags"] == "05978")][0]
    assert (full.loc[position - 10 : position - 1, "county_key"] == "05978").all()


def test_all_counties_option(table: pd.DataFrame) -> None:
    full = with_subtotals(table, all_counties=True)
    assert (full["level"] == "county").sum() == 15


def test_measure_values(table: pd.DataFrame) -> None:
    for key in MEASURES:
        values = measure_values(with_subtotals(table), key)
        assert len(values) == 53
    spaces = measure_values(table, "spaces")
    assert spaces[BOCHUM] == 3.0 and spaces[SELM] == 1.0
    survey = measure_values(table, "survey_responses")
    assert survey[SELM] is None and survey[DORTMUND] == 30.0
    with pytest.raises(InputError, match="measure='nope'"):
        measure_values(table, "nope")


def test_chart_data() -> None:
    long = projects_by_type_status(SPACES)
    assert list(long.columns) == ["ags", "name", "project_type", "status", "count"]
    assert long["count"].sum() == len(SPACES)
    row = long[(long["ags"] == BOCHUM) & (long["project_type"] == "studio")]
    assert dict(zip(row["status"], row["count"], strict=True)) == {"funded": 1, "proposed": 1}
    years = funding_by_year(SPACES)
    assert years.to_dict("records") == [
        {"year": 2024, "count": 2, "funded_eur": 5000.0},
        {"year": 2025, "count": 1, "funded_eur": 2500.0},
    ]
    assert funding_by_year(SPACES.iloc[:0]).empty and projects_by_type_status(SPACES.iloc[:0]).empty


def test_counts_and_funding_per_year_and_status() -> None:
    rows = projects_by_year_status(SPACES)
    assert rows.to_dict("records") == [
        {"year": 2024, "status": "funded", "count": 1, "funded_eur": 1000.0},
        {"year": 2024, "status": "realized", "count": 1, "funded_eur": 4000.0},
        {"year": 2025, "status": "funded", "count": 1, "funded_eur": 2500.0},
    ]
    # summed over statuses it is funding_by_year
    summed = rows.groupby("year", as_index=False)[["count", "funded_eur"]].sum()
    pd.testing.assert_frame_equal(summed, funding_by_year(SPACES))
    assert projects_by_year_status(SPACES.iloc[:0]).empty
    assert projects_by_year_status(SPACES[SPACES["funding_year"].isna()]).empty


def test_status_colours_are_the_maps() -> None:
    colors = status_colors()
    layers = {spec.key: spec.color for spec in SPACE_LAYERS}
    assert list(colors) == ["proposed", "under_review", "funded", "realized"]
    assert colors["proposed"] == layers["spaces_proposed"]
    assert colors["funded"] == layers["spaces_funded"]
    assert colors["realized"] == layers["spaces_realized"]
    assert len(set(colors.values())) == 4  # under review is told apart from proposed


def test_subtotal_table_sorts_names_as_german_dictionaries_do(table: pd.DataFrame) -> None:
    full = with_subtotals(table)
    unna = full[(full["level"] == "municipality") & (full["county_key"] == "05978")]
    names = unna["name"].tolist()
    assert names == sorted(names, key=sort_key)
    assert names.index("Bönen") < names.index("Fröndenberg/Ruhr")
    groups = full.drop_duplicates("county_key")["county"].tolist()[:-1]  # region row last
    assert groups == sorted(groups, key=sort_key)
    assert groups.index("Bochum") < groups.index("Bottrop") < groups.index("Dortmund")
    assert full.iloc[-1]["level"] == "region"


def test_population_must_cover_every_municipality(
    municipalities: gpd.GeoDataFrame, population: pd.DataFrame
) -> None:
    with pytest.raises(DataError, match=SELM):
        municipality_table(
            SPACES, VACANT, answers({}), municipalities, population[population["ags"] != SELM]
        )


# ---------------------------------------------------------------- with a real store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder: Path = tmp_path_factory.mktemp("planning")
    store = Store(f"sqlite:///{folder / 'planning.sqlite'}")
    store.add_many(demo_records(1500, 7))
    yield store
    store.close()


def _table(store: Store, view: View, municipalities: gpd.GeoDataFrame, population: pd.DataFrame):  # type: ignore[no-untyped-def]
    spaces = apply_view(store.query("spaces", view.store_filters("spaces")), view, "spaces")
    vacant = apply_view(store.query("vacant", view.store_filters("vacant")), view, "vacant")
    survey = store.survey_answers(view.store_filters("survey"))
    return municipality_table(spaces, vacant, survey, municipalities, population), spaces


def test_filters_change_the_numbers(
    store: Store, municipalities: gpd.GeoDataFrame, population: pd.DataFrame
) -> None:
    everything, all_spaces = _table(store, View(), municipalities, population)
    view, warnings = View.from_query_params({"municipalities": "Bochum", "statuses": "funded"})
    assert warnings == []
    bochum, spaces = _table(store, view, municipalities, population)
    expected = all_spaces[(all_spaces["ags"] == BOCHUM) & (all_spaces["status"] == "funded")]
    assert len(spaces) == len(expected) > 0
    by = bochum.set_index("ags")
    assert (
        by.at[BOCHUM, "spaces"] == len(expected) < everything.set_index("ags").at[BOCHUM, "spaces"]
    )
    assert by["spaces"].sum() == len(expected)
    assert by.at[BOCHUM, "funded_eur"] == pytest.approx(expected["funding_amount_eur"].sum())
    # only Bochum's survey answers: Bochum itself stays visible
    assert by.at[BOCHUM, "survey_responses"] == len(
        store.survey_answers(view.store_filters("survey"))
    )
    assert by.drop(index=BOCHUM)["survey_responses"].isna().all()


def test_rent_band_filter_in_pandas(
    store: Store, municipalities: gpd.GeoDataFrame, population: pd.DataFrame
) -> None:
    everything, _ = _table(store, View(), municipalities, population)
    free, _ = _table(store, View(rent_bands=("free",)), municipalities, population)
    assert 0 < free["vacant"].sum() < everything["vacant"].sum()


@pytest.mark.parametrize("fmt", ["csv", "geojson", "gpkg"])
def test_export_bytes(store: Store, fmt: str, tmp_path: Path) -> None:
    view = View(municipalities=(DORTMUND,))
    frame = apply_view(store.query("spaces", view.store_filters("spaces")), view, "spaces")
    data = export_bytes(frame, fmt)
    if fmt == "csv":
        back = pd.read_csv(io.BytesIO(data), dtype=str)
        assert len(back) == len(frame) and "contact_email" not in back.columns
    elif fmt == "geojson":
        doc = json.loads(data)
        assert len(doc["features"]) == len(frame)
    else:
        path = tmp_path / "x.gpkg"
        path.write_bytes(data)
        assert len(gpd.read_file(path)) == len(frame)
    with pytest.raises(InputError, match="xlsx"):
        export_bytes(frame, "xlsx")
