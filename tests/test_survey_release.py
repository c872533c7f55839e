"""Survey releases (issue 11.1): no two versions of the results reveal one respondent.

Seen from an attacker who saves every version of every figure the app shows (survey
page, its CSV, every ``?discipline=`` / ``?counties=`` variant, the planners' survey
columns and the map's survey measures, the free-text list) and compares them:

- demo answers (reproducible from the repository) never mix with real ones, so they
  cannot be subtracted;
- one more published answer changes nothing until at least k = 5 answers of its cell
  (municipality x discipline) have come together, and then the figures move by at
  least 5 answers;
- free texts appear only in batches of at least 5.

Pure functions for the rule; the store on SQLite and PostgreSQL; AppTest for the page.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.boundaries import COUNTIES, default_path, load_municipalities
from heimatruhr_geo.cli import main as cli_main
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.demo import demo_records
from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import SurveyResponse
from heimatruhr_geo.planning import measure_values, municipality_table, survey_columns
from heimatruhr_geo.population import load_population
from heimatruhr_geo.questionnaire import municipality_points
from heimatruhr_geo.schema import AUDIT_LOG, CONTACTS, RECORDS, SURVEY_RELEASES
from heimatruhr_geo.store import Store
from heimatruhr_geo.survey import (
    ALL_RATINGS,
    K,
    Selection,
    results_csv,
    selection_results,
)
from heimatruhr_geo.survey_release import (
    PublicSurvey,
    ReleaseState,
    next_state,
    public_survey,
    release_if_due,
    releases,
)
from tests.support.apptest import run_page

MUNICIPALITIES = load_municipalities(default_path(DEFAULT_DATA_DIR))
POPULATION = load_population(DEFAULT_DATA_DIR)
POINTS = municipality_points(MUNICIPALITIES)
BOCHUM, OBERHAUSEN, ESSEN, SELM = "05911000", "05119000", "05113000", "05978032"


# ------------------------------------------------------------------------- helpers


def response(ags: str, discipline: str = "literature", **kw: Any) -> SurveyResponse:
    lat, lon = POINTS[ags]
    values: dict[str, Any] = {
        "identity_rating": 3,
        "space_rating": 3,
        "source": "form",
        "moderation": "published",
    }
    return SurveyResponse(lat=lat, lon=lon, discipline=discipline, **(values | kw))


def varied(
    ags: str, n: int, discipline: str = "literature", start: int = 0
) -> list[SurveyResponse]:
    """``n`` answers with varying ratings and a text each."""
    return [
        response(
            ags,
            discipline,
            identity_rating=1 + (start + i) % 5,
            space_rating=1 + (start + 2 * i) % 5,
            region_rating=1 + (start + i) % 3,
            vacancy_rating=5 - (start + i) % 5,
            identity_text=f"Text {ags} {discipline} {start + i}",
        )
        for i in range(n)
    ]


def everything_shown(shown: PublicSurvey) -> dict[str, Any]:
    """Every survey figure the app can show, in every URL variant, as plain values."""
    out: dict[str, Any] = {}
    # hiding is selection-independent (tests/test_survey.py), so a few variants suffice
    for discipline in (None, "literature", "music", "design"):
        for counties in ((), (OBERHAUSEN[:5],), (next(iter(COUNTIES)),)):
            result = selection_results(
                shown.answers, MUNICIPALITIES, Selection(discipline, counties)
            )
            key = f"{discipline}/{','.join(counties)}"
            out[f"csv {key}"] = results_csv(result, "de")
            out[f"chart {key}"] = result.distributions.to_csv(index=False)
            out[f"discipline table {key}"] = result.summary.disciplines.to_csv(index=False)
    columns = survey_columns(shown.answers, MUNICIPALITIES, POPULATION)
    out["planner survey columns"] = columns.to_csv(index=False)
    table = columns.assign(level="municipality")
    for measure in ("survey_per_10k", "survey_identity_share"):
        out[f"map {measure}"] = measure_values(table, measure)
    out["texts"] = shown.texts.to_csv(index=False)
    return out


def changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [key for key in before if before[key] != after[key]]


def figures(shown: PublicSurvey, discipline: str | None = None) -> pd.DataFrame:
    """Counts and rating sums (n x mean) per municipality, as an attacker derives them."""
    result = selection_results(shown.answers, MUNICIPALITIES, Selection(discipline))
    table = result.table.set_index("ags")
    out = pd.DataFrame({"n": table["responses"].astype("Float64")})
    for rating in ALL_RATINGS:
        out[rating] = out["n"] * table[f"{rating}_mean"].astype("Float64")
    region = result.summary
    out.loc["region", "n"] = region.responses
    return out


# ---------------------------------------------------------------------------- the rule


def frame(rows: list[tuple[str, str, str, int | None]]) -> pd.DataFrame:
    """``(id, ags, discipline, identity_rating)`` rows as current answers."""
    out = pd.DataFrame(rows, columns=["id", "ags", "discipline", "identity_rating"])
    out["space_rating"] = 3
    out["identity_text"] = ""
    return out


def test_a_cell_changes_only_by_at_least_k() -> None:
    rows = [(f"o{i}", OBERHAUSEN, "literature", 4) for i in range(14)]
    first = next_state([], frame(rows))
    assert len(first.answers) == 14
    one_more = frame([*rows, ("o14", OBERHAUSEN, "literature", 5)])
    assert next_state([first], one_more).same_as(first)
    four_more = frame([*rows, *[(f"o{i}", OBERHAUSEN, "literature", 5) for i in range(14, 18)]])
    assert next_state([first], four_more).same_as(first)
    five_more = frame([*rows, *[(f"o{i}", OBERHAUSEN, "literature", 5) for i in range(14, 19)]])
    assert len(next_state([first], five_more).answers) == 19


def test_small_cells_never_enter_a_release_and_other_cells_move_on() -> None:
    rows = [(f"b{i}", BOCHUM, "music", 2) for i in range(4)]
    rows += [(f"e{i}", ESSEN, "music", 2) for i in range(6)]
    state = next_state([], frame(rows))
    assert set(state.answers["ags"]) == {ESSEN}


def test_removal_withdraws_the_cell_instead_of_revealing_the_removed() -> None:
    rows = [(f"o{i}", OBERHAUSEN, "design", 1 + i % 5) for i in range(9)]
    first = next_state([], frame(rows))
    second = next_state([first], frame(rows[1:]))  # one answer deleted
    assert second.answers.empty  # 0 now: differs from 9 by 9, from the start by 0
    third = next_state([first, second], frame([*rows[1:], ("x1", OBERHAUSEN, "design", 3)]))
    assert third.same_as(second)  # 9 again would differ from release 1 by 2 answers


def test_an_optional_rating_given_by_one_of_the_batch_is_held_back() -> None:
    base = frame([(f"o{i}", OBERHAUSEN, "music", 3) for i in range(5)])
    base["region_rating"] = 4
    first = next_state([], base)
    batch = frame([(f"n{i}", OBERHAUSEN, "music", 3) for i in range(5)])
    batch["region_rating"] = [1, None, None, None, None]
    second = next_state([first], pd.concat([base, batch], ignore_index=True))
    assert len(second.answers) == 10
    assert second.answers["region_rating"].notna().sum() == 5  # the old five only
    assert (second.answers["identity_rating"].notna()).sum() == 10


def test_texts_come_in_batches_of_at_least_k_and_sorted() -> None:
    rows = frame([(f"o{i}", OBERHAUSEN, "music", 3) for i in range(4)])
    rows["identity_text"] = ["d", "b", "", "a"]
    assert next_state([], rows).texts.empty
    rows.loc[2, "identity_text"] = "c"
    rows["places_text"] = ["", "", "", "z"]
    texts = next_state([], rows).texts
    assert len(texts) == 5
    shown = next_state([], rows).figures()["texts"]
    assert shown == sorted(shown)


@pytest.mark.parametrize("seed", range(8))
def test_no_two_releases_differ_in_a_cell_by_1_to_k_minus_1(seed: int) -> None:
    """Random histories of additions, removals, moves and edits: every pair of releases."""
    rng = random.Random(seed)
    cells = [(a, d) for a in (OBERHAUSEN, BOCHUM, ESSEN) for d in ("music", "design")]
    live: dict[str, tuple[str, str, int, int | None]] = {}
    history: list[ReleaseState] = []
    counter = itertools.count()
    for _ in range(40):
        for _ in range(rng.randint(1, 4)):
            action = rng.random()
            if action < 0.6 or not live:
                ags, discipline = rng.choice(cells)
                live[f"r{next(counter)}"] = (
                    ags,
                    discipline,
                    rng.randint(1, 5),
                    rng.choice([None, 1, 5]),
                )
            elif action < 0.8:
                live.pop(rng.choice(sorted(live)))
            else:  # an edit: new rating, or moved to another cell
                key = rng.choice(sorted(live))
                ags, discipline, rating, optional = live[key]
                if rng.random() < 0.5:
                    live[key] = (ags, discipline, rng.randint(1, 5), optional)
                else:
                    live[key] = (*rng.choice(cells), rating, optional)
        now = pd.DataFrame(
            [(i, a, d, r, o) for i, (a, d, r, o) in live.items()],
            columns=["id", "ags", "discipline", "identity_rating", "region_rating"],
        )
        state = next_state(history, now)
        if not history or not state.same_as(history[-1]):
            history.append(state)
    assert len(history) > 3
    views = [_view(state, cells) for state in [ReleaseState.empty(), *history]]
    for a, b in itertools.combinations(views, 2):
        for key in a:
            assert len(a[key] ^ b[key]) == 0 or len(a[key] ^ b[key]) >= K, key
    for view in views:
        assert all(len(ids) == 0 or len(ids) >= K for key, ids in view.items() if key[2] == "")


def _view(
    state: ReleaseState, cells: list[tuple[str, str]]
) -> dict[tuple[str, str, str], set[Any]]:
    """Per cell: its ids (rating ``""``) and its ``(id, value)`` pairs per rating."""
    out: dict[tuple[str, str, str], set[Any]] = {}
    answers = state.answers
    for ags, discipline in cells:
        rows = answers[(answers["ags"] == ags) & (answers["discipline"] == discipline)]
        out[(ags, discipline, "")] = set(rows["id"].tolist())
        for rating in ("identity_rating", "region_rating"):
            given = rows[rows[rating].notna()]
            pairs = zip(given["id"].tolist(), given[rating].astype(int).tolist(), strict=True)
            out[(ags, discipline, rating)] = set(pairs)
    return out


# --------------------------------------------------------------------------- the store


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = (
        f"sqlite:///{tmp_path / 'release.sqlite'}"
        if request.param == "sqlite"
        else str(request.getfixturevalue("postgres_url"))
    )
    opened = Store(url)
    yield opened
    with opened.engine.begin() as conn:  # leave the shared PostgreSQL database empty
        conn.execute(SURVEY_RELEASES.delete())
        conn.execute(CONTACTS.delete())
        conn.execute(RECORDS.delete())
        conn.execute(AUDIT_LOG.delete())
    opened.close()


def demo_survey(n: int) -> list[Any]:
    """The repository's reproducible demo answers (fixed defaults), survey layer only."""
    return [r for r in demo_records(n * 4, 1) if r.layer == "survey"]


def test_demo_answers_disappear_once_one_real_answer_exists(store: Store) -> None:
    store.import_records(demo_survey(600))
    demo_view = public_survey(store, MUNICIPALITIES)
    assert demo_view.demo and len(demo_view.answers) > 500
    store.add(
        response(
            BOCHUM,
            identity_rating=5,
            space_rating=1,
            region_rating=2,
            vacancy_rating=4,
            identity_text="Meine Zeche",
        )
    )
    release_if_due(store)
    real_view = public_survey(store, MUNICIPALITIES)
    assert not real_view.demo and real_view.hidden_demo == len(demo_view.answers)
    assert real_view.answers.empty and real_view.texts.empty  # nothing released yet
    # the attacker's subtraction: no figure is the demo figure plus one answer
    before, after = figures(demo_view), figures(real_view)
    assert after["n"].fillna(0).eq(0).all()
    assert before.loc[BOCHUM, "n"] >= K  # Bochum had demo answers the attacker could subtract
    assert not (after["n"].fillna(0) == before["n"].fillna(0) + 1).any()
    assert "Meine Zeche" not in everything_shown(real_view)["texts"]


def test_one_more_answer_in_oberhausen_changes_nothing_until_k(store: Store) -> None:
    store.add_many(varied(OBERHAUSEN, 14) + varied(ESSEN, 12, "music"))
    assert release_if_due(store) is not None
    first = public_survey(store, MUNICIPALITIES)
    before = everything_shown(first)
    extra = varied(OBERHAUSEN, 5, start=14)
    for i, answer in enumerate(extra[:4]):
        store.add(answer)
        assert release_if_due(store) is None, i
        assert changed(before, everything_shown(public_survey(store, MUNICIPALITIES))) == []
    store.add(extra[4])
    assert release_if_due(store) is not None
    shown = public_survey(store, MUNICIPALITIES)
    after = everything_shown(shown)
    assert changed(before, after)  # now it moves, by five answers
    for discipline in (None, "literature", "music"):
        old, new = figures(first, discipline), figures(shown, discipline)
        moved = (new["n"].fillna(0) - old["n"].fillna(0)).abs()
        assert ((moved == 0) | (moved >= K)).all(), discipline
    assert figures(shown).loc[OBERHAUSEN, "n"] - figures(first).loc[OBERHAUSEN, "n"] == 5
    assert len(shown.texts) - len(first.texts) == 5
    assert [r.number for r in releases(store)] == [1, 2]


def test_free_texts_change_only_by_at_least_k_lines(store: Store) -> None:
    store.add_many(varied(OBERHAUSEN, 6))
    release_if_due(store)
    before = public_survey(store, MUNICIPALITIES).texts
    assert len(before) == 6
    for i in range(4):
        store.add(response(ESSEN, "music", identity_text=f"Neu {i}"))
        release_if_due(store)
        assert public_survey(store, MUNICIPALITIES).texts.equals(before)
    store.add(response(ESSEN, "music", identity_text="Neu 4"))
    release_if_due(store)
    after = public_survey(store, MUNICIPALITIES).texts
    assert len(after) - len(before) == 5
    assert after["text"].tolist() == sorted(after["text"])
    # Essen's cell itself (5 answers) was released with them: nothing ties a text to it
    assert set(public_survey(store, MUNICIPALITIES).answers["ags"]) == {OBERHAUSEN, ESSEN}


def test_a_release_written_meanwhile_by_another_process_is_not_written_twice(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process writes release 1 between this one's check and its write."""
    import heimatruhr_geo.survey_release as sr

    store.add_many(varied(OBERHAUSEN, 5))
    real_history = sr._history
    raced: list[int] = []

    def history_then_race(s: Store, upto: int) -> list[ReleaseState]:
        states = real_history(s, upto)
        if not raced:  # the other process: same answers, same rule, first to write
            raced.append(1)
            other = Store(s.url, upgrade=False)
            try:
                sr._write(other, upto + 1, "other", next_state(states, sr.current_answers(other)))
            finally:
                other.close()
        return states

    monkeypatch.setattr(sr, "_history", history_then_race)
    assert release_if_due(store, actor="this") is None  # lost the race, found nothing left
    assert [(r.number, r.actor) for r in releases(store)] == [(1, "other")]


def test_cli_writes_a_release(
    store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", store.engine.url.render_as_string(False))
    store.add_many(varied(OBERHAUSEN, 4))
    assert cli_main(["survey-release"]) == 0
    assert t("survey_release_command_none", "en") in capsys.readouterr().out
    store.add(varied(OBERHAUSEN, 1, start=4)[0])
    assert cli_main(["survey-release"]) == 0
    out = capsys.readouterr().out
    assert t("survey_release_command_done", "en").format(number=1, n=5, texts=5) in out


# ------------------------------------------------------------------------------ pages


def page(name: str, **params: str) -> AppTest:
    from heimatruhr_geo.ui import resources

    resources.refresh_public_data()  # as after a moderator's decision
    return run_page(name, **params)


def seen(at: AppTest) -> dict[str, Any]:
    """Every survey value on the page: metrics, tables, chart data."""
    out: dict[str, Any] = {f"metric {m.label}": m.value for m in at.metric}
    out["notes"] = [c.value for c in at.caption] + [i.value for i in at.info]
    for i, table in enumerate(at.dataframe):
        out[f"table {i}"] = table.value.to_csv(index=False)
    for i, chart in enumerate(at.get("vega_lite_chart")):
        out[f"chart {i}"] = convert_arrow_bytes_to_pandas_df(chart.proto.data.data).to_csv()
    return out


def test_page_hides_demo_answers_once_a_real_one_is_published(app_store: Store) -> None:
    app_store.import_records(demo_survey(400))
    demo_notice = t("demo_survey_notice_other", "en").split("{")[0]
    at = page("survey_page", lang="en")
    assert any(i.value.startswith(demo_notice) for i in at.info)
    demo_total = {m.label: m.value for m in at.metric}[t("survey_responses", "en")]
    app_store.add(response(BOCHUM, identity_rating=5, space_rating=1, identity_text="Zeche"))
    for params in ({}, {"discipline": "literature"}, {"counties": "05911"}):
        at = page("survey_page", lang="en", **params)
        notices = [i.value for i in at.info]
        assert not any(n.startswith(demo_notice) for n in notices), params
        assert t("survey_release_demo_hidden", "en") in notices
        assert t("survey_release_none", "en") in notices
        metric = {m.label: m.value for m in at.metric}
        assert metric.get(t("survey_responses", "en")) not in (demo_total, str(int(demo_total) + 1))
        assert "Zeche" not in str(seen(at))
    planner = page("planner_page", lang="en")
    assert not any(i.value.startswith(demo_notice) for i in planner.info)
    assert t("survey_release_demo_hidden", "en") in [i.value for i in planner.info]
    rows = planner.dataframe[0].value
    assert rows["survey_responses"].isna().all()


@pytest.mark.parametrize("params", [{}, {"discipline": "literature"}, {"counties": "05119"}])
def test_page_and_planner_do_not_move_with_one_more_answer(
    app_store: Store, params: dict[str, str]
) -> None:
    app_store.add_many(varied(OBERHAUSEN, 14) + varied(ESSEN, 12, "music"))
    before = seen(page("survey_page", **params))
    planner_before = seen(page("planner_page"))
    assert before[f"metric {t('survey_responses', 'de')}"] == (
        "14" if params.get("discipline") else "26"
    )
    app_store.add(varied(OBERHAUSEN, 1, start=14)[0])
    after = seen(page("survey_page", **params))
    assert changed(before, after) == []
    planner_after = seen(page("planner_page"))
    assert any("survey_responses" in str(v) for v in planner_before.values())
    assert changed(planner_before, planner_after) == []
    app_store.add_many(varied(OBERHAUSEN, 4, start=15))
    moved = seen(page("survey_page", **params))
    assert moved[f"metric {t('survey_responses', 'de')}"] == (
        "19" if params.get("discipline") else "31"
    )
    release = t("survey_release_shown", "de").split("{")[0]
    assert [n for n in before["notes"] if n.startswith(release)] == [
        n for n in after["notes"] if n.startswith(release)
    ]
    assert any(n.startswith(f"{release}2 ") and "31 Antworten" in n for n in moved["notes"])


def test_planner_table_and_map_measures_come_from_the_release(app_store: Store) -> None:
    from heimatruhr_geo.ui import resources

    app_store.add_many(varied(OBERHAUSEN, 14))
    resources.refresh_public_data()
    columns = resources.survey_columns()
    before = {
        m: measure_values(columns.assign(level="municipality"), m)
        for m in ("survey_per_10k", "survey_identity_share")
    }
    app_store.add(varied(OBERHAUSEN, 1, start=14)[0])
    resources.refresh_public_data()
    after_columns = resources.survey_columns()
    after = {m: measure_values(after_columns.assign(level="municipality"), m) for m in before}
    assert after == before and after_columns.equals(columns)
    table = municipality_table(
        app_store.query("spaces"),
        app_store.query("vacant"),
        None,
        MUNICIPALITIES,
        POPULATION,
        survey=after_columns,
    )
    assert table.set_index("ags").at[OBERHAUSEN, "survey_responses"] == 14
