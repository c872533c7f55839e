"""No user or URL text reaches Streamlit's Markdown live (issue 11, point 2).

Two published records carry Markdown in every text field, and every page is opened with
the same text in its URL parameters (values and names). Every text element Streamlit
would render as Markdown (markdown, captions, alerts, titles, labels, table cells) is then
read back: a link, an image or math from that text must show escaped, never live.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.config import Settings
from heimatruhr_geo.io import import_file
from heimatruhr_geo.store import Store
from tests.support.apptest import run_page

HOSTILE = "[phish](https://evil.example/login) ![t](https://evil.example/t.png) $E=mc^2$"
LIVE = [
    re.compile(r"(?<!\\)\]\(https://evil"),  # a link or image target that Markdown would follow
    re.compile(r"(?<!\\)\$E=mc"),  # math
]


@pytest.fixture(scope="module")
def hostile_ids(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A database of its own with the demo data and two hostile published records."""
    folder = tmp_path_factory.mktemp("markdown")
    patch = pytest.MonkeyPatch()
    patch.setenv("HEIMATRUHR_DATABASE_URL", f"sqlite:///{folder / 'md.sqlite'}")
    st.cache_resource.clear()
    st.cache_data.clear()
    store = Store.from_settings(Settings.from_env())
    ids = {}
    try:
        for layer, extra in (
            ("spaces", {"project_type": "studio", "status": "funded", "funding_program": HOSTILE}),
            ("vacant", {"building_type": "commercial", "status": "vacant", "rent_band": "free"}),
        ):
            row = {
                "title": HOSTILE,
                "description": HOSTILE,
                "street": HOSTILE,
                "postcode": "44787",
                "city": HOSTILE,
                "lat": "51.4790",
                "lon": "7.2240",
                "contact_public": HOSTILE,
                **extra,
            }
            path = folder / f"{layer}.csv"
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=list(row))
                writer.writeheader()
                writer.writerow(row)
            report = import_file(store, path, layer)
            assert report.errors == [], report.errors
            ids[layer] = store.query(layer)["id"].iloc[0]
    finally:
        store.close()
    yield ids
    patch.undo()
    st.cache_resource.clear()
    st.cache_data.clear()


def _texts(at: AppTest) -> Iterator[str]:
    """Every string of the run that Streamlit renders as Markdown."""
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header",
                 "subheader", "toast"):  # fmt: skip
        for element in getattr(at, kind):
            yield str(element.value)
    for kind in ("text_input", "selectbox", "multiselect", "radio", "checkbox", "button",
                 "slider", "select_slider", "number_input", "toggle", "expander"):  # fmt: skip
        for element in getattr(at, kind):
            yield str(getattr(element, "label", ""))
    for table in at.table:
        frame: pd.DataFrame = table.value
        yield from (str(v) for v in frame.to_numpy().ravel())
        yield from (str(c) for c in frame.columns)


def _assert_escaped(at: AppTest) -> None:
    live = [text for text in _texts(at) if any(p.search(text) for p in LIVE)]
    assert live == []


URL_PARAMS = {HOSTILE: HOSTILE, "lang": HOSTILE}


@pytest.mark.parametrize("layer", ["spaces", "vacant"])
def test_details_view_shows_hostile_text_literally(hostile_ids: dict[str, str], layer: str) -> None:
    at = run_page("map_page", detail=hostile_ids[layer])
    texts = list(_texts(at)) + [
        str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel()
    ]
    assert any("evil.example" in text for text in texts), "the details view shows the record"
    _assert_escaped(at)


@pytest.mark.parametrize(
    ("module", "params"),
    [
        ("map_page", {"detail": HOSTILE, **URL_PARAMS}),
        (
            "planner_page",
            {
                "municipality": HOSTILE,
                "type": HOSTILE,
                "status": HOSTILE,
                "county": HOSTILE,
                **URL_PARAMS,
            },
        ),
        (
            "finder_page",
            {
                "lat": "51.47868",
                "lon": "7.22326",
                "place": HOSTILE,
                "radius": "25000",
                "building_type": HOSTILE,
                **URL_PARAMS,
            },
        ),
        ("finder_page", {"lat": HOSTILE, "lon": HOSTILE, "radius": HOSTILE, **URL_PARAMS}),
        ("survey_page", {"discipline": HOSTILE, "counties": HOSTILE, **URL_PARAMS}),
        ("about_page", URL_PARAMS),
        ("submit_page", {"form": HOSTILE, **URL_PARAMS}),
    ],
)
def test_pages_show_hostile_records_and_urls_literally(
    hostile_ids: dict[str, str], module: str, params: dict[str, str]
) -> None:
    _assert_escaped(run_page(module, **params))


def test_the_finder_lists_the_hostile_building_literally(hostile_ids: dict[str, str]) -> None:
    at = run_page("finder_page", lat="51.47868", lon="7.22326", place="Bochum Hbf", radius="2000")
    shown = [str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel()]
    assert HOSTILE in shown, "the list shows the building (as data, not Markdown)"
    _assert_escaped(at)


def test_the_check_catches_live_markdown() -> None:
    """The patterns find what an unescaped text would render."""
    assert any(p.search(HOSTILE) for p in LIVE)
    escaped = HOSTILE.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")
    escaped = escaped.replace("$", r"\$")
    assert not any(p.search(escaped) for p in LIVE)
