"""Moderation (page ``/moderation``): sign-in, queue, status and funding, data, audit log.

Before a valid sign-in the page shows the sign-in form and nothing else. Failed sign-ins
are counted in the database per client and per user name
(:class:`heimatruhr_geo.auth.SignInGuard`); a locked-out form is disabled and says how
long to wait. User text is
shown only through ``st.text``, ``st.dataframe``, ``st.code`` and widget values, never as
markdown or HTML.

Widget keys: ``mod_username``, ``mod_password``, ``mod_sign_in`` (sign-in button),
``mod_sign_out``; the queue search ``mod_queue_find`` (an id or part of a title); per
queue item ``<id>``: ``mod_publish_<id>``, ``mod_reason_<id>``,
``mod_reject_<id>``, the toggle ``mod_editing_<id>`` that opens the edit form, its fields
``mod_edit_<id>_<field>`` and its button ``mod_save_<id>``; the project choice
``mod_project`` and, per project, its status and funding fields ``mod_fund_<id>_<field>``
(``status``, ``funding_program``, ``funding_amount_eur``, ``funding_year``) with the
button ``mod_fund_save_<id>``; personal data: ``mod_erase_who``, ``mod_erase_button``,
``mod_purge_button``. An approximate location adds a map and a pin
(:mod:`heimatruhr_geo.ui.moderation_place`).
"""

from __future__ import annotations

import logging
import numbers
from typing import Any

import pandas as pd
import streamlit as st

from heimatruhr_geo.auth import Moderators, SignInGuard
from heimatruhr_geo.errors import HeimatruhrError, InputError, NotFound
from heimatruhr_geo.formatting import format_number, format_wait
from heimatruhr_geo.i18n import t, tn
from heimatruhr_geo.models import CONTACT_RETENTION_DAYS, Moderation
from heimatruhr_geo.moderation import (
    EDIT_LAYERS,
    FUNDING_FIELDS,
    QUEUE_LAYERS,
    QueueItem,
    audit_table,
    display_value,
    edit_widgets,
    field_name,
    field_rows,
    form_default,
    form_input,
    project_choices,
    queue_items,
    select_options,
)
from heimatruhr_geo.store import Filters
from heimatruhr_geo.ui import client, moderation_place, resources

logger = logging.getLogger(__name__)

USER = "mod_user"
"""Session key of the signed-in moderator's name."""
USERNAME_KEY = "mod_username"
PASSWORD_KEY = "mod_password"
SIGN_IN_KEY = "mod_sign_in"
SIGN_OUT_KEY = "mod_sign_out"
FIND_KEY = "mod_queue_find"
QUEUE_SHOWN = 20
"""Pending records shown per layer at a time (oldest first; the search finds others)."""
AUDIT_SHOWN = 200
_NOTICE = "mod_notice"
_LAST_NAME = "mod_last_name"


def publish_key(record_id: str) -> str:
    """Return the key of the publish button of queue item ``record_id``."""
    return f"mod_publish_{record_id}"


def reject_key(record_id: str) -> str:
    """Return the key of the reject button of queue item ``record_id``."""
    return f"mod_reject_{record_id}"


def reason_key(record_id: str) -> str:
    """Return the key of the reason field of queue item ``record_id``."""
    return f"mod_reason_{record_id}"


def edit_key(record_id: str, name: str) -> str:
    """Return the key of field ``name`` in the edit form of ``record_id``."""
    return f"mod_edit_{record_id}_{name}"


def fund_key(record_id: str, name: str) -> str:
    """Return the key of field ``name`` in the status and funding form of ``record_id``."""
    return f"mod_fund_{record_id}_{name}"


def guard() -> SignInGuard:
    """Return the sign-in guard on the app's database (failures counted there)."""
    return SignInGuard(resources.limiter())


@st.cache_resource(show_spinner=False)
def _team(env_text: str, secret_pairs: tuple[tuple[str, str], ...]) -> Moderators:
    """Return the moderators of this configuration (cached: the dummy hash is made once)."""
    team = Moderators.parse(env_text)
    return team.merged(Moderators.from_mapping(dict(secret_pairs)))


def render() -> None:
    """Draw the moderation page: the sign-in form, or (signed in) the moderation tools."""
    lang = st.session_state.get("lang", "de")
    st.title(t("mod_title", lang))
    try:
        team = _team(resources.settings().moderators, _secret_moderators())
    except InputError as exc:
        # The details name a moderator: the operator's log gets them, the public page not
        # (a known user name is all it takes to lock that account out by guessing).
        logger.error("moderator configuration refused: %s", exc)
        st.error(t("mod_config_error", lang))
        return
    if not len(team):
        st.warning(t("mod_no_moderators", lang))
        return
    user = _signed_in(team)
    if user is None:
        _sign_in_form(team, lang)
        return
    _signed_in_bar(user, lang)
    _show_notice(lang)
    _queue(user, lang)
    _funding_editor(user, lang)
    _personal_data(user, lang)
    _audit_log(lang)


# ---------------------------------------------------------------------------- sign-in


def _secret_moderators() -> tuple[tuple[str, str], ...]:
    """Return ``st.secrets["moderators"]`` as pairs (empty when there are no secrets)."""
    try:
        section = st.secrets.get("moderators")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return ()
    if not section:
        return ()
    return tuple(sorted((str(k), str(v)) for k, v in dict(section).items()))


def _signed_in(team: Moderators) -> str | None:
    user = st.session_state.get(USER)
    if isinstance(user, str) and user in team:
        return user
    st.session_state.pop(USER, None)  # signed out, or no longer a moderator
    return None


def _sign_in_form(team: Moderators, lang: str) -> None:
    # Only this client's own lockout disables the form; a name that strangers are guessing
    # is merely slowed down, and says so after an attempt came too early.
    wait_s = guard().wait_s(None, client.address())
    notice = st.session_state.get(_NOTICE)
    if wait_s > 0:
        st.error(
            t("trust_signin_wait", lang).format(wait=format_wait(wait_s, lang, whole_minutes=True))
        )
    elif notice == ("error", "mod_refused"):
        st.error(t("mod_refused", lang))
    elif isinstance(notice, tuple) and notice[:2] == ("error", "trust_signin_wait"):
        st.error(
            t("trust_signin_wait", lang).format(
                wait=format_wait(notice[2], lang, whole_minutes=True)
            )
        )
    with st.form("mod_sign_in_form"):
        st.subheader(t("mod_sign_in_title", lang))
        st.text_input(t("mod_username", lang), key=USERNAME_KEY, max_chars=64, disabled=wait_s > 0)
        st.text_input(
            t("mod_password", lang),
            type="password",
            key=PASSWORD_KEY,
            max_chars=256,
            disabled=wait_s > 0,
        )
        st.form_submit_button(
            t("mod_sign_in", lang),
            type="primary",
            key=SIGN_IN_KEY,
            disabled=wait_s > 0,
            on_click=_on_sign_in,
            args=(team,),
        )


def _on_sign_in(team: Moderators) -> None:
    name = str(st.session_state.get(USERNAME_KEY) or "").strip()
    password = str(st.session_state.get(PASSWORD_KEY) or "")
    st.session_state[PASSWORD_KEY] = ""  # never kept beyond this check
    st.session_state[_LAST_NAME] = name
    result = guard().attempt(team, name, password, client.address())
    if result.ok:
        st.session_state[USER] = name
        st.session_state[_NOTICE] = ("success", "mod_welcome")
        logger.info("moderator %r signed in", name)
        return
    if not result.checked:
        st.session_state[_NOTICE] = ("error", "trust_signin_wait", result.wait_s)
        logger.warning("sign-in while locked out or slowed down (user %r)", name[:64])
        return
    st.session_state[_NOTICE] = ("error", "mod_refused")
    logger.warning("failed sign-in (user %r)", name[:64])


def _signed_in_bar(user: str, lang: str) -> None:
    columns = st.columns([4, 1])
    columns[0].text(t("mod_signed_in_as", lang).format(user=user))
    columns[1].button(t("mod_sign_out", lang), key=SIGN_OUT_KEY, on_click=_on_sign_out)


def _on_sign_out() -> None:
    st.session_state.pop(USER, None)
    st.session_state.pop(_NOTICE, None)


def _notify(kind: str, key: str, detail: str = "", **values: Any) -> None:
    st.session_state[_NOTICE] = (kind, key, detail, values)


def _show_notice(lang: str) -> None:
    notice = st.session_state.pop(_NOTICE, None)
    if not isinstance(notice, tuple) or len(notice) < 2:
        return
    kind, key = notice[0], notice[1]
    detail = notice[2] if len(notice) > 2 else ""
    values = notice[3] if len(notice) > 3 else {}
    count = values.get("n")
    text = tn(key, int(count), lang) if isinstance(count, numbers.Integral) else t(key, lang)
    text = text.format(**values)  # values are numbers only, never user text
    (st.success if kind == "success" else st.error)(text)
    if detail:
        st.code(detail, language=None)  # may hold user text: shown verbatim


# ---------------------------------------------------------------------------- the queue


def _queue(user: str, lang: str) -> None:
    store = resources.store()
    counts = store.pending_counts()
    st.header(t("mod_queue", lang))
    if not any(counts.values()):
        st.info(t("mod_queue_empty", lang))
        return
    search = st.text_input(t("mod_queue_find", lang), key=FIND_KEY, max_chars=200)
    for layer in QUEUE_LAYERS:
        st.subheader(tn(f"mod_queue_{layer}", counts[layer], lang))
        frame = store.pending(layer, limit=QUEUE_SHOWN, search=search)
        if search.strip():
            st.caption(tn("mod_queue_found", len(frame), lang))
        elif counts[layer] > QUEUE_SHOWN:
            more = tn("mod_queue_more", counts[layer], lang)
            st.caption(more.format(shown=format_number(QUEUE_SHOWN, lang)))
        for item in queue_items(frame, layer, lang):
            _queue_item(item, user, lang)


def _queue_item(item: QueueItem, user: str, lang: str) -> None:
    rid = item.record_id
    with st.container(border=True, key=f"mod_item_{rid}"):
        st.text(item.title)
        _table(field_rows(item.values, item.layer, lang), lang)
        if item.layer in EDIT_LAYERS:
            moderation_place.approximate_location(rid, item.values, user, lang, _save)
        if item.layer in EDIT_LAYERS and st.toggle(t("mod_edit", lang), key=f"mod_editing_{rid}"):
            _edit_form(item, user, lang)  # built only when asked for: a form has many widgets
        left, right = st.columns(2)
        left.button(
            t("mod_publish", lang),
            key=publish_key(rid),
            type="primary",
            on_click=_on_decide,
            args=(rid, "publish", user),
        )
        right.text_input(t("mod_reason", lang), key=reason_key(rid), max_chars=1000)
        right.button(
            t("mod_reject", lang),
            key=reject_key(rid),
            on_click=_on_decide,
            args=(rid, "reject", user),
        )


def _table(rows: pd.DataFrame, lang: str) -> None:
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            "field": st.column_config.TextColumn(t("mod_col_field", lang)),
            "value": st.column_config.TextColumn(t("mod_col_value", lang)),
        },
    )


def _on_decide(record_id: str, decision: str, user: str) -> None:
    reason = str(st.session_state.get(reason_key(record_id)) or "")
    try:
        resources.store().decide(record_id, decision, user, reason)
    except (InputError, NotFound) as exc:
        key = "mod_reason_missing" if decision == "reject" and not reason.strip() else "mod_failed"
        _notify("error", key, "" if key == "mod_reason_missing" else str(exc))
        return
    resources.refresh_public_data()
    _notify("success", "mod_published" if decision == "publish" else "mod_rejected")


def _edit_form(item: QueueItem, user: str, lang: str) -> None:
    rid, layer = item.record_id, item.layer
    with st.form(f"mod_edit_form_{rid}"):
        for name, kind in edit_widgets(layer):
            _edit_widget(name, kind, item.values.get(name), edit_key(rid, name), lang)
        st.form_submit_button(
            t("mod_save", lang), key=f"mod_save_{rid}", on_click=_on_edit, args=(rid, layer, user)
        )


def _edit_widget(name: str, kind: str, value: Any, key: str, lang: str) -> None:
    text = field_name(name, lang)
    default = form_default(name, value)
    if kind == "select":
        options = select_options(name)
        st.selectbox(
            text,
            options=options,
            index=options.index(default) if default in options else 0,
            format_func=lambda v: _choice_text(name, v, lang),
            key=key,
        )
    elif kind == "yesno":
        choices: list[bool | None] = [None, True, False]
        st.selectbox(
            text,
            options=choices,
            index=choices.index(default) if default in choices else 0,
            format_func=lambda v: _choice_text("", v, lang),
            key=key,
        )
    elif kind == "area":
        st.text_area(text, value=default, max_chars=5000, key=key)
    else:
        st.text_input(text, value=default, max_chars=300, key=key)


def _choice_text(name: str, value: Any, lang: str) -> str:
    return "–" if value is None else display_value(name, value, lang)


def _on_edit(record_id: str, layer: str, user: str) -> None:
    changes = {
        name: form_input(layer, name, st.session_state.get(edit_key(record_id, name)))
        for name, _ in edit_widgets(layer)
    }
    _save(record_id, changes, user)


def _save(record_id: str, changes: dict[str, Any], user: str) -> None:
    try:
        diff = resources.store().update_record(record_id, changes, user)
    except (InputError, NotFound) as exc:
        _notify("error", "mod_invalid", str(exc))
        return
    if diff:
        resources.refresh_public_data()
    _notify("success", "mod_saved", n=len(diff))


# ---------------------------------------------------------------------------- status and funding


def _funding_editor(user: str, lang: str) -> None:
    st.header(t("mod_funding_title", lang))
    st.caption(t("mod_funding_help", lang))
    projects = resources.store().query(
        "spaces", Filters(moderation=(Moderation.PUBLISHED.value,)), public=False
    )
    if projects.empty:
        st.info(t("mod_funding_none", lang))
        return
    choices = project_choices(projects)
    rid = st.selectbox(
        t("mod_project", lang),
        options=list(choices),
        format_func=lambda key: choices.get(key, key),
        index=None,
        placeholder=t("mod_project_placeholder", lang),
        key="mod_project",
    )
    if rid is None or rid not in choices:
        return
    values = projects.set_index("id").loc[rid].to_dict()
    with st.form(f"mod_fund_form_{rid}"):
        for name in FUNDING_FIELDS:
            kind = "select" if name == "status" else "text"
            _edit_widget(name, kind, values.get(name), fund_key(rid, name), lang)
        st.form_submit_button(
            t("mod_save", lang), key=f"mod_fund_save_{rid}", on_click=_on_funding, args=(rid, user)
        )


def _on_funding(record_id: str, user: str) -> None:
    changes = {
        name: form_input("spaces", name, st.session_state.get(fund_key(record_id, name)))
        for name in FUNDING_FIELDS
    }
    _save(record_id, changes, user)


# ---------------------------------------------------------------------------- personal data


def _personal_data(user: str, lang: str) -> None:
    st.header(t("mod_erase_title", lang))
    st.caption(t("mod_erase_help", lang).format(days=CONTACT_RETENTION_DAYS))
    st.text_input(t("mod_erase_who", lang), key="mod_erase_who", max_chars=200)
    left, right = st.columns(2)
    left.button(
        t("mod_erase_button", lang), key="mod_erase_button", on_click=_on_erase, args=(user,)
    )
    right.button(
        t("mod_purge_button", lang).format(days=CONTACT_RETENTION_DAYS),
        key="mod_purge_button",
        on_click=_on_purge,
        args=(user,),
    )


def _on_erase(user: str) -> None:
    who = str(st.session_state.get("mod_erase_who") or "")
    try:
        count = resources.store().delete_contact_data(who, user)
    except InputError:
        _notify("error", "mod_erase_empty")
        return
    st.session_state["mod_erase_who"] = ""  # the address is not kept in the session
    _notify("success", "mod_erased", n=count)


def _on_purge(user: str) -> None:
    try:
        count = resources.store().purge_expired_contacts(actor=user)
    except HeimatruhrError as exc:
        _notify("error", "mod_failed", str(exc))
        return
    _notify("success", "mod_purged", n=count)


# ---------------------------------------------------------------------------- audit log


def _audit_log(lang: str) -> None:
    st.header(t("mod_audit_title", lang))
    entries = resources.store().audit_entries(limit=AUDIT_SHOWN)
    if not entries:
        st.info(t("mod_audit_empty", lang))
        return
    columns = ("at", "actor", "action", "record_id", "details")
    st.dataframe(
        audit_table(entries, lang),
        hide_index=True,
        width="stretch",
        key="mod_audit",
        column_config={c: st.column_config.TextColumn(t(f"mod_col_{c}", lang)) for c in columns},
    )
