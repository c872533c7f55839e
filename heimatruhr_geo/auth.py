"""Moderator sign-in: argon2 password hashes and a limiter for failed attempts.

Pure (no Streamlit). Moderators are ``name → argon2id hash`` pairs, read from the
``HEIMATRUHR_MODERATORS`` variable (``"alice:$argon2id$…;bob:$argon2id$…"``) or from a
mapping such as Streamlit's ``st.secrets["moderators"]``. Plaintext and weak hashes are
refused with an error naming the moderator. :meth:`Moderators.verify` takes the same time
for unknown names as for known ones (it checks against a dummy hash of the same cost).

:class:`SignInLimiter` counts failed sign-ins per user name and per client; after
:data:`FREE_FAILURES` failures a key is locked, for :data:`BASE_LOCKOUT_S` seconds at first
and twice as long after each further failure (at most :data:`MAX_LOCKOUT_S`).

Examples
--------
>>> hashed = hash_password("correct horse battery", fast=True)
>>> team = Moderators.parse(f"alice:{hashed}")
>>> team.verify("alice", "correct horse battery"), team.verify("alice", "wrong")
(True, False)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

from heimatruhr_geo.errors import InputError

MODERATORS_ENV = "HEIMATRUHR_MODERATORS"
"""Environment variable with the moderators: ``name:hash`` pairs separated by ``;``."""
MIN_MEMORY_KIB = 19_456
"""Least argon2 memory cost accepted (19 MiB, the OWASP minimum for argon2id)."""
MIN_TIME_COST = 2
"""Least argon2 time cost (iterations) accepted."""
MIN_PASSWORD_LENGTH = 12
"""Shortest password :func:`hash_password` accepts."""
MAX_NAME_LENGTH = 64
FREE_FAILURES = 5
"""Failed sign-ins per user name or client before the first lockout."""
BASE_LOCKOUT_S = 60.0
MAX_LOCKOUT_S = 3600.0
FORGET_AFTER_S = 24 * 3600.0
"""A key without failures for this long starts again from zero."""
MAX_KEYS = 10_000
"""Most keys the limiter remembers (the oldest unlocked ones are forgotten first)."""


def hash_password(password: str, *, fast: bool = False) -> str:
    """Return the argon2id hash of ``password`` for the moderator configuration.

    Parameters
    ----------
    password
        At least :data:`MIN_PASSWORD_LENGTH` characters.
    fast
        Use the least accepted cost (for tests); the default is argon2-cffi's RFC 9106
        low-memory profile (64 MiB, 3 iterations).

    Raises
    ------
    InputError
        If the password is too short.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(
            f"password of {len(password)} characters is too short; use at least "
            f"{MIN_PASSWORD_LENGTH}"
        )
    if fast:
        hasher = PasswordHasher(time_cost=MIN_TIME_COST, memory_cost=MIN_MEMORY_KIB, parallelism=1)
    else:
        hasher = PasswordHasher()
    return hasher.hash(password)


def check_hash(name: str, hashed: str) -> str:
    """Return ``hashed`` if it is a strong argon2id hash, else raise naming ``name``.

    Raises
    ------
    InputError
        For plaintext, another hash type, or a cost below :data:`MIN_MEMORY_KIB` /
        :data:`MIN_TIME_COST`.
    """
    text = hashed.strip()
    how = "create one with `python -m heimatruhr_geo hash-password`"
    try:
        params = extract_parameters(text)
    except (InvalidHashError, ValueError):
        raise InputError(
            f"moderator {name!r}: the password is not an argon2id hash (plaintext is "
            f"never accepted); {how}"
        ) from None
    if params.type is not Type.ID:
        raise InputError(f"moderator {name!r}: hash type argon2{params.type.name.lower()}; {how}")
    if params.memory_cost < MIN_MEMORY_KIB or params.time_cost < MIN_TIME_COST:
        raise InputError(
            f"moderator {name!r}: hash cost m={params.memory_cost} KiB, t={params.time_cost} "
            f"is too weak; use m >= {MIN_MEMORY_KIB} and t >= {MIN_TIME_COST}; {how}"
        )
    return text


def check_name(name: str) -> str:
    """Return the stripped moderator name, or raise if it is empty, too long or has ``:;``."""
    text = name.strip()
    if not text or len(text) > MAX_NAME_LENGTH or any(c in text for c in ":;\n"):
        raise InputError(
            f"moderator name {name!r} is not allowed; use 1 to {MAX_NAME_LENGTH} characters "
            "without ':' or ';'"
        )
    return text


@dataclass(frozen=True)
class Moderators:
    """The moderators who may sign in: name → argon2id hash (checked on creation)."""

    hashes: Mapping[str, str] = field(default_factory=dict)
    _dummy: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        checked = {check_name(n): check_hash(n, h) for n, h in self.hashes.items()}
        object.__setattr__(self, "hashes", checked)

    @classmethod
    def parse(cls, text: str) -> Moderators:
        """Read ``"alice:$argon2id$…;bob:$argon2id$…"`` (empty text: no moderators).

        Raises
        ------
        InputError
            For an entry without ``name:``, a name given twice, or a bad hash.
        """
        pairs: dict[str, str] = {}
        for entry in (e.strip() for e in text.replace("\n", ";").split(";")):
            if not entry:
                continue
            name, sep, hashed = entry.partition(":")
            if not sep or not name.strip():
                raise InputError(
                    f"{MODERATORS_ENV}: entry {entry[:12]!r}… has no 'name:' in front; "
                    "use name:$argon2id$… separated by ';'"
                )
            if name.strip() in pairs:
                raise InputError(f"{MODERATORS_ENV}: moderator {name.strip()!r} is given twice")
            pairs[name.strip()] = hashed
        return cls(pairs)

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> Moderators:
        """Read a mapping name → hash (e.g. ``st.secrets["moderators"]``)."""
        return cls({str(k): str(v) for k, v in mapping.items()})

    def merged(self, other: Moderators) -> Moderators:
        """Return both sets of moderators; ``other`` wins for a name in both."""
        return Moderators({**self.hashes, **other.hashes})

    def __len__(self) -> int:
        """Return the number of moderators."""
        return len(self.hashes)

    def __iter__(self) -> Iterator[str]:
        """Iterate over the moderators' names."""
        return iter(self.hashes)

    def __contains__(self, name: object) -> bool:
        """Return whether ``name`` is a moderator."""
        return name in self.hashes

    def verify(self, name: str, password: str) -> bool:
        """Return whether ``password`` is the password of moderator ``name``.

        An unknown name costs the same hashing work as a known one, so the time taken
        does not reveal who is a moderator.
        """
        known = self.hashes.get(name.strip())
        target = known if known is not None else self._dummy_hash()
        if target is None:  # no moderators at all
            return False
        try:
            PasswordHasher().verify(target, password)
        except (VerificationError, InvalidHashError):
            return False
        return known is not None

    def _dummy_hash(self) -> str | None:
        """Return a hash of a random password with the cost of the first moderator's."""
        if not self.hashes:
            return None
        if "hash" not in self._dummy:
            params = extract_parameters(next(iter(self.hashes.values())))
            self._dummy["hash"] = PasswordHasher.from_parameters(params).hash(
                f"unknown-{time.time_ns()}"
            )
        return self._dummy["hash"]


@dataclass
class _Entry:
    failures: int = 0
    last_failure: float = 0.0
    locked_until: float = 0.0


@dataclass
class SignInLimiter:
    """Failed sign-ins per user name and per client, with a growing lockout.

    Thread-safe; keep one per process. ``clock`` returns seconds (monotonic).

    Examples
    --------
    >>> now = [0.0]
    >>> limiter = SignInLimiter(free_failures=2, base_lockout_s=60, clock=lambda: now[0])
    >>> limiter.failure("alice", "10.0.0.1")
    0.0
    >>> limiter.failure("alice", "10.0.0.1"), limiter.wait_s("alice", "10.0.0.2")
    (60.0, 60.0)
    >>> now[0] = 61.0
    >>> limiter.wait_s("alice", "10.0.0.1")
    0.0
    """

    free_failures: int = FREE_FAILURES
    base_lockout_s: float = BASE_LOCKOUT_S
    max_lockout_s: float = MAX_LOCKOUT_S
    forget_after_s: float = FORGET_AFTER_S
    max_keys: int = MAX_KEYS
    clock: Callable[[], float] = time.monotonic
    _entries: dict[str, _Entry] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait_s(self, name: str | None, client: str | None) -> float:
        """Return the seconds until ``name`` may try again from ``client`` (0: now)."""
        with self._lock:
            now = self.clock()
            waits = [
                max(entry.locked_until - now, 0.0)
                for key in _keys(name, client)
                if (entry := self._entries.get(key)) is not None
            ]
            return max(waits, default=0.0)

    def failure(self, name: str | None, client: str | None) -> float:
        """Count one failed sign-in; return the lockout it causes in seconds (0: none)."""
        with self._lock:
            now = self.clock()
            lockouts = [self._fail(key, now) for key in _keys(name, client)]
            self._prune(now)
            return max(lockouts, default=0.0)

    def success(self, name: str | None) -> None:
        """Forget the failures of ``name`` (the client's count stays)."""
        with self._lock:
            for key in _keys(name, None):
                self._entries.pop(key, None)

    def reset(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()

    def _fail(self, key: str, now: float) -> float:
        entry = self._entries.get(key)
        if entry is None or now - entry.last_failure > self.forget_after_s:
            entry = self._entries[key] = _Entry()
        entry.failures += 1
        entry.last_failure = now
        over = entry.failures - self.free_failures
        if over < 0:
            return 0.0
        lockout = min(self.base_lockout_s * 2.0 ** min(over, 32), self.max_lockout_s)
        entry.locked_until = max(entry.locked_until, now + lockout)
        return lockout

    def _prune(self, now: float) -> None:
        if len(self._entries) <= self.max_keys:
            return
        stale = [k for k, e in self._entries.items() if now - e.last_failure > self.forget_after_s]
        for key in stale:
            del self._entries[key]
        if len(self._entries) > self.max_keys:  # still full: forget the oldest unlocked
            unlocked = sorted(
                (e.last_failure, k) for k, e in self._entries.items() if e.locked_until <= now
            )
            for _, key in unlocked[: len(self._entries) - self.max_keys]:
                del self._entries[key]


def _keys(name: str | None, client: str | None) -> list[str]:
    keys = []
    if name and name.strip():
        keys.append("user:" + name.strip().casefold()[:MAX_NAME_LENGTH])
    if client:
        keys.append("client:" + client)
    return keys
