"""The moderators' audit log: its actions and entries, and what moderators may edit.

Every change a moderator makes is logged with who, what and when in the same
transaction as the change (:func:`log_change`); the store's moderation methods call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.engine import Connection

from heimatruhr_geo.errors import InputError
from heimatruhr_geo.models import model_for
from heimatruhr_geo.schema import AUDIT_LOG

MAX_REASON = 1000
MAX_ACTOR = 100
NOT_EDITABLE = frozenset(
    {
        "id",
        "source",
        "source_key",
        "moderation",
        "created_at",
        "updated_at",
        "geocode_precision",
        "geocode_source",
        "contact_name",
        "contact_email",
    }
)
"""Record fields a moderator cannot edit (bookkeeping and the private contact)."""


class Decision(StrEnum):
    """A moderator's decision on a record."""

    PUBLISH = "publish"
    REJECT = "reject"


class AuditAction(StrEnum):
    """What an audit log entry records."""

    PUBLISH = "publish"
    REJECT = "reject"
    EDIT = "edit"
    DELETE_CONTACT = "delete_contact"
    PURGE_CONTACTS = "purge_contacts"
    WITHHOLD = "withhold"
    """An import set a published record back to pending: its source hides it."""


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log.

    Attributes
    ----------
    details
        ``changes`` (field → ``[old, new]``), ``reason``, ``count`` …, depending on
        the action; never an e-mail address.
    """

    id: int
    at: datetime
    actor: str
    action: str
    record_id: str | None
    details: dict[str, Any]


def editable_fields(layer: str) -> list[str]:
    """Return the fields of a ``layer`` record that a moderator may edit, in model order."""
    return [name for name in model_for(layer).model_fields if name not in NOT_EDITABLE]


def check_actor(actor: str) -> str:
    """Return the moderator's name, stripped; refuse an empty or over-long one."""
    name = str(actor).strip()
    if not name or len(name) > MAX_ACTOR:
        raise InputError(
            f"actor={actor!r} is not allowed; name the moderator (1 to {MAX_ACTOR} characters)"
        )
    return name


def check_decision(decision: Decision | str) -> Decision:
    """Return ``decision`` as a :class:`Decision`; refuse anything else."""
    try:
        return Decision(decision)
    except ValueError:
        allowed = [d.value for d in Decision]
        raise InputError(f"decision={decision!r} is not allowed; use one of {allowed}") from None


def log_change(
    conn: Connection,
    actor: str,
    action: AuditAction,
    record_id: str | None,
    details: dict[str, Any],
) -> None:
    """Write one audit entry in the transaction of ``conn`` (the change it records)."""
    conn.execute(
        AUDIT_LOG.insert().values(
            at=datetime.now(UTC),
            actor=actor,
            action=action.value,
            record_id=record_id,
            details=details,
        )
    )
