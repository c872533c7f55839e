"""The page state that a URL carries: language and the selected view (filters).

On a session's first run the URL (``st.query_params``) seeds the widgets; afterwards the
widgets are the truth and every run writes the view back to the URL, so the address bar
always holds a link that restores what the user sees.
"""

from __future__ import annotations

from dataclasses import fields

import streamlit as st

from heimatruhr_geo.i18n import LANGUAGES, normalize_language, t
from heimatruhr_geo.ui import resources
from heimatruhr_geo.viewstate import LIST_FIELDS, View, municipality_names

_SEEDED = "_view_seeded"
FILTER_FIELDS = tuple(field for field in LIST_FIELDS if field != "layers")
"""View fields that have a multiselect widget (key ``f_<field>``) on the planners' page."""


def widget_key(field: str) -> str:
    """Return the session-state key of the widget that edits view field ``field``."""
    return f"f_{field}"


def language(*, switch: bool = True) -> str:
    """Show the language switch in the sidebar and return the page language.

    The first run reads ``?lang=``; unknown values fall back to German. Without
    ``switch`` (an embedded map) nothing is drawn and ``?lang=`` decides.
    """
    if "lang" not in st.session_state or not switch:
        st.session_state["lang"] = normalize_language(st.query_params.get("lang"))
    st.session_state["lang"] = normalize_language(st.session_state["lang"])
    if not switch:
        return str(st.session_state["lang"])
    st.sidebar.radio(
        t("language", st.session_state["lang"]),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key="lang",
        horizontal=True,
    )
    return str(st.session_state["lang"])


def initial_view() -> View:
    """Return the view of the URL on a session's first run, else the widgets' view.

    Problems in a shared URL (unknown values) are shown once as a warning; the rest of
    the URL is still applied.
    """
    if not st.session_state.get(_SEEDED):
        names = municipality_names(resources.settings().data_dir)
        view, problems = View.from_query_params(st.query_params.to_dict(), names)
        for field in FILTER_FIELDS:
            st.session_state[widget_key(field)] = list(getattr(view, field))
        st.session_state["measure"] = view.measure
        st.session_state[_SEEDED] = True
        st.session_state["_url_problems"] = problems
        return view
    return view_from_widgets(View())


def view_from_widgets(base: View) -> View:
    """Return ``base`` with the values the widgets currently hold."""
    known = {f.name for f in fields(View)}
    changes: dict[str, object] = {
        field: tuple(st.session_state[widget_key(field)])
        for field in FILTER_FIELDS
        if field in known and widget_key(field) in st.session_state
    }
    if "measure" in st.session_state:
        changes["measure"] = st.session_state["measure"]
    return base.with_changes(**changes)


def url_problems() -> list[str]:
    """Return (once) what was wrong in the URL the session was opened with."""
    return list(st.session_state.pop("_url_problems", []))


def publish(view: View, lang: str) -> None:
    """Write ``view`` and ``lang`` to the URL, replacing what was there."""
    params = view.to_query_params()
    params["lang"] = lang
    if dict(st.query_params.to_dict()) != params:
        st.query_params.from_dict(params)
