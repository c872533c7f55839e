"""Survey results as k-anonymous aggregates (k = 5): nothing reveals a cell below k.

Individual survey responses are never shown. Everything here aggregates the frame that
:meth:`heimatruhr_geo.store.Store.survey_answers` returns (one row per published
response: ``ags, municipality, county, discipline, identity_rating, space_rating,
identity_text, places_text``) and hides every cell that holds too few responses.

Suppression rule (:func:`suppress_small`, used by every function here):

1. **Primary:** a cell with fewer than ``k`` responses (0 to k-1) is suppressed: its
   count and every figure derived from it are ``<NA>`` and it reads "too few responses".
2. **Secondary:** a suppressed cell must not be derivable by subtraction from the totals
   that are shown (the region's count, or a subtotal). So when the suppressed cells
   together hold between 1 and k-1 responses, the next-smallest shown cells (ties broken
   by key) are suppressed too, one at a time, until the suppressed cells together hold at
   least k responses, or every cell is suppressed. Suppressed cells that hold 0
   responses in total reveal no respondent, so they need no partner: filtering the table
   to one city does not hide that city.

Which totals are shown: the region's own count (:func:`region_summary`, itself
suppressed below k); county subtotals and the region row of the planners' table
(:func:`heimatruhr_geo.planning.with_subtotals`) sum only the *shown* cells, so they add
nothing to what the cells show. From the region's count one can learn only the sum of
all suppressed cells, which the secondary rule keeps at 0 or at least k.

Free texts are shown only for the region as a whole (if it has at least k responses) or
for a municipality whose count is shown, sorted so that their order reveals nothing.

Limits: the rule protects counts in one table. It does not protect against attribute
disclosure inside a shown cell (five responses that all rate 5 reveal each one's rating),
nor against differencing between *different* selections; the planners' view therefore
filters survey answers only by municipality and county, which select whole cells.
Differencing between two *versions* (before and after one publication) is prevented by
:mod:`heimatruhr_geo.survey_release`: the app applies these functions only to the last
release (or to demo answers while no real answer exists), never to live answers.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from heimatruhr_geo.csvsafe import neutral_frame
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import Discipline

logger = logging.getLogger(__name__)

K = 5
"""Smallest number of responses a shown cell may hold."""
RATINGS = ("identity_rating", "space_rating")
ALL_RATINGS = (*RATINGS, "region_rating", "vacancy_rating")
"""Every rating question; the last two are optional and may be missing from older data."""
SCALE = (1, 2, 3, 4, 5)
TEXTS = ("identity_text", "places_text")
ANSWER_COLUMNS = ("ags", "discipline", *RATINGS, *TEXTS)
DISCIPLINES = tuple(d.value for d in Discipline)


@dataclass(frozen=True)
class RegionSummary:
    """The survey over the whole (filtered) region.

    Attributes
    ----------
    responses
        Number of responses, ``None`` when suppressed (fewer than k).
    suppressed
        True when the region holds fewer than k responses; then every figure is ``None``
        and :attr:`disciplines` is empty.
    identity_rating_mean, space_rating_mean
        Mean ratings (1-5) over the responses that gave one.
    disciplines
        ``discipline, responses, share`` per discipline (all disciplines, shares of the
        region's responses), suppressed by the same rule as municipalities.
    """

    responses: int | None
    suppressed: bool
    identity_rating_mean: float | None
    space_rating_mean: float | None
    disciplines: pd.DataFrame
    rating_means: Mapping[str, float | None] = field(default_factory=dict)
    """Mean of every rating in :data:`ALL_RATINGS`; ``None`` where fewer than k gave one
    or where it would reveal a hidden group (see :func:`selection_results`)."""


def suppress_small(table: pd.DataFrame, count_column: str, k: int = K) -> pd.DataFrame:
    """Apply primary and secondary suppression to one column of counts.

    Parameters
    ----------
    table
        One row per cell; its rows are the cells of one total (e.g. the 53
        municipalities of the region). Not changed.
    count_column
        Name of the column with the (non-negative, whole) counts.
    k
        Smallest count a shown cell may hold (at least 1).

    Returns
    -------
    pandas.DataFrame
        A copy with ``count_column`` as nullable ``Int64`` (``<NA>`` where suppressed)
        and a boolean column ``suppressed``. See the module docstring for the rule.

    Examples
    --------
    >>> t = pd.DataFrame({"ags": ["a", "b", "c"], "n": [3, 7, 40]})
    >>> suppress_small(t, "n")["n"].tolist()
    [<NA>, <NA>, 40]
    """
    if k < 1:
        raise InputError(f"k={k} is not allowed; use a whole number of at least 1")
    if count_column not in table.columns:
        raise InputError(
            f"count_column={count_column!r} is not a column; use one of {list(table.columns)}"
        )
    counts = pd.to_numeric(table[count_column]).fillna(0).to_numpy(dtype=np.int64)
    if (counts < 0).any():
        raise InputError(f"column {count_column!r} holds negative counts; counts are >= 0")
    hidden = _hide_1d(counts, counts < k, k)
    out = table.copy()
    out[count_column] = pd.array(np.where(hidden, 0, counts), dtype="Int64")
    out.loc[hidden, count_column] = pd.NA
    out["suppressed"] = hidden
    return out


def municipality_summary(
    answers: pd.DataFrame, municipalities: pd.DataFrame, k: int = K
) -> pd.DataFrame:
    """Return the survey per municipality: all rows, every cell below k suppressed.

    Parameters
    ----------
    answers
        Survey answers (:meth:`~heimatruhr_geo.store.Store.survey_answers`).
    municipalities
        ``ags, name, county`` of every municipality (e.g. the 53 of the region).
    k
        Smallest number of responses a shown municipality may hold.

    Returns
    -------
    pandas.DataFrame
        ``ags, name, county, responses`` (``Int64``, ``<NA>`` when suppressed),
        ``suppressed``, ``<rating>_mean`` for each of :data:`ALL_RATINGS` (float, NaN
        when suppressed, when fewer than k gave that rating, or as the secondary
        suppression of :func:`selection_results` requires), ``top_discipline`` (the most
        frequent discipline, ties by name; ``<NA>`` when suppressed).
    """
    _check_answers(answers)
    out = selection_results(answers, municipalities, Selection(), k).table
    hidden = out["suppressed"].to_numpy()
    out["top_discipline"] = out["ags"].map(_top_discipline(answers)).astype("string")
    out.loc[hidden, "top_discipline"] = pd.NA
    return out


def region_summary(answers: pd.DataFrame, k: int = K) -> RegionSummary:
    """Return counts, mean ratings and discipline shares of the whole selection.

    Everything is ``None`` (and the discipline table empty) when the selection holds
    fewer than ``k`` responses; discipline counts below k are suppressed by
    :func:`suppress_small` (the region's count is their total). A mean rating is
    ``None`` when fewer than ``k`` responses gave that rating.
    """
    _check_answers(answers)
    grid = _grid(answers, sorted(answers["ags"].astype(str).unique()))
    return _summary(grid, _masks(grid, k), None)


def free_texts(answers: pd.DataFrame, k: int = K, ags: str | None = None) -> pd.DataFrame:
    """Return the non-empty free-text answers of the region or one municipality.

    Parameters
    ----------
    answers
        Survey answers.
    k
        The texts of a municipality are returned only when its response count is shown
        by :func:`municipality_summary` (at least ``k`` and not secondarily suppressed);
        the region's only when it holds at least ``k`` responses.
    ags
        A municipality's AGS, or ``None`` for the region as a whole.

    Returns
    -------
    pandas.DataFrame
        ``question`` (``identity_text`` or ``places_text``) and ``text``, sorted by
        question and text (so the order reveals nothing), no ids; empty when suppressed.
    """
    _check_answers(answers)
    empty = pd.DataFrame({"question": pd.Series(dtype=str), "text": pd.Series(dtype=str)})
    if len(answers) < k:
        return empty
    selected = answers
    if ags is not None:
        cells = pd.DataFrame({"ags": answers["ags"].astype(str).unique()})
        cells["name"] = cells["ags"]
        cells["county"] = ""
        summary = municipality_summary(answers, cells, k).set_index("ags")
        if ags not in summary.index or bool(summary.at[ags, "suppressed"]):
            return empty
        selected = answers[answers["ags"].astype(str) == ags]
    long = selected[list(TEXTS)].melt(var_name="question", value_name="text")
    long["text"] = long["text"].fillna("").astype(str).str.strip()
    long = long[long["text"] != ""]
    return long.sort_values(["question", "text"], ignore_index=True)


def share_of_answer(
    answers: pd.DataFrame,
    column: str,
    value: Any,
    k: int = K,
    municipalities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return per municipality the share of responses that gave a chosen answer.

    Parameters
    ----------
    answers
        Survey answers.
    column
        The answer column, e.g. ``identity_rating`` or ``discipline``.
    value
        The chosen answer; a list, tuple or set means any of them (``[4, 5]`` for
        "rating 4 or higher").
    k
        Municipalities where fewer than ``k`` responses answered ``column`` (and
        secondary suppressions) get ``<NA>``.
    municipalities
        ``ags`` (and ``name, county``) of all municipalities, for a row per municipality
        with zeros suppressed; only municipalities with answers when omitted.

    Returns
    -------
    pandas.DataFrame
        ``ags, responses, answered`` (responses that answered ``column``), ``suppressed,
        share`` (of those who answered; ``Float64``, 0 to 1, ``<NA>`` when suppressed).
    """
    _check_answers(answers)
    if column not in answers.columns or column == "ags":
        allowed = [c for c in answers.columns if c != "ags"]
        raise InputError(f"column={column!r} is not a survey answer; use one of {allowed}")
    chosen = list(value) if _is_many(value) else [value]
    hit = answers[column].isin(chosen)
    keys = (
        pd.Series(municipalities["ags"], dtype=str)
        if municipalities is not None
        else pd.Series(sorted(answers["ags"].astype(str).unique()), dtype=str)
    )
    table = pd.DataFrame({"ags": keys.to_numpy()})
    grouped = hit.groupby(answers["ags"].astype(str))
    answered = answers[column].notna().groupby(answers["ags"].astype(str)).sum()
    table["responses"] = table["ags"].map(grouped.size()).fillna(0).astype(int)
    table["answered"] = table["ags"].map(answered).fillna(0).astype(int)
    table["matching"] = table["ags"].map(grouped.sum()).fillna(0).astype(int)
    # the share rests on those who answered this question: k of them, not k responses
    out = suppress_small(table, "answered", k)
    out["responses"] = out["responses"].astype("Int64").mask(out["suppressed"])
    share = (out["matching"] / out["answered"]).astype("Float64")
    out["share"] = share.mask(out["suppressed"])
    return out[["ags", "responses", "answered", "suppressed", "share"]]


@dataclass(frozen=True)
class Selection:
    """A filtered view of the results: one discipline (or all) and some counties (or all).

    Attributes
    ----------
    discipline
        A :class:`~heimatruhr_geo.models.Discipline` value, ``None`` for all.
    counties
        County keys (5 digits, e.g. ``"05978"``); empty for the whole region.
    """

    discipline: str | None = None
    counties: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.discipline is not None and self.discipline not in DISCIPLINES:
            raise InputError(
                f"discipline={self.discipline!r} is not allowed; use one of {list(DISCIPLINES)}"
            )
        bad = [c for c in self.counties if len(str(c)) != 5 or not str(c).isdigit()]
        if bad:
            raise InputError(f"counties={bad} are not allowed; use 5-digit county keys")


@dataclass(frozen=True)
class SelectionResults:
    """What may be shown of one :class:`Selection`; every hidden figure is ``<NA>``/NaN.

    Attributes
    ----------
    selection
        The selection.
    summary
        The region as a whole, or with a discipline the discipline region-wide (never a
        county: a county total would reveal the sum of its hidden municipalities).
    table
        One row per municipality of the selected counties: ``ags, name, county,
        responses`` (``Int64``), ``suppressed`` and ``<rating>_mean`` per rating.
    distributions
        Long table for charts: ``ags`` (``""`` for the summary), ``name``, ``question``,
        ``rating`` (1-5) and ``share`` of the responses that gave that rating, only for
        shown cells and ratings whose mean is shown.
    """

    selection: Selection
    summary: RegionSummary
    table: pd.DataFrame
    distributions: pd.DataFrame


def selection_results(
    answers: pd.DataFrame,
    municipalities: pd.DataFrame,
    selection: Selection = Selection(),
    k: int = K,
) -> SelectionResults:
    """Return the k-anonymous results of one selection (discipline, counties).

    Hiding is decided once for the whole region, independently of the selection, so
    that comparing two selections reveals nothing either hides. Cells are the
    municipalities (all disciplines) or, with a discipline, the municipality x
    discipline cells. The margins that are shown (the region's count, each
    municipality's count, each discipline's region-wide count) must not let a
    subtraction reveal a hidden cell: in every shown margin the hidden cells hold 0 or
    at least ``k`` responses (secondary suppression along rows and columns, repeated
    until stable). The same rule applies per rating to the number of responses that
    gave it, so a mean (or distribution) of fewer than ``k`` ratings is never shown
    nor derivable from the region's figures.

    Parameters
    ----------
    answers
        Survey answers (:meth:`~heimatruhr_geo.store.Store.survey_answers`), unfiltered.
    municipalities
        ``ags, name, county`` of every municipality (the 53).
    selection
        The discipline and counties to show.
    k
        Smallest number of responses (or ratings) a shown figure may rest on.

    Returns
    -------
    SelectionResults
    """
    _check_answers(answers)
    if k < 1:
        raise InputError(f"k={k} is not allowed; use a whole number of at least 1")
    rows = pd.DataFrame(municipalities[["ags", "name", "county"]]).reset_index(drop=True)
    rows["ags"] = rows["ags"].astype(str)
    grid = _grid(answers, rows["ags"].tolist())
    masks = _masks(grid, k)
    j = None if selection.discipline is None else DISCIPLINES.index(selection.discipline)
    counts, hidden = (
        (grid.counts.sum(axis=1), masks.rows)
        if j is None
        else (grid.counts[:, j], masks.cells[:, j])
    )
    table = rows.copy()
    table["responses"] = pd.array(counts, dtype="Int64")
    table.loc[hidden, "responses"] = pd.NA
    table["suppressed"] = hidden
    values: dict[str, npt.NDArray[np.int64]] = {}
    for rating in ALL_RATINGS:
        cell_values = grid.values[rating] if j is None else grid.values[rating][:, j : j + 1]
        values[rating] = cell_values.sum(axis=1)
        rating_hidden = masks.rating_rows[rating] if j is None else masks.rating_cells[rating][:, j]
        table[f"{rating}_mean"] = np.where(rating_hidden, np.nan, _means(values[rating]))
    keep = table["ags"].str[:5].isin(selection.counties) if selection.counties else None
    if keep is not None:
        table = table[keep.to_numpy()].reset_index(drop=True)
        values = {r: v[keep.to_numpy()] for r, v in values.items()}
    summary = _summary(grid, masks, j)
    return SelectionResults(
        selection, summary, table, _distributions(table, values, summary, grid, j)
    )


def results_csv(results: SelectionResults, lang: str = "de") -> bytes:
    """Return the aggregates of a selection as CSV bytes (UTF-8), hidden cells empty.

    One row for the summary (``level`` ``region``) and one per municipality: ``level,
    ags, name, county, discipline, responses, note`` ("too few responses" where hidden),
    ``<rating>_mean`` and ``<rating>_share_<1..5>``; nothing the page does not show.
    """
    summary = results.summary
    head = {
        "level": "region",
        "ags": "",
        "name": t("survey_region_name", lang),
        "county": "",
        "responses": summary.responses,
        "suppressed": summary.suppressed,
        **{f"{r}_mean": summary.rating_means.get(r) for r in ALL_RATINGS},
    }
    body = results.table.assign(level="municipality")
    table = pd.concat([pd.DataFrame([head]), body], ignore_index=True)
    table.insert(4, "discipline", results.selection.discipline or "")
    table["responses"] = table["responses"].astype("Int64")
    table["note"] = np.where(table["suppressed"].astype(bool), t("too_few_responses", lang), "")
    shares = results.distributions.pivot_table(
        index="ags", columns=["question", "rating"], values="share", aggfunc="first"
    )
    for rating in ALL_RATINGS:
        for value in SCALE:
            column = (rating, value)
            share = shares[column] if column in shares.columns else pd.Series(dtype=float)
            table[f"{rating}_share_{value}"] = table["ags"].map(share).astype(float)
    columns = ["level", "ags", "name", "county", "discipline", "responses", "note"]
    means = [f"{r}_mean" for r in ALL_RATINGS]
    rest = [c for c in table.columns if "_share_" in c]
    out = neutral_frame(table[columns + means + rest])
    return out.to_csv(index=False, float_format="%.4g").encode("utf-8")


@dataclass(frozen=True)
class _Grid:
    """Counts per municipality (rows) x discipline (columns)."""

    counts: npt.NDArray[np.int64]
    values: dict[str, npt.NDArray[np.int64]]
    """Per rating: how many gave each value 1-5, shape (municipality, discipline, 5)."""

    def answered(self, rating: str) -> npt.NDArray[np.int64]:
        return self.values[rating].sum(axis=2)


@dataclass(frozen=True)
class _Masks:
    """True where a figure is hidden."""

    region: bool
    rows: npt.NDArray[np.bool_]
    cols: npt.NDArray[np.bool_]
    cells: npt.NDArray[np.bool_]
    rating_region: dict[str, bool]
    rating_rows: dict[str, npt.NDArray[np.bool_]]
    rating_cols: dict[str, npt.NDArray[np.bool_]]
    rating_cells: dict[str, npt.NDArray[np.bool_]]


def _grid(answers: pd.DataFrame, ags: Sequence[str]) -> _Grid:
    row = pd.Index(list(ags)).get_indexer(pd.Index(answers["ags"].astype(str)))
    col = pd.Index(DISCIPLINES).get_indexer(pd.Index(answers["discipline"].astype(str)))
    keep = (row >= 0) & (col >= 0)
    shape = (len(ags), len(DISCIPLINES))
    counts = np.zeros(shape, dtype=np.int64)
    np.add.at(counts, (row[keep], col[keep]), 1)
    values = {}
    for rating in ALL_RATINGS:
        given = (
            pd.to_numeric(answers[rating], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            if rating in answers.columns
            else np.full(len(answers), np.nan)
        )
        ok = keep & np.isin(given, SCALE)
        per_value = np.zeros((*shape, len(SCALE)), dtype=np.int64)
        np.add.at(per_value, (row[ok], col[ok], given[ok].astype(np.int64) - 1), 1)
        values[rating] = per_value
    return _Grid(counts, values)


def _masks(grid: _Grid, k: int) -> _Masks:
    counts = grid.counts
    region = int(counts.sum()) < k
    rows = _hide_1d(counts.sum(axis=1), counts.sum(axis=1) < k, k) | region
    cols = _hide_1d(counts.sum(axis=0), counts.sum(axis=0) < k, k) | region
    cells = _hide_2d(counts, counts < k, rows, cols, k)
    r_region, r_rows, r_cols, r_cells = {}, {}, {}, {}
    for rating in ALL_RATINGS:
        given = grid.answered(rating)
        by_row, by_col = given.sum(axis=1), given.sum(axis=0)
        r_region[rating] = region or int(given.sum()) < k
        r_rows[rating] = _hide_1d(by_row, rows | (by_row < k), k) | r_region[rating]
        r_cols[rating] = _hide_1d(by_col, cols | (by_col < k), k) | r_region[rating]
        r_cells[rating] = _hide_2d(given, cells | (given < k), r_rows[rating], r_cols[rating], k)
    return _Masks(region, rows, cols, cells, r_region, r_rows, r_cols, r_cells)


def _hide_2d(
    counts: npt.NDArray[np.int64],
    hidden: npt.NDArray[np.bool_],
    rows_hidden: npt.NDArray[np.bool_],
    cols_hidden: npt.NDArray[np.bool_],
    k: int,
) -> npt.NDArray[np.bool_]:
    """Hide cells of a table whose shown row and column totals are known.

    Hidden rows and columns hide all their cells; in every shown row and column the
    hidden cells hold 0 or at least ``k``. Repeated until nothing changes.
    """
    hidden = hidden | rows_hidden[:, None] | cols_hidden[None, :]
    changed = True
    while changed:
        before = hidden.copy()
        for i in np.flatnonzero(~rows_hidden):
            hidden[i] = _hide_1d(counts[i], hidden[i], k)
        for j in np.flatnonzero(~cols_hidden):
            hidden[:, j] = _hide_1d(counts[:, j], hidden[:, j], k)
        changed = bool((hidden != before).any())
    return hidden


def _means(values: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
    """Mean rating per row of value counts (shape (n, 5)); NaN where none was given."""
    given = values.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(given > 0, values @ np.array(SCALE) / given, np.nan)


def _summary(grid: _Grid, masks: _Masks, j: int | None) -> RegionSummary:
    """Summarize the region (``j is None``) or discipline ``j`` region-wide, as shown."""
    columns = ["discipline", "responses", "suppressed", "share"]
    hidden = masks.region if j is None else bool(masks.cols[j])
    if hidden:
        none = dict.fromkeys(ALL_RATINGS)
        return RegionSummary(None, True, None, None, pd.DataFrame(columns=columns), none)
    by_discipline = grid.counts.sum(axis=0)
    n = int(by_discipline.sum()) if j is None else int(by_discipline[j])
    disciplines = pd.DataFrame({"discipline": DISCIPLINES})
    disciplines["responses"] = pd.array(by_discipline, dtype="Int64")
    disciplines.loc[masks.cols, "responses"] = pd.NA
    disciplines["suppressed"] = masks.cols
    disciplines["share"] = (disciplines["responses"] / n).astype("Float64")
    if j is not None:
        disciplines = disciplines.iloc[[j]].reset_index(drop=True)
    means: dict[str, float | None] = {}
    for rating in ALL_RATINGS:
        per_value = grid.values[rating].sum(axis=0)  # (discipline, 5)
        chosen = per_value.sum(axis=0) if j is None else per_value[j]
        gone = masks.rating_region[rating] if j is None else bool(masks.rating_cols[rating][j])
        mean = float(_means(chosen[None, :])[0])
        means[rating] = None if gone or np.isnan(mean) else mean
    return RegionSummary(
        responses=n,
        suppressed=False,
        identity_rating_mean=means["identity_rating"],
        space_rating_mean=means["space_rating"],
        disciplines=disciplines[columns],
        rating_means=means,
    )


def _distributions(
    table: pd.DataFrame,
    values: dict[str, npt.NDArray[np.int64]],
    summary: RegionSummary,
    grid: _Grid,
    j: int | None,
) -> pd.DataFrame:
    """Shares of each rating value for the summary and every shown municipality row."""
    parts = []
    for rating in ALL_RATINGS:
        region_values = grid.values[rating].sum(axis=0)
        region_values = region_values.sum(axis=0) if j is None else region_values[j]
        shown = table[f"{rating}_mean"].notna().to_numpy()
        keys = ["", *table.loc[shown, "ags"]]
        names = ["", *table.loc[shown, "name"]]
        counts = np.vstack([region_values[None, :], values[rating][shown]])
        if summary.rating_means.get(rating) is None:
            keys, names, counts = keys[1:], names[1:], counts[1:]
        if not len(keys):
            continue
        given = counts.sum(axis=1, keepdims=True)
        part = pd.DataFrame(counts / given, columns=list(SCALE))
        part.insert(0, "ags", keys)
        part.insert(1, "name", names)
        long = part.melt(id_vars=["ags", "name"], var_name="rating", value_name="share")
        long.insert(2, "question", rating)
        parts.append(long)
    columns: dict[str, Any] = {
        "ags": str,
        "name": str,
        "question": str,
        "rating": "int64",
        "share": float,
    }
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in columns.items()})
    out = pd.concat(parts, ignore_index=True).astype(columns)
    return out.sort_values(["question", "ags", "rating"], ignore_index=True)


def _hide_1d(
    counts: npt.NDArray[np.int64], hidden: npt.NDArray[np.bool_], k: int
) -> npt.NDArray[np.bool_]:
    """Hide the next-smallest shown cells of one total (ties by position).

    Until the hidden cells hold 0 or at least ``k``, or every cell is hidden.
    """
    hidden = hidden.copy()
    held = int(counts[hidden].sum())
    if 0 < held < k:
        shown_order = np.argsort(np.where(hidden, np.iinfo(np.int64).max, counts), kind="stable")
        for i in shown_order[: int((~hidden).sum())]:
            hidden[i] = True
            held += int(counts[i])
            if held >= k:
                break
    return hidden


def _is_many(value: Any) -> bool:
    return isinstance(value, Collection) and not isinstance(value, str | bytes)


def _check_answers(answers: pd.DataFrame) -> None:
    missing = [c for c in ANSWER_COLUMNS if c not in answers.columns]
    if missing:
        raise InputError(
            f"survey answers lack columns {missing}; pass Store.survey_answers(...) "
            f"(columns {list(ANSWER_COLUMNS)})"
        )


def _top_discipline(answers: pd.DataFrame) -> pd.Series:  # type: ignore[type-arg]
    if answers.empty:
        return pd.Series(dtype=str)
    counts = answers.groupby(["ags", "discipline"]).size().reset_index(name="n")
    counts["ags"] = counts["ags"].astype(str)
    counts["discipline"] = counts["discipline"].astype(str)
    best = counts.sort_values(["ags", "n", "discipline"], ascending=[True, False, True])
    return best.drop_duplicates("ags").set_index("ags")["discipline"]


def _mean(values: pd.Series) -> float | None:  # type: ignore[type-arg]
    numbers = pd.to_numeric(values, errors="coerce").dropna()
    return float(numbers.mean()) if len(numbers) else None
