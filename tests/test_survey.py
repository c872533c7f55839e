"""k-anonymous survey aggregates: primary and secondary suppression, no cell below k."""

from __future__ import annotations

import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.i18n import t
from heimatruhr_geo.survey import (
    ALL_RATINGS,
    K,
    Selection,
    SelectionResults,
    free_texts,
    municipality_summary,
    region_summary,
    results_csv,
    selection_results,
    share_of_answer,
    suppress_small,
)
from tests.support.records import answers

BOCHUM, DORTMUND, ESSEN, SELM = "05911000", "05913000", "05113000", "05978032"


def hidden(table: pd.DataFrame, column: str = "n") -> list[bool]:
    return table["suppressed"].tolist()


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ([5, 5, 5], [False, False, False]),  # exactly k is shown
        ([4, 9, 40], [True, True, False]),  # 4 alone could be derived: the next smallest goes
        ([3, 7, 40], [True, True, False]),
        ([0, 0, 40, 50], [True, True, False, False]),  # zeros reveal nobody: no partner
        ([1, 2, 2, 10], [True, True, True, False]),  # suppressed already hold 5
        ([1, 1, 6, 6, 30], [True, True, True, False, False]),  # ties: first by position
        ([4], [True]),
        ([4, 4], [True, True]),
        ([], []),
    ],
)
def test_suppress_small(counts: list[int], expected: list[bool]) -> None:
    table = pd.DataFrame({"key": [f"c{i}" for i in range(len(counts))], "n": counts})
    out = suppress_small(table, "n")
    assert hidden(out) == expected
    assert out["n"].dtype == "Int64"
    shown = out.loc[~out["suppressed"], "n"]
    assert shown.tolist() == [c for c, h in zip(counts, expected, strict=True) if not h]
    assert out.loc[out["suppressed"], "n"].isna().all()
    assert table["n"].tolist() == counts  # input unchanged


@pytest.mark.parametrize("seed", range(200))
def test_no_shown_cell_below_k_and_hidden_total_safe(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 60))
    counts = rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 20, 100], size=size)
    k = int(rng.integers(1, 8))
    out = suppress_small(pd.DataFrame({"n": counts}), "n", k)
    shown = out.loc[~out["suppressed"], "n"]
    assert (shown >= k).all()
    held = int(counts[out["suppressed"].to_numpy()].sum())
    # the total minus the shown cells gives only the hidden sum: 0 or at least k
    assert held == 0 or held >= k or out["suppressed"].all()
    # and not more is hidden than needed: dropping the largest secondary one breaks the rule
    secondary = out["suppressed"].to_numpy() & (counts >= k)
    if secondary.any():
        largest = counts[secondary].max()
        assert 0 < held - largest < k


def test_suppress_small_refuses_bad_arguments() -> None:
    table = pd.DataFrame({"n": [1, -2]})
    with pytest.raises(InputError, match="negative"):
        suppress_small(table, "n")
    with pytest.raises(InputError, match="count_column='m'"):
        suppress_small(table, "m")
    with pytest.raises(InputError, match="k=0"):
        suppress_small(table, "n", 0)


def test_municipality_summary_exactly_4_and_5(municipalities: gpd.GeoDataFrame) -> None:
    data = answers({SELM: 4, BOCHUM: 5, DORTMUND: 30, ESSEN: 12})
    table = municipality_summary(data, municipalities).set_index("ags")
    assert len(table) == 53
    assert list(table.columns[:4]) == ["name", "county", "responses", "suppressed"]
    assert table.at[SELM, "suppressed"] and pd.isna(table.at[SELM, "responses"])
    # Bochum has 5 but is the next smallest: Selm's 4 would follow from the total
    assert table.at[BOCHUM, "suppressed"] and pd.isna(table.at[BOCHUM, "responses"])
    assert table.at[ESSEN, "responses"] == 12 and table.at[DORTMUND, "responses"] == 30
    others = table.drop(index=[SELM, BOCHUM, ESSEN, DORTMUND])
    assert others["suppressed"].all() and others["responses"].isna().all()
    for col in ("identity_rating_mean", "space_rating_mean", "top_discipline"):
        assert pd.isna(table.at[SELM, col]) and pd.isna(table.at[BOCHUM, col])
    essen = data[data["ags"] == ESSEN]
    assert table.at[ESSEN, "identity_rating_mean"] == pytest.approx(essen["identity_rating"].mean())
    top = essen["discipline"].value_counts()
    assert top[table.at[ESSEN, "top_discipline"]] == top.max()


def test_municipality_with_exactly_5_is_shown(municipalities: gpd.GeoDataFrame) -> None:
    table = municipality_summary(answers({BOCHUM: 5, DORTMUND: 7}), municipalities)
    table = table.set_index("ags")
    assert table.at[BOCHUM, "responses"] == 5 and not table.at[BOCHUM, "suppressed"]


def test_empty_input(municipalities: gpd.GeoDataFrame) -> None:
    empty = answers({})
    table = municipality_summary(empty, municipalities)
    assert len(table) == 53 and table["suppressed"].all() and table["responses"].isna().all()
    region = region_summary(empty)
    assert region.suppressed and region.responses is None and region.disciplines.empty
    assert free_texts(empty).empty
    assert (
        share_of_answer(empty, "identity_rating", 5, municipalities=municipalities)["share"]
        .isna()
        .all()
    )


def test_region_summary() -> None:
    data = answers({BOCHUM: 3, DORTMUND: 30})
    data.loc[0, "discipline"] = "literature"  # one lone literature response
    region = region_summary(data)
    assert region.responses == 33 and not region.suppressed
    assert region.identity_rating_mean == pytest.approx(data["identity_rating"].mean())
    shares = region.disciplines.set_index("discipline")
    assert len(shares) == 10
    assert pd.isna(shares.at["literature", "responses"]) and shares.at["literature", "suppressed"]
    assert (shares.loc[~shares["suppressed"], "responses"] >= K).all()
    held = len(data) - shares["responses"].sum()
    assert held == 0 or held >= K  # the lone one cannot be derived
    shown = shares.dropna(subset=["responses"])
    counts = data["discipline"].value_counts()
    for discipline, row in shown.iterrows():
        assert row["share"] == pytest.approx(counts[discipline] / 33)
    assert region_summary(answers({BOCHUM: 4})).suppressed


def test_free_texts_only_for_cells_with_k(municipalities: gpd.GeoDataFrame) -> None:
    data = answers({SELM: 4, BOCHUM: 9, DORTMUND: 30})
    texts = free_texts(data, ags=DORTMUND)
    assert list(texts.columns) == ["question", "text"]
    assert set(texts["text"]) == {
        t for col in ("identity_text", "places_text") for t in data.loc[data["ags"] == DORTMUND,
                                                                     col] if t
    }  # fmt: skip
    assert texts.equals(texts.sort_values(["question", "text"], ignore_index=True))
    assert free_texts(data, ags=SELM).empty  # 4 responses
    assert free_texts(data, ags=BOCHUM).empty  # 9, but hidden so that Selm's 4 stay hidden
    assert free_texts(data, ags=ESSEN).empty  # none
    region = free_texts(data)
    assert len(region) == (data[["identity_text", "places_text"]] != "").sum().sum()
    assert free_texts(answers({SELM: 4})).empty


def test_free_texts_order_reveals_nothing() -> None:
    data = answers({DORTMUND: 12})
    shuffled = data.sample(frac=1, random_state=3)
    assert free_texts(data).equals(free_texts(shuffled))


def test_share_of_answer(municipalities: gpd.GeoDataFrame) -> None:
    data = answers({SELM: 2, BOCHUM: 10, DORTMUND: 30})
    out = share_of_answer(data, "identity_rating", [4, 5], municipalities=municipalities)
    out = out.set_index("ags")
    assert len(out) == 53
    dortmund = data[data["ags"] == DORTMUND]
    expected = dortmund["identity_rating"].isin([4, 5]).mean()
    assert out.at[DORTMUND, "share"] == pytest.approx(expected)
    assert pd.isna(out.at[SELM, "share"]) and pd.isna(out.at[BOCHUM, "share"])
    music = share_of_answer(data, "discipline", "music").set_index("ags")
    assert music.at[DORTMUND, "share"] == pytest.approx((dortmund["discipline"] == "music").mean())
    with pytest.raises(InputError, match="column='email'"):
        share_of_answer(data, "email", "x")


def test_share_rests_on_k_answers_to_the_question(municipalities: gpd.GeoDataFrame) -> None:
    herne = "05916000"
    data = answers({BOCHUM: 12, DORTMUND: 12, ESSEN: 12, herne: 12})
    data["identity_rating"] = data["identity_rating"].astype("Float64")
    for ags, ratings in ((BOCHUM, 4), (ESSEN, 6), (herne, 8)):  # of 12 responses each
        rows = data.index[data["ags"] == ags]
        data.loc[rows[ratings:], "identity_rating"] = pd.NA
    out = share_of_answer(data, "identity_rating", [4, 5]).set_index("ags")
    assert out.loc[BOCHUM, ["responses", "answered", "share"]].isna().all()
    assert bool(out.at[ESSEN, "suppressed"])  # hidden with Bochum: the fewest other ratings
    assert out.at[herne, "responses"] == 12 and out.at[herne, "answered"] == 8
    rated = data.loc[data["ags"] == herne, "identity_rating"].dropna()
    assert out.at[herne, "share"] == pytest.approx(rated.isin([4, 5]).mean())


def test_answers_without_required_columns_are_refused(municipalities: gpd.GeoDataFrame) -> None:
    with pytest.raises(InputError, match="survey_answers"):
        municipality_summary(pd.DataFrame({"ags": [BOCHUM]}), municipalities)


# --------------------------------------------------------------- selections and export

UNNA_COUNTY = "05978"


def with_optional(data: pd.DataFrame, seed: int = 0, answered: float = 1.0) -> pd.DataFrame:
    """Add the optional ratings; a share ``1 - answered`` of them left blank."""
    rng = np.random.default_rng(seed)
    out = data.copy()
    for col in ("region_rating", "vacancy_rating"):
        values = rng.integers(1, 6, len(out)).astype(float)
        values[rng.random(len(out)) >= answered] = np.nan
        out[col] = pd.array(values, dtype="Float64").astype("Int64")
    return out


def row(results: SelectionResults, ags: str) -> pd.Series:  # type: ignore[type-arg]
    return results.table.set_index("ags").loc[ags]


@pytest.mark.parametrize("selm", [4, 5])
@pytest.mark.parametrize(
    "selection",
    [Selection(), Selection(counties=(UNNA_COUNTY,)), Selection(discipline="music")],
    ids=["region", "county", "discipline"],
)
def test_selection_4_hidden_5_shown_in_table_chart_and_csv(
    municipalities: gpd.GeoDataFrame, selm: int, selection: Selection
) -> None:
    data = with_optional(answers({SELM: selm, DORTMUND: 40, ESSEN: 30}))
    data["discipline"] = "music"  # every cell is one discipline: the filter keeps them all
    results = selection_results(data, municipalities, selection)
    selm_row = row(results, SELM)
    export = pd.read_csv(io.BytesIO(results_csv(results, "en")), dtype={"ags": str})
    exported = export.set_index("ags").loc[SELM]
    charted = set(results.distributions["ags"])
    if selm == 4:
        assert selm_row["suppressed"] and pd.isna(selm_row["responses"])
        assert all(pd.isna(selm_row[f"{r}_mean"]) for r in ALL_RATINGS)
        assert SELM not in charted
        assert pd.isna(exported["responses"]) and exported["note"] == t("too_few_responses", "en")
        assert exported.drop(["level", "name", "county", "note", "discipline"]).isna().all()
    else:
        assert not selm_row["suppressed"] and selm_row["responses"] == 5
        assert SELM in charted
        assert exported["responses"] == 5 and pd.isna(exported["note"])
        mean = data.loc[data["ags"] == SELM, "identity_rating"].mean()
        assert exported["identity_rating_mean"] == pytest.approx(mean, abs=1e-3)
    if selection.counties:
        assert set(results.table["ags"].str[:5]) == {UNNA_COUNTY} and len(results.table) == 10


def test_secondary_partner_stays_hidden_in_every_selection(
    municipalities: gpd.GeoDataFrame,
) -> None:
    """Hiding is decided for the whole region: a county filter cannot uncover the partner."""
    data = answers({SELM: 4, BOCHUM: 6, DORTMUND: 40})
    whole = selection_results(data, municipalities)
    assert row(whole, SELM)["suppressed"] and row(whole, BOCHUM)["suppressed"]
    bochum_only = selection_results(data, municipalities, Selection(counties=("05911",)))
    assert bochum_only.table["suppressed"].all()
    # the summary is always the whole region: total minus shown cells = 10, not 4
    assert bochum_only.summary.responses == 50
    assert whole.summary.responses - whole.table["responses"].sum() == 10


def test_discipline_cells_protected_along_rows_and_columns(
    municipalities: gpd.GeoDataFrame,
) -> None:
    data = answers({DORTMUND: 30})
    data["discipline"] = ["music"] * 27 + ["design"] * 3  # Dortmund: 27 music, 3 design
    region = answers({ESSEN: 20})
    region["discipline"] = "design"
    data = pd.concat([data, region], ignore_index=True)
    music = selection_results(data, municipalities, Selection(discipline="music"))
    design = selection_results(data, municipalities, Selection(discipline="design"))
    whole = selection_results(data, municipalities)
    assert row(whole, DORTMUND)["responses"] == 30
    # 30 - 27 would give Dortmund's 3 designers: music must hide Dortmund too
    assert row(music, DORTMUND)["suppressed"] and row(design, DORTMUND)["suppressed"]
    # design region-wide is 23; Essen's 20 shown would give Dortmund's 3: Essen hides too
    assert design.summary.responses == 23
    assert row(design, ESSEN)["suppressed"]
    assert music.summary.responses == 27


@pytest.mark.parametrize("seed", range(60))
def test_no_margin_reveals_a_hidden_group(municipalities: gpd.GeoDataFrame, seed: int) -> None:
    rng = np.random.default_rng(seed)
    keys = rng.choice(municipalities["ags"].to_numpy(), size=int(rng.integers(1, 12)))
    counts = {str(a): int(rng.choice([1, 2, 3, 4, 5, 6, 9, 25])) for a in keys}
    data = with_optional(answers(counts, seed), seed, answered=float(rng.uniform(0.3, 1)))
    k = int(rng.integers(2, 7))
    whole = selection_results(data, municipalities, k=k)
    per_discipline = {
        d: selection_results(data, municipalities, Selection(discipline=d), k=k)
        for d in sorted(data["discipline"].unique())
    }

    def hidden_ok(total: int, shown: float) -> bool:
        held = total - shown
        return held == 0 or held >= k

    regions = data.groupby("ags").size()
    shown_rows = whole.table[~whole.table["suppressed"]]
    assert (shown_rows["responses"] >= k).all()
    if whole.summary.responses is not None:
        assert hidden_ok(len(data), shown_rows["responses"].sum())
    for result in per_discipline.values():
        cells = result.table[~result.table["suppressed"]]
        assert (cells["responses"] >= k).all()
        assert set(cells["ags"]) <= set(shown_rows["ags"])
        if result.summary.responses is not None:  # the discipline's region-wide count
            assert hidden_ok(result.summary.responses, cells["responses"].sum())
        else:
            assert cells.empty
    for ags in shown_rows["ags"]:  # each shown municipality across the disciplines
        shown = sum(
            0 if pd.isna(v := row(r, ags)["responses"]) else int(v) for r in per_discipline.values()
        )
        assert hidden_ok(int(regions[ags]), shown)
    for rating in ALL_RATINGS:  # ratings: means rest on >= k answers, remainders too
        given = data.dropna(subset=[rating]).groupby("ags").size()
        means = whole.table.set_index("ags")[f"{rating}_mean"].dropna()
        assert all(given[a] >= k for a in means.index)
        if whole.summary.rating_means[rating] is not None:
            assert hidden_ok(int(given.sum()), int(given[means.index].sum()))


def test_rating_means_need_k_answers(municipalities: gpd.GeoDataFrame) -> None:
    data = with_optional(answers({DORTMUND: 30, ESSEN: 12}))
    data["region_rating"] = pd.array([pd.NA] * len(data), dtype="Int64")
    data.loc[data.index[:3], "region_rating"] = 5  # three Dortmund answers only
    results = selection_results(data, municipalities)
    assert pd.isna(row(results, DORTMUND)["region_rating_mean"])
    assert results.summary.rating_means["region_rating"] is None
    assert "region_rating" not in set(results.distributions["question"])
    assert row(results, DORTMUND)["identity_rating_mean"] == pytest.approx(
        data.loc[data["ags"] == DORTMUND, "identity_rating"].mean()
    )
    summary = municipality_summary(data, municipalities).set_index("ags")
    assert pd.isna(summary.at[DORTMUND, "region_rating_mean"])


def test_distributions_are_shares_of_shown_cells(municipalities: gpd.GeoDataFrame) -> None:
    data = with_optional(answers({SELM: 2, BOCHUM: 3, DORTMUND: 30, ESSEN: 12}))
    results = selection_results(data, municipalities)
    dist = results.distributions
    assert set(dist["ags"]) == {"", DORTMUND, ESSEN}
    sums = dist.groupby(["ags", "question"])["share"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)
    dortmund = data[data["ags"] == DORTMUND]["space_rating"]
    got = dist[(dist["ags"] == DORTMUND) & (dist["question"] == "space_rating")]
    expected = dortmund.value_counts(normalize=True).reindex(range(1, 6), fill_value=0)
    assert np.allclose(got["share"].to_numpy(), expected.to_numpy())


def test_selection_refuses_bad_values() -> None:
    with pytest.raises(InputError, match="discipline='juggling'"):
        Selection(discipline="juggling")
    with pytest.raises(InputError, match="counties"):
        Selection(counties=("Unna",))


def test_small_region_shows_nothing(municipalities: gpd.GeoDataFrame) -> None:
    results = selection_results(answers({SELM: 4}), municipalities)
    assert results.summary.suppressed and results.table["suppressed"].all()
    assert results.distributions.empty
    export = pd.read_csv(io.BytesIO(results_csv(results)), dtype={"ags": str})
    assert export["responses"].isna().all() and len(export) == 54
