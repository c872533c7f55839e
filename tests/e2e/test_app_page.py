"""The app script run headless by Streamlit's AppTest (no browser; the map iframe is not drawn)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.i18n import t

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 60


def test_page_shows_title_intro_and_attribution() -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert at.title[0].value == t("title", "de")
    assert any(ATTRIBUTION in c.value for c in at.caption)
    assert at.query_params["lang"] == "de"


def test_language_switch_is_mirrored_into_the_url() -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S).run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == t("title", "en")
    assert at.query_params["lang"] == "en"


def test_language_is_read_from_the_url_and_bad_values_fall_back() -> None:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.query_params["lang"] = "en"
    assert at.run().title[0].value == t("title", "en")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.query_params["lang"] = "<b>xx</b>"
    at.run()
    assert not at.exception
    assert at.title[0].value == t("title", "de")
