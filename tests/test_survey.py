"""k-anonymous survey aggregates: primary and secondary suppression, no cell below k."""

from __future__ import annotations

import random

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.survey import (
    K,
    free_texts,
    municipality_summary,
    region_summary,
    share_of_answer,
    suppress_small,
)

BOCHUM, DORTMUND, ESSEN, SELM = "05911000", "05913000", "05113000", "05978032"


def answers(counts: dict[str, int], seed: int = 0) -> pd.DataFrame:
    """Hand-made answers: ``counts[ags]`` responses in each municipality."""
    rng = random.Random(seed)
    rows = [
        {
            "ags": ags,
            "municipality": ags,
            "county": ags[:5],
            "discipline": rng.choice(["music", "design", "crafts"]),
            "identity_rating": rng.randint(1, 5),
            "space_rating": rng.randint(1, 5),
            "identity_text": f"identity {ags} {i}",
            "places_text": "" if i % 2 else f"places {ags} {i}",
        }
        for ags, n in counts.items()
        for i in range(n)
    ]
    columns = ["ags", "municipality", "county", "discipline", "identity_rating", "space_rating",
               "identity_text", "places_text"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("identity_rating", "space_rating"):
        frame[col] = frame[col].astype("Int64")
    return frame


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


def test_answers_without_required_columns_are_refused(municipalities: gpd.GeoDataFrame) -> None:
    with pytest.raises(InputError, match="survey_answers"):
        municipality_summary(pd.DataFrame({"ags": [BOCHUM]}), municipalities)
