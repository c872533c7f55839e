"""Moderator sign-in: argon2 password hashes and a limiter for failed attempts.

Pure (no Streamlit). Moderators are ``name → argon2id hash`` pairs, read from the
``HEIMATRUHR_MODERATORS`` variable (``"alice:$argon2id$…;bob:$argon2id$…"``) or from a
mapping such as Streamlit's ``st.secrets["moderators"]``. Plaintext and weak hashes are
refused with an error naming the moderator. :meth:`Moderators.verify` does the same work
for every name, known or not: one verification per distinct argon2 parameter set
configured (the name's own hash, dummy hashes for the other sets), so its time does not
tell who is a moderator, whatever costs the moderators' hashes have.

:class:`SignInGuard` keeps failed sign-ins in the database (:mod:`heimatruhr_geo.limits`),
so that neither a new browser session, a restart nor another process resets them:

- per client (its address, across all names): after :data:`FREE_FAILURES` failures the
  client is locked, :data:`BASE_LOCKOUT_S` at first and twice as long after each further
  failure (at most :data:`MAX_LOCKOUT_S`); a day without failures starts again from zero;
- per name (from all clients together) there is no lock that a stranger could use against
  a moderator, only a slowdown: after :data:`NAME_FREE_FAILURES` failures within an hour,
  the next attempt on that name waits 1, 2, 4 … seconds after the last failure (at most
  :data:`NAME_MAX_WAIT_S`).

Examples
--------
>>> hashed = hash_password("correct horse battery", fast=True)
>>> team = Moderators.parse(f"alice:{hashed}")
>>> team.verify("alice", "correct horse battery"), team.verify("alice", "wrong")
(True, False)
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from argon2 import Parameters, PasswordHasher, Type, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.limits import Limiter, Rule

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
"""Failed sign-ins of one client (across all names) before its first lockout."""
BASE_LOCKOUT_S = 60.0
MAX_LOCKOUT_S = 3600.0
FORGET_AFTER_S = 24 * 3600.0
"""Failures older than this no longer count."""
NAME_FREE_FAILURES = 10
"""Failed sign-ins on one name per hour (all clients) before it is slowed down."""
NAME_MAX_WAIT_S = 15.0
"""Longest wait the slowdown of one name imposes (it never locks a name for longer)."""
CLIENT_RULE = Rule(
    "signin_client",
    limit=FREE_FAILURES,
    window_s=FORGET_AFTER_S,
    backoff_s=BASE_LOCKOUT_S,
    max_backoff_s=MAX_LOCKOUT_S,
)
NAME_RULE = Rule(
    "signin_name",
    limit=NAME_FREE_FAILURES,
    window_s=3600.0,
    backoff_s=1.0,
    max_backoff_s=NAME_MAX_WAIT_S,
)


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

        Every call verifies once against each distinct argon2 parameter set of the
        moderators (:meth:`targets`), so an unknown name costs the same as a known one.
        """
        known = self.hashes.get(name.strip())
        ok = False
        for target in self.targets(name):
            matched = _verify(target, password)
            ok = ok or (matched and target == known)
        return ok

    def targets(self, name: str) -> list[str]:
        """Return the hashes :meth:`verify` checks for ``name``: one per parameter set.

        For a moderator, their own hash stands for its parameter set; every other set (and
        every set, for an unknown name) is checked against a dummy hash of a random
        password with exactly those parameters.
        """
        known = self.hashes.get(name.strip())
        own = extract_parameters(known) if known is not None else None
        return [
            known if params == own and known is not None else self._dummy_hash(params)
            for params in self.parameter_sets()
        ]

    def parameter_sets(self) -> list[Parameters]:
        """Return the distinct argon2 parameter sets of the moderators' hashes, strongest first."""
        found: list[Parameters] = []
        for hashed in self.hashes.values():
            params = extract_parameters(hashed)
            if params not in found:
                found.append(params)
        return sorted(
            found, key=lambda p: (p.memory_cost * p.time_cost, p.parallelism), reverse=True
        )

    def _dummy_hash(self, params: Parameters) -> str:
        """Return a hash of a random password made with ``params`` (made once per set)."""
        key = repr(params)
        if key not in self._dummy:
            hasher = PasswordHasher.from_parameters(params)
            self._dummy[key] = hasher.hash(secrets.token_urlsafe(24))
        return self._dummy[key]


def _verify(hashed: str, password: str) -> bool:
    """Return whether ``password`` matches ``hashed`` (argon2, parameters from the hash)."""
    try:
        return PasswordHasher().verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class SignInCheck:
    """The outcome of one sign-in attempt.

    Attributes
    ----------
    ok
        The password was right (and the attempt was allowed).
    wait_s
        Seconds to wait before the next attempt (0: none); set when the attempt was
        refused unchecked (``checked`` False) or when this failure caused a lockout.
    checked
        The password was verified (False: refused before, because of a wait).
    """

    ok: bool
    wait_s: float = 0.0
    checked: bool = True


class SignInGuard:
    """Sign-ins with failures counted in the database, per client and per name.

    Parameters
    ----------
    limiter
        The app's :class:`heimatruhr_geo.limits.Limiter`.

    Examples
    --------
    >>> guard = SignInGuard(limiter)  # doctest: +SKIP
    >>> guard.attempt(team, "alice", "…", client="203.0.113.7")  # doctest: +SKIP
    SignInCheck(ok=False, wait_s=0.0, checked=True)
    """

    def __init__(self, limiter: Limiter):
        self.limiter = limiter

    def wait_s(self, name: str | None, client: str) -> float:
        """Return the seconds until ``client`` may try ``name`` (or any name: ``None``)."""
        keys = _keys(name, client)
        with self.limiter.session(*keys) as limits:
            return max(limits.wait_s(rule, subject) for rule, subject in keys)

    def attempt(self, team: Moderators, name: str, password: str, client: str) -> SignInCheck:
        """Check one sign-in of ``name`` from ``client``, counting it if it fails.

        The attempt is counted as a failure *before* the password is checked (in one
        locked transaction with the check of the waits), so parallel sessions of one
        client cannot slip past the lockout; a right password takes the count back.
        """
        keys = _keys(name, client)
        with self.limiter.session(*keys) as limits:
            wait = max(limits.wait_s(rule, subject) for rule, subject in keys)
            if wait > 0:
                return SignInCheck(ok=False, wait_s=wait, checked=False)
            ids = [limits.record(rule, subject) for rule, subject in keys]
        if name.strip() and team.verify(name, password):
            self.limiter.discard(ids)
            with self.limiter.session(*keys) as limits:
                limits.forget(NAME_RULE, keys[1][1])  # the moderator is back: no slowdown
            return SignInCheck(ok=True)
        return SignInCheck(ok=False, wait_s=self.wait_s(name, client))


def _keys(name: str | None, client: str) -> tuple[tuple[Rule, str], ...]:
    who = (name or "").strip().casefold()[:MAX_NAME_LENGTH]
    return ((CLIENT_RULE, f"client:{client}"), (NAME_RULE, f"name:{who}"))
