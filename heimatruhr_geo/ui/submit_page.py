"""Submissions: propose a creative space or report a vacant building (page ``/mitmachen``).

A radio chooses the form. Above the form, the location picker; in it the fields, the
contact fields with the privacy notice, the hidden honeypot and the submit button. The
button's callback checks the submission (:func:`heimatruhr_geo.submissions.submission_from_form`),
the honeypot and the session limit, and stores a valid one as ``pending``; the page then
shows each problem under its field and, under the button, a list naming every field, or
the confirmation. User text is never rendered as markdown or HTML here.

``?form=vacant`` (or ``spaces``) in the URL opens that form first.

Widget keys: ``submit_kind`` (radio: ``spaces`` / ``vacant``); form fields
``<layer>_<field>`` (e.g. ``spaces_title``, ``vacant_building_type``); the address
``<layer>_loc_street`` / ``_postcode`` / ``_city``, the button ``<layer>_loc_find`` and
the map ``<layer>_loc_map``; the honeypot ``homepage_url_<layer>``; the submit button
``<layer>_submit``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any, Literal

import streamlit as st

from heimatruhr_geo.abuse import HONEYPOT_KEY, Verdict, honeypot_filled
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.i18n import LANGUAGES, normalize_language, t
from heimatruhr_geo.models import (
    AVAILABILITY,
    CONTACT_RETENTION_DAYS,
    FACILITIES,
    MAX_SHORT,
    MAX_TEXT,
    MAX_TITLE,
    BuildingType,
    OwnerType,
    ProjectType,
    Record,
    RentBand,
    VacancyDegree,
    VacantSince,
    label,
)
from heimatruhr_geo.spatial import default_index
from heimatruhr_geo.submissions import (
    ADDRESS_FIELDS,
    CONTACT_FIELDS,
    FIELDS,
    FORM_LAYERS,
    LOCATION,
    REQUIRED,
    FormLayer,
    Location,
    field_label,
    problem_lines,
    submission_from_form,
)
from heimatruhr_geo.ui import resources
from heimatruhr_geo.ui.guard import check_submission, honeypot_field, limit_message
from heimatruhr_geo.ui.location_picker import (
    address_values,
    clear_location,
    current_location,
    location_picker,
    settle_location,
)

KIND_KEY = "submit_kind"
CHOICES: dict[str, type[StrEnum]] = {
    "project_type": ProjectType,
    "building_type": BuildingType,
    "owner_type": OwnerType,
    "vacant_since": VacantSince,
    "degree": VacancyDegree,
    "rent_band": RentBand,
}
YES_NO = FACILITIES
DATES = AVAILABILITY
NUMBERS = ("floors", "floor_area_m2")
LONG_TEXTS = {"description": MAX_TEXT}
MAX_CHARS = {"title": MAX_TITLE, "website": 300}
DATE_FORMAT = {"de": "DD.MM.YYYY", "en": "YYYY-MM-DD"}


@dataclass(frozen=True)
class Outcome:
    """What became of the last submission of a form (kept in the session state).

    Problems and the message are kept in every language, so that they follow a switch.
    """

    status: Literal["stored", "errors", "limited"]
    reference: str = ""
    problems: dict[str, dict[str, str]] = field(default_factory=dict)
    """Language -> field -> message."""
    message: dict[str, str] = field(default_factory=dict)
    """Language -> message (``limited``)."""
    location: Location | None = None
    """The place chosen when the problems were found (a new place settles their ``location``)."""


def render() -> None:
    """Draw the submissions page: the choice of form, the location and the form."""
    lang = st.session_state.get("lang", "de")
    st.title(t("submit_title", lang))
    st.write(t("submit_intro", lang))
    if KIND_KEY not in st.session_state and st.query_params.get("form") in FORM_LAYERS:
        st.session_state[KIND_KEY] = st.query_params["form"]  # a link may open either form
    layer: FormLayer = st.radio(
        t("submit_kind", lang),
        options=FORM_LAYERS,
        format_func=lambda key: t(f"submit_kind_{key}", lang),
        horizontal=True,
        key=KIND_KEY,
    )
    outcome = _settled(layer, settle_location(picker_prefix(layer)))
    problems = outcome.problems.get(lang, {}) if isinstance(outcome, Outcome) else {}
    location_picker(picker_prefix(layer), lang, problems)
    _form(layer, lang, problems)
    if isinstance(outcome, Outcome):
        _show_outcome(layer, outcome, lang)


def _settled(layer: str, location: Location | None) -> Outcome | None:
    """Return the last outcome of form ``layer``, minus a location problem settled since.

    A place chosen after the submission settles its ``location`` problem; the outcome is
    forgotten if nothing else was wrong.
    """
    key = _outcome_key(layer)
    outcome = st.session_state.get(key)
    if not isinstance(outcome, Outcome) or outcome.status != "errors":
        return outcome if isinstance(outcome, Outcome) else None
    if location is None or location == outcome.location:
        return outcome
    problems = {
        code: {name: text for name, text in found.items() if name != LOCATION}
        for code, found in outcome.problems.items()
    }
    if not any(problems.values()):
        st.session_state.pop(key, None)
        return None
    st.session_state[key] = replace(outcome, problems=problems, location=location)
    return st.session_state[key]  # type: ignore[no-any-return]


def picker_prefix(layer: str) -> str:
    """Return the key prefix of the location picker of form ``layer``."""
    return f"{layer}_loc"


def widget_key(layer: str, name: str) -> str:
    """Return the widget key of field ``name`` in form ``layer``."""
    return f"{layer}_{name}"


def _outcome_key(layer: str) -> str:
    return f"{layer}_outcome"


# ---------------------------------------------------------------------------- the form


def _form(layer: FormLayer, lang: str, problems: dict[str, str]) -> None:
    with st.form(f"{layer}_form"):
        st.subheader(t(f"submit_form_{layer}", lang))
        for name in FIELDS[layer]:
            if name in ADDRESS_FIELDS:
                continue  # asked by the location picker
            if name == CONTACT_FIELDS[0]:
                st.subheader(t("submit_contact_title", lang))
                st.info(t("submit_privacy", lang).format(days=CONTACT_RETENTION_DAYS))
            _widget(layer, name, lang)
            if name in problems:
                st.error(problems[name])
        honeypot_field(layer, lang)
        st.form_submit_button(
            t(f"submit_send_{layer}", lang),
            type="primary",
            key=f"{layer}_submit",
            on_click=_on_submit,
            args=(layer,),
        )


def _widget(layer: FormLayer, name: str, lang: str) -> None:
    """Draw the widget of one field (its value is read from the session state on submit)."""
    text = field_label(name, lang)
    if name not in REQUIRED[layer]:
        text = f"{text} {t('submit_optional', lang)}"
    key = widget_key(layer, name)
    if name in CHOICES:
        enum = CHOICES[name]
        st.selectbox(
            text,
            options=[member.value for member in enum],  # type: ignore[attr-defined]
            format_func=lambda v: label(enum(v), lang),
            index=None,
            placeholder=t("submit_choose", lang),
            key=key,
        )
    elif name in YES_NO:
        st.selectbox(
            text,
            options=[True, False],
            format_func=lambda v: t("submit_yes" if v else "submit_no", lang),
            index=None,
            placeholder=t("submit_unknown", lang),
            key=key,
        )
    elif name in DATES:
        st.date_input(text, value=None, format=DATE_FORMAT[lang], key=key)
    elif name in NUMBERS:
        st.text_input(text, placeholder=t("submit_number_placeholder", lang), max_chars=20, key=key)
    elif name in LONG_TEXTS:
        st.text_area(text, max_chars=LONG_TEXTS[name], key=key)
    else:
        st.text_input(text, max_chars=MAX_CHARS.get(name, MAX_SHORT), key=key)


# ---------------------------------------------------------------------------- submitting


def _on_submit(layer: FormLayer) -> None:
    """Check and store a submission (runs before the page is drawn again).

    A callback runs before the language switch has checked its value, so the language is
    normalized here: a forged widget state must not reach the label lookup.
    """
    lang = normalize_language(str(st.session_state.get("lang") or ""))
    honeypot = str(st.session_state.get(f"{HONEYPOT_KEY}_{layer}") or "")
    if honeypot_filled(honeypot):  # a bot: store nothing, confirm as usual
        _finish(layer, Outcome("stored", reference=uuid.uuid4().hex))
        return
    record, problems = _check(layer, lang)
    if record is None:
        where = current_location(picker_prefix(layer))
        st.session_state[_outcome_key(layer)] = Outcome("errors", problems=problems, location=where)
        return
    if check_submission(honeypot) is Verdict.LIMITED:
        message = {code: limit_message(code) for code in LANGUAGES}
        st.session_state[_outcome_key(layer)] = Outcome("limited", message=message)
        return
    try:
        resources.store().add(record)
    except InputError:  # the store's own check of the point: tell, store nothing
        outside = {code: {LOCATION: t("submit_err_outside", code)} for code in LANGUAGES}
        where = current_location(picker_prefix(layer))
        st.session_state[_outcome_key(layer)] = Outcome("errors", problems=outside, location=where)
        return
    _finish(layer, Outcome("stored", reference=record.id))


def _check(layer: FormLayer, lang: str) -> tuple[Record | None, dict[str, dict[str, str]]]:
    """Check the form's values: the record, or the problems in every language."""
    prefix = picker_prefix(layer)
    values: dict[str, Any] = {
        name: _value(st.session_state.get(widget_key(layer, name)))
        for name in FIELDS[layer]
        if name not in ADDRESS_FIELDS
    }
    values.update(address_values(prefix))
    index = default_index(resources.settings().data_dir, resources.settings().cache_dir)
    location = current_location(prefix)
    result = submission_from_form(layer, values, location, lang, index=index)
    if result.record is not None:
        return result.record, {}
    return None, {
        code: submission_from_form(layer, values, location, code, index=index).problems
        for code in LANGUAGES
    }


def _value(value: Any) -> Any:
    """Return a widget value as the checks expect it (dates stay dates, text stays text)."""
    return value if isinstance(value, str | bool | date) or value is None else str(value)


def _finish(layer: FormLayer, outcome: Outcome) -> None:
    """Keep the confirmation and empty the form and the location for the next one."""
    st.session_state[_outcome_key(layer)] = outcome
    for name in FIELDS[layer]:
        if name not in ADDRESS_FIELDS:  # set, not deleted: the browser keeps deleted values
            st.session_state[widget_key(layer, name)] = _empty(name)
    clear_location(picker_prefix(layer))


def _empty(name: str) -> str | None:
    """Return the value of field ``name``'s widget when nothing is entered."""
    return None if name in CHOICES or name in YES_NO or name in DATES else ""


def _show_outcome(layer: FormLayer, outcome: Outcome, lang: str) -> None:
    if outcome.status == "stored":
        st.success(t("submit_thanks", lang).format(reference=outcome.reference))
        st.session_state.pop(_outcome_key(layer), None)  # shown once
    elif outcome.status == "limited":
        st.warning(outcome.message.get(lang, ""))
        st.session_state.pop(_outcome_key(layer), None)
    else:
        st.error(t("submit_errors", lang))
        for line in problem_lines(outcome.problems.get(lang, {}), lang):
            st.error(line)
