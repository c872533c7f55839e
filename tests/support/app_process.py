"""Start the app as a real ``streamlit run`` process on loopback, as visitors meet it.

Used by the browser tests (``tests/e2e``) and the browser benchmarks.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from heimatruhr_geo.auth import hash_password

PROJECT_DIR = Path(__file__).resolve().parents[2]
LOCAL_TILE_URL = "/app/static/blank-tile.png"
"""Every tile is this grey square, so that nothing in a test leaves the machine."""
START_TIMEOUT_S = 120.0
MODERATOR = "e2e-moderator"
MODERATOR_PASSWORD = "a long e2e test password"
"""The one moderator of a test app (its argon2 hash is made when the app starts)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def app_env(data: Path) -> dict[str, str]:
    """The environment without the developer's HEIMATRUHR_* settings; its own database.

    The app keeps its SQLite database and cache under ``data``, is offline, draws local
    tiles and knows one moderator (:data:`MODERATOR`).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEIMATRUHR_")}
    env["HEIMATRUHR_TILE_URL"] = LOCAL_TILE_URL
    env["HEIMATRUHR_DATABASE_URL"] = f"sqlite:///{data / 'app.sqlite'}"
    env["HEIMATRUHR_CACHE_DIR"] = str(data / "cache")
    env["HEIMATRUHR_OFFLINE"] = "1"
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env["HEIMATRUHR_MODERATORS"] = f"{MODERATOR}:{hash_password(MODERATOR_PASSWORD, fast=True)}"
    return env


def wait_healthy(base_url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Return once ``base_url`` answers Streamlit's health check; raise if it never does."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"streamlit not healthy after {START_TIMEOUT_S} s:\n{log.read_text()}")


def app_command(port: int, *options: str) -> list[str]:
    """The README's ``streamlit run app.py`` on ``127.0.0.1:port``, headless, plus ``options``."""
    return [
        *(sys.executable, "-m", "streamlit", "run", "app.py"),
        *("--server.port", str(port), "--server.address", "127.0.0.1"),
        *("--server.headless", "true"),
        *options,
    ]


@contextmanager
def running_app(
    env: dict[str, str], log: Path, *, app_dir: Path = PROJECT_DIR, port: int | None = None
) -> Iterator[str]:
    """Run ``streamlit run app.py`` in ``app_dir``; yield its base URL once healthy; stop it."""
    port = port or free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen(
            app_command(port),
            cwd=app_dir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base_url, proc, log)
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
