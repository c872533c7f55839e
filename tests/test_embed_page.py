"""The embedded map and the embed snippet, run headless by Streamlit's AppTest.

AppTest sends no browser context, so ``st.context.is_embedded`` is ``None`` there: the tests
switch embed mode on through ``heimatruhr_geo.ui.embed.is_embedded``. The browser test
(tests/e2e/test_embed_browser.py) opens the real ``?embed=true``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.i18n import t
from heimatruhr_geo.ui import embed
from heimatruhr_geo.viewstate import View, embed_url, iframe_snippet
from tests.support.apptest import TIMEOUT_S, rerun, run_page

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BOCHUM = "05911000"


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embed, "is_embedded", lambda: True)


def _app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in params.items():
        at.query_params[key] = value
    return rerun(at)


def test_embedded_app_shows_the_map_only(embedded: None) -> None:
    at = _app(municipalities=BOCHUM, lang="en")
    assert not at.title and not at.text_input and not at.radio and not at.button
    assert not at.sidebar.children, "no language switch, no navigation"
    assert any(ATTRIBUTION in c.value for c in at.caption)
    assert not at.warning
    assert at.query_params["municipalities"] == BOCHUM, "the selection stays in the URL"


@pytest.mark.parametrize(
    "params",
    [
        {"municipalities": "[x](https://evil.example)", "years": "abc"},
        {"layers": "<script>alert(1)</script>", "measure": "**x**", "lang": "xx"},
        {"detail": "../../etc/passwd", "counties": "0" * 5000},
        {"statuses": "rejected,withdrawn", "bogus": "1"},
    ],
)
def test_hostile_parameters_are_ignored_with_a_plain_message(
    embedded: None, params: dict[str, str]
) -> None:
    at = _app(**params)
    assert [w.value for w in at.warning] == [t("place_embed_url_ignored", "de")]
    (problems,) = [x.value for x in at.text if "ignored" in x.value]
    assert "was ignored" in problems or "unknown" in problems
    assert any(ATTRIBUTION in c.value for c in at.caption), "the map is still drawn"


def test_the_full_map_page_applies_the_same_selection_without_hiding_anything() -> None:
    at = _app(municipalities=BOCHUM)
    assert at.title[0].value == t("title", "de")
    assert at.text_input, "the search box is there"
    table = at.dataframe[0].value
    assert set(table[t("field_municipality", "de")]) == {"Bochum"}
    assert t("place_map_selection", "de") in [i.value for i in at.info]
    at.button(key="map_show_all").click().run()
    assert not at.exception, at.exception
    assert "municipalities" not in at.query_params
    table = at.dataframe[0].value
    assert len(set(table[t("field_municipality", "de")])) > 1, "the whole region again"
    assert t("place_map_selection", "de") not in [i.value for i in at.info]


def test_planner_offers_the_snippet_of_its_selection() -> None:
    at = run_page("planner_page", municipalities=BOCHUM)
    codes = [c.value for c in at.code]
    # AppTest has no browser URL: the snippet holds the path; a browser gets the full URL
    url = "/karte?embed=true&municipalities=05911000"
    assert url in codes
    assert iframe_snippet(url, t("place_embed_iframe_title", "de")) in codes


def test_embed_url_and_snippet() -> None:
    view = View(
        municipalities=("05911000", "05916000"),
        programs=("A,B",),
        layers=("vacant",),
        lang="en",
        detail="x1",
    )
    url = embed_url("https://karte.example/heimatruhr/", view)
    assert url == (
        "https://karte.example/heimatruhr/karte?embed=true&lang=en&layers=vacant"
        "&municipalities=05911000,05916000&programs=A%252CB"
    )
    parsed, problems = View.from_query_params(
        {
            "lang": "en",
            "layers": "vacant",
            "municipalities": "05911000,05916000",
            "programs": "A%2CB",
        }
    )
    assert problems == [] and parsed == view.with_changes(detail="")
    snippet = iframe_snippet('https://x.example/karte?a="b"&c=<d>', 'T "1" <2>', height=400)
    assert 'src="https://x.example/karte?a=&quot;b&quot;&amp;c=&lt;d&gt;"' in snippet
    assert 'title="T &quot;1&quot; &lt;2&gt;"' in snippet and 'height="400"' in snippet


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("http://localhost:8501/planung", "http://localhost:8501"),
        ("https://example.org/heimatruhr/karte", "https://example.org/heimatruhr"),
        ("https://example.org/heimatruhr", "https://example.org/heimatruhr"),
        ("http://localhost:8501/", "http://localhost:8501"),
        ("", ""),
    ],
)
def test_app_root(url: str, root: str) -> None:
    assert embed.app_root(url) == root
