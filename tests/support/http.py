"""Small HTTP servers on loopback for tests and benchmarks: static files, a fixed JSON."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free loopback port in a thread; yield the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serving_files(root: Path) -> Any:
    """Serve the files below ``root`` (a context manager yielding the base URL)."""
    return serving(functools.partial(_QuietFiles, directory=str(root)))


def json_handler(answer: Any) -> type[http.server.BaseHTTPRequestHandler]:
    """Return a request handler that answers every GET with ``answer`` as JSON."""
    body = json.dumps(answer).encode()

    class FixedAnswer(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return FixedAnswer
