"""The spam guards: the honeypot (the per-client limits are tested in test_limits.py)."""

from __future__ import annotations

import pytest

from heimatruhr_geo.abuse import honeypot_filled


@pytest.mark.parametrize(
    ("value", "filled"),
    [("", False), (None, False), ("   ", False), ("x", True), ("http://spam", True)],
)
def test_honeypot(value: object, filled: bool) -> None:
    assert honeypot_filled(value) is filled
