"""A deployment on loopback: N app processes over one PostgreSQL database, nginx in front.

Used by the deployment test (``tests/e2e/test_deploy_browser.py``) and the capacity
benchmark (``benchmarks/bench_capacity.py``). nginx runs unprivileged from the shipped
templates (:mod:`heimatruhr_geo.deployment`) with every file under a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from heimatruhr_geo.deployment import render_site, render_standalone
from tests.support.app_process import PROJECT_DIR, app_command, app_env, free_port
from tests.support.postgres import ServiceMissing

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TRUSTED_PROXY = "127.0.0.1"
"""nginx's address as the app processes see it (HEIMATRUHR_TRUSTED_PROXIES)."""
START_TIMEOUT_S = 120.0


@dataclass
class Cluster:
    """A running deployment: its app processes, nginx and their database."""

    database_url: str
    backends: list[str]
    """Base URLs of the app processes (``http://127.0.0.1:PORT``), in start order."""
    nginx_url: str | None
    access_log: Path
    env: dict[str, str]
    """The app processes' environment (for the CLI against the same database)."""
    pids: list[int] = field(default_factory=list)
    """Process ids of the app processes, in the order of :attr:`backends`."""

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run ``python -m heimatruhr_geo ARGS`` against the cluster's database.

        Raises
        ------
        RuntimeError
            When the command exits with another status than 0, with its output.
        """
        done = subprocess.run(
            [sys.executable, "-m", "heimatruhr_geo", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{' '.join(args)} exited with {done.returncode}:\n{done.stdout}{done.stderr}"
            )
        return done

    def upstreams(self) -> list[tuple[str, str, str]]:
        """Return ``(request line, upstream address, sticky key)`` per access-log line."""
        found = []
        if not self.access_log.exists():
            return found
        for line in self.access_log.read_text().splitlines():
            request = line.split('"')[1] if line.count('"') >= 2 else ""
            fields = dict(
                part.split("=", 1)
                for part in line.split()
                if part.startswith(("upstream=", "node="))
            )
            found.append((request, fields.get("upstream", ""), fields.get("node", "")))
        return found


def require_nginx() -> None:
    """Raise :class:`ServiceMissing` when nginx is not installed."""
    if not Path(NGINX).is_file():
        raise ServiceMissing("nginx is missing; install it with `apt-get install -y nginx`")


@contextmanager
def cluster(
    root: Path,
    database_url: str,
    *,
    processes: int = 2,
    nginx: bool = True,
    nginx_workers: int = 1,
    seed: int = 500,
    extra_env: dict[str, str] | None = None,
) -> Iterator[Cluster]:
    """Start ``processes`` app processes (and nginx in front) on ``database_url``.

    The schema is made with ``init-db`` and ``seed`` demo records with ``seed-demo`` before
    any app process starts (as ``docs/deploy.md`` says), so that no two processes race to
    seed an empty database.
    """
    env = app_env(root)
    env["HEIMATRUHR_DATABASE_URL"] = database_url
    env["HEIMATRUHR_TRUSTED_PROXIES"] = TRUSTED_PROXY
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = uuid.uuid4().hex  # the same for every process
    env.update(extra_env or {})
    ports = [free_port() for _ in range(processes)]
    found = Cluster(
        database_url=database_url,
        backends=[f"http://127.0.0.1:{port}" for port in ports],
        nginx_url=None,
        access_log=root / "nginx" / "access.log",
        env=env,
    )
    found.cli("init-db")
    if seed:
        found.cli("seed-demo", "--n", str(seed))
    with ExitStack() as stack:
        for i, port in enumerate(ports):
            proc = stack.enter_context(_process(_app_command(port), env, root / f"app{i}.log"))
            found.pids.append(proc.pid)
        if nginx:
            require_nginx()
            found.nginx_url = _start_nginx(stack, root / "nginx", ports, nginx_workers)
        for i, url in enumerate(found.backends):
            _wait_http(f"{url}/_stcore/health", root / f"app{i}.log")
            _wait_warmed_up(root / f"app{i}.log")
        if found.nginx_url:
            _wait_http(f"{found.nginx_url}/_stcore/health", root / "nginx" / "error.log")
        yield found


def _app_command(port: int) -> list[str]:
    # As deploy/systemd/heimatruhr@.service: no watcher of the source files per session.
    return app_command(port, "--server.fileWatcherType", "none")


def _start_nginx(stack: ExitStack, prefix: Path, ports: Sequence[int], workers: int) -> str:
    prefix.mkdir(parents=True, exist_ok=True)
    listen = free_port()
    site = prefix / "heimatruhr.conf"
    site.write_text(
        render_site(
            [f"127.0.0.1:{port}" for port in ports],
            listen=f"127.0.0.1:{listen}",
            server_name="localhost",
            access_log=str(prefix / "access.log"),
        )
    )
    conf = prefix / "nginx.conf"
    conf.write_text(render_standalone(prefix, site, workers=workers))
    command = [NGINX, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log")]
    stack.enter_context(_process(command, dict(os.environ), prefix / "nginx.out"))
    return f"http://127.0.0.1:{listen}"


@contextmanager
def _process(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_http(url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    text = log.read_text() if log.exists() else "(no log)"
    raise RuntimeError(f"{url} not healthy after {START_TIMEOUT_S} s:\n{text[-4000:]}")


WARMED_UP = ("heimatruhr_geo.ui.warmup: warmed up", "heimatruhr_geo.ui.warmup: warm-up failed")
"""Log lines of the end of a process's warm-up (``ui/warmup.py``), which runs after the
health check already answers."""


def _wait_warmed_up(log: Path) -> None:
    """Wait until the process has finished its warm-up, so that it competes with nothing."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if any(line in text for line in WARMED_UP):
            return
        time.sleep(0.2)
    raise RuntimeError(f"no end of the warm-up in {log} after {START_TIMEOUT_S} s")


def port_of(url: str) -> str:
    """Return ``127.0.0.1:PORT`` of a base URL (as nginx logs the upstream)."""
    return url.removeprefix("http://")
