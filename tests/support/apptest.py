"""Run one page of the app headless with Streamlit's AppTest."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.testing.v1 import AppTest

TIMEOUT_S = 120
"""The first run of a page may seed the demo database and build the map."""


def page_app(page: str) -> AppTest:
    """Return an AppTest (not yet run) of ``heimatruhr_geo.ui.<page>`` in the app's language."""
    script = f"from heimatruhr_geo.ui import state, {page}\nstate.language()\n{page}.render()\n"
    return AppTest.from_string(script, default_timeout=TIMEOUT_S)


def run_page(page: str, *, secrets: dict[str, Any] | None = None, **params: str) -> AppTest:
    """Run ``page`` once with URL parameters ``params``; fail on an exception.

    ``secrets`` are set as ``st.secrets`` (a dict of sections or values).
    """
    at = page_app(page)
    for key, value in params.items():
        at.query_params[key] = value
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    return rerun(at)


def rerun(at: AppTest) -> AppTest:
    """Run ``at`` (again) and fail on an exception."""
    at.run()
    assert not at.exception, at.exception
    return at


def clear_app_caches() -> None:
    """Forget the app's cached settings, store and data (e.g. after changing the database)."""
    st.cache_resource.clear()
    st.cache_data.clear()


def errors(at: AppTest) -> list[str]:
    """The texts of the page's error boxes."""
    return [e.value for e in at.error]


def successes(at: AppTest) -> list[str]:
    """The texts of the page's success boxes."""
    return [s.value for s in at.success]
