"""Browser-test fixtures: a running app on a free loopback port and Debian's chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import skip_or_fail
from tests.support.app_process import app_env, running_app
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, block_outside


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``streamlit run app.py`` on a free port; yield its base URL; stop it."""
    data = tmp_path_factory.mktemp("streamlit")
    with running_app(app_env(data), data / "streamlit.log") as base_url:
        yield base_url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.is_file():
        skip_or_fail(f"{CHROMIUM} is missing; install it with `apt-get install -y chromium`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("the Python package playwright is missing (requirements-dev.txt)")
    from playwright.sync_api import expect

    # The first page run seeds the demo database and builds the map: allow for it.
    expect.set_options(timeout=60_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A new page in a context of its own that no request may leave the machine from.

    Mark a test or module ``@pytest.mark.browser_context(**options)`` to pass options to
    ``browser.new_context`` (default: a 1280 × 1000 viewport).
    """
    marker = request.node.get_closest_marker("browser_context")
    options: dict[str, Any] = {"viewport": {"width": 1280, "height": 1000}}
    options.update(marker.kwargs if marker else {})
    context = browser.new_context(**options)
    blocked = block_outside(context)
    yield context.new_page()
    context.close()
    assert blocked == [], f"requests that would have left the machine: {blocked}"
