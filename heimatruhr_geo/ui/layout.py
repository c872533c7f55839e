"""Page-wide layout rules the theme cannot express (phones first)."""

from __future__ import annotations

import streamlit as st

PHONE_CSS = """<style>
@media (max-width: 640px) {
  /* The map must start on a phone's first screen: a smaller title, less space above it. */
  .stMainBlockContainer { padding-top: 3rem; }
  .stMainBlockContainer h1 { font-size: 1.6rem; padding-top: 0.5rem; }
}
</style>"""


def page_style() -> None:
    """Add the layout rules to the page (once per run, before any page draws)."""
    st.html(PHONE_CSS)
