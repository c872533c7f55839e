"""Streamlit pages. Only this package and ``app.py`` import streamlit.

Each page module has one ``render()`` function; the pages read and write the shared view
(filters, language) through :mod:`heimatruhr_geo.ui.state` and get data through the cached
resources of :mod:`heimatruhr_geo.ui.resources`.
"""
