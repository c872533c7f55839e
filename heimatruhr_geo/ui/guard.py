"""Spam guards shared by the public forms: the hidden honeypot field and the rate limits."""

from __future__ import annotations

import streamlit as st

from heimatruhr_geo.abuse import (
    HONEYPOT_KEY,
    PROCESS_LIMIT,
    RateLimit,
    Verdict,
    honeypot_filled,
)
from heimatruhr_geo.i18n import t

_SESSION_KEY = "_submission_limit"


@st.cache_resource
def _process_limit() -> RateLimit:
    return RateLimit(limit=PROCESS_LIMIT)


HIDDEN_HONEYPOTS = (
    f"<style>[class*='st-key-{HONEYPOT_KEY}_'] {{position: absolute; left: -10000px;}}</style>"
)
"""CSS that moves every honeypot field off screen."""
UNREACHABLE_HONEYPOTS = f"""<script>
(() => {{
  if (window.heimatruhrHoneypots) return;
  window.heimatruhrHoneypots = true;
  const hide = () => {{
    for (const box of document.querySelectorAll("[class*='st-key-{HONEYPOT_KEY}_']")) {{
      if (box.getAttribute("aria-hidden") !== "true") box.setAttribute("aria-hidden", "true");
      for (const el of box.querySelectorAll("input, textarea, button, a, [tabindex]")) {{
        if (el.getAttribute("tabindex") !== "-1") el.setAttribute("tabindex", "-1");
      }}
    }}
  }};
  hide();
  new MutationObserver(hide).observe(document.body, {{ childList: true, subtree: true }});
}})();
</script>"""
"""Script that keeps every honeypot field (present and future) out of the Tab order
(``tabindex="-1"``) and out of the accessibility tree (``aria-hidden``); it stays in the
page and fillable, so that bots still fill it. Runs once per browser tab."""


def hide_honeypots() -> None:
    """Hide the honeypot fields of every page before any page draws (no visible flash)."""
    st.html(HIDDEN_HONEYPOTS + UNREACHABLE_HONEYPOTS, unsafe_allow_javascript=True)


def honeypot_field(form_key: str, lang: str) -> str:
    """Draw the honeypot text field (hidden by CSS, skipped by keyboard) inside a form.

    Returns
    -------
    str
        What was typed into it; anything but empty means a bot.
    """
    key = f"{HONEYPOT_KEY}_{form_key}"
    hide_honeypots()  # again, for a page run on its own
    return st.text_input(t("honeypot_label", lang), key=key, max_chars=200, autocomplete="off")


def check_submission(honeypot_value: str) -> Verdict:
    """Check one submission against the honeypot and the session and process limits.

    Returns
    -------
    Verdict
        ``OK`` (store it), ``LIMITED`` (tell the user to wait, :func:`limit_message`) or
        ``BOT`` (store nothing, but show the usual confirmation so the bot learns nothing).
    """
    if honeypot_filled(honeypot_value):
        return Verdict.BOT
    session_limit = st.session_state.setdefault(_SESSION_KEY, RateLimit())
    if session_limit.try_acquire() and _process_limit().try_acquire():
        return Verdict.OK
    return Verdict.LIMITED


def limit_message(lang: str) -> str:
    """Return the message for a refused (rate-limited) submission, with the wait in minutes."""
    limit = st.session_state.get(_SESSION_KEY)
    wait_s = limit.retry_after_s() if isinstance(limit, RateLimit) else 0.0
    wait_s = max(wait_s, _process_limit().retry_after_s())
    return t("submission_limited", lang).format(minutes=max(1, round(wait_s / 60)))


def limit_reached() -> bool:
    """Return whether this browser session has used up its submissions for now."""
    limit = st.session_state.get(_SESSION_KEY)
    return isinstance(limit, RateLimit) and limit.remaining() == 0
