"""Protection of the public forms against spam: a honeypot and sliding-window rate limits.

Pure and thread-safe; the pages keep one :class:`RateLimit` per browser session (in the
session state) and one process-wide, and call :func:`honeypot_filled` on every submission.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

HONEYPOT_KEY = "homepage_url"
"""Widget key of the honeypot field: hidden from people, filled in by naive bots."""
SESSION_LIMIT = 5
"""Submissions one browser session may make per window."""
PROCESS_LIMIT = 300
"""Submissions all sessions together may make per window (a flood of new sessions)."""
WINDOW_S = 3600.0


class Verdict(StrEnum):
    """What to do with one form submission."""

    OK = "ok"
    LIMITED = "limited"
    BOT = "bot"


def honeypot_filled(value: object) -> bool:
    """Return True when the hidden honeypot field holds anything (a bot filled it in).

    Examples
    --------
    >>> honeypot_filled(""), honeypot_filled("  "), honeypot_filled("http://spam.example")
    (False, False, True)
    """
    return bool(str(value or "").strip())


@dataclass
class RateLimit:
    """At most ``limit`` events per sliding window of ``window_s`` seconds.

    Examples
    --------
    >>> now = [0.0]
    >>> limit = RateLimit(limit=2, window_s=10, clock=lambda: now[0])
    >>> limit.try_acquire(), limit.try_acquire(), limit.try_acquire()
    (True, True, False)
    >>> now[0] = 10.5
    >>> limit.try_acquire()
    True
    """

    limit: int = SESSION_LIMIT
    window_s: float = WINDOW_S
    clock: Callable[[], float] = time.monotonic
    _times: deque[float] = field(default_factory=deque, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def try_acquire(self) -> bool:
        """Count one event and return True, or return False (counting nothing) when full."""
        with self._lock:
            now = self.clock()
            self._forget_before(now - self.window_s)
            if len(self._times) >= self.limit:
                return False
            self._times.append(now)
            return True

    def remaining(self) -> int:
        """Return how many events the current window still allows."""
        with self._lock:
            self._forget_before(self.clock() - self.window_s)
            return max(self.limit - len(self._times), 0)

    def retry_after_s(self) -> float:
        """Return the seconds until the next event is allowed (0 when allowed now)."""
        with self._lock:
            now = self.clock()
            self._forget_before(now - self.window_s)
            if len(self._times) < self.limit:
                return 0.0
            return max(self._times[0] + self.window_s - now, 0.0)

    def _forget_before(self, cutoff: float) -> None:
        while self._times and self._times[0] <= cutoff:
            self._times.popleft()
