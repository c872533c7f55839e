"""The submissions page ("Mitmachen") driven by AppTest: open, pin, fill and send a form."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.i18n import t
from heimatruhr_geo.store import Filters, Store
from tests.support.apptest import rerun, run_page, successes

ESSEN_PIN = (51.4556, 7.0116)
DORTMUND_PIN = (51.5136, 7.4653)
"""(lat, lon) of a click on the form's map."""
PLACEHOLDER = "Platzhalter"
"""The title of the record a test stores first, so that the app seeds no demo data."""
SPACE = {"title": "Atelier am Kanal", "project_type": "studio", "contact_email": "ana@example.org"}
VACANT = {
    "title": "Alte Schlosserei",
    "building_type": "industrial",
    "floors": "2",
    "floor_area_m2": "350,5",
    "available_from": date(2027, 3, 1),
    "power": True,
    "contact_name": "Ben",
}


def run(lang: str = "de", layer: str = "spaces") -> AppTest:
    """Open the page in ``lang`` with the form of ``layer`` chosen."""
    at = run_page("submit_page", lang=lang)
    if layer != "spaces":
        at.radio(key="submit_kind").set_value(layer)
        rerun(at)
    return at


def pin(at: AppTest, layer: str, point: tuple[float, float]) -> AppTest:
    """Click the map of ``layer``'s form at ``(lat, lon)``, as streamlit-folium reports it."""
    at.session_state[f"{layer}_loc_map"] = {"last_clicked": {"lat": point[0], "lng": point[1]}}
    return rerun(at)


def fill(at: AppTest, layer: str, **values: Any) -> AppTest:
    """Set form fields by name (selectboxes, dates, text areas and text inputs)."""
    for name, value in values.items():
        key = f"{layer}_{name}"
        if name in ("street", "postcode", "city"):
            at.text_input(key=f"{layer}_loc_{name}").set_value(value)
        elif name.endswith("_type") or name in ("power", "water", "heating", "step_free"):
            at.selectbox(key=key).set_value(value)
        elif name.startswith("available_"):
            at.date_input(key=key).set_value(value)
        elif name == "description":
            at.text_area(key=key).set_value(value)
        else:
            at.text_input(key=key).set_value(value)
    return at


def submit(at: AppTest, layer: str = "spaces") -> AppTest:
    """Press the form's send button."""
    at.button(key=f"{layer}_submit").click()
    return rerun(at)


def records(store: Store, layer: str, *, public: bool = False) -> pd.DataFrame:
    """The stored records of ``layer`` but the placeholder."""
    frame = store.query(layer, Filters(), public=public)
    return frame[frame["title"] != PLACEHOLDER]


def thanked(at: AppTest, lang: str = "de") -> bool:
    """Whether the page thanked for exactly one submission."""
    head = t("submit_thanks", lang).split("{")[0]
    return len(successes(at)) == 1 and successes(at)[0].startswith(head)
