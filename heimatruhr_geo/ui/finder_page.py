"""The artists' space finder: vacant buildings near an address or a map click.

The centre comes from the address form (geocoded through the chain) or a click on the
map; radius and needs are widgets. The search is mirrored into the URL on every run and
restored from it on a session's first run, so the address bar always shares the search.
"""

from __future__ import annotations

import math
import re
from datetime import date
from enum import StrEnum
from typing import Any

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from heimatruhr_geo.boundaries import ATTRIBUTION
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.finder import (
    DEFAULT_RADIUS_M,
    MAX_RADIUS_M,
    MIN_RADIUS_M,
    Needs,
    SpaceIndex,
    SpaceSearch,
    Suggestion,
    contact_text,
    find_nearest,
    format_distance,
    suggestions,
)
from heimatruhr_geo.formatting import format_date, format_km, format_number
from heimatruhr_geo.i18n import t
from heimatruhr_geo.mapview import MAX_ZOOM, MIN_ZOOM, build_map
from heimatruhr_geo.models import FACILITIES, BuildingType, RentBand, label
from heimatruhr_geo.ui import resources
from heimatruhr_geo.ui.common import demo_notice, geocode_search, geocoder_notice, plain
from heimatruhr_geo.ui.details import show_details
from heimatruhr_geo.zoomable import allow_page_zoom

MAP_HEIGHT = 520
MAX_SHOWN = 200
"""At most this many of the nearest matches are listed and drawn."""
CIRCLE_STYLE = {"color": "#c0392b", "weight": 2, "fill": True, "fill_opacity": 0.05}
"""The search circle: red, so that it stands apart from the layers' colours."""
_SEEDED = "_finder_seeded"
_CENTRE = "fs_centre"
_LAST_CLICK = "fs_last_click"
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
_DEFAULT = SpaceSearch(51.5, 7.2, DEFAULT_RADIUS_M)
"""Widget defaults (the centre is not taken from it)."""


def render() -> None:
    """Draw the space finder page."""
    lang = st.session_state.get("lang", "de")
    st.title(t("finder_title", lang))
    st.write(t("finder_intro", lang))
    _seed_from_url(lang)
    _place_form(lang)
    needs_col, map_col = st.columns([2, 3])
    with needs_col:
        needs = _needs_widgets(lang)
    search = _current_search(needs)
    _publish(search, lang)
    found = _found(search) if search is not None else None
    with map_col:
        _show_map(search, found[0] if found else None, lang)
    if search is None:
        st.info(t("finder_no_centre", lang))
    elif found is not None:
        _results(search, *found, lang=lang)
    show_details(_detail(), lang)


# ---------------------------------------------------------------------- state


def _seed_from_url(lang: str) -> None:
    """Set the widgets from the URL on a session's first run; report what was dropped.

    Later runs only restore widgets that Streamlit forgot (after a visit to another page).
    """
    if not st.session_state.get(_SEEDED):
        st.session_state[_SEEDED] = True
        search, problems = SpaceSearch.from_query_params(st.query_params.to_dict())
        for problem in problems:
            st.warning(t("url_problem", lang).format(problem=plain(problem)))
        if search is not None:
            _set_widgets(search)
    if "fs_radius_km" not in st.session_state:
        _set_widgets(_DEFAULT, centre=False)


def _set_widgets(search: SpaceSearch, *, centre: bool = True) -> None:
    """Write a search into the widgets' session state (before they are drawn)."""
    needs = search.needs
    state = st.session_state
    if centre:
        state[_CENTRE] = {"lat": search.lat, "lon": search.lon, "place": search.place}
        if search.place:  # a shared link shows its place in the address field
            state["fs_place"] = search.place
    state["fs_radius_km"] = search.radius_m / 1000
    state["fs_min_area"] = needs.min_area_m2
    state["fs_rent_bands"] = list(needs.rent_bands)
    state["fs_use_date"] = needs.available_on is not None
    state["fs_date"] = needs.available_on or date.today()
    for name in FACILITIES:
        state[f"fs_{name}"] = getattr(needs, name)
    state["fs_building_types"] = list(needs.building_types)


def _apply(search: SpaceSearch) -> None:
    """Button callback: make ``search`` the current one (runs before the next script run)."""
    _set_widgets(search)


def _current_search(needs: Needs) -> SpaceSearch | None:
    centre = st.session_state.get(_CENTRE)
    if not centre:
        return None
    radius = round(float(st.session_state.get("fs_radius_km", DEFAULT_RADIUS_M / 1000)) * 1000)
    return SpaceSearch(centre["lat"], centre["lon"], radius, needs, centre["place"])


def _publish(search: SpaceSearch | None, lang: str) -> None:
    """Mirror the search (and an opened record) into the URL."""
    params = search.to_query_params() if search is not None else {}
    params["lang"] = lang
    if _detail():
        params["detail"] = _detail()
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def _detail() -> str:
    value = str(st.query_params.get("detail", ""))
    return value if _ID.fullmatch(value) else ""


# ---------------------------------------------------------------------- input


def _place_form(lang: str) -> None:
    """Geocode what the user typed and make it the centre."""
    with st.form("finder_place", border=False):
        text_col, button_col = st.columns([5, 1], vertical_alignment="bottom")
        query = text_col.text_input(
            t("finder_place_label", lang),
            placeholder=t("finder_place_placeholder", lang),
            max_chars=200,
            key="fs_place",
        )
        submitted = button_col.form_submit_button(t("finder_place_button", lang))
    if not (submitted and query.strip()):
        return
    result = geocode_search(query.strip(), lang)
    found = bool(result["found"])
    explained = geocoder_notice(result.get("service_issue"), lang, found=found, query=query.strip())
    if not found:
        if not explained:
            st.warning(t("finder_place_not_found", lang).format(query=plain(query.strip())))
        return
    st.session_state[_CENTRE] = {
        "lat": float(result["lat"]),  # type: ignore[arg-type]
        "lon": float(result["lon"]),  # type: ignore[arg-type]
        "place": str(result["label"] or query.strip()),
    }


def radius_options(current: object = None) -> list[float]:
    """Return the radius slider's steps in km: 0.5 to 25 by 0.5, plus ``current`` if off-step.

    A shared link may carry any radius in range (``?radius=1234``); it is offered as it is.

    Examples
    --------
    >>> steps = radius_options()
    >>> steps[:3], steps[-1], len(steps), radius_options(1.234)[2]
    ([0.5, 1.0, 1.5], 25.0, 50, 1.234)
    """
    steps = [step / 2 for step in range(MIN_RADIUS_M // 500, MAX_RADIUS_M // 500 + 1)]
    if (
        isinstance(current, int | float)
        and not isinstance(current, bool)
        and MIN_RADIUS_M / 1000 <= current <= MAX_RADIUS_M / 1000
        and current not in steps
    ):
        steps = sorted([*steps, float(current)])
    return steps


def _needs_widgets(lang: str) -> Needs:
    """Draw the radius and the needs; return the needs."""
    # A select slider: st.slider's printf format cannot write a decimal comma ("0,5 km").
    st.select_slider(
        t("finder_radius", lang),
        options=radius_options(st.session_state.get("fs_radius_km")),
        format_func=lambda km: format_km(km, lang),
        key="fs_radius_km",
    )
    st.subheader(t("finder_needs", lang))
    area = st.number_input(
        t("finder_need_min_area_m2", lang),
        min_value=0.0,
        max_value=100_000.0,
        step=10.0,
        format="%.0f",
        key="fs_min_area",
    )
    rent = _taxonomy_choice(RentBand, "rent_bands", lang)
    use_date = st.checkbox(t("finder_use_date", lang), key="fs_use_date")
    # Shown only when wanted: a disabled field's faded label fails the contrast check.
    day = st.date_input(t("finder_need_available_on", lang), key="fs_date") if use_date else None
    columns = st.columns(2)
    wanted = {
        name: columns[i % 2].checkbox(t(f"finder_need_{name}", lang), key=f"fs_{name}")
        for i, name in enumerate(FACILITIES)
    }
    types = _taxonomy_choice(BuildingType, "building_types", lang)
    chosen_day = day if use_date and isinstance(day, date) else None
    return Needs(area, tuple(rent), chosen_day, building_types=tuple(types), **wanted)


def _taxonomy_choice(taxonomy: type[StrEnum], need: str, lang: str) -> list[str]:
    """Show a multiselect of ``taxonomy``'s values for the need ``need`` (none chosen: all)."""
    return st.multiselect(
        t(f"finder_need_{need}", lang),
        options=[value.value for value in taxonomy],
        format_func=lambda v: label(taxonomy(v), lang),
        placeholder=t("all", lang),
        key=f"fs_{need}",
    )


# ---------------------------------------------------------------------- output


def space_index() -> SpaceIndex:
    """Return the searchable fields of all usable vacant buildings, in memory.

    Built from the published records the app holds anyway (re-read per data version), once
    per version of that frame.
    """
    frame = resources.published("vacant")
    latest = str(frame["updated_at"].max()) if len(frame) else ""
    return _index_of((id(frame), len(frame), latest), frame)


@resources.derived_from_public_data
@st.cache_resource(max_entries=2, show_spinner=False)
def _index_of(version: tuple[int, int, str], _frame: pd.DataFrame) -> SpaceIndex:
    """Build the index of one version of the published frame (``_frame`` is not hashed)."""
    return SpaceIndex.from_frame(_frame)


@resources.derived_from_public_data
@st.cache_data(max_entries=256, show_spinner=False)
def _found(search: SpaceSearch) -> tuple[pd.DataFrame, int]:
    """Return the nearest :data:`MAX_SHOWN` matches and how many match in all."""
    frame, total = find_nearest(resources.store(), search, MAX_SHOWN, index=space_index())
    return frame, total


@resources.derived_from_public_data
@st.cache_data(max_entries=64, show_spinner=False)
def _suggestions(search: SpaceSearch) -> list[Suggestion]:
    return suggestions(resources.store(), search, index=space_index())


def _results(search: SpaceSearch, frame: pd.DataFrame, total: int, *, lang: str) -> None:
    """List the matches, or suggest how to find some."""
    radius = format_distance(search.radius_m, lang)
    st.caption(t("finder_centre", lang).format(place=plain(_place_label(search, lang))))
    if frame.empty:
        st.warning(t("finder_none", lang).format(radius=radius))
        _suggest(search, lang)
        return
    key = "finder_found" if total <= len(frame) else "finder_found_first"
    shown = format_number(len(frame), lang)
    st.success(t(key, lang).format(n=format_number(total, lang), shown=shown, radius=radius))
    demo_notice(lang, frame)
    st.dataframe(result_table(frame, lang), hide_index=True, width="stretch")
    st.caption(t("finder_share", lang))


def _suggest(search: SpaceSearch, lang: str) -> None:
    found = _suggestions(search)
    if not found:
        st.info(t("finder_suggest_nothing", lang))
    for suggestion in found:
        st.button(
            suggestion_text(suggestion, lang),
            key=f"fs_suggest_{suggestion.change}",
            on_click=_apply,
            args=(suggestion.search,),
        )


def suggestion_text(suggestion: Suggestion, lang: str) -> str:
    """Return the button text of one suggestion (plain text)."""
    n = format_number(suggestion.count, lang)
    if suggestion.change == "radius":
        radius = format_distance(suggestion.search.radius_m, lang)
        return t("finder_suggest_radius", lang).format(radius=radius, n=n)
    if suggestion.change == "all_needs":
        return t("finder_suggest_all_needs", lang).format(n=n)
    need = t(f"finder_need_{suggestion.change}", lang)
    return t("finder_suggest_need", lang).format(need=need, n=n)


def _place_label(search: SpaceSearch, lang: str) -> str:
    if search.place:
        return search.place
    lat, lon = format_number(search.lat, lang, 5), format_number(search.lon, lang, 5)
    return t("finder_clicked_point", lang).format(lat=lat, lon=lon)


def result_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return the matches as the list shows them: formatted, translated, plain text."""
    unknown, demo = t("finder_unknown", lang), t("map_demo", lang)
    return pd.DataFrame(
        {
            t("finder_col_distance", lang): [format_distance(d, lang) for d in frame["distance_m"]],
            t("finder_col_title", lang): [
                f"{title} ({demo})" if source == "demo" else str(title)
                for title, source in zip(frame["title"], frame["source"], strict=True)
            ],
            t("finder_col_type", lang): [
                label(BuildingType(v), lang) for v in frame["building_type"]
            ],
            t("finder_col_area", lang): [
                unknown if _missing(a) else format_number(float(a), lang)
                for a in frame["floor_area_m2"]
            ],
            t("finder_col_rent", lang): [
                unknown if _missing(v) else label(RentBand(str(v)), lang)
                for v in frame["rent_band"]
            ],
            t("finder_col_available", lang): [
                _availability(a, b, lang)
                for a, b in zip(frame["available_from"], frame["available_until"], strict=True)
            ],
            t("finder_col_facilities", lang): _facilities(frame, lang),
            t("finder_col_contact", lang): [
                contact_text(c, m, lang)
                for c, m in zip(frame["contact_public"], frame["municipality"], strict=True)
            ],
            t("finder_col_place", lang): [
                ", ".join(p for p in (str(s or ""), str(m or "")) if p)
                for s, m in zip(frame["street"], frame["municipality"], strict=True)
            ],
        }
    )


def _facilities(frame: pd.DataFrame, lang: str) -> list[str]:
    """Return the facilities recorded as present, per row (unknown counts as absent)."""
    present = pd.DataFrame({n: frame[n].eq(True) for n in FACILITIES}, index=frame.index)
    names = [t(f"finder_need_{n}", lang) for n in FACILITIES]
    return [
        ", ".join(n for n, yes in zip(names, row, strict=True) if yes) for row in present.to_numpy()
    ]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _availability(start: Any, end: Any, lang: str) -> str:
    today = date.today().isoformat()
    text = (
        t("finder_available_from", lang).format(date=_date(start, lang))
        if isinstance(start, str) and start > today
        else t("finder_available_now", lang)
    )
    if isinstance(end, str) and end:
        text += " " + t("finder_available_until", lang).format(date=_date(end, lang))
    return text


def _date(iso: str, lang: str) -> str:
    try:
        return format_date(iso, lang)
    except ValueError:
        return iso


# ---------------------------------------------------------------------- map


def _show_map(search: SpaceSearch | None, frame: pd.DataFrame | None, lang: str) -> None:
    """Draw the map; a click moves the centre (the only value the map returns)."""
    m = allow_page_zoom(search_map(search, frame, lang))
    out = st_folium(
        m,
        returned_objects=["last_clicked"],
        use_container_width=True,
        height=MAP_HEIGHT,
        key="finder_map",
    )
    st.caption(f"{t('finder_click_hint', lang)} {t('boundaries_source', lang)}: {ATTRIBUTION}")
    _take_click((out or {}).get("last_clicked"), lang)


def _take_click(clicked: Any, lang: str) -> None:
    """Make a new map click the centre and rerun; the same click is taken only once."""
    if not isinstance(clicked, dict) or clicked == st.session_state.get(_LAST_CLICK):
        return
    st.session_state[_LAST_CLICK] = clicked
    try:
        lat, lon = float(clicked["lat"]), float(clicked["lng"])
        SpaceSearch(lat, lon)
    except (KeyError, TypeError, ValueError, InputError):
        st.warning(t("finder_outside", lang))
        return
    st.session_state[_CENTRE] = {"lat": round(lat, 5), "lon": round(lon, 5), "place": ""}
    st.rerun()


def search_map(search: SpaceSearch | None, frame: pd.DataFrame | None, lang: str) -> folium.Map:
    """Return the map: the region, and for a search its circle, centre and matches.

    The circle carries no text (no tooltip or popup): nothing the user typed reaches
    folium's templates.
    """
    settings, drawing = resources.settings(), resources.drawing_municipalities()
    if search is None:
        return build_map(drawing, settings, lang=lang, show=())
    zoom = max(MIN_ZOOM, min(MAX_ZOOM, 14 - round(math.log2(search.radius_m / 1000))))
    m = build_map(
        drawing,
        settings,
        lang=lang,
        vacant=frame,
        focus=(search.lat, search.lon, zoom),
        show=("vacant",),
    )
    folium.Circle(
        location=(search.lat, search.lon), radius=float(search.radius_m), **CIRCLE_STYLE
    ).add_to(m)
    return m
