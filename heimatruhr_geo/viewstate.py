"""The selection behind the map and the planners' view, shareable as URL parameters.

A :class:`View` holds the language, the visible layers, the filters, the choropleth
measure and an opened record. :meth:`View.to_query_params` writes it as plain strings
(for ``st.query_params``): one parameter per non-default field, list values sorted and
comma-joined (a comma or ``%`` inside a value is written ``%2C`` / ``%25``).
:meth:`View.from_query_params` reads such parameters back, exactly, and never raises on
what a URL holds: unknown values are dropped and reported as warnings that name the
parameter, the value and what is allowed.

Parameters: ``lang`` (de, en), ``layers`` (spaces, vacant, survey; ``none`` for no
layer), ``municipalities`` (AGS or names), ``counties`` (5-digit keys or names),
``project_types``, ``statuses``, ``programs`` (funding programme names, free text),
``years`` (funding years), ``building_types``, ``rent_bands``, ``measure``, ``detail``.

Filters combine like :class:`~heimatruhr_geo.store.Filters`: within one parameter any
value matches; different parameters must all match (municipalities AND counties).
:meth:`View.store_filters` gives what the database filters; :func:`apply_view` applies
all filters of a layer to a frame in pandas (the ones the store cannot filter, funding
programme and rent band, and again the others, so it also narrows a cached full frame).
"""

from __future__ import annotations

import html
import logging
import re
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import pandas as pd

from heimatruhr_geo.boundaries import COUNTIES, RUHR_AGS, default_path, load_municipalities
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.gazetteer import EXTRA_VARIANTS, name_variants, normalize
from heimatruhr_geo.models import (
    FUNDING_YEARS,
    HIDDEN_PROJECT_STATUSES,
    LAYERS,
    BuildingType,
    ProjectStatus,
    ProjectType,
    RentBand,
)
from heimatruhr_geo.planning import DEFAULT_MEASURE, MEASURES
from heimatruhr_geo.store import Filters

logger = logging.getLogger(__name__)

LANGUAGES = ("de", "en")
DEFAULT_LAYERS: tuple[str, ...] = tuple(LAYERS)
NO_LAYERS = "none"
MAX_PROGRAM = 200
MAX_VALUES = 100
"""At most this many values per parameter are read (a URL is user input)."""
_YEAR = re.compile(r"[0-9]{4}")
_ESCAPED = re.compile(r"%(25|2[Cc])")
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
LIST_FIELDS = (
    "layers",
    "municipalities",
    "counties",
    "project_types",
    "statuses",
    "programs",
    "years",
    "building_types",
    "rent_bands",
)
"""View fields that hold several values (tuples in the dataclass, comma lists in the URL)."""
_PUBLIC_STATUSES = tuple(s.value for s in ProjectStatus if s not in HIDDEN_PROJECT_STATUSES)


@dataclass(frozen=True)
class View:
    """One selection of the app; every field's default selects everything.

    Attributes
    ----------
    lang
        ``de`` (default) or ``en``.
    layers
        Visible map layers, in :data:`~heimatruhr_geo.models.LAYERS` order.
    municipalities, counties
        AGS keys (8 digits) and county keys (5 digits), sorted.
    project_types, statuses, programs, years
        Creative spaces: project types, project statuses (public ones), funding
        programmes and funding years.
    building_types, rent_bands
        Vacant buildings: building types and rent bands.
    measure
        Key of :data:`heimatruhr_geo.planning.MEASURES` for the choropleth.
    detail
        Id of the record whose details are open, or ``""``.
    """

    lang: str = "de"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    municipalities: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    project_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    building_types: tuple[str, ...] = ()
    rent_bands: tuple[str, ...] = ()
    measure: str = DEFAULT_MEASURE
    detail: str = ""

    def __post_init__(self) -> None:
        """Store list fields in their canonical order, so equal views compare equal."""
        for name in LIST_FIELDS:
            values = getattr(self, name)
            if isinstance(values, str):
                raise InputError(f"View.{name} must be a tuple of values, not the text {values!r}")
            if name == "programs":
                values = [str(v).strip() for v in values if str(v).strip()]
            order = _layer_order if name == "layers" else None
            object.__setattr__(self, name, tuple(sorted(set(values), key=order)))

    @classmethod
    def from_query_params(
        cls,
        params: Mapping[str, str | list[str]],
        names: Mapping[str, str] | None = None,
    ) -> tuple[View, list[str]]:
        """Read a view from URL parameters; never raises on their content.

        Parameters
        ----------
        params
            ``st.query_params`` or any mapping of parameter name to a string (comma
            separated values) or a list of strings (repeated parameters).
        names
            Municipality spellings to AGS, from :func:`municipality_names` of the
            settings' data directory (default: the shipped boundaries).

        Returns
        -------
        tuple of (View, list of str)
            The view, and one warning per dropped parameter or value, naming the
            parameter, the value and what is allowed.
        """
        warnings: list[str] = []
        values: dict[str, Any] = {}
        known = {f.name for f in fields(cls)}
        for name in params:
            if str(name) not in known:
                warnings.append(
                    f"URL parameter {str(name)[:40]!r} is unknown and was ignored; "
                    f"allowed: {sorted(known)}"
                )
        lookup = names if names is not None else municipality_names(DEFAULT_DATA_DIR)
        parsers: dict[str, Parser] = {
            **_PARSERS,
            "municipalities": partial(_municipalities, lookup=lookup),
        }
        for name, parse in parsers.items():
            if name not in params:
                continue
            items = split_param(params[name])
            if len(items) > MAX_VALUES:
                warnings.append(f"{name}: only the first {MAX_VALUES} values were read")
                items = items[:MAX_VALUES]
            values[name] = parse(name, items, warnings)
        values = {k: v for k, v in values.items() if v is not None}
        return cls(**values), warnings

    def to_query_params(self) -> dict[str, str]:
        """Return the view as URL parameters: defaults omitted, lists sorted and comma-joined."""
        default = View()
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            if f.name in LIST_FIELDS:
                out[f.name] = ",".join(_quote(str(v)) for v in value) or (
                    NO_LAYERS if f.name == "layers" else ""
                )
            else:
                out[f.name] = str(value)
        return out

    def store_filters(self, layer: str) -> Filters:
        """Return what the store filters in SQL for ``layer`` (spaces, vacant or survey).

        Survey answers are narrowed by municipality and county only: those select whole
        cells of the k-anonymous tables, so no filter can single out a few responses.
        """
        if layer not in LAYERS:
            raise InputError(f"layer={layer!r} is not allowed; use one of {list(LAYERS)}")
        where = (self.municipalities, self.counties)
        if layer == "spaces":
            return Filters(
                municipalities=where[0],
                counties=where[1],
                kinds=self.project_types,
                statuses=self.statuses,
                funding_years=self.years,
            )
        if layer == "vacant":
            return Filters(municipalities=where[0], counties=where[1], kinds=self.building_types)
        return Filters(municipalities=where[0], counties=where[1])

    def with_changes(self, **changes: Any) -> View:
        """Return a copy with some fields changed (list fields are re-sorted)."""
        return replace(self, **changes)


def apply_view(frame: pd.DataFrame, view: View, layer: str) -> pd.DataFrame:
    """Narrow a layer's records to the view's filters, vectorised.

    Parameters
    ----------
    frame
        Public query result of ``layer`` (or a survey answers frame for ``survey``).
    view
        The selection.
    layer
        ``spaces``, ``vacant`` or ``survey``.

    Returns
    -------
    pandas.DataFrame
        The matching rows (same type and columns, original index), never the input
        object itself.
    """
    if layer not in LAYERS:
        raise InputError(f"layer={layer!r} is not allowed; use one of {list(LAYERS)}")
    conditions: list[tuple[str, Iterable[Any]]] = []
    if view.municipalities:
        conditions.append(("ags", view.municipalities))
    if layer == "spaces":
        conditions += [
            ("project_type", view.project_types),
            ("status", view.statuses),
            ("funding_program", view.programs),
        ]
    elif layer == "vacant":
        conditions += [("building_type", view.building_types), ("rent_band", view.rent_bands)]
    mask = pd.Series(True, index=frame.index)
    if view.counties:
        mask &= frame["ags"].astype(str).str[:5].isin(view.counties)
    for column, wanted in conditions:
        chosen = list(wanted)
        if chosen:
            mask &= frame[column].astype("string").isin(chosen).fillna(False).astype(bool)
    if layer == "spaces" and view.years:
        years = pd.to_numeric(frame["funding_year"], errors="coerce")
        mask &= years.isin(list(view.years))
    return frame[mask.to_numpy(dtype=bool)].copy()


# ---------------------------------------------------------------------- embedding

EMBED_PAGE = "karte"
"""The page an embed URL opens (the public map)."""
EMBED_FIELDS = ("lang", "layers", *(f for f in LIST_FIELDS if f != "layers"), "measure")
"""View fields an embed URL carries (not ``detail``: an embed starts without one open)."""
EMBED_HEIGHT = 560
"""Default height of the ``<iframe>`` snippet in pixels."""


def embed_url(app_url: str, view: View) -> str:
    """Return the URL that shows only the map of ``view``, for an ``<iframe>``.

    Parameters
    ----------
    app_url
        The app's root URL as a visitor reaches it (``https://example.org/heimatruhr``).
    view
        The selection; its language, layers, filters and measure go into the URL.

    Examples
    --------
    >>> embed_url("https://karte.example/", View(municipalities=("05911000",)))
    'https://karte.example/karte?embed=true&municipalities=05911000'
    """
    params = {k: v for k, v in view.to_query_params().items() if k in EMBED_FIELDS}
    query = urllib.parse.urlencode({"embed": "true", **params}, safe=",")
    return f"{app_url.rstrip('/')}/{EMBED_PAGE}?{query}"


def iframe_snippet(url: str, title: str, height: int = EMBED_HEIGHT) -> str:
    """Return the ``<iframe>`` HTML that embeds ``url`` (attributes escaped).

    Examples
    --------
    >>> print(iframe_snippet("https://karte.example/karte?embed=true", 'Karte "Ruhr"'))
    <iframe src="https://karte.example/karte?embed=true" title="Karte &quot;Ruhr&quot;" width="100%" height="560" style="border:0" loading="lazy" allow="geolocation; fullscreen"></iframe>
    """  # noqa: E501
    return (
        f'<iframe src="{html.escape(url, quote=True)}" title="{html.escape(title, quote=True)}"'
        f' width="100%" height="{int(height)}" style="border:0" loading="lazy"'
        ' allow="geolocation; fullscreen"></iframe>'
    )


# ---------------------------------------------------------------------- parsing


def split_param(raw: str | list[str]) -> list[str]:
    """Return the values of a URL parameter: comma-separated, ``%2C`` for a literal comma."""
    parts = [raw] if isinstance(raw, str) else [str(r) for r in raw]
    items = [_unquote(item.strip()) for part in parts for item in part.split(",")]
    return [item for item in items if item != ""]


def _quote(value: str) -> str:
    return value.replace("%", "%25").replace(",", "%2C")


def _unquote(value: str) -> str:
    return _ESCAPED.sub(lambda m: "%" if m.group(1) == "25" else ",", value)


def _layer_order(value: str) -> int:
    return LAYERS.index(value) if value in LAYERS else len(LAYERS)  # type: ignore[arg-type]


def choice_parser(allowed: Iterable[str]) -> Callable[[str, list[str], list[str]], tuple[str, ...]]:
    """Return a parser that keeps the allowed values and warns about the others."""
    options = list(allowed)

    def parse(name: str, items: list[str], warnings: list[str]) -> tuple[str, ...]:
        good = [i for i in items if i in options]
        for bad in (i for i in items if i not in options):
            warnings.append(ignored_param(name, bad, f"one of {options}"))
        return tuple(good)

    return parse


def _single(allowed: Iterable[str]) -> Callable[[str, list[str], list[str]], str | None]:
    options = list(allowed)

    def parse(name: str, items: list[str], warnings: list[str]) -> str | None:
        if len(items) != 1 or items[0] not in options:
            warnings.append(ignored_param(name, ",".join(items), f"one of {options}"))
            return None
        return items[0]

    return parse


def _layers(name: str, items: list[str], warnings: list[str]) -> tuple[str, ...] | None:
    if items in ([], [NO_LAYERS]):
        return ()
    # Nothing usable (a typo, junk) keeps the default layers: an empty map would hide
    # that the link was wrong.
    return choice_parser(LAYERS)(name, items, warnings) or None


def _municipalities(
    name: str, items: list[str], warnings: list[str], *, lookup: Mapping[str, str]
) -> tuple[str, ...]:
    good: list[str] = []
    for item in items:
        key = item if item in RUHR_AGS else lookup.get(normalize(item))
        if key is None:
            warnings.append(
                ignored_param(
                    name, item, "an 8-digit AGS or the name of one of the 53 municipalities"
                )
            )
        else:
            good.append(key)
    return tuple(good)


def _counties(name: str, items: list[str], warnings: list[str]) -> tuple[str, ...]:
    lookup = {normalize(n): k for k, n in COUNTIES.items()}
    lookup |= {normalize(f"Kreis {n}"): k for k, n in COUNTIES.items()}
    good: list[str] = []
    for item in items:
        key = item if item in COUNTIES else lookup.get(normalize(item))
        if key is None:
            warnings.append(ignored_param(name, item, f"a county key or name: {sorted(COUNTIES)}"))
        else:
            good.append(key)
    return tuple(good)


def _programs(name: str, items: list[str], warnings: list[str]) -> tuple[str, ...]:
    good = [i for i in items if len(i) <= MAX_PROGRAM]
    if len(good) < len(items):
        warnings.append(f"{name}: values longer than {MAX_PROGRAM} characters were ignored")
    return tuple(good)


def _years(name: str, items: list[str], warnings: list[str]) -> tuple[int, ...]:
    low, high = FUNDING_YEARS
    good: list[int] = []
    for item in items:
        if _YEAR.fullmatch(item) and low <= int(item) <= high:
            good.append(int(item))
        else:
            warnings.append(ignored_param(name, item, f"a funding year from {low} to {high}"))
    return tuple(good)


def _detail(name: str, items: list[str], warnings: list[str]) -> str | None:
    if len(items) == 1 and _ID.fullmatch(items[0]):
        return items[0]
    warnings.append(
        ignored_param(name, ",".join(items), "one record id (letters, digits, _ . : -)")
    )
    return None


def ignored_param(name: str, value: str, allowed: str) -> str:
    """Return the warning for a URL parameter value that was ignored."""
    shown = value if len(value) <= 60 else value[:57] + "..."
    return f"URL parameter {name}={shown!r} was ignored; allowed: {allowed}"


@lru_cache(maxsize=4)
def municipality_names(data_dir: Path) -> dict[str, str]:
    """Return every accepted spelling of a municipality name (normalized) to its AGS.

    Read from the boundaries in ``data_dir`` (``Settings.data_dir``); official names,
    their variants (``Mülheim``, ``Muelheim``) and extra spellings.
    """
    municipalities = load_municipalities(default_path(data_dir))
    lookup: dict[str, str] = {}
    for ags, official in zip(municipalities["ags"], municipalities["name"], strict=True):
        for spelling in (official, *EXTRA_VARIANTS.get(str(ags), ())):
            for key in name_variants(str(spelling)):
                lookup.setdefault(key, str(ags))
    return lookup


Parser = Callable[[str, list[str], list[str]], Any]
"""Reads one URL parameter: ``(name, values, warnings) -> value``; appends its warnings."""

_PARSERS: dict[str, Parser] = {
    "lang": _single(LANGUAGES),
    "layers": _layers,
    "counties": _counties,
    "project_types": choice_parser(t.value for t in ProjectType),
    "statuses": choice_parser(_PUBLIC_STATUSES),
    "programs": _programs,
    "years": _years,
    "building_types": choice_parser(t.value for t in BuildingType),
    "rent_bands": choice_parser(b.value for b in RentBand),
    "measure": _single(MEASURES),
    "detail": _detail,
}
