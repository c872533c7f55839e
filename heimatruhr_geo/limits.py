"""Rate limits kept in the database, and who the client is.

One limiter for every limit of the app (form submissions, failed sign-ins, and the
geocoder's politeness towards Nominatim): a :class:`Rule` says how many events a subject
may cause in a time window and how long it waits after that; a :class:`Limiter` keeps the
events in the table ``limit_events`` of the app's database, so that a limit holds across
page reloads, new browser sessions, restarts and several app processes.

Three ways to use it: :meth:`Limiter.acquire` counts an event if it may happen now (a
form, a quota); :meth:`Limiter.reserve` books the next free turn, possibly in the future,
under a short lock and returns how long to wait for it, so the caller sleeps holding no
lock (one request per second to a remote service, shared by all processes);
:meth:`Limiter.hold` lets nobody act for a while (a server's ``Retry-After``).
Subjects (a client address, a user name) are stored only as a keyed hash (HMAC-SHA256)
with a secret from the settings or a random one kept in the database; rows are deleted
once older than their rule's window (:meth:`Limiter.purge_expired`, run by the app at most
once a minute and by ``python -m heimatruhr_geo purge-contacts``).

:func:`client_address` is the rule for identifying a client: the peer address of the
connection, or, when the peer is a trusted proxy, the right-most address of
``X-Forwarded-For`` that is not a trusted proxy. IPv6 clients count per /64 network (one
household or host usually has a whole /64).

Pure: no Streamlit; the pages pass in the peer address and headers.

Examples
--------
>>> rule = Rule("form", limit=2, window_s=60)
>>> rule.wait_s([], now=100.0), rule.wait_s([50.0, 90.0], now=100.0)
(0.0, 10.0)
>>> client_address("203.0.113.7", "198.51.100.1", trusted=())  # header ignored
'203.0.113.7'
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.schema import APP_SECRETS, LIMIT_EVENTS

logger = logging.getLogger(__name__)

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = "127.0.0.1"
"""The peer when the connection comes from this machine (Streamlit then reports none)."""
IPV6_PREFIX = 64
"""IPv6 clients are counted per network of this prefix length."""
SECRET_NAME = "limits_hmac"
SWEEP_EVERY_S = 60.0
"""How often one process deletes expired rows (at most)."""


# ---------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """How many events one subject may cause, and how long it waits after that.

    Attributes
    ----------
    name
        The bucket the events are counted in (at most 32 characters).
    limit
        Events allowed within ``window_s`` before the subject has to wait.
    window_s
        Events older than this are forgotten (and deleted).
    backoff_s
        0: a quota, the subject waits until enough events have left the window.
        Otherwise a growing lockout: from the ``limit``-th event on, the subject waits
        ``backoff_s * 2**(events - limit)`` seconds after its latest event, at most
        ``max_backoff_s``.
    max_backoff_s
        Longest lockout of a backoff rule.
    """

    name: str
    limit: int
    window_s: float
    backoff_s: float = 0.0
    max_backoff_s: float = 0.0

    def __post_init__(self) -> None:
        if not 0 < len(self.name) <= 32 or self.limit < 1 or self.window_s <= 0:
            raise InputError(
                f"rate-limit rule {self.name!r}: limit={self.limit}, window_s={self.window_s}; "
                "use a name of 1 to 32 characters, a limit >= 1 and a window > 0"
            )

    def wait_s(self, times: Sequence[float], now: float) -> float:
        """Return the seconds the subject must wait, given its event times (ascending).

        Examples
        --------
        >>> quota = Rule("q", limit=2, window_s=100)
        >>> quota.wait_s([10.0], 50.0), quota.wait_s([10.0, 40.0], 50.0)
        (0.0, 60.0)
        >>> lockout = Rule("l", limit=3, window_s=1000, backoff_s=60, max_backoff_s=600)
        >>> lockout.wait_s([1.0, 2.0], 10.0), lockout.wait_s([1.0, 2.0, 3.0], 10.0)
        (0.0, 53.0)
        >>> lockout.wait_s([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0], 10.0)
        598.0
        """
        recent = [at for at in times if at > now - self.window_s]
        if len(recent) < self.limit:
            return 0.0
        if self.backoff_s <= 0:
            oldest_that_counts = recent[len(recent) - self.limit]
            return max(oldest_that_counts + self.window_s - now, 0.0)
        over = min(len(recent) - self.limit, 32)
        lockout = min(self.backoff_s * 2.0**over, self.max_backoff_s or self.window_s)
        return max(recent[-1] + lockout - now, 0.0)


# ---------------------------------------------------------------------------- clients


def parse_networks(text: str) -> tuple[IPNetwork, ...]:
    """Read addresses or networks separated by commas or spaces (``HEIMATRUHR_TRUSTED_PROXIES``).

    Raises
    ------
    InputError
        For an entry that is no IP address or network, naming it.

    Examples
    --------
    >>> [str(n) for n in parse_networks("127.0.0.1, 10.0.0.0/8 ::1")]
    ['127.0.0.1/32', '10.0.0.0/8', '::1/128']
    """
    networks = []
    for entry in text.replace(",", " ").split():
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise InputError(
                f"HEIMATRUHR_TRUSTED_PROXIES: {entry!r} is not an IP address or network; "
                "use e.g. 127.0.0.1 or 10.0.0.0/8, separated by commas"
            ) from None
    return tuple(networks)


def client_address(
    peer: str | None,
    forwarded_for: str | Iterable[str] | None,
    trusted: Sequence[IPNetwork],
) -> str:
    """Return the address that identifies the client of one connection.

    Parameters
    ----------
    peer
        The connection's remote address (``st.context.ip_address``); ``None`` means this
        machine (Streamlit reports no address for loopback connections).
    forwarded_for
        The ``X-Forwarded-For`` header value(s), each a comma-separated list of hops.
    trusted
        The proxies whose ``X-Forwarded-For`` is believed (:func:`parse_networks`).

    Returns
    -------
    str
        The peer, unless it is a trusted proxy: then the right-most hop of
        ``X-Forwarded-For`` that is not a trusted proxy (hops left of it were written by
        the client and may be forged). A malformed hop ends the walk at the last trusted
        address. IPv6 addresses become their /64 network, IPv4-mapped ones plain IPv4.

    Examples
    --------
    >>> proxy = parse_networks("127.0.0.1")
    >>> client_address(None, "1.2.3.4, 203.0.113.9", proxy)  # 1.2.3.4 is forged
    '203.0.113.9'
    >>> client_address("198.51.100.2", "203.0.113.9", proxy)  # not from the proxy
    '198.51.100.2'
    >>> client_address("2001:db8:1:2:3:4:5:6", None, ())
    '2001:db8:1:2::/64'
    """
    hop = _normalize(peer or LOOPBACK)
    if not _is_trusted(hop, trusted):
        return _text(hop)
    chain = [forwarded_for] if isinstance(forwarded_for, str) else list(forwarded_for or ())
    hops = [h.strip() for value in chain for h in value.split(",") if h.strip()]
    for raw in reversed(hops):
        parsed = _normalize(raw)
        if parsed is None:
            logger.warning("malformed X-Forwarded-For hop %r; using the proxy", raw[:64])
            return _text(hop)
        hop = parsed
        if not _is_trusted(hop, trusted):
            return _text(hop)
    return _text(hop)


def _normalize(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = text.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":")[0]
    try:
        address = ipaddress.ip_address(value.split("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address | None, trusted: Sequence[IPNetwork]
) -> bool:
    return address is not None and any(address in network for network in trusted)


def _text(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> str:
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False))
    return str(address)


# ---------------------------------------------------------------------------- limiter


class Limiter:
    """Rules applied to subjects, with the events kept in the database.

    Thread-safe and safe across processes: every check-and-count runs in one write
    transaction that holds a lock per subject (SQLite: the database's write lock;
    PostgreSQL: transaction-scoped advisory locks).

    Parameters
    ----------
    engine
        The store's engine (:attr:`heimatruhr_geo.store.Store.engine`); the schema must
        be migrated.
    secret
        Key of the HMAC over subjects; empty: a random key kept in ``app_secrets``.
    clock
        Seconds since the epoch (shared by all processes).
    """

    def __init__(
        self, engine: Engine, *, secret: str = "", clock: Callable[[], float] = time.time
    ) -> None:
        self.engine = engine
        self.clock = clock
        self._secret = secret.encode() if secret else b""
        self._last_sweep = 0.0
        self._lock = threading.Lock()

    def subject(self, text: str) -> str:
        """Return the stored form of ``text`` (``"client:…"``, ``"name:…"``): a keyed hash."""
        return hmac.new(self._key(), text.encode(), hashlib.sha256).hexdigest()[:48]

    @contextmanager
    def session(self, *keys: tuple[Rule, str]) -> Iterator[LimitSession]:
        """Open one locked transaction over ``(rule, subject)`` pairs; yield its session.

        Everything done in the session is committed together when the block ends.
        """
        hashed = {(rule.name, text): self.subject(text) for rule, text in keys}
        with self._write() as conn:
            if conn.dialect.name == "postgresql":
                for lock in sorted({_lock_id(b, s) for (b, _), s in hashed.items()}):
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock})
            yield LimitSession(conn, self.clock(), hashed)
        self._sweep()

    def wait_s(self, rule: Rule, subject: str) -> float:
        """Return the seconds ``subject`` must wait under ``rule`` (0: it may act now)."""
        with self.session((rule, subject)) as limits:
            return limits.wait_s(rule, subject)

    def acquire(self, rule: Rule, subject: str) -> float:
        """Count one event of ``subject`` if it need not wait; else return the wait (seconds).

        >>> wait = limiter.acquire(Rule("form", 5, 3600.0), "client:203.0.113.7")  # doctest: +SKIP
        """
        return self.reserve(rule, subject, max_wait_s=0.0)

    def reserve(self, rule: Rule, subject: str, *, max_wait_s: float) -> float:
        """Book the next turn of ``subject`` under ``rule`` if it comes within ``max_wait_s``.

        The turn is counted at its (possibly future) time in one short locked transaction;
        the caller then waits for it holding no lock, so a long wait never blocks another
        process or thread from learning its own turn at once.

        Parameters
        ----------
        rule
            A quota (``backoff_s == 0``); e.g. ``Rule("nominatim", 1, 1.1)`` spaces turns
            by 1.1 s.
        subject
            Who takes turns (e.g. the remote server).
        max_wait_s
            The longest wait the caller accepts; a later turn is not booked.

        Returns
        -------
        float
            Seconds until the turn (0: now), measured when the booking is committed.
            Booked if and only if ``<= max_wait_s``.

        Examples
        --------
        >>> turns = Rule("nominatim", limit=1, window_s=1.1)
        >>> wait = limiter.reserve(turns, "server:…", max_wait_s=9.0)  # doctest: +SKIP
        >>> if wait <= 9.0:  # doctest: +SKIP
        ...     time.sleep(wait)  # outside every lock; then send the request
        """
        with self.session((rule, subject)) as limits:
            wait = limits.wait_s(rule, subject)
            if wait > max_wait_s:
                return wait
            turn = limits.now + wait
            limits.record(rule, subject, at=turn)
        return max(turn - self.clock(), 0.0)  # measured after the commit: no time lost

    def hold(self, rule: Rule, subject: str, seconds: float) -> None:
        """Let ``subject`` have no turn under ``rule`` (a quota) for the next ``seconds``.

        Turns already booked stay; a longer hold already in place is kept.

        Raises
        ------
        InputError
            For a rule with a growing lockout (``backoff_s > 0``), where a hold has no
            meaning, or a negative ``seconds``.
        """
        if rule.backoff_s > 0 or seconds < 0:
            raise InputError(
                f"hold({rule.name!r}, seconds={seconds}): only quota rules (backoff_s=0) can "
                "be held, for 0 seconds or more"
            )
        with self.session((rule, subject)) as limits:
            # `limit` events at (now + seconds - window) use up the quota until now + seconds.
            for _ in range(rule.limit):
                limits.record(rule, subject, at=limits.now + seconds - rule.window_s)

    def discard(self, ids: Iterable[int]) -> None:
        """Delete single events by id (e.g. an attempt that turned out to be allowed)."""
        wanted = list(ids)
        if wanted:
            with self._write() as conn:
                conn.execute(sa.delete(LIMIT_EVENTS).where(LIMIT_EVENTS.c.id.in_(wanted)))

    def reset(self) -> None:
        """Forget every event (for tests and operators)."""
        with self._write() as conn:
            conn.execute(sa.delete(LIMIT_EVENTS))

    def _key(self) -> bytes:
        with self._lock:
            if not self._secret:
                self._secret = _stored_secret(self.engine)
            return self._secret

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(heimatruhr_write=True)  # SQLite: BEGIN IMMEDIATE
            with conn.begin():
                yield conn

    def purge_expired(self) -> int:
        """Delete the events that no longer count under their rule; return how many."""
        with self._write() as conn:
            deleted = conn.execute(
                sa.delete(LIMIT_EVENTS).where(LIMIT_EVENTS.c.expires <= self.clock())
            )
            return int(deleted.rowcount or 0)

    def _sweep(self) -> None:
        """Delete expired events, at most every :data:`SWEEP_EVERY_S` per process."""
        now = self.clock()
        with self._lock:
            if now - self._last_sweep < SWEEP_EVERY_S:
                return
            self._last_sweep = now
        self.purge_expired()


class LimitSession:
    """Check, count and forget events within one :meth:`Limiter.session` transaction."""

    def __init__(self, conn: Connection, now: float, hashed: dict[tuple[str, str], str]):
        self.conn = conn
        self.now = now
        self._hashed = hashed

    def times(self, rule: Rule, subject: str) -> list[float]:
        """Return the times of ``subject``'s events under ``rule`` within its window."""
        stmt = (
            sa.select(LIMIT_EVENTS.c.at)
            .where(
                LIMIT_EVENTS.c.bucket == rule.name,
                LIMIT_EVENTS.c.subject == self._subject(rule, subject),
                LIMIT_EVENTS.c.at > self.now - rule.window_s,
            )
            .order_by(LIMIT_EVENTS.c.at)
        )
        return [float(at) for at in self.conn.execute(stmt).scalars()]

    def count(self, rule: Rule, subject: str) -> int:
        """Return how many events ``subject`` has under ``rule`` within its window."""
        stmt = sa.select(sa.func.count()).where(
            LIMIT_EVENTS.c.bucket == rule.name,
            LIMIT_EVENTS.c.subject == self._subject(rule, subject),
            LIMIT_EVENTS.c.at > self.now - rule.window_s,
        )
        return int(self.conn.execute(stmt).scalar_one())

    def wait_s(self, rule: Rule, subject: str) -> float:
        """Return the seconds ``subject`` must wait under ``rule`` (0: now)."""
        return rule.wait_s(self.times(rule, subject), self.now)

    def record(self, rule: Rule, subject: str, *, at: float | None = None) -> int:
        """Count one event of ``subject`` under ``rule`` now (or ``at``); return its id."""
        when = self.now if at is None else at
        values = {
            "bucket": rule.name,
            "subject": self._subject(rule, subject),
            "at": when,
            "expires": when + rule.window_s,
        }
        result = self.conn.execute(sa.insert(LIMIT_EVENTS).values(**values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def forget(self, rule: Rule, subject: str) -> None:
        """Delete all events of ``subject`` under ``rule``."""
        self.conn.execute(
            sa.delete(LIMIT_EVENTS).where(
                LIMIT_EVENTS.c.bucket == rule.name,
                LIMIT_EVENTS.c.subject == self._subject(rule, subject),
            )
        )

    def _subject(self, rule: Rule, subject: str) -> str:
        try:
            return self._hashed[(rule.name, subject)]
        except KeyError:
            raise InputError(
                f"rate limit {rule.name!r}: subject not locked by this session; pass it to "
                "Limiter.session()"
            ) from None


def _lock_id(bucket: str, subject: str) -> int:
    """Return a signed 64-bit advisory-lock key for one bucket and hashed subject."""
    digest = hashlib.sha256(f"{bucket}\x1f{subject}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _stored_secret(engine: Engine) -> bytes:
    """Return the HMAC key kept in ``app_secrets``, making a random one the first time."""
    select = sa.select(APP_SECRETS.c.value).where(APP_SECRETS.c.name == SECRET_NAME)
    with engine.connect() as conn:
        found = conn.execute(select).scalar_one_or_none()
    if found is None:
        try:
            with engine.connect() as conn, conn.begin():
                conn.execute(
                    sa.insert(APP_SECRETS).values(name=SECRET_NAME, value=secrets.token_hex(32))
                )
        except sa.exc.IntegrityError:  # another process was first: use its key
            pass
        with engine.connect() as conn:
            found = conn.execute(select).scalar_one()
    return str(found).encode()
