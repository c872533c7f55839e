"""Debian's Chromium for tests: its arguments, and what a page may not do."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

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


def is_local(url: str) -> bool:
    """Return whether a request stays on this machine (127.0.0.1, data:, blob:, about:)."""
    parsed = urlparse(url)
    return parsed.scheme in {"data", "blob", "about"} or parsed.hostname == "127.0.0.1"


def block_outside(context: Any) -> list[str]:
    """Abort every request of the browser context ``context`` that would leave the machine.

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


@dataclass
class Problems:
    """What went wrong on a page: failed requests, script errors and dialogs (dismissed)."""

    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def none(self) -> bool:
        """Whether nothing went wrong."""
        return not (self.failed or self.errors or self.dialogs)


def watch(page: Any) -> Problems:
    """Record ``page``'s failed requests (status >= 400 but the favicon), errors and dialogs."""
    problems = Problems()

    def on_dialog(dialog: Any) -> None:
        problems.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_response(response: Any) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            problems.failed.append(f"{response.status} {response.url}")

    page.on("pageerror", lambda exc: problems.errors.append(str(exc)))
    page.on("dialog", on_dialog)
    page.on("response", on_response)
    page.on("requestfailed", lambda r: problems.failed.append(f"{r.failure} {r.url}"))
    return problems
