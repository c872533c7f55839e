"""Protection of the public forms against spam: a honeypot and per-client rate limits.

Pure (no Streamlit). The pages call :func:`honeypot_filled` on every submission and
:func:`admit_submission` with the client's address (:func:`heimatruhr_geo.limits.client_address`)
before storing one. The limits are kept in the database (:class:`heimatruhr_geo.limits.Limiter`),
so that neither a new browser session, a reload, a restart nor a second app process resets them:

- each client (address; IPv6 per /64) may store :data:`CLIENT_LIMIT` submissions (creative
  spaces, vacant buildings and survey answers together) per :data:`WINDOW_S`;
- there is no limit for all clients together that a flood could use up: when more than
  :data:`BUSY_THRESHOLD` submissions arrived in the last hour, every client is slowed to
  one submission per :data:`BUSY_SPACING_S` (a visitor's first submission still goes
  through).
"""

from __future__ import annotations

from enum import StrEnum

from heimatruhr_geo.limits import Limiter, Rule

HONEYPOT_KEY = "homepage_url"
"""Widget key of the honeypot field: hidden from people, filled in by naive bots."""
CLIENT_LIMIT = 5
"""Submissions one client may store per window."""
WINDOW_S = 3600.0
BUSY_THRESHOLD = 300
"""Submissions of all clients per hour above which every client is slowed down."""
BUSY_SPACING_S = 600.0
"""While busy: the least time between two submissions of one client."""
CLIENT_RULE = Rule("form_client", limit=CLIENT_LIMIT, window_s=WINDOW_S)
BUSY_RULE = Rule("form_client_busy", limit=1, window_s=BUSY_SPACING_S)
ALL_RULE = Rule("form_all", limit=BUSY_THRESHOLD, window_s=WINDOW_S)
ALL_CLIENTS = "*"


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


def admit_submission(limiter: Limiter, client: str) -> float:
    """Count one submission of ``client`` if its limits allow it now.

    Parameters
    ----------
    limiter
        The app's limiter (its database).
    client
        The client's address (:func:`heimatruhr_geo.limits.client_address`).

    Returns
    -------
    float
        0 when the submission may be stored (it is counted), else the seconds to wait
        (nothing is counted).
    """
    who = f"client:{client}"
    keys = ((CLIENT_RULE, who), (BUSY_RULE, who), (ALL_RULE, ALL_CLIENTS))
    with limiter.session(*keys) as limits:
        wait = limits.wait_s(CLIENT_RULE, who)
        if limits.count(ALL_RULE, ALL_CLIENTS) >= BUSY_THRESHOLD:
            wait = max(wait, limits.wait_s(BUSY_RULE, who))
        if wait > 0:
            return wait
        for rule, subject in keys:
            limits.record(rule, subject)
        return 0.0
