"""A reusable location widget: an address, geocoded and confirmed on a small map, or a pin.

The user types an address and presses "show on the map" (the geocoder chain finds it), or
clicks the map to drop a pin; either way the point is shown with a marker and the
municipality derived from it. The chosen :class:`~heimatruhr_geo.submissions.Location`
lives in the session state under ``<prefix>_location`` until :func:`clear_location`.

Widget keys (for tests): ``<prefix>_street``, ``<prefix>_postcode``, ``<prefix>_city``
(text inputs), ``<prefix>_find`` (button) and ``<prefix>_map`` (the map; its value, set by
streamlit-folium on a click, holds ``{"last_clicked": {"lat": …, "lng": …}}``).

Put it outside an ``st.form``: a form would hold back the map's clicks.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import folium
import streamlit as st
from streamlit_folium import st_folium

from heimatruhr_geo.geocoding import AddressQuery, GeocodeResult
from heimatruhr_geo.i18n import t
from heimatruhr_geo.mapview import base_map
from heimatruhr_geo.models import MAX_SHORT, GeocodePrecision
from heimatruhr_geo.submissions import ADDRESS_FIELDS, LOCATION, Location, field_label
from heimatruhr_geo.ui import resources
from heimatruhr_geo.ui.common import TRANSIENT_GEOCODER_ISSUES, plain
from heimatruhr_geo.zoomable import allow_page_zoom

MAP_HEIGHT = 320
SPAN_DEG = {"exact": 0.002, "address": 0.002, "street": 0.004, "district": 0.015}
"""Half the height of the box the map shows around a point, by precision (else 0.05)."""
MAX_CHARS = {"street": MAX_SHORT, "postcode": 5, "city": 100}
WIDTHS = (3, 1, 2)
PIN_SOURCE = "pin"
COORD_DECIMALS = 6


def location_picker(
    prefix: str, lang: str, problems: Mapping[str, str] | None = None
) -> Location | None:
    """Draw the address fields, the map and the chosen place; return the chosen location.

    Parameters
    ----------
    prefix
        Unique prefix of this picker's widget and state keys.
    lang
        Language of the texts.
    problems
        Messages from the last submission by field (``street``, ``postcode``, ``city``,
        ``location``), shown under their field.

    Returns
    -------
    Location or None
        The chosen point with its municipality, precision and source; ``None`` until
        the user has chosen one.
    """
    problems = problems or {}
    _take_click(prefix)
    st.subheader(t("submit_location_title", lang))
    st.caption(t("submit_location_help", lang))
    for column, name in zip(st.columns(WIDTHS), ADDRESS_FIELDS, strict=True):
        column.text_input(
            f"{field_label(name, lang)} {t('submit_optional', lang)}",
            key=address_key(prefix, name),
            max_chars=MAX_CHARS[name],
        )
        if name in problems:
            column.error(problems[name])
    # A callback, so that the place is chosen before the page reads the last submission.
    st.button(t("submit_find", lang), key=f"{prefix}_find", on_click=_find_address, args=(prefix,))
    notice = st.session_state.get(f"{prefix}_notice")
    if notice:
        text = t(notice, lang)
        if str(notice).startswith("place_"):  # says what was looked up (user text)
            text = text.format(query=plain(st.session_state.get(f"{prefix}_notice_query", "")))
        st.warning(text)
    location = current_location(prefix)
    _describe(location, lang)
    if LOCATION in problems:
        st.error(problems[LOCATION])
    _map(prefix, location, lang)
    return location


def address_key(prefix: str, name: str) -> str:
    """Return the widget key of address field ``name`` (street, postcode or city)."""
    return f"{prefix}_{name}"


def address_values(prefix: str) -> dict[str, str]:
    """Return what the address fields hold (``street``, ``postcode``, ``city``)."""
    return {
        name: str(st.session_state.get(address_key(prefix, name)) or "") for name in ADDRESS_FIELDS
    }


def current_location(prefix: str) -> Location | None:
    """Return the location chosen in the picker ``prefix``, if any."""
    location = st.session_state.get(f"{prefix}_location")
    return location if isinstance(location, Location) else None


def settle_location(prefix: str) -> Location | None:
    """Take a new click on the map now and return the chosen location.

    For a page that needs the final choice of this run before the picker is drawn (e.g.
    to drop a stale "where is it?" message); the picker takes the same click only once.
    """
    _take_click(prefix)
    return current_location(prefix)


def clear_location(prefix: str) -> None:
    """Forget the chosen point, the address and any notice (e.g. after a submission).

    Call it from a widget callback or before the picker is drawn.
    """
    for key in ("location", "notice", "notice_query", "map", "click_done"):
        st.session_state.pop(f"{prefix}_{key}", None)
    for name in ADDRESS_FIELDS:  # set, not deleted: the browser keeps deleted values
        st.session_state[address_key(prefix, name)] = ""


def _set(prefix: str, location: Location | None, notice: str = "") -> None:
    st.session_state[f"{prefix}_location"] = location
    st.session_state[f"{prefix}_notice"] = notice


def _find_address(prefix: str) -> None:
    """Geocode the address fields and take the result as the location."""
    address = address_values(prefix)
    if not any(v.strip() for v in address.values()):
        _set(prefix, current_location(prefix), "submit_address_empty")
        return
    query = AddressQuery(
        street=address["street"], postcode=address["postcode"], city=address["city"]
    )
    result = resources.geocoder().geocode(query)
    degraded = result.service_issue in TRANSIENT_GEOCODER_ISSUES
    if not result.found:
        # Unreachable and not in the gazetteer either: say so, not "not in the Ruhr".
        st.session_state[f"{prefix}_notice_query"] = query.label()
        _set(
            prefix,
            None,
            f"place_geocoder_{result.service_issue}_not_found"
            if degraded
            else "submit_address_not_found",
        )
        return
    location = _location(
        result, result.precision or "municipality", result.source or "", result.label
    )
    _set(prefix, location, f"geocoder_{result.service_issue}" if degraded else "")


def _take_click(prefix: str) -> None:
    """Take a new click on the map as the location (once per click)."""
    value = st.session_state.get(f"{prefix}_map")
    clicked = value.get("last_clicked") if isinstance(value, Mapping) else None
    if not isinstance(clicked, Mapping):
        return
    try:
        lat, lon = (
            round(float(clicked["lat"]), COORD_DECIMALS),
            round(float(clicked["lng"]), COORD_DECIMALS),
        )
    except (KeyError, TypeError, ValueError):
        return
    if st.session_state.get(f"{prefix}_click_done") == (lat, lon):
        return
    st.session_state[f"{prefix}_click_done"] = (lat, lon)
    result = resources.geocoder().geocode(AddressQuery(lat=lat, lon=lon))
    if not result.found:
        _set(prefix, current_location(prefix), "submit_pin_outside")
        return
    _set(prefix, _location(result, "exact", PIN_SOURCE, ""))


def _location(
    result: GeocodeResult, precision: GeocodePrecision, source: str, label: str
) -> Location:
    assert result.lat is not None and result.lon is not None
    return Location(
        lon=float(result.lon),
        lat=float(result.lat),
        ags=result.ags,
        municipality=result.municipality,
        precision=precision,
        source=source,
        label=label,
    )


def _describe(location: Location | None, lang: str) -> None:
    """Say which point and municipality are chosen (geocoder text as plain text only)."""
    if location is None:
        st.caption(t("submit_location_none", lang))
        return
    how = (
        t("submit_location_from_pin", lang)
        if location.source == PIN_SOURCE
        else t("submit_location_from_address", lang).format(
            precision=t(f"precision_{location.precision}", lang)
        )
    )
    st.info(
        t("submit_location_chosen", lang).format(
            municipality=location.municipality,
            how=how,
            lat=f"{location.lat:.5f}",
            lon=f"{location.lon:.5f}",
        )
    )
    if location.label:
        st.text(f"{t('submit_location_found_as', lang)} {location.label}")


def _map(prefix: str, location: Location | None, lang: str) -> None:
    """Draw the small map with the chosen point; a click on it drops a pin."""
    m = base_map(resources.drawing_municipalities(), resources.settings(), lang)
    if location is not None:
        folium.Marker(
            [location.lat, location.lon], tooltip=html.escape(t("submit_marker", lang))
        ).add_to(m)
        span = SPAN_DEG.get(location.precision, 0.05)
        fit = folium.FitBounds(
            [
                [location.lat - span, location.lon - 2 * span],
                [location.lat + span, location.lon + 2 * span],
            ]
        )
        fit.options["animate"] = False
        m.add_child(fit)  # after base_map's fit to the region, so it wins
    st_folium(
        allow_page_zoom(m),
        key=f"{prefix}_map",
        returned_objects=["last_clicked"],
        height=MAP_HEIGHT,
        use_container_width=True,
    )
    st.caption(t("submit_location_click_hint", lang))
