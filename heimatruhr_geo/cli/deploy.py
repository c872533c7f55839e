"""Deployment command: ``nginx-config`` prints the nginx site for N app processes."""

from __future__ import annotations

import argparse
from typing import Any

from heimatruhr_geo.config import Settings
from heimatruhr_geo.deployment import render_site


def register(commands: Any) -> None:
    """Add the deployment commands to the CLI's sub-parsers."""
    nginx = commands.add_parser(
        "nginx-config",
        help="print the nginx site (sticky sessions, websockets) for the app processes",
    )
    nginx.add_argument(
        "--backend",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="an app process, repeated per process (default 127.0.0.1:8501 and :8502)",
    )
    nginx.add_argument("--listen", default="80", help="what nginx listens on (default 80)")
    nginx.add_argument("--server-name", default="_", help="the site's host name (default _)")
    nginx.add_argument(
        "--access-log",
        default="/var/log/nginx/heimatruhr.access.log",
        help="access log path (default /var/log/nginx/heimatruhr.access.log)",
    )
    nginx.set_defaults(handler=_nginx_config)


def _nginx_config(args: argparse.Namespace, settings: Settings) -> int:
    backends = args.backend or ["127.0.0.1:8501", "127.0.0.1:8502"]
    print(
        render_site(
            backends,
            listen=args.listen,
            server_name=args.server_name,
            access_log=args.access_log,
        ),
        end="",
    )
    return 0
