"""Who the client of this session is: its address, for the rate limits.

The one place that reads the connection: :func:`connection` returns the peer address
(``st.context.ip_address``; ``None`` on loopback) and the ``X-Forwarded-For`` header; tests
replace it to act as other clients. The rule itself (which header to believe) is
:func:`heimatruhr_geo.limits.client_address`, pure and tested on its own.
"""

from __future__ import annotations

import functools
import logging

import streamlit as st

from heimatruhr_geo.limits import IPNetwork, client_address, parse_networks
from heimatruhr_geo.ui import resources

logger = logging.getLogger(__name__)

FORWARDED_FOR = "X-Forwarded-For"


def connection() -> tuple[str | None, list[str]]:
    """Return the peer address of this session's connection and its X-Forwarded-For values."""
    try:
        peer = st.context.ip_address
        forwarded = list(st.context.headers.get_all(FORWARDED_FOR))
    except Exception:  # no connection (bare script run): treat it as this machine
        logger.debug("no client context", exc_info=True)
        return None, []
    return peer, forwarded


def address() -> str:
    """Return the address that identifies this session's client (see ``docs/security.md``)."""
    peer, forwarded = connection()
    trusted = _trusted(resources.settings().trusted_proxies)
    if forwarded and not trusted:
        _warn_untrusted_header()
    return client_address(peer, forwarded, trusted)


@functools.cache
def _trusted(text: str) -> tuple[IPNetwork, ...]:
    return parse_networks(text)


@functools.cache
def _warn_untrusted_header() -> None:
    logger.warning(
        "requests carry X-Forwarded-For but HEIMATRUHR_TRUSTED_PROXIES is empty: the header "
        "is ignored and every visitor behind the proxy counts as one client"
    )
