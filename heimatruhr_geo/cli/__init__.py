"""Command line: ``python -m heimatruhr_geo COMMAND …``.

Each module in :data:`COMMAND_MODULES` has ``register(subparsers)``, which adds its
commands with ``set_defaults(handler=...)``; a handler takes the parsed arguments and
the :class:`~heimatruhr_geo.config.Settings` and returns the exit code. The CLI parses
and prints; the work happens in the core modules.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import HeimatruhrError

COMMAND_MODULES = (
    "heimatruhr_geo.cli.geo",
    "heimatruhr_geo.cli.geocode",
    "heimatruhr_geo.cli.data",
    "heimatruhr_geo.cli.planning",
    "heimatruhr_geo.cli.moderation",
    "heimatruhr_geo.cli.survey",
    "heimatruhr_geo.cli.deploy",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every command of :data:`COMMAND_MODULES` registered."""
    parser = argparse.ArgumentParser(
        prog="python -m heimatruhr_geo", description="heimatruhr-geo operator commands"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit code (2 for bad input or data)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        code: int = args.handler(args, Settings.from_env())
    except HeimatruhrError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stderr.close()
        return 0
    return code
