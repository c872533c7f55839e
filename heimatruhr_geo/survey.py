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
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.models import Discipline

logger = logging.getLogger(__name__)

K = 5
"""Smallest number of responses a shown cell may hold."""
RATINGS = ("identity_rating", "space_rating")
TEXTS = ("identity_text", "places_text")
ANSWER_COLUMNS = ("ags", "discipline", *RATINGS, *TEXTS)


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
    hidden = counts < k
    held = int(counts[hidden].sum())
    if 0 < held < k:
        shown_order = np.argsort(np.where(hidden, np.iinfo(np.int64).max, counts), kind="stable")
        for i in shown_order[: int((~hidden).sum())]:
            hidden[i] = True
            held += int(counts[i])
            if held >= k:
                break
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
        ``suppressed``, ``identity_rating_mean``, ``space_rating_mean`` (float, NaN when
        suppressed or no rating given), ``top_discipline`` (the most frequent discipline,
        ties by name; ``<NA>`` when suppressed).
    """
    _check_answers(answers)
    table = pd.DataFrame(municipalities[["ags", "name", "county"]]).reset_index(drop=True)
    table["ags"] = table["ags"].astype(str)
    grouped = answers.groupby("ags")
    table["responses"] = table["ags"].map(grouped.size()).fillna(0).astype(int)
    for column in RATINGS:
        means = grouped[column].mean() if len(answers) else pd.Series(dtype=float)
        table[f"{column}_mean"] = table["ags"].map(means).astype(float)
    table["top_discipline"] = table["ags"].map(_top_discipline(answers)).astype("string")
    out = suppress_small(table, "responses", k)
    hidden = out["suppressed"].to_numpy()
    for column in RATINGS:
        out.loc[hidden, f"{column}_mean"] = np.nan
    out.loc[hidden, "top_discipline"] = pd.NA
    order = ["ags", "name", "county", "responses", "suppressed"]
    return out[order + [c for c in out.columns if c not in order]]


def region_summary(answers: pd.DataFrame, k: int = K) -> RegionSummary:
    """Return counts, mean ratings and discipline shares of the whole selection.

    Everything is ``None`` (and the discipline table empty) when the selection holds
    fewer than ``k`` responses; discipline counts below k are suppressed by
    :func:`suppress_small` (the region's count is their total).
    """
    _check_answers(answers)
    n = len(answers)
    columns = ["discipline", "responses", "suppressed", "share"]
    if n < k:
        return RegionSummary(None, True, None, None, pd.DataFrame(columns=columns))
    counts = answers["discipline"].astype(str).value_counts()
    disciplines = pd.DataFrame({"discipline": [d.value for d in Discipline]})
    disciplines["responses"] = disciplines["discipline"].map(counts).fillna(0).astype(int)
    disciplines = suppress_small(disciplines, "responses", k)
    disciplines["share"] = (disciplines["responses"] / n).astype("Float64")
    return RegionSummary(
        responses=n,
        suppressed=False,
        identity_rating_mean=_mean(answers["identity_rating"]),
        space_rating_mean=_mean(answers["space_rating"]),
        disciplines=disciplines[columns],
    )


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
        Municipalities with fewer than ``k`` responses (and secondary suppressions) get
        ``<NA>``.
    municipalities
        ``ags`` (and ``name, county``) of all municipalities, for a row per municipality
        with zeros suppressed; only municipalities with answers when omitted.

    Returns
    -------
    pandas.DataFrame
        ``ags, responses, suppressed, share`` (``Float64``, 0 to 1, ``<NA>`` when
        suppressed).
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
    table["responses"] = table["ags"].map(grouped.size()).fillna(0).astype(int)
    table["matching"] = table["ags"].map(grouped.sum()).fillna(0).astype(int)
    out = suppress_small(table, "responses", k)
    share = (out["matching"] / out["responses"]).astype("Float64")
    out["share"] = share.mask(out["suppressed"])
    return out[["ags", "responses", "suppressed", "share"]]


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
