"""The nginx configuration in front of several app processes, rendered from ``deploy/nginx/``.

Two templates with ``{{ name }}`` fields: ``heimatruhr.conf.template``, the site (sticky
sessions, websocket upgrade, timeouts, caching of the content-named map files) that a
server includes from ``/etc/nginx/sites-enabled/``, and ``standalone.conf.template``, a
whole configuration around it for an unprivileged nginx whose every path lies under one
folder (the loopback deployment test and the capacity benchmark). See ``docs/deploy.md``.

Pure: text in, text out; nothing here starts a process.

Examples
--------
>>> site = render_site(["127.0.0.1:8501", "127.0.0.1:8502"], listen="80")
>>> "server 127.0.0.1:8502 max_fails=1 fail_timeout=10s;" in site, "{{" in site
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from heimatruhr_geo.config import PROJECT_DIR
from heimatruhr_geo.errors import InputError

TEMPLATE_DIR = PROJECT_DIR / "deploy" / "nginx"
SITE_TEMPLATE = "heimatruhr.conf.template"
STANDALONE_TEMPLATE = "standalone.conf.template"
MIME_TYPES = Path("/etc/nginx/mime.types")
"""Debian's nginx MIME table (package ``nginx-common``)."""
FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
BACKEND = re.compile(r"^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):[0-9]{1,5}$|^unix:/\S+$")
"""``host:port``, ``[v6]:port`` or ``unix:/path``."""
UNSAFE = re.compile(r"[;{}\s'\"\\$#]")
"""Characters that would end or change an nginx directive."""


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill the ``{{ name }}`` fields of ``template``.

    Raises
    ------
    InputError
        For a field of the template that ``values`` lacks, naming it.

    Examples
    --------
    >>> render("listen {{ listen }};", {"listen": "8080"})
    'listen 8080;'
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise InputError(f"nginx template field {name!r} has no value; given: {sorted(values)}")
        return values[name]

    return FIELD.sub(fill, template)


def render_site(
    backends: Sequence[str],
    *,
    listen: str = "80",
    server_name: str = "_",
    access_log: str = "/var/log/nginx/heimatruhr.access.log",
    template_dir: Path = TEMPLATE_DIR,
) -> str:
    """Return the nginx site for the app processes at ``backends``.

    Parameters
    ----------
    backends
        Addresses of the app processes, ``host:port`` (e.g. ``127.0.0.1:8501``).
    listen
        What nginx listens on (``80``, ``127.0.0.1:8080``, …).
    server_name
        The host name(s) of the site; ``_`` for any.
    access_log
        Path of the access log (format ``heimatruhr``: with the upstream that answered).
    template_dir
        Folder of the templates.

    Raises
    ------
    InputError
        For no backend, a backend that is no ``host:port``, or a value that would break
        the configuration (spaces, ``;``, braces, quotes).
    """
    if not backends:
        raise InputError("nginx: no backend given; name at least one app process (host:port)")
    for backend in backends:
        if not BACKEND.match(backend):
            raise InputError(
                f"nginx backend {backend!r} is not allowed; use host:port, e.g. 127.0.0.1:8501"
            )
    for name, value in (("listen", listen), ("access_log", access_log)):
        _check_plain(name, value)
    for name in server_name.split():
        _check_plain("server_name", name)
    servers = "\n".join(f"    server {b} max_fails=1 fail_timeout=10s;" for b in backends)
    values = {
        "backends": servers,
        "listen": listen,
        "server_name": server_name,
        "access_log": access_log,
    }
    return render((template_dir / SITE_TEMPLATE).read_text(encoding="utf-8"), values)


def render_standalone(
    prefix: Path,
    site: Path,
    *,
    workers: int = 1,
    mime_types: Path = MIME_TYPES,
    template_dir: Path = TEMPLATE_DIR,
) -> str:
    """Return a whole nginx configuration that keeps all its files under ``prefix``.

    Run it as ``nginx -p PREFIX -c PREFIX/nginx.conf`` (in the foreground; no root needed).

    Parameters
    ----------
    prefix
        Folder for the pid file, the error log and the temporary files.
    site
        The rendered site (:func:`render_site`), included in the ``http`` block.
    workers
        nginx worker processes.
    mime_types, template_dir
        Debian's MIME table; the folder of the templates.
    """
    if workers < 1:
        raise InputError(f"nginx workers={workers} is not allowed; use 1 or more")
    for name, path in (("prefix", prefix), ("site", site), ("mime_types", mime_types)):
        _check_plain(name, str(path))
    values = {
        "prefix": str(prefix),
        "site": str(site),
        "workers": str(workers),
        "mime_types": str(mime_types),
    }
    return render((template_dir / STANDALONE_TEMPLATE).read_text(encoding="utf-8"), values)


def _check_plain(name: str, value: str) -> None:
    if not value or UNSAFE.search(value):
        raise InputError(
            f"nginx {name} {value!r} is not allowed; use a value without spaces, quotes, "
            "'$', '#', ';' or braces"
        )
