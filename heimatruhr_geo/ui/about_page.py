"""About, imprint, privacy and the accessibility statement.

The programme, the data sources and their licences, and the operator of this installation
(configurable, shown as plain text).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.formatting import format_date
from heimatruhr_geo.i18n import t
from heimatruhr_geo.labels.a11y import OMBUDS_EMAIL, OMBUDS_URL
from heimatruhr_geo.operator import FIELDS, VARIABLES, Operator
from heimatruhr_geo.ui import resources
from heimatruhr_geo.ui.common import plain

STATEMENT_DATE = dt.date(2026, 11, 29)
"""When the accessibility statement was last reviewed; update it with the statement."""


def render() -> None:
    """Draw the about / imprint / privacy / accessibility page."""
    lang = st.session_state.get("lang", "de")
    operator = current_operator()
    st.title(t("about_title", lang))
    st.markdown(t("about_programme", lang))
    st.subheader(t("sources_title", lang))
    st.markdown(t("sources_text", lang).format(attribution=ATTRIBUTION))
    st.subheader(t("privacy_title", lang))
    st.markdown(t("privacy_text", lang))
    st.markdown(t("privacy_controller", lang))
    operator_block(operator, lang)
    st.subheader(t("imprint_title", lang))
    st.markdown(t("imprint_text", lang))
    operator_block(operator, lang, warn=True)
    accessibility_statement(operator, lang)


def current_operator() -> Operator:
    """Return the operator: the settings' values, gaps filled from the secrets."""
    return Operator.from_settings(resources.settings(), secret_operator())


def secret_operator() -> dict[str, str]:
    """Return ``st.secrets["operator"]`` (empty when there are no secrets)."""
    try:
        section = st.secrets.get("operator")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return {}
    if not section:
        return {}
    return {str(k): str(v) for k, v in dict(section).items()}


def operator_block(operator: Operator, lang: str, *, warn: bool = False) -> None:
    """Show the operator's name, address, e-mail and phone, escaped; placeholders say so.

    With ``warn``, a missing required value also gets a notice for the operator.
    """
    if warn and operator.missing():
        st.warning(plain(t("operator_unset", lang)))
    lines = []
    for name in FIELDS:
        value = getattr(operator, name)
        if name == "phone" and not value:
            continue  # optional: no placeholder
        if not value:
            shown = plain(t("operator_placeholder", lang).format(variable=VARIABLES[name]))
        elif name == "email" and operator.email_link():
            shown = f"[{plain(value)}]({operator.email_link()})"
        else:
            shown = plain(value)
        lines.append(f"**{t(f'operator_{name}', lang)}:** {shown}")
    st.markdown("  \n".join(lines))


def accessibility_statement(operator: Operator, lang: str) -> None:
    """Show the accessibility statement (BITV 2.0 / BITV NRW) with its feedback contact."""
    st.subheader(t("a11y_title", lang))
    who = plain(operator.name) if operator.name else t("operator_unknown", lang)
    st.markdown(t("a11y_intro", lang).format(operator=who))
    for part in ("status", "limits"):
        st.markdown(f"#### {t(f'a11y_{part}_title', lang)}")
        st.markdown(t(f"a11y_{part}", lang))
    st.markdown(f"#### {t('a11y_feedback_title', lang)}")
    st.markdown(t("a11y_feedback", lang))
    operator_block(operator, lang)
    st.markdown(f"#### {t('a11y_enforcement_title', lang)}")
    st.markdown(t("a11y_enforcement", lang).format(url=OMBUDS_URL, email=OMBUDS_EMAIL))
    st.markdown(f"#### {t('a11y_basis_title', lang)}")
    st.markdown(t("a11y_basis", lang).format(date=format_date(STATEMENT_DATE, lang)))
