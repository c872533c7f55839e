"""Survey releases: published survey figures change only in steps of at least k answers.

A single snapshot of k-anonymous aggregates (:mod:`heimatruhr_geo.survey`) reveals no
group below k = 5, but two snapshots can: Oberhausen 14 → 15 responses and the
``n × mean`` differences give the one new respondent's ratings. So the app never shows
live answers. It shows the last **release**, a frozen copy of the aggregates, and a new
release changes the figures only where at least k answers changed.

The rule (:func:`next_state`), per *finest cell*, a municipality × discipline pair: every
figure the app shows (the region, a municipality, a discipline region-wide, a
municipality × discipline cell under ``?discipline=``, a county subtotal of the
planners' table, the map's measures, every mean and distribution) is a sum over whole
finest cells, so if every finest cell changes by 0 or at least k answers, so does every
figure.

1. A cell's answers (by record id) in a new release are either exactly those of the
   last release or exactly the currently published ones; the latter only if they differ
   from the cell's answers in *every* earlier release (and from the empty start) by 0
   or at least k answers (symmetric difference). Hence a released cell always holds 0 or
   at least k answers, and no two releases differ in a cell by 1 to k - 1 answers.
   When answers were removed (unpublished or deleted) and the current ones cannot be
   released, the cell is withdrawn (released empty) instead, so that a deletion takes
   effect at once without revealing anything.
2. Each rating of an advancing cell follows the same rule on its ``(id, value)`` pairs
   (an optional rating given by only some; an edited value counts as a change): the
   current pairs if they pass, else the last release's pairs, else none.
3. Free texts are added only in batches of at least k new texts, region-wide, sorted
   (so their order reveals nothing); texts whose answer is no longer published are
   dropped at the next release.

Demo answers (``source = demo``) are never released, and once any real answer is
published the app shows no demo answer anywhere (:func:`public_survey`).

Releases are stored in the ``survey_releases`` table: ``figures`` holds the aggregates
and texts the app reads (no ids), ``members`` which record ids each release counts, read
only to compute the next one. :func:`release_if_due` writes a release when the rule lets
anything change; the app runs it whenever it reloads the survey (at most once a minute
and right after a moderator's decision), the CLI as ``survey-release``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from heimatruhr_geo.errors import DataError, InputError
from heimatruhr_geo.models import Moderation, Source
from heimatruhr_geo.schema import SURVEY_RELEASES
from heimatruhr_geo.store import Filters, Store
from heimatruhr_geo.survey import ALL_RATINGS, DISCIPLINES, SCALE, TEXTS, K, free_texts

logger = logging.getLogger(__name__)

REAL_SOURCES = tuple(s.value for s in Source if s is not Source.DEMO)
"""Sources of real answers; demo answers are never released nor mixed with them."""
MEMBER_COLUMNS = ("id", "ags", "discipline", *ALL_RATINGS)
TEXT_COLUMNS = ("id", "question", "text")
MAX_ATTEMPTS = 5
"""Tries to write a release when other processes write one at the same time."""
_CHECKED: dict[tuple[str, int], tuple[int, str]] = {}
"""Per database and k: the last release number and answers fingerprint found to need no
release, so that the app's regular check costs one query when nothing changed."""
_CHECKED_LOCK = threading.Lock()


@dataclass(frozen=True)
class ReleaseState:
    """Which answers (and which of their ratings and texts) one release counts.

    Attributes
    ----------
    answers
        ``id, ags, discipline`` and one ``Int64`` column per rating of
        :data:`~heimatruhr_geo.survey.ALL_RATINGS`: the value the release counts,
        ``<NA>`` where it counts none (not given or held back).
    texts
        ``id, question, text`` of the released free texts.
    """

    answers: pd.DataFrame
    texts: pd.DataFrame

    @classmethod
    def empty(cls) -> ReleaseState:
        """Return the state before the first release: nothing counted."""
        return cls(_answer_frame([]), _text_frame([]))

    @cached_property
    def cells(self) -> dict[tuple[str, str], pd.DataFrame]:
        """Return the answers per municipality × discipline cell (computed once)."""
        return _cells(self.answers)

    def same_as(self, other: ReleaseState) -> bool:
        """Return True when both states count the same answers, values and texts."""
        return _key(self.answers) == _key(other.answers) and _key(self.texts) == _key(other.texts)

    def figures(self) -> dict[str, Any]:
        """Return the aggregates the app may show: no ids, texts sorted.

        ``cells``: one entry per municipality × discipline with answers, ``ags,
        discipline, n`` and per rating the counts of the values 1-5; ``texts``: ``[question,
        text]`` pairs sorted; ``responses``: the total.
        """
        cells = []
        for (ags, discipline), part in self.answers.groupby(["ags", "discipline"], sort=True):
            cell: dict[str, Any] = {"ags": str(ags), "discipline": str(discipline), "n": len(part)}
            for rating in ALL_RATINGS:
                values = part[rating].dropna().astype(int)
                cell[rating] = [int((values == v).sum()) for v in SCALE]
            cells.append(cell)
        texts = sorted(zip(self.texts["question"], self.texts["text"], strict=True))
        return {
            "cells": cells,
            "texts": [list(pair) for pair in texts],
            "responses": len(self.answers),
        }

    def members(self) -> dict[str, Any]:
        """Return the state as JSON-ready lists (stored with the release, never shown)."""
        answers = self.answers.astype(object).where(self.answers.notna(), None)
        return {
            "answers": [[_plain(v) for v in row] for row in answers.itertuples(index=False)],
            "texts": [list(row) for row in self.texts.itertuples(index=False)],
        }

    @classmethod
    def from_members(cls, members: dict[str, Any]) -> ReleaseState:
        """Rebuild a state from :meth:`members`."""
        return cls(_answer_frame(members.get("answers", [])), _text_frame(members.get("texts", [])))


@dataclass(frozen=True)
class Release:
    """One stored release: its number, time and the figures the app shows."""

    number: int
    created_at: datetime
    actor: str
    responses: int
    figures: dict[str, Any]


@dataclass(frozen=True)
class PublicSurvey:
    """Everything the app may show of the survey.

    Attributes
    ----------
    answers
        Anonymous answers for :mod:`heimatruhr_geo.survey` (``ags, municipality, county,
        discipline``, every rating, empty texts): the demo answers while no real answer
        exists, else rebuilt from the last release's aggregates (identical figures, no
        real rows), empty before the first release.
    texts
        ``question, text`` to show, sorted.
    demo
        True when :attr:`answers` are demo answers.
    release
        The release shown, ``None`` for demo answers or before the first release.
    hidden_demo
        Number of demo answers in the database that are not shown because real ones exist.
    """

    answers: pd.DataFrame
    texts: pd.DataFrame
    demo: bool
    release: Release | None
    hidden_demo: int


# ----------------------------------------------------------------------------- the rule


def next_state(history: Sequence[ReleaseState], current: pd.DataFrame, k: int = K) -> ReleaseState:
    """Return what the next release may count, given all earlier releases.

    Parameters
    ----------
    history
        The states of all earlier releases, oldest first (empty before the first).
    current
        The published real answers now: ``id, ags, discipline``, the ratings and texts
        (:func:`current_answers`).
    k
        Smallest change (in answers) a cell may show.

    Returns
    -------
    ReleaseState
        Equal to the last state (see :meth:`ReleaseState.same_as`) when nothing may
        change yet. See the module docstring for the rule.

    Examples
    --------
    >>> def cell(n):
    ...     return pd.DataFrame({"id": [f"r{i}" for i in range(n)], "ags": "05119000",
    ...         "discipline": "literature", "identity_rating": 5, "space_rating": 1})
    >>> first = next_state([], cell(4))  # 4 answers in one cell: not yet
    >>> len(first.answers)
    0
    >>> second = next_state([], cell(5))
    >>> len(second.answers)
    5
    >>> len(next_state([second], cell(6)).answers)  # one more: the release stays
    5
    >>> len(next_state([second], cell(10)).answers)
    10
    """
    if k < 1:
        raise InputError(f"k={k} is not allowed; use a whole number of at least 1")
    last = history[-1] if history else ReleaseState.empty()
    now = _answer_frame(current)
    past = [h.cells for h in [ReleaseState.empty(), *history]]
    old_cells, now_cells = past[-1], _cells(now)
    empty = _answer_frame([])
    kept = []
    for cell in sorted(set(old_cells) | set(now_cells)):
        old = old_cells.get(cell, empty)
        new = now_cells.get(cell, empty)
        earlier = [p.get(cell, empty) for p in past]
        kept.append(_advance(old, new, earlier, k))
    answers = _answer_frame(pd.concat(kept, ignore_index=True) if kept else [])
    return ReleaseState(answers, _next_texts(last.texts, _texts_of(current), k))


def _advance(
    old: pd.DataFrame, new: pd.DataFrame, earlier: list[pd.DataFrame], k: int
) -> pd.DataFrame:
    """Return the rows one cell counts in the next release (see :func:`next_state`)."""
    old_ids, new_ids = set(old["id"].tolist()), set(new["id"].tolist())
    if old_ids == new_ids:
        chosen = old_ids
    elif _far_from_all(new_ids, [set(e["id"].tolist()) for e in earlier], k):
        chosen = new_ids
    elif old_ids - new_ids:  # removals pending: withdraw the cell (0 or >= k from all)
        chosen = set()
    else:
        chosen = old_ids
    if chosen == old_ids:
        return old
    rows = new[new["id"].isin(chosen)].copy()
    for rating in ALL_RATINGS:
        pairs_new = _pairs(rows, rating)
        pairs_old = _pairs(old, rating)
        if _far_from_all(pairs_new, [_pairs(e, rating) for e in earlier], k):
            continue
        if {i for i, _ in pairs_old} <= chosen:
            rows[rating] = rows["id"].map(dict(pairs_old)).astype("Int64")
        else:
            rows[rating] = pd.array([pd.NA] * len(rows), dtype="Int64")
    return rows


def _far_from_all(candidate: set[Any], earlier: list[set[Any]], k: int) -> bool:
    """Return whether ``candidate`` differs from each earlier set by 0 or >= k items."""
    return all(len(candidate ^ e) == 0 or len(candidate ^ e) >= k for e in earlier)


def _pairs(rows: pd.DataFrame, rating: str) -> set[tuple[str, int]]:
    given = rows[rows[rating].notna()]
    return set(zip(given["id"].tolist(), given[rating].astype(int).tolist(), strict=True))


def _next_texts(old: pd.DataFrame, current: pd.DataFrame, k: int) -> pd.DataFrame:
    """Drop texts no longer published; add new ones only in batches of at least k."""
    old_keys, now_keys = _rows(old), _rows(current)
    added = now_keys - old_keys
    kept = old_keys & now_keys
    if len(added) >= k:
        kept |= added
    return _text_frame(sorted(kept))


# -------------------------------------------------------------------------- the store


def current_answers(store: Store) -> pd.DataFrame:
    """Return the published real (non-demo) answers with their ids, for releases only.

    Returns
    -------
    pandas.DataFrame
        ``id, ags, discipline``, every rating and both texts; never shown.
    """
    frame = store.query(
        "survey",
        Filters(moderation=(Moderation.PUBLISHED.value,), sources=REAL_SOURCES),
        public=False,
    )
    columns = [*MEMBER_COLUMNS, *TEXTS]
    out = pd.DataFrame(index=range(len(frame)))
    for column in columns:
        out[column] = frame[column].to_numpy() if column in frame.columns else pd.NA
    return out


_RELEASE_COLUMNS = (
    SURVEY_RELEASES.c.number,
    SURVEY_RELEASES.c.created_at,
    SURVEY_RELEASES.c.actor,
    SURVEY_RELEASES.c.responses,
    SURVEY_RELEASES.c.figures,
)
"""What :class:`Release` is read from (not ``members``, which only the next release needs)."""


def releases(store: Store) -> list[Release]:
    """Return every stored release, oldest first (figures only)."""
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(*_RELEASE_COLUMNS).order_by(SURVEY_RELEASES.c.number)).all()
    return [_release(row) for row in rows]


def latest_release(store: Store) -> Release | None:
    """Return the last release, ``None`` before the first."""
    stmt = sa.select(*_RELEASE_COLUMNS).order_by(SURVEY_RELEASES.c.number.desc()).limit(1)
    with store.engine.connect() as conn:
        row = conn.execute(stmt).first()
    return None if row is None else _release(row)


def release_if_due(store: Store, actor: str = "app", k: int = K) -> Release | None:
    """Write a new release when the rule lets any figure or text change.

    Parameters
    ----------
    store
        The store.
    actor
        Who asked (``app``, ``cli``, a moderator's name); stored with the release.
    k
        Smallest change (in answers) a cell may show.

    Returns
    -------
    Release or None
        The new release, ``None`` when nothing may change yet.

    Raises
    ------
    DataError
        When other processes kept writing releases at the same time.
    """
    key = (store.url, k)
    for _ in range(MAX_ATTEMPTS):
        current = current_answers(store)
        mark = (_last_number(store), _fingerprint(current))
        with _CHECKED_LOCK:
            if _CHECKED.get(key) == mark:  # checked before: same answers, same release
                return None
        number, last = _last_state(store)
        if number != mark[0]:
            continue
        state = next_state([last], current, k)  # cheap: against the last release only
        if not state.same_as(last):  # something may move: check against every release
            state = next_state(_history(store, number), current, k)
        if state.same_as(last):
            with _CHECKED_LOCK:
                _CHECKED[key] = mark
            return None
        try:
            return _write(store, number + 1, actor, state)
        except IntegrityError:
            logger.info("survey release %d written by another process; checking again", number)
    raise DataError(f"survey release: {MAX_ATTEMPTS} attempts lost to concurrent writers")


def public_survey(store: Store, municipalities: pd.DataFrame, k: int = K) -> PublicSurvey:
    """Return what the app may show: the demo answers, or the last release, never a mix.

    Demo answers are shown only while the database holds no published real answer and
    no release; otherwise the last release (empty before the first), and the number of
    hidden demo answers so that the page can say so. Reads only; see
    :func:`release_if_due` for writing releases.
    """
    real = _count(store, REAL_SOURCES)
    demo = _count(store, (Source.DEMO.value,))
    last = latest_release(store)
    if not real and last is None:
        answers = store.survey_answers(Filters(sources=(Source.DEMO.value,)))
        return PublicSurvey(answers, free_texts(answers, k), True, None, 0)
    figures = last.figures if last is not None else {"cells": [], "texts": []}
    answers = answers_from_figures(figures, municipalities)
    texts = pd.DataFrame(figures["texts"], columns=["question", "text"]).astype(str)
    return PublicSurvey(answers, texts, False, last, demo)


def answers_from_figures(figures: dict[str, Any], municipalities: pd.DataFrame) -> pd.DataFrame:
    """Rebuild anonymous answers with exactly the aggregates of ``figures``.

    Each cell's ``n`` rows get, per rating, its released values in ascending order and
    missing values after them: every count, mean and distribution of
    :mod:`heimatruhr_geo.survey` is the release's, and no row is a real answer.
    """
    parts = []
    for cell in figures.get("cells", []):
        n = int(cell["n"])
        part: dict[str, Any] = {"ags": [cell["ags"]] * n, "discipline": [cell["discipline"]] * n}
        for rating in ALL_RATINGS:
            counts = [int(c) for c in cell.get(rating, [0] * len(SCALE))]
            values = np.repeat(np.array(SCALE, dtype=float), counts)
            if len(values) > n:
                raise DataError(f"survey release cell {cell['ags']}/{cell['discipline']} is broken")
            part[rating] = np.concatenate([values, np.full(n - len(values), np.nan)])
        parts.append(pd.DataFrame(part))
    columns = ["ags", "discipline", *ALL_RATINGS]
    answers = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    )
    names = pd.DataFrame(municipalities[["ags", "name", "county"]]).astype(str)
    answers = answers.merge(names, on="ags", how="left")
    answers = answers.rename(columns={"name": "municipality"})
    for rating in ALL_RATINGS:
        answers[rating] = answers[rating].astype("Int64")
    for text in TEXTS:
        answers[text] = ""
    order = ["ags", "municipality", "county", "discipline", *ALL_RATINGS, *TEXTS]
    return answers[order].sort_values("ags", kind="stable", ignore_index=True)


# ---------------------------------------------------------------------------- helpers


def _count(store: Store, sources: tuple[str, ...]) -> int:
    counts = store.counts_per_municipality("survey", Filters(sources=sources))
    return int(counts["count"].sum())


def _last_number(store: Store) -> int:
    with store.engine.connect() as conn:
        number = conn.execute(sa.select(sa.func.max(SURVEY_RELEASES.c.number))).scalar()
    return int(number or 0)


def _fingerprint(current: pd.DataFrame) -> str:
    """Return a digest of the current answers (ids, cells, values, texts)."""
    ordered = current.sort_values("id", kind="stable").astype(str)
    hashed = pd.util.hash_pandas_object(ordered, index=False).to_numpy()
    return hashlib.sha256(hashed.tobytes()).hexdigest()


def _last_state(store: Store) -> tuple[int, ReleaseState]:
    stmt = (
        sa.select(SURVEY_RELEASES.c.number, SURVEY_RELEASES.c.members)
        .order_by(SURVEY_RELEASES.c.number.desc())
        .limit(1)
    )
    with store.engine.connect() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        return 0, ReleaseState.empty()
    return int(row[0]), ReleaseState.from_members(_json(row[1]))


def _history(store: Store, upto: int) -> list[ReleaseState]:
    stmt = (
        sa.select(SURVEY_RELEASES.c.members)
        .where(SURVEY_RELEASES.c.number <= upto)
        .order_by(SURVEY_RELEASES.c.number)
    )
    with store.engine.connect() as conn:
        return [ReleaseState.from_members(_json(m)) for (m,) in conn.execute(stmt)]


def _write(store: Store, number: int, actor: str, state: ReleaseState) -> Release:
    figures = state.figures()
    row = {
        "number": number,
        "created_at": datetime.now(UTC),
        "actor": str(actor)[:100],
        "responses": figures["responses"],
        "figures": figures,
        "members": state.members(),
    }
    with store.engine.begin() as conn:
        conn.execute(SURVEY_RELEASES.insert().values(**row))
    logger.info(
        "survey release %d: %d responses, %d texts", number, row["responses"], len(figures["texts"])
    )
    return Release(number, row["created_at"], row["actor"], row["responses"], figures)


def _release(row: Any) -> Release:
    created = row[1] if row[1].tzinfo is not None else row[1].replace(tzinfo=UTC)
    return Release(int(row[0]), created, str(row[2]), int(row[3]), _json(row[4]))


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        loaded: dict[str, Any] = json.loads(value)
        return loaded
    return dict(value)


def _answer_frame(rows: Any) -> pd.DataFrame:
    frame = (
        pd.DataFrame(rows, columns=list(MEMBER_COLUMNS))
        if not isinstance(rows, pd.DataFrame)
        else pd.DataFrame(rows)
    )
    out = pd.DataFrame(index=range(len(frame)))
    for column in ("id", "ags", "discipline"):
        out[column] = frame[column].astype(str).to_numpy() if len(frame) else []
    for rating in ALL_RATINGS:
        values = frame[rating] if rating in frame.columns else pd.Series([pd.NA] * len(frame))
        numbers = pd.to_numeric(pd.Series(values.to_numpy()), errors="coerce")
        out[rating] = numbers.where(numbers.isin(SCALE)).astype("Int64").to_numpy()
    known = out["discipline"].isin(DISCIPLINES) if len(out) else pd.Series(dtype=bool)
    return out[known.to_numpy()].reset_index(drop=True) if len(out) else out


def _text_frame(rows: Any) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(TEXT_COLUMNS)).astype(str)


def _texts_of(current: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for question in TEXTS:
        if question not in current.columns:
            continue
        texts = current[question].fillna("").astype(str).str.strip()
        rows += [(str(i), question, x) for i, x in zip(current["id"], texts, strict=True) if x]
    return _text_frame(rows)


def _cells(answers: pd.DataFrame) -> dict[tuple[str, str], pd.DataFrame]:
    return {
        (str(a), str(d)): part.reset_index(drop=True)
        for (a, d), part in answers.groupby(["ags", "discipline"], sort=False)
    }


def _rows(frame: pd.DataFrame) -> set[tuple[Any, ...]]:
    return set(zip(*(frame[c].tolist() for c in frame.columns), strict=True))


def _key(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    columns = [[None if pd.isna(v) else v for v in frame[c].tolist()] for c in frame.columns]
    return sorted(zip(*columns, strict=True), key=repr) if columns else []


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.integer):
        return int(value)
    return value
