"""heimatruhr – the Streamlit app. Start it with ``streamlit run app.py``.

Thin: it sets up the page, the language and the navigation; each page lives in
``heimatruhr_geo.ui`` and asks the core for everything it shows.

The same process serves the open-data API at ``/api`` (``docs/api.md``): ``streamlit run``
finds the module-level ``app = st.App(...)`` below, imports this file as a module and
serves that ASGI app (the API's routes first, then Streamlit's), whose lifespan builds the
first page's data while the first browser loads (``heimatruhr_geo.ui.warmup``); Streamlit
runs this file as the page script (as ``__main__``) for every session.
"""

from __future__ import annotations

import logging
from typing import Any

import streamlit as st

from heimatruhr_geo.ui import warmup

# The url_path of the hidden page behind "/"; every visible page has its own path. (A
# comment, not a docstring: Streamlit's "magic" would draw a bare string on every page.)
ROOT_PAGE = "start"

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def main() -> None:
    """Configure the page and run the selected one."""
    # Imported here, not at the top: `streamlit run` imports this file to find `app`,
    # and the server should answer before these seconds of imports (see warmup).
    from heimatruhr_geo.i18n import t
    from heimatruhr_geo.ui import (
        about_page,
        embed,
        finder_page,
        guard,
        layout,
        map_page,
        moderation_page,
        planner_page,
        resources,
        state,
        submit_page,
        survey_page,
    )

    # An embedded map (?embed=true, see docs/embed.md) has no navigation, no language
    # switch and no other page: only the map of the URL's selection.
    embedded = embed.is_embedded()
    lang = state.language(switch=not embedded)
    st.query_params["lang"] = lang
    st.set_page_config(page_title=t("title", lang), page_icon="🗺️", layout="wide")
    guard.hide_honeypots()
    layout.page_style()
    resources.open_store(lang)  # a first start seeds demo data: say so while it runs
    resources.sync_data_version()  # one indexed row: renew the page caches if data changed
    pages = [
        # The root URL shows the map through a hidden default page: Streamlit serves a page
        # with default=True only at "/" (its url_path then answers "Page not found"), and
        # /karte must work too, e.g. in shared links.
        st.Page(
            map_page.render,
            title=t("nav_map", lang),
            url_path=ROOT_PAGE,
            default=True,
            visibility="hidden",
        ),
        st.Page(map_page.render, title=t("nav_map", lang), url_path="karte"),
        st.Page(planner_page.render, title=t("nav_planner", lang), url_path="planung"),
        st.Page(finder_page.render, title=t("nav_finder", lang), url_path="raumsuche"),
        st.Page(survey_page.render, title=t("nav_survey", lang), url_path="umfrage"),
        st.Page(submit_page.render, title=t("nav_submit", lang), url_path="mitmachen"),
        st.Page(about_page.render, title=t("nav_about", lang), url_path="impressum"),
        st.Page(moderation_page.render, title=t("nav_moderation", lang), url_path="moderation"),
    ]
    if embedded:
        st.navigation(pages[:2], position="hidden").run()
    else:
        st.navigation(pages).run()


if __name__ == "__main__":  # the page script run by Streamlit (and by AppTest)
    main()
else:  # imported by `streamlit run` (or uvicorn): the ASGI app with the API's routes first,
    # warmed up at its start; the API is built by the warm-up or its first request
    from heimatruhr_geo.api import mount

    def _api() -> Any:
        from heimatruhr_geo.api.routes import create_app
        from heimatruhr_geo.api.service import ApiService
        from heimatruhr_geo.config import Settings
        from heimatruhr_geo.ui.about_page import secret_operator

        return create_app(ApiService(Settings.from_env(), operator_secrets=secret_operator))

    api = warmup.Deferred(_api)
    app = st.App(
        __file__,
        routes=mount(api),
        lifespan=warmup.lifespan,
    )
