"""The moderation page driven by AppTest: open it and sign in."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from heimatruhr_geo.ui.moderation_page import PASSWORD_KEY, SIGN_IN_KEY, USERNAME_KEY
from tests.support.apptest import rerun, run_page


def open_page(**params: str) -> AppTest:
    """Open the moderation page with URL parameters ``params``."""
    return run_page("moderation_page", **params)


def sign_in(at: AppTest, name: str, password: str) -> AppTest:
    """Fill in the sign-in form and press its button."""
    at.text_input(key=USERNAME_KEY).set_value(name)
    at.text_input(key=PASSWORD_KEY).set_value(password)
    at.button(key=SIGN_IN_KEY).click()
    return rerun(at)


def has_button(at: AppTest, key: str) -> bool:
    """Whether the page shows a button with ``key``."""
    return any(button.key == key for button in at.button)
