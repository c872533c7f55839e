"""The embedded map: ``/karte?embed=true&municipalities=…`` in another site's ``<iframe>``.

Streamlit's ``?embed=true`` hides its own toolbar, header and footer; Streamlit keeps
``embed`` out of ``st.query_params`` and reports it as ``st.context.is_embedded``. The
app then draws no navigation and no language switch (:func:`is_embedded` in ``app.py``)
and the map page only the map of the URL's selection (:func:`heimatruhr_geo.ui.map_page.render`).
:func:`offer_snippet` shows the ``<iframe>`` code of a selection (planners' page).
"""

from __future__ import annotations

import streamlit as st

from heimatruhr_geo.i18n import t
from heimatruhr_geo.viewstate import View, embed_url, iframe_snippet

PAGE_PATHS = ("karte", "planung", "raumsuche", "umfrage", "mitmachen", "impressum", "moderation")
"""The app's page paths (``app.py``), stripped from the page URL to find the app's root."""


EMBED_CSS = """<style>
/* In a frame every pixel is the host page's: no space above the map (the app's phone
   rule in layout.PHONE_CSS adds some for Streamlit's header, which embed=true hides). */
.stMainBlockContainer { padding-top: 0.25rem !important; padding-bottom: 0.5rem !important; }
</style>"""


def page_style() -> None:
    """Add the embedded page's layout rules (once per run, before the map)."""
    st.html(EMBED_CSS)


def is_embedded() -> bool:
    """Return whether the page was opened with ``?embed=true`` (an ``<iframe>``)."""
    return bool(st.context.is_embedded)


def app_root(page_url: str | None) -> str:
    """Return the app's root URL from the current page's URL (``st.context.url``).

    Examples
    --------
    >>> app_root("https://example.org/heimatruhr/planung")
    'https://example.org/heimatruhr'
    >>> app_root(None)
    ''
    """
    url = (page_url or "").rstrip("/")
    head, _, last = url.rpartition("/")
    return head if last in PAGE_PATHS and "://" in head else url


def offer_snippet(view: View, lang: str) -> None:
    """Show the embed URL and ``<iframe>`` code of ``view`` in a closed expander."""
    # Without a browser URL (tests) the snippet holds the path only.
    url = embed_url(app_root(st.context.url), view)
    with st.expander(t("place_embed_title", lang)):
        st.caption(t("place_embed_help", lang))
        st.code(iframe_snippet(url, t("place_embed_iframe_title", lang)), language="html")
        st.text(t("place_embed_url", lang))
        st.code(url, language=None)
