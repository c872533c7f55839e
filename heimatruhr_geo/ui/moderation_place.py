"""The moderation queue's check of an approximate location: where it would appear, and a pin.

A pending record placed only at a municipality's or district's centre (see
:data:`heimatruhr_geo.models.APPROXIMATE_PRECISIONS`) is marked in the queue with a warning
and the submit page's location picker (:mod:`heimatruhr_geo.ui.location_picker`), opened on
the record's current point and address. Clicking the map (or looking the address up again)
chooses a better point; "use this location" saves it as a moderator's edit (audited like
any other; the record's precision becomes ``exact``, its source ``moderator``).

Widget keys, per record ``<id>``: the picker's ``mod_place_<id>_street`` …
``mod_place_<id>_map`` and the button ``mod_place_save_<id>``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, cast

import streamlit as st

from heimatruhr_geo.i18n import t
from heimatruhr_geo.models import GeocodePrecision, is_approximate
from heimatruhr_geo.submissions import ADDRESS_FIELDS, Location
from heimatruhr_geo.ui import location_picker

Save = Callable[[str, dict[str, Any], str], None]
"""Saves changes of a record as a moderator's edit: ``(record_id, changes, user)``."""


def picker_prefix(record_id: str) -> str:
    """Return the location picker's key prefix for queue item ``record_id``."""
    return f"mod_place_{record_id}"


def save_key(record_id: str) -> str:
    """Return the key of the "use this location" button of ``record_id``."""
    return f"mod_place_save_{record_id}"


def needs_pin(values: Mapping[str, Any]) -> bool:
    """Return whether a queue item's point is only approximate (a centre, not the address)."""
    return is_approximate(values.get("geocode_precision"))


def approximate_location(
    record_id: str, values: Mapping[str, Any], user: str, lang: str, save: Save
) -> None:
    """Mark an approximate location and offer to place the pin (draw nothing otherwise).

    Parameters
    ----------
    record_id, values
        The queue item (all its stored fields).
    user
        The signed-in moderator.
    lang
        Page language.
    save
        The page's save function (audited edit, notice, refreshed public data).
    """
    if not needs_pin(values):
        return
    precision = str(values["geocode_precision"])
    st.warning(
        t("place_queue_approx", lang).format(
            precision=t(f"precision_{precision}", lang),
            where=t(f"place_where_{precision}", lang),
        ),
        icon=":material/wrong_location:",
    )
    prefix = picker_prefix(record_id)
    _seed(prefix, values, precision)
    st.caption(t("place_queue_where", lang))
    chosen = location_picker.location_picker(prefix, lang)
    better = chosen is not None and not is_approximate(chosen.precision)
    moved = chosen is not None and (chosen.lat, chosen.lon) != (values["lat"], values["lon"])
    if not (better and moved):
        st.caption(t("place_queue_pick_first", lang))
    st.button(
        t("place_queue_save", lang),
        key=save_key(record_id),
        disabled=not (better and moved),
        on_click=_on_save,
        args=(record_id, prefix, user, save),
    )


def _seed(prefix: str, values: Mapping[str, Any], precision: str) -> None:
    """Open the picker on the record's current point and address (once per session)."""
    if f"{prefix}_location" in st.session_state:
        return
    st.session_state[f"{prefix}_location"] = Location(
        lon=float(values["lon"]),
        lat=float(values["lat"]),
        ags=str(values.get("ags") or ""),
        municipality=str(values.get("municipality") or ""),
        precision=cast("GeocodePrecision", precision),  # checked by needs_pin
        source=str(values.get("geocode_source") or ""),
    )
    for name in ADDRESS_FIELDS:
        st.session_state[location_picker.address_key(prefix, name)] = str(values.get(name) or "")


def _on_save(record_id: str, prefix: str, user: str, save: Save) -> None:
    chosen = location_picker.current_location(prefix)
    if chosen is None or is_approximate(chosen.precision):
        return
    save(record_id, {"lat": chosen.lat, "lon": chosen.lon}, user)
    for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
        del st.session_state[key]
