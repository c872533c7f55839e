"""Serve folium's JavaScript and CSS from the app itself instead of public CDNs.

folium points ``default_js`` / ``default_css`` of the map and of every plugin at public
CDNs. This module maps each CDN address the app uses to a file installed from the npm
registry into ``static/node_modules`` (``npm ci --prefix static``) and rewrites a built
map's elements to use those files. Only the *instances* are changed, never folium's
classes, so other maps in the same process keep their own settings.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from jinja2 import Template

from heimatruhr_geo.config import Settings

logger = logging.getLogger(__name__)

INSTALL_HINT = "npm ci --prefix static --no-audit --no-fund"
ICON_PATH_ELEMENT = "heimatruhr_icon_image_path"


@dataclass(frozen=True)
class Asset:
    """One CDN file that folium references and its copy from the npm registry.

    Attributes
    ----------
    cdn_url
        The address folium 0.20.0 uses.
    package, version
        The npm package (pinned in ``static/package.json``) that carries the file.
    path
        The file's path inside ``node_modules``.
    """

    cdn_url: str
    package: str
    version: str
    path: str


_JSD = "https://cdn.jsdelivr.net/npm"
_CDNJS = "https://cdnjs.cloudflare.com/ajax/libs"
_AWESOME = "drmonty-leaflet-awesome-markers"  # carries the dist files of Leaflet.awesome-markers
_CLUSTER = "leaflet.markercluster"

ASSETS: tuple[Asset, ...] = (
    # folium.Map
    Asset(f"{_JSD}/leaflet@1.9.3/dist/leaflet.js", "leaflet", "1.9.3", "leaflet/dist/leaflet.js"),
    Asset(f"{_JSD}/leaflet@1.9.3/dist/leaflet.css", "leaflet", "1.9.3", "leaflet/dist/leaflet.css"),
    Asset(
        "https://code.jquery.com/jquery-3.7.1.min.js",
        "jquery",
        "3.7.1",
        "jquery/dist/jquery.min.js",
    ),
    Asset(
        f"{_JSD}/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js",
        "bootstrap",
        "5.2.2",
        "bootstrap/dist/js/bootstrap.bundle.min.js",
    ),
    Asset(
        f"{_JSD}/bootstrap@5.2.2/dist/css/bootstrap.min.css",
        "bootstrap",
        "5.2.2",
        "bootstrap/dist/css/bootstrap.min.css",
    ),
    Asset(
        f"{_JSD}/@fortawesome/fontawesome-free@6.2.0/css/all.min.css",
        "@fortawesome/fontawesome-free",
        "6.2.0",
        "@fortawesome/fontawesome-free/css/all.min.css",
    ),
    Asset(
        f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js",
        _AWESOME,
        "2.0.2",
        f"{_AWESOME}/js/leaflet.awesome-markers.js",
    ),
    Asset(
        f"{_CDNJS}/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css",
        _AWESOME,
        "2.0.2",
        f"{_AWESOME}/css/leaflet.awesome-markers.css",
    ),
    # folium.plugins.MarkerCluster and FastMarkerCluster
    Asset(
        f"{_CDNJS}/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
        _CLUSTER,
        "1.1.0",
        f"{_CLUSTER}/dist/leaflet.markercluster.js",
    ),
    Asset(
        f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.css",
        _CLUSTER,
        "1.1.0",
        f"{_CLUSTER}/dist/MarkerCluster.css",
    ),
    Asset(
        f"{_CDNJS}/leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
        _CLUSTER,
        "1.1.0",
        f"{_CLUSTER}/dist/MarkerCluster.Default.css",
    ),
    # folium.plugins.Fullscreen (the npm package ships the unminified file only)
    Asset(
        f"{_JSD}/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js",
        "leaflet.fullscreen",
        "3.0.0",
        "leaflet.fullscreen/Control.FullScreen.js",
    ),
    Asset(
        f"{_JSD}/leaflet.fullscreen@3.0.0/Control.FullScreen.css",
        "leaflet.fullscreen",
        "3.0.0",
        "leaflet.fullscreen/Control.FullScreen.css",
    ),
    # folium.plugins.LocateControl
    Asset(
        f"{_CDNJS}/leaflet-locatecontrol/0.66.2/L.Control.Locate.min.js",
        "leaflet.locatecontrol",
        "0.66.2",
        "leaflet.locatecontrol/dist/L.Control.Locate.min.js",
    ),
    Asset(
        f"{_CDNJS}/leaflet-locatecontrol/0.66.2/L.Control.Locate.min.css",
        "leaflet.locatecontrol",
        "0.66.2",
        "leaflet.locatecontrol/dist/L.Control.Locate.min.css",
    ),
)
"""Every folium CDN file the app uses, with its local copy."""

DROPPED: dict[str, str] = {
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": (
        "Bootstrap 3 glyphicons: only needed for icons with prefix='glyphicon'; the app uses "
        "Font Awesome icons (prefix='fa'), and Bootstrap 5 has no glyphicons"
    ),
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/"
    "leaflet.awesome.rotate.min.css": (
        "rotation classes for folium.Icon(angle=...); the app draws no rotated icons, "
        "Font Awesome 6 itself has fa-rotate-90/180/270, and fa-rotate-0 needs no rule"
    ),
}
"""CDN files left out in local mode, with the reason (not on npm, not needed)."""

_BY_URL = {asset.cdn_url: asset for asset in ASSETS}


@dataclass(frozen=True)
class AssetReport:
    """What :func:`localize_assets` did.

    Attributes
    ----------
    mode
        ``"local"`` when the map now loads the local copies, else ``"cdn"``.
    missing
        Local files that were expected but not found (the reason for a CDN fallback).
    unknown
        CDN addresses that are in no table: they stay on the CDN.
    """

    mode: str
    missing: tuple[Path, ...] = ()
    unknown: tuple[str, ...] = ()


def local_file(asset: Asset, settings: Settings) -> Path:
    """Return where ``asset`` is installed under ``settings.static_dir``."""
    return settings.static_dir / "node_modules" / asset.path


def local_url(asset: Asset, settings: Settings) -> str:
    """Return the browser address of ``asset`` under ``settings.asset_url``."""
    return f"{settings.asset_url}/{asset.path}"


def icon_image_dir_url(settings: Settings) -> str:
    """Return the browser address of Leaflet's default marker images (with a final ``/``)."""
    return f"{settings.asset_url}/leaflet/dist/images/"


def iter_asset_elements(element: Element) -> Iterator[JSCSSMixin]:
    """Yield ``element`` and all its descendants that load JavaScript or CSS files.

    Parameters
    ----------
    element
        A folium map (or any branca element).

    Yields
    ------
    folium.elements.JSCSSMixin
        Each element with ``default_js`` / ``default_css``, parents before children.
    """
    if isinstance(element, JSCSSMixin):
        yield element
    for child in element._children.values():
        yield from iter_asset_elements(child)


def referenced_urls(element: Element) -> list[str]:
    """Return every JS and CSS address that ``element`` and its descendants load, in order."""
    urls: list[str] = []
    for elem in iter_asset_elements(element):
        urls.extend(url for _, url in [*elem.default_js, *elem.default_css])
    return list(dict.fromkeys(urls))


def localize_assets(m: folium.Map, settings: Settings) -> AssetReport:
    """Point a built map's JavaScript and CSS at the app's own copies.

    Call it after all layers and plugins have been added. Sets ``default_js`` /
    ``default_css`` on each element instance (never on folium's classes), drops the
    files listed in :data:`DROPPED`, and sets ``L.Icon.Default.imagePath`` to the local
    Leaflet images. With ``settings.asset_mode == "cdn"`` the map is left unchanged.
    When a local file is missing the map keeps the CDN addresses and one warning names
    the file and the fix. An address that is in no table is logged and kept.

    Parameters
    ----------
    m
        The map; changed in place.
    settings
        ``asset_mode``, ``static_dir`` and ``asset_url`` are used.

    Returns
    -------
    AssetReport
        Which mode the map ended up in, missing files and unknown addresses.
    """
    urls = referenced_urls(m)
    known = _BY_URL.keys() | DROPPED.keys() | {local_url(a, settings) for a in ASSETS}
    unknown = tuple(url for url in urls if url not in known)
    for url in unknown:
        logger.warning(
            "map asset %s is not in heimatruhr_geo.assets.ASSETS; it stays on its CDN "
            "(add it to static/package.json and ASSETS)",
            url,
        )
    if settings.asset_mode == "cdn":
        return AssetReport(mode="cdn", unknown=unknown)
    needed = [_BY_URL[url] for url in urls if url in _BY_URL]
    missing = tuple(
        path for path in (local_file(a, settings) for a in needed) if not path.is_file()
    )
    if missing:
        logger.warning(
            "map assets fall back to public CDNs: %s is missing (and %d more); "
            "install them with `%s`",
            missing[0],
            len(missing) - 1,
            INSTALL_HINT,
        )
        return AssetReport(mode="cdn", missing=missing, unknown=unknown)
    for elem in iter_asset_elements(m):
        elem.default_js = _localized(elem.default_js, settings)
        elem.default_css = _localized(elem.default_css, settings)
    m.add_child(_IconImagePath(icon_image_dir_url(settings)), name=ICON_PATH_ELEMENT)
    m._children.move_to_end(ICON_PATH_ELEMENT, last=False)
    return AssetReport(mode="local", unknown=unknown)


def _localized(links: list[tuple[str, str]], settings: Settings) -> list[tuple[str, str]]:
    """Return a new link list with local addresses; dropped files left out."""
    out = []
    for name, url in links:
        if url in DROPPED:
            continue
        asset = _BY_URL.get(url)
        out.append((name, local_url(asset, settings) if asset else url))
    return out


class _IconImagePath(MacroElement):  # type: ignore[misc]
    """Sets ``L.Icon.Default.imagePath`` in the map script, before any marker is drawn."""

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "L.Icon.Default.imagePath = {{ this.path|tojson }};"
        "{% endmacro %}"
    )

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "IconImagePath"
        self.path = path
