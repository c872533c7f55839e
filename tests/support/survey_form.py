"""The survey page driven by AppTest: open, fill and send the questionnaire."""

from __future__ import annotations

from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.i18n import t
from heimatruhr_geo.store import Filters, Store
from tests.support.apptest import rerun, run_page

SELM = "05978032"
VALID = {
    "discipline": "music",
    "ags": SELM,
    "identity_rating": 4,
    "space_rating": 2,
    "identity_text": "Die alte Zeche <b>{{7*7}}</b>",
}
"""A complete answer (with markup that must stay text)."""


def run(lang: str = "de") -> AppTest:
    """Open the survey page in ``lang``."""
    return run_page("survey_page", lang=lang)


def fill(at: AppTest, **values: Any) -> AppTest:
    """Fill the form: ``discipline, ags``, ratings and texts by question key."""
    for key, value in values.items():
        widget_key = f"survey_{key}"
        if key in ("discipline", "ags"):
            at.selectbox(key=widget_key).set_value(value)
        elif key.endswith("_rating"):
            at.radio(key=widget_key).set_value(value)
        else:
            at.text_area(key=widget_key).set_value(value)
    return at


def submit(at: AppTest, lang: str = "de") -> AppTest:
    """Press the survey's send button."""
    button = next(b for b in at.button if b.label == t("survey_submit", lang))
    button.click()
    return rerun(at)


def survey_records(store: Store) -> pd.DataFrame:
    """Every stored survey response, published or not."""
    return store.query("survey", Filters(), public=False)
