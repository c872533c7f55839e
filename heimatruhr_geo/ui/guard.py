"""Spam guards shared by the public forms: the hidden honeypot field and the rate limits.

The limits count per client (its address, :mod:`heimatruhr_geo.ui.client`) in the
database (:func:`heimatruhr_geo.abuse.admit_submission`), not per browser session.
"""

from __future__ import annotations

import streamlit as st

from heimatruhr_geo.abuse import HONEYPOT_KEY, Verdict, admit_submission, honeypot_filled
from heimatruhr_geo.formatting import format_wait
from heimatruhr_geo.i18n import normalize_language, t
from heimatruhr_geo.ui import client, resources

_WAIT_KEY = "_submission_wait_s"


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
    """Check one submission against the honeypot and this client's limits (and count it).

    Returns
    -------
    Verdict
        ``OK`` (store it), ``LIMITED`` (tell the user to wait, :func:`limit_message`) or
        ``BOT`` (store nothing, but show the usual confirmation so the bot learns nothing).
    """
    if honeypot_filled(honeypot_value):
        return Verdict.BOT
    wait_s = admit_submission(resources.limiter(), client.address())
    st.session_state[_WAIT_KEY] = wait_s
    return Verdict.OK if wait_s <= 0 else Verdict.LIMITED


def limit_message(lang: str) -> str:
    """Return the message for a refused (rate-limited) submission, with the wait."""
    wait_s = float(st.session_state.get(_WAIT_KEY) or 60.0)
    lang = normalize_language(lang)
    return t("trust_form_limited", lang).format(wait=format_wait(wait_s, lang, whole_minutes=True))
