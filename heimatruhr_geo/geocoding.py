"""Addresses to points in the Ruhr: a polite Nominatim client, a persistent cache, a chain.

The chain, in order, stops at the first step that answers:

1. **given** coordinates (precision ``exact``), checked to lie in a Ruhr municipality;
2. the persistent **cache** of earlier Nominatim answers (found and not found);
3. **nominatim** (unless ``settings.offline``): structured or free-text search limited to
   Germany and a box around the Ruhr, with the identifying User-Agent, at most one
   request per second for the whole application (every process and thread: the turns are
   booked in the app's database through :class:`heimatruhr_geo.limits.Limiter`), a
   timeout and bounded retries on 429/5xx (tenacity), and a total deadline per lookup
   (:data:`LOOKUP_DEADLINE`) after which the chain goes on offline; results outside the
   53 municipalities are rejected;
4. the offline **gazetteer** (:mod:`heimatruhr_geo.gazetteer`): district and municipality
   names;
5. the municipality **centroid** (a point inside it) when the gazetteer knows the
   municipality but has no point of its own for it.

Every answer is a :class:`GeocodeResult`; a query that cannot be resolved gives a
not-found result with the reason, never an exception or an empty point.
"""

from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
import itertools
import json
import logging
import math
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import requests
import tenacity
import urllib3

from heimatruhr_geo import __version__
from heimatruhr_geo.boundaries import default_path, load_municipalities
from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import DataError, GeocodingError, InputError
from heimatruhr_geo.gazetteer import Gazetteer, Place, load_gazetteer
from heimatruhr_geo.limits import Limiter, Rule
from heimatruhr_geo.models import PRECISIONS as PRECISIONS  # the vocabulary lives there
from heimatruhr_geo.models import GeocodePrecision
from heimatruhr_geo.spatial import assign_municipalities, default_index
from heimatruhr_geo.store import Store

logger = logging.getLogger(__name__)

SOURCES = ("given", "cache", "nominatim", "gazetteer", "centroid")

MIN_INTERVAL = 1.0
"""Seconds between two requests to Nominatim, application-wide (the usage policy's limit)."""
TIMEOUT = 10.0
"""Seconds to wait for Nominatim to connect and to answer (requests has no default)."""
MAX_RETRIES = 2
"""Retries after a 429 or 5xx answer; a timeout or a connection error is not retried."""
BACKOFF = 2.0
"""Seconds before the first retry; doubled for each further retry."""
JITTER_MARGIN = 0.1
"""Seconds added between two booked starts, so that scheduling and the way to the server
(threads, processes, connections) never let two requests arrive closer together than the
interval."""
RULE_NAME = "nominatim"
"""The limiter's bucket of request turns (:class:`heimatruhr_geo.limits.Rule`)."""
MAX_RETRY_AFTER = 60.0
"""Longest pause a lookup waits for; during a longer ``Retry-After`` pause lookups fall
back at once instead of asking."""
LOOKUP_DEADLINE = 10.0
"""Seconds one lookup may spend on Nominatim in all (waiting for its turn, retries, reading
the answer); past it the chain answers offline and says why."""
SERVICE_ISSUES = ("", "offline", "busy", "unreachable")
"""Why Nominatim did not answer a lookup: not asked by configuration, no turn before the
deadline (rate limit or a server's ``Retry-After``), or failed (timeout, error, bad answer)."""
NOT_FOUND_TTL = 30 * 24 * 3600.0
"""Seconds a "Nominatim found nothing" answer stays in the cache."""
RESULT_LIMIT = 5
VIEWBOX_MARGIN = 0.05
"""Degrees added around the 53 municipalities' bounds for Nominatim's viewbox."""
CACHE_FILE = "geocode-cache.sqlite"
CACHE_SCHEMA = 2
"""Layout version of the cache file; a file with another version is emptied."""
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_ANSWER_BYTES = 2_000_000
"""Largest answer read from Nominatim (five results are a few kB)."""


def user_agent(contact: str) -> str:
    """Return the User-Agent that identifies this app to Nominatim.

    Raises
    ------
    InputError
        If ``contact`` (``HEIMATRUHR_CONTACT``) is empty.
    """
    if not contact.strip():
        raise InputError(
            "HEIMATRUHR_CONTACT is empty; set it to an e-mail address or URL where the "
            "operator can be reached (Nominatim's usage policy requires it)"
        )
    return f"heimatruhr-geo/{__version__} ({contact.strip()})"


@dataclass(frozen=True)
class AddressQuery:
    """What to geocode: a structured address, free text, or coordinates.

    Attributes
    ----------
    street, postcode, city
        Structured address parts ("Rottstraße 5", "44793", "Bochum").
    text
        Free text, used when the structured fields are empty.
    lat, lon
        Given coordinates short-circuit the chain (source ``given``, precision
        ``exact``); they are still checked to lie inside the Ruhr.
    """

    street: str = ""
    postcode: str = ""
    city: str = ""
    text: str = ""
    lat: float | None = None
    lon: float | None = None

    def label(self) -> str:
        """Return a readable one-line form of the query."""
        street, postcode, city, free = (
            " ".join(str(v).split()) for v in (self.street, self.postcode, self.city, self.text)
        )
        place = " ".join(p for p in (postcode, city) if p)
        text = ", ".join(p for p in (street, place) if p) or free
        if text:
            return text
        if self.lat is not None or self.lon is not None:
            return f"{self.lat}, {self.lon}"
        return ""

    @property
    def structured(self) -> bool:
        """Whether any of street, postcode or city is filled in."""
        return any(p.strip() for p in (self.street, self.postcode, self.city))


@dataclass(frozen=True)
class GeocodeResult:
    """The answer to one query.

    Attributes
    ----------
    query
        :meth:`AddressQuery.label` of the query.
    found
        Whether a point inside a Ruhr municipality was found.
    lat, lon
        The point (``None`` when not found).
    precision, source
        One of :data:`PRECISIONS` and of :data:`SOURCES` (``None`` when not found).
    ags, municipality
        The municipality key and official name (``""`` when not found).
    label
        The matched label: Nominatim's ``display_name`` or the gazetteer's name.
    reason
        Why nothing was found, or why a fallback was used (``""`` for a direct hit).
    service_issue
        One of :data:`SERVICE_ISSUES`: why Nominatim did not answer (``""`` when it did,
        from the cache, or was not needed), so a page can say "the geocoder was
        unreachable" instead of "not found".
    """

    query: str
    found: bool
    lat: float | None
    lon: float | None
    precision: GeocodePrecision | None
    source: str | None
    ags: str
    municipality: str
    label: str
    reason: str
    service_issue: str = ""

    def to_dict(self) -> dict[str, object]:
        """Return the fields as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def not_found(cls, query: str, reason: str, service_issue: str = "") -> GeocodeResult:
        """Return a not-found result for ``query`` saying why."""
        return cls(query, False, None, None, None, None, "", "", "", reason, service_issue)


@dataclass(frozen=True)
class _Hit:
    """A point found by Nominatim, already checked to lie in municipality ``ags``."""

    lat: float
    lon: float
    precision: GeocodePrecision
    ags: str
    label: str


@dataclass(frozen=True)
class _Answer:
    """Nominatim's answer (cached): a hit, or none with the reason."""

    hit: _Hit | None
    reason: str = ""


def search_params(query: AddressQuery, viewbox: str) -> dict[str, str]:
    """Return Nominatim's ``/search`` parameters: structured when possible, else ``q``.

    Examples
    --------
    >>> p = search_params(AddressQuery(street="Rottstraße 5", city="Bochum"), "6,52,8,51")
    >>> p["street"], p["city"], p["countrycodes"], p["bounded"]
    ('Rottstraße 5', 'Bochum', 'de', '1')
    """
    params = {
        "format": "jsonv2",
        "countrycodes": "de",
        "viewbox": viewbox,
        "bounded": "1",
        "limit": str(RESULT_LIMIT),
    }
    if query.structured:
        for name, value in (
            ("street", query.street),
            ("postalcode", query.postcode),
            ("city", query.city),
        ):
            if value.strip():
                params[name] = " ".join(value.split())
    else:
        params["q"] = " ".join(query.text.split())
    return params


class ServiceBusy(GeocodingError):
    """No turn for a request before the lookup's deadline (the service is not at fault)."""


class GeocodeCache:
    """Nominatim answers in an SQLite file, safe to share between threads.

    Found answers are kept for good; "not found" answers expire after ``not_found_ttl``
    seconds. Each answer is written (and committed) as soon as it arrives, so an
    interrupted batch resumes without repeating finished lookups.
    """

    def __init__(self, path: Path, not_found_ttl: float = NOT_FOUND_TTL) -> None:
        self.path = path
        self.not_found_ttl = not_found_ttl
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise DataError(
                f"geocoding cache {path} is not a usable SQLite file ({exc}); delete it, "
                "it only holds answers that can be asked again"
            ) from exc

    def _prepare(self) -> None:
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("PRAGMA journal_mode=WAL")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version != CACHE_SCHEMA:  # an older layout: it is only a cache, start afresh
            self._db.execute("DROP TABLE IF EXISTS answers")
            self._db.execute(f"PRAGMA user_version={CACHE_SCHEMA:d}")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, query TEXT NOT NULL,"
            " answer TEXT NOT NULL, found INTEGER NOT NULL, stored REAL NOT NULL)"
        )

    @staticmethod
    def key(params: dict[str, str]) -> str:
        """Return the stable key of a request: a hash of its sorted, normalised parameters."""
        canonical = {k: " ".join(v.casefold().split()) for k, v in params.items()}
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()

    def get(self, key: str) -> _Answer | None:
        """Return the stored answer for ``key``, or ``None`` when absent or expired."""
        with self._lock:
            row = self._db.execute(
                "SELECT answer, found, stored FROM answers WHERE key = ?", (key,)
            ).fetchone()
        if row is None or (not row[1] and row[2] + self.not_found_ttl < time.time()):
            return None
        data = json.loads(row[0])
        hit = _Hit(**data["hit"]) if data.get("hit") else None
        return _Answer(hit, data.get("reason", ""))

    def put(self, key: str, query: str, answer: _Answer) -> None:
        """Store ``answer`` for ``key`` and commit at once."""
        payload = json.dumps(
            {"hit": asdict(answer.hit) if answer.hit else None, "reason": answer.reason}
        )
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                (key, query, payload, answer.hit is not None, time.time()),
            )

    def __len__(self) -> int:
        """Return the number of stored answers (expired ones included)."""
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()


@dataclass
class NominatimClient:
    """Search requests to one Nominatim server, polite by construction.

    Every request books its turn with ``limiter`` (one start per ``min_interval`` for
    this server across all processes on the app's database) and waits for it holding no
    lock, carries the identifying User-Agent, has a timeout, and 429/5xx answers are
    retried at most ``max_retries`` times with growing pauses (honouring
    ``Retry-After``; a pause holds every process's turns). ``clock`` and ``sleep``
    measure and spend the lookup's deadline (tests pass fakes).
    """

    base_url: str
    user_agent: str
    viewbox: str
    limiter: Limiter
    session: requests.Session = field(default_factory=requests.Session)
    timeout: float = TIMEOUT
    min_interval: float = MIN_INTERVAL
    max_retries: int = MAX_RETRIES
    backoff: float = BACKOFF
    lookup_deadline: float = LOOKUP_DEADLINE
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        if self.min_interval < MIN_INTERVAL and not _is_loopback(self.base_url):
            raise InputError(
                f"min_interval={self.min_interval} s for {self.base_url}: below "
                f"{MIN_INTERVAL:g} s only a server on this machine (localhost, 127.0.0.1) "
                "may be asked; Nominatim's usage policy allows one request per second"
            )
        # Replace requests' "python-requests/x.y" for every request of this session.
        self.session.headers["User-Agent"] = self.user_agent
        spacing = self.min_interval + JITTER_MARGIN if self.min_interval > 0 else 1e-3
        self.rule = Rule(RULE_NAME, limit=1, window_s=spacing)
        self.subject = f"server:{self.base_url}"

    def params(self, query: AddressQuery) -> dict[str, str]:
        """Return the search parameters for ``query`` (see :func:`search_params`)."""
        return search_params(query, self.viewbox)

    def search(self, params: dict[str, str], deadline: float | None = None) -> Any:
        """Send one search, retrying 429/5xx; return the decoded JSON.

        Parameters
        ----------
        params
            Search parameters (:meth:`params`).
        deadline
            ``clock()`` by which the answer must be read, waits and retries included;
            ``now + lookup_deadline`` when omitted.

        Raises
        ------
        ServiceBusy
            If no request could start before the deadline.
        GeocodingError
            On a timeout or the deadline passing while reading, a connection error, an
            error status after the retries, or an answer that is not JSON; the message
            says which.
        """
        deadline = self.clock() + self.lookup_deadline if deadline is None else deadline
        url = f"{self.base_url}/search"
        attempts = tenacity.Retrying(
            retry=tenacity.retry_if_result(lambda answer: answer[0] in _RETRY_STATUS),
            stop=self._give_up,
            wait=tenacity.wait_none(),  # the pause is held in the limiter: the next turn waits
            after=self._hold_pause,
            before_sleep=self._log_retry,
            retry_error_callback=_last_answer,  # an error status after the retries: judged below
            sleep=lambda _seconds: None,
        )
        numbers = itertools.count(1)
        status, _headers, body, attempt = attempts(self._attempt, url, params, deadline, numbers)
        if status != 200:
            raise GeocodingError(
                f"Nominatim answered HTTP {status} after {attempt} attempt(s); expected 200"
            )
        try:
            return json.loads(body)
        except ValueError as exc:
            raise GeocodingError(
                f"Nominatim answered something that is not JSON ({body[:60]!r})"
            ) from exc

    def _attempt(
        self, url: str, params: dict[str, str], deadline: float, numbers: Iterator[int]
    ) -> tuple[int, Mapping[str, str], bytes, int]:
        """Wait for a turn, send one request; return status, headers, body, attempt number."""
        self._turn(deadline)
        try:
            status, headers, body = self._get(url, params, deadline)
        finally:  # the next request starts an interval after this one ended
            self.limiter.hold(self.rule, self.subject, self.rule.window_s)
        return status, headers, body, next(numbers)

    def _turn(self, deadline: float) -> None:
        """Book the next request start and sleep until it (holding no lock).

        Raises
        ------
        ServiceBusy
            If that start would be after ``deadline`` (nothing is booked) or a server
            asked for a pause longer than :data:`MAX_RETRY_AFTER` seconds.
        """
        remaining = deadline - self.clock()
        accept = min(max(remaining, 0.0), MAX_RETRY_AFTER)
        wait = self.limiter.reserve(self.rule, self.subject, max_wait_s=accept)
        if wait > MAX_RETRY_AFTER:
            raise ServiceBusy(
                f"Nominatim asked to pause; {wait:.0f} s left before the next request"
            )
        if wait > accept:
            raise ServiceBusy(
                f"Nominatim is busy: the next request may start in {wait:.0f} s, "
                "after this lookup's deadline"
            )
        if wait > 0:
            self.sleep(wait)

    def _pause(self, state: tenacity.RetryCallState) -> float:
        """Return the pause after the failed attempt of ``state``."""
        headers = _last_answer(state)[1]
        return self._retry_pause(headers, state.attempt_number - 1)

    def _hold_pause(self, state: tenacity.RetryCallState) -> None:
        """Let no process ask this server during the pause after a 429 or 5xx."""
        self.limiter.hold(self.rule, self.subject, self._pause(state))

    def _log_retry(self, state: tenacity.RetryCallState) -> None:
        status = _last_answer(state)[0]
        logger.info("Nominatim answered %d; retry in %.1f s", status, self._pause(state))

    def _give_up(self, state: tenacity.RetryCallState) -> bool:
        return state.attempt_number > self.max_retries or self._pause(state) > MAX_RETRY_AFTER

    def _get(
        self, url: str, params: dict[str, str], deadline: float
    ) -> tuple[int, Mapping[str, str], bytes]:
        """Return status, headers and body, read in pieces so a trickle cannot pass the deadline."""
        headers = {"User-Agent": self.user_agent, "Accept-Language": "de"}
        remaining = deadline - self.clock()
        try:
            response = self.session.get(
                url,
                params=params,
                headers=headers,
                timeout=max(0.01, min(self.timeout, remaining)),
                stream=True,
            )
            with response:
                body = self._read_by(response, deadline)
        except requests.Timeout as exc:
            raise GeocodingError(
                f"Nominatim did not answer within {min(self.timeout, remaining):.1f} s"
            ) from exc
        except requests.RequestException as exc:
            raise GeocodingError(f"Nominatim could not be reached: {exc}") from exc
        return response.status_code, response.headers, body

    def _read_by(self, response: requests.Response, deadline: float) -> bytes:
        body = bytearray()
        raw = response.raw
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        while True:
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise GeocodingError(
                    f"Nominatim's answer was not complete within {self.lookup_deadline:g} s"
                )
            if sock is not None:
                sock.settimeout(min(self.timeout, remaining))
            try:
                chunk = raw.read1(65536, decode_content=True)
            except (OSError, urllib3.exceptions.HTTPError) as exc:
                raise GeocodingError(f"Nominatim's answer broke off: {exc}") from exc
            if not chunk:
                return bytes(body)
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise GeocodingError(f"Nominatim's answer is larger than {MAX_ANSWER_BYTES} bytes")

    def _retry_pause(self, headers: Mapping[str, str], attempt: int) -> float:
        """Return the pause before the next attempt: back-off, or ``Retry-After`` if longer."""
        pause = self.backoff * 2**attempt
        header = headers.get("Retry-After", "").strip()
        return max(pause, float(header)) if header.isdigit() else pause


def _last_answer(state: tenacity.RetryCallState) -> tuple[int, Mapping[str, str], bytes, int]:
    """Return the answer of the attempt that ``state`` describes (it did not raise)."""
    assert state.outcome is not None
    answer: tuple[int, Mapping[str, str], bytes, int] = state.outcome.result()
    return answer


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Geocoder:
    """The geocoding chain (see the module docstring); thread-safe, share one per process.

    Parameters
    ----------
    settings
        Nominatim URL, contact, cache folder, offline switch and data folder.
    session
        The HTTP session to use; a new one when omitted. Its User-Agent is replaced.
    limiter
        Where request turns are booked: the app's limiter (:mod:`heimatruhr_geo.limits`).
        When omitted (and not offline), one on the database that ``settings`` name, so
        that every process of the app shares the one request per second.
    min_interval, timeout, max_retries, backoff, lookup_deadline
        Politeness and patience knobs of :class:`NominatimClient`; keep the defaults
        against any public server.
    clock, sleep
        Measure and spend a lookup's deadline (``time.monotonic``, ``time.sleep``).
    """

    def __init__(
        self,
        settings: Settings,
        *,
        session: requests.Session | None = None,
        limiter: Limiter | None = None,
        min_interval: float = MIN_INTERVAL,
        timeout: float = TIMEOUT,
        max_retries: int = MAX_RETRIES,
        backoff: float = BACKOFF,
        lookup_deadline: float = LOOKUP_DEADLINE,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._own_store: Store | None = None
        municipalities = load_municipalities(default_path(settings.data_dir))
        self._names: dict[str, str] = dict(
            zip(municipalities["ags"], municipalities["name"], strict=True)
        )
        self._index = default_index(settings.data_dir, settings.cache_dir)
        self.gazetteer: Gazetteer = load_gazetteer(settings.data_dir, settings.cache_dir)
        self.cache = GeocodeCache(settings.cache_dir / CACHE_FILE)
        x0, y0, x1, y1 = municipalities.total_bounds
        viewbox = ",".join(
            f"{v:.4f}"
            for v in (
                x0 - VIEWBOX_MARGIN,
                y1 + VIEWBOX_MARGIN,
                x1 + VIEWBOX_MARGIN,
                y0 - VIEWBOX_MARGIN,
            )
        )
        self.client: NominatimClient | None = None
        if not settings.offline:
            agent = user_agent(settings.contact)
            if limiter is None:
                self._own_store = Store.from_settings(settings)
                limiter = Limiter(self._own_store.engine, secret=settings.limits_secret)
            self.client = NominatimClient(
                base_url=settings.nominatim_url.rstrip("/"),
                user_agent=agent,
                viewbox=viewbox,
                limiter=limiter,
                session=session or requests.Session(),
                timeout=timeout,
                min_interval=min_interval,
                max_retries=max_retries,
                backoff=backoff,
                lookup_deadline=lookup_deadline,
                clock=clock,
                sleep=sleep,
            )
        self._viewbox = viewbox

    def geocode(self, query: AddressQuery | str) -> GeocodeResult:
        """Geocode one address, free text or coordinate pair.

        Parameters
        ----------
        query
            An :class:`AddressQuery`, or a string taken as free text.

        Returns
        -------
        GeocodeResult
            Found with its precision and source, or not found with the reason.
        """
        q = AddressQuery(text=query) if isinstance(query, str) else query
        label = q.label()
        if q.lat is not None or q.lon is not None:
            return self._given(q, label)
        if not label:
            return GeocodeResult.not_found(label, "empty query: give an address or coordinates")
        hit, note, issue = self._nominatim(q, label)
        if hit is not None:
            return self._from_hit(label, hit, source=note)
        return dataclasses.replace(self._offline(q, label, note), service_issue=issue)

    def geocode_many(
        self,
        queries: Sequence[AddressQuery | str],
        progress: Callable[[int, int], None] | None = None,
    ) -> list[GeocodeResult]:
        """Geocode many queries: each distinct query once, cache first, never stopping.

        Parameters
        ----------
        queries
            The queries, duplicates allowed.
        progress
            Called as ``progress(done, total)`` over the distinct queries, once at the
            start and after each lookup (e.g. to drive a progress bar).

        Returns
        -------
        list of GeocodeResult
            One per input, in input order. A query that raises gives a not-found
            result naming the error; the others go on. Answers are cached as they
            come, so a run interrupted with Ctrl-C resumes where it stopped.
        """
        normal = [AddressQuery(text=q) if isinstance(q, str) else q for q in queries]
        distinct = list(dict.fromkeys(normal))
        if progress is not None:
            progress(0, len(distinct))
        results: dict[AddressQuery, GeocodeResult] = {}
        for done, q in enumerate(distinct, start=1):
            try:
                results[q] = self.geocode(q)
            except Exception as exc:  # one bad row must not stop the batch
                logger.warning("geocoding %r failed: %s", q.label(), exc)
                results[q] = GeocodeResult.not_found(q.label(), f"error: {exc}")
            if progress is not None:
                progress(done, len(distinct))
        return [results[q] for q in normal]

    def close(self) -> None:
        """Close the cache database (the geocoder cannot be used afterwards)."""
        self.cache.close()
        if self._own_store is not None:
            self._own_store.close()

    # -- steps of the chain ------------------------------------------------------------

    def _given(self, q: AddressQuery, label: str) -> GeocodeResult:
        lat, lon = q.lat, q.lon
        if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
            return GeocodeResult.not_found(
                label, f"lat={lat!r}, lon={lon!r}: give both as finite numbers, or neither"
            )
        ags = self._ags(lat, lon)
        if not ags:
            return GeocodeResult.not_found(
                label, f"given point lat={lat}, lon={lon} lies outside the 53 Ruhr municipalities"
            )
        return GeocodeResult(
            label, True, lat, lon, "exact", "given", ags, self._names[ags], label, ""
        )

    def _nominatim(self, q: AddressQuery, label: str) -> tuple[_Hit | None, str, str]:
        """Cache, then Nominatim: ``(hit, "cache" or "nominatim", "")``.

        Or ``(None, why not, service issue)`` (see :data:`SERVICE_ISSUES`).
        """
        params = search_params(q, self._viewbox)
        key = GeocodeCache.key({"server": self.settings.nominatim_url.rstrip("/"), **params})
        cached = self.cache.get(key)
        if cached is not None:
            if cached.hit:
                return cached.hit, "cache", ""
            return None, f"cached: {cached.reason}", ""
        if self.client is None:
            return None, "offline (HEIMATRUHR_OFFLINE=1): Nominatim not asked", "offline"
        try:
            answer = self._ask(params)
        except ServiceBusy as exc:
            logger.info("Nominatim not asked for %r: %s", label, exc)
            return None, f"nominatim: {exc}", "busy"
        except GeocodingError as exc:
            logger.warning("Nominatim failed for %r: %s", label, exc)
            return None, f"nominatim: {exc}", "unreachable"
        self.cache.put(key, label, answer)
        if answer.hit:
            return answer.hit, "nominatim", ""
        return None, f"nominatim: {answer.reason}", ""

    def _ask(self, params: dict[str, str]) -> _Answer:
        assert self.client is not None
        data = self.client.search(params)
        if not isinstance(data, list):
            raise GeocodingError(
                f"Nominatim answered a JSON {type(data).__name__}; expected a list of places"
            )
        rejected = 0
        for item in data:
            hit = self._hit(item)
            if hit is not None:
                return _Answer(hit)
            rejected += 1
        if rejected:
            return _Answer(None, f"{rejected} result(s), none inside the 53 Ruhr municipalities")
        return _Answer(None, "no result")

    def _hit(self, item: Any) -> _Hit | None:
        try:
            lat, lon = float(item["lat"]), float(item["lon"])
        except (KeyError, TypeError, ValueError):
            logger.warning("ignoring a Nominatim result without usable lat/lon: %.80r", item)
            return None
        ags = self._ags(lat, lon)
        if not ags:
            logger.info("rejecting %s: outside the Ruhr", item.get("display_name", "?"))
            return None
        return _Hit(lat, lon, _precision(item), ags, str(item.get("display_name", "")))

    def _offline(self, q: AddressQuery, label: str, note: str) -> GeocodeResult:
        parts = [] if q.structured else [q.text]
        city = f"{q.postcode} {q.city}" if q.structured else ""
        match = self.gazetteer.resolve(parts, city=city)
        if match is None:
            return GeocodeResult.not_found(
                label, f"{note}; gazetteer: no Ruhr municipality or district name in the query"
            )
        place = match.place
        if place.kind == "county":
            note += f"; county {place.name!r} placed in its seat {self._names[place.ags]!r}"
        elif not place.own_point:
            note += f"; no point of its own for {place.name!r}: municipality centroid used"
        return self._from_place(label, place, note)

    def _from_place(self, label: str, place: Place, reason: str) -> GeocodeResult:
        source = "gazetteer" if place.own_point else "centroid"
        precision = _PLACE_PRECISION.get(place.kind, "municipality")
        return GeocodeResult(
            label,
            True,
            place.lat,
            place.lon,
            precision,
            source,
            place.ags,
            self._names[place.ags],
            place.name,
            reason,
        )

    def _from_hit(self, label: str, hit: _Hit, source: str) -> GeocodeResult:
        return GeocodeResult(
            label,
            True,
            hit.lat,
            hit.lon,
            hit.precision,
            source,
            hit.ags,
            self._names[hit.ags],
            hit.label,
            "",
        )

    def _ags(self, lat: float, lon: float) -> str:
        return str(assign_municipalities([lon], [lat], index=self._index)[0])


_PLACE_PRECISION: dict[str, GeocodePrecision] = {"district": "district", "station": "address"}
"""Precision of a gazetteer place by its kind; municipalities and counties otherwise."""
_STREET_TYPES = frozenset({"road", "street", "highway"})
_ADDRESS_TYPES = frozenset({"house", "building", "house_number"})


def _precision(item: Any) -> GeocodePrecision:
    """Map a jsonv2 result to a precision, from its ``place_rank`` (or ``addresstype``)."""
    try:
        rank = int(item.get("place_rank"))
    except (TypeError, ValueError):
        kind = str(item.get("addresstype", ""))
        if kind in _ADDRESS_TYPES:
            return "address"
        return "street" if kind in _STREET_TYPES else "municipality"
    if rank >= 28:
        return "address"
    if rank >= 26:
        return "street"
    if rank >= 17:
        return "district"
    return "municipality"
