"""The ``/api`` routes of the app's process: the one place that hands the API to ``st.App``.

``app.py`` builds ``st.App(…, routes=api_routes())`` from this; the API itself
(:mod:`heimatruhr_geo.api`) imports no Streamlit. The operator's gaps are filled from the
app's secrets, read when the catalogue asks (Streamlit loads them at start-up).
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from heimatruhr_geo.api.routes import streamlit_routes
from heimatruhr_geo.api.service import ApiService
from heimatruhr_geo.config import Settings
from heimatruhr_geo.ui.about_page import secret_operator


def api_routes() -> list[BaseRoute]:
    """Return the routes that serve the API at ``/api`` in this process."""
    return streamlit_routes(ApiService(Settings.from_env(), operator_secrets=secret_operator))
