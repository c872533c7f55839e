"""Browser-test fixtures: a running app on a free loopback port and Debian's chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from heimatruhr_geo.auth import hash_password
from tests.conftest import skip_or_fail

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_TILE_URL = "/app/static/blank-tile.png"
"""Every tile is this grey square, so that nothing in the test leaves the machine."""
START_TIMEOUT_S = 90.0
MODERATOR = "e2e-moderator"
MODERATOR_PASSWORD = "a long e2e test password"
"""The one moderator of the test app (its argon2 hash is made when the app starts)."""


def is_local(url: str) -> bool:
    """Return whether a request stays on this machine (127.0.0.1, data:, blob:, about:)."""
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob", "about"} or parsed.hostname == "127.0.0.1"


def block_outside(context: Any) -> list[str]:
    """Abort every request of ``context`` that would leave the machine.

    Returns
    -------
    list of str
        Filled with the URLs of the aborted requests as they happen.
    """
    blocked: list[str] = []

    def route(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    return blocked


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _app_env(data: Path) -> dict[str, str]:
    """The environment without the developer's HEIMATRUHR_* settings; its own database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMATRUHR_")}
    env["HEIMATRUHR_TILE_URL"] = LOCAL_TILE_URL
    env["HEIMATRUHR_DATABASE_URL"] = f"sqlite:///{data / 'app.sqlite'}"
    env["HEIMATRUHR_CACHE_DIR"] = str(data / "cache")
    env["HEIMATRUHR_OFFLINE"] = "1"
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env["HEIMATRUHR_MODERATORS"] = f"{MODERATOR}:{hash_password(MODERATOR_PASSWORD, fast=True)}"
    return env


def _wait_healthy(base_url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    pytest.fail(f"streamlit not healthy after {START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start ``streamlit run app.py`` on a free port; yield its base URL; stop it."""
    port = _free_port()
    data = tmp_path_factory.mktemp("streamlit")
    log = data / "streamlit.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
            ],
            cwd=PROJECT_DIR,
            env=_app_env(data),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, proc, log)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
