"""About, imprint and privacy: the programme, the data sources and their licences."""

from __future__ import annotations

import streamlit as st

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.i18n import t


def render() -> None:
    """Draw the about / imprint / privacy page."""
    lang = st.session_state.get("lang", "de")
    st.title(t("about_title", lang))
    st.markdown(t("about_programme", lang))
    st.subheader(t("sources_title", lang))
    st.markdown(t("sources_text", lang).format(attribution=ATTRIBUTION))
    st.subheader(t("privacy_title", lang))
    st.markdown(t("privacy_text", lang))
    st.subheader(t("imprint_title", lang))
    st.markdown(t("imprint_text", lang))
