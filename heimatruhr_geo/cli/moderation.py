"""Moderation commands: ``hash-password``, ``purge-contacts``."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from heimatruhr_geo.auth import MODERATORS_ENV, check_name, hash_password
from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.limits import Limiter
from heimatruhr_geo.models import CONTACT_RETENTION_DAYS
from heimatruhr_geo.store import Store


def register(commands: Any) -> None:
    """Add the moderation commands to the CLI's sub-parsers."""
    hashing = commands.add_parser(
        "hash-password",
        help=f"print the argon2id hash of a moderator password (for {MODERATORS_ENV})",
    )
    hashing.add_argument(
        "--name", help="print a whole 'name:hash' entry for this moderator instead of the hash"
    )
    hashing.add_argument(
        "--stdin",
        action="store_true",
        help="read the password from the first line of stdin (default: ask without echo)",
    )
    hashing.set_defaults(handler=_hash_password)

    purge = commands.add_parser(
        "purge-contacts",
        help="delete submitters' contact data of records decided more than DAYS days ago "
        "(and expired rate-limit rows)",
    )
    purge.add_argument(
        "--days",
        type=int,
        default=CONTACT_RETENTION_DAYS,
        help=f"retention in days (default {CONTACT_RETENTION_DAYS})",
    )
    purge.set_defaults(handler=_purge_contacts)


def _hash_password(args: argparse.Namespace, settings: Settings) -> int:
    name = check_name(args.name) if args.name else None
    if args.stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise InputError("the two passwords differ; nothing was hashed")
    hashed = hash_password(password)
    print(f"{name}:{hashed}" if name else hashed)
    return 0


def _purge_contacts(args: argparse.Namespace, settings: Settings) -> int:
    store = Store.from_settings(settings)
    try:
        count = store.purge_expired_contacts(days=args.days, actor="purge-contacts")
        Limiter(store.engine, secret=settings.limits_secret).purge_expired()  # rate-limit rows
    finally:
        store.close()
    print(f"{count} contact entries older than {args.days} days after the decision deleted")
    return 0
