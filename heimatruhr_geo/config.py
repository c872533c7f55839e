"""Settings, read once from the environment and passed in; never mutated."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from heimatruhr_geo.errors import InputError

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_DIR / "data"
DEFAULT_STATIC_DIR = PROJECT_DIR / "static"

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
)
ASSET_MODES = ("local", "cdn")


@dataclass(frozen=True)
class Settings:
    """Configuration of one process.

    Attributes
    ----------
    data_dir
        Folder with the shipped data (boundaries) and, by default, the database.
    static_dir
        Folder that Streamlit serves at ``/app/static/``; holds the map assets.
    asset_mode
        ``"local"`` serves Leaflet and plugins from ``static_dir``; ``"cdn"`` uses
        folium's public CDN addresses.
    asset_url
        URL path under which ``static_dir/node_modules`` is reachable by the browser.
    tile_url, tile_attribution
        Base map tiles and their attribution.
    database_url
        SQLAlchemy URL; empty means an SQLite file in ``data_dir``.
    nominatim_url, contact, cache_dir, offline
        Geocoding: the Nominatim server, the contact put in the User-Agent, where
        the persistent cache lives, and whether the network may be used at all.
    moderators
        ``HEIMATRUHR_MODERATORS``: who may sign in to the moderation page, as
        ``name:$argon2id$…`` pairs separated by ``;`` (read by
        :meth:`heimatruhr_geo.auth.Moderators.parse`; hidden from ``repr``).
    trusted_proxies, limits_secret
        ``HEIMATRUHR_TRUSTED_PROXIES``: addresses or networks of reverse proxies whose
        ``X-Forwarded-For`` names the client (default none: the header is ignored).
        ``HEIMATRUHR_LIMITS_SECRET``: key of the hashes that stand for clients in the rate
        limits (default: a random key kept in the database). See ``docs/security.md``.
    operator_name, operator_address, operator_email, operator_phone
        ``HEIMATRUHR_OPERATOR_NAME`` / ``_ADDRESS`` / ``_EMAIL`` / ``_PHONE``: who runs this
        installation, named in the imprint, the privacy notice and the accessibility
        statement (its feedback contact). Empty values are filled from the ``[operator]``
        section of Streamlit's secrets, else shown as a labelled placeholder
        (:class:`heimatruhr_geo.operator.Operator`). Plain text, escaped wherever shown.
    api_rate_limit
        ``HEIMATRUHR_API_RATE_LIMIT``: requests one client may send to ``/api`` per minute
        before it gets 429 (default 600; see ``docs/api.md``).
    """

    data_dir: Path = DEFAULT_DATA_DIR
    static_dir: Path = DEFAULT_STATIC_DIR
    asset_mode: str = "local"
    asset_url: str = "/app/static/node_modules"
    tile_url: str = OSM_TILES
    tile_attribution: str = OSM_ATTRIBUTION
    database_url: str = ""
    nominatim_url: str = "https://nominatim.openstreetmap.org"
    contact: str = "https://github.com/heimatruhr/heimatruhr-geo"
    cache_dir: Path = DEFAULT_DATA_DIR / "cache"
    offline: bool = False
    moderators: str = field(default="", repr=False)
    trusted_proxies: str = ""
    limits_secret: str = field(default="", repr=False)
    operator_name: str = ""
    operator_address: str = ""
    operator_email: str = ""
    operator_phone: str = ""
    api_rate_limit: int = 600

    def __post_init__(self) -> None:
        if self.api_rate_limit < 1:
            raise InputError(
                f"HEIMATRUHR_API_RATE_LIMIT={self.api_rate_limit!r} is not allowed; use a "
                "whole number of requests per minute, at least 1"
            )
        if self.asset_mode not in ASSET_MODES:
            raise InputError(
                f"HEIMATRUHR_ASSETS={self.asset_mode!r} is not allowed; use one of {ASSET_MODES}"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read settings from ``HEIMATRUHR_*`` environment variables.

        Parameters
        ----------
        environ
            The mapping to read; ``os.environ`` when omitted.

        Returns
        -------
        Settings
            Defaults for every variable that is not set.
        """
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            data_dir=Path(env.get("HEIMATRUHR_DATA_DIR", defaults.data_dir)),
            static_dir=Path(env.get("HEIMATRUHR_STATIC_DIR", defaults.static_dir)),
            asset_mode=env.get("HEIMATRUHR_ASSETS", defaults.asset_mode),
            asset_url=env.get("HEIMATRUHR_ASSET_URL", defaults.asset_url).rstrip("/"),
            tile_url=env.get("HEIMATRUHR_TILE_URL", defaults.tile_url),
            tile_attribution=env.get("HEIMATRUHR_TILE_ATTRIBUTION", defaults.tile_attribution),
            database_url=env.get("HEIMATRUHR_DATABASE_URL", defaults.database_url),
            nominatim_url=env.get("HEIMATRUHR_NOMINATIM_URL", defaults.nominatim_url).rstrip("/"),
            contact=env.get("HEIMATRUHR_CONTACT", defaults.contact),
            cache_dir=Path(env.get("HEIMATRUHR_CACHE_DIR", defaults.cache_dir)),
            offline=env.get("HEIMATRUHR_OFFLINE", "0").strip().lower() in {"1", "true", "yes"},
            moderators=env.get("HEIMATRUHR_MODERATORS", defaults.moderators),
            trusted_proxies=env.get("HEIMATRUHR_TRUSTED_PROXIES", defaults.trusted_proxies),
            limits_secret=env.get("HEIMATRUHR_LIMITS_SECRET", defaults.limits_secret),
            operator_name=env.get("HEIMATRUHR_OPERATOR_NAME", "").strip(),
            operator_address=env.get("HEIMATRUHR_OPERATOR_ADDRESS", "").strip(),
            operator_email=env.get("HEIMATRUHR_OPERATOR_EMAIL", "").strip(),
            operator_phone=env.get("HEIMATRUHR_OPERATOR_PHONE", "").strip(),
            api_rate_limit=_whole(env, "HEIMATRUHR_API_RATE_LIMIT", defaults.api_rate_limit),
        )


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    """Return the whole number in variable ``name`` (``default`` when unset or empty)."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise InputError(f"{name}={text!r} is not allowed; use a whole number") from None
