"""The moderation service: every moderator's change to a record, each with its audit entry.

Publishing, rejecting and editing records and deleting submitters' contact data happen
only here, and each writes its entry into ``audit_log`` (:mod:`heimatruhr_geo.audit`) in
the same transaction as the change: if the entry cannot be written, nothing changes.
There is no way to publish a record without an entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from heimatruhr_geo.audit import (
    MAX_REASON,
    AuditAction,
    AuditEntry,
    Decision,
    check_actor,
    check_decision,
    editable_fields,
    log_change,
)
from heimatruhr_geo.db import chunks
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.models import CONTACT_RETENTION_DAYS, Moderation, build_record
from heimatruhr_geo.records import (
    Records,
    aware,
    check_values,
    json_value,
    locked_row,
    record_row,
    row_record,
)
from heimatruhr_geo.schema import AUDIT_LOG, CONTACTS, RECORDS


class ModerationService:
    """Moderators' changes to records, each written with its audit log entry.

    Parameters
    ----------
    records
        The records repository (its database is the one written).
    """

    def __init__(self, records: Records):
        self.records = records
        self.db = records.db

    def update_record(
        self, record_id: str, changes: Mapping[str, Any], actor: str
    ) -> dict[str, list[Any]]:
        """Edit a record's fields, validated as a whole, and log the change.

        The municipality is derived again when the coordinates change, and a moved point
        counts as placed by the moderator: ``geocode_precision`` becomes ``exact`` and
        ``geocode_source`` ``moderator`` (the log holds the moved coordinates). Coordinates sent
        unchanged (an edit form sends them all) keep the precision. Nothing is written
        (and nothing logged) when no value changes.

        Parameters
        ----------
        record_id
            The record.
        changes
            Field → new value, for fields of :func:`editable_fields`; values are
            validated like form input (``"12,5"``, ``"01.03.2026"`` and ``""`` for
            optional numbers are read).
        actor
            The moderator's name, for the audit log.

        Returns
        -------
        dict
            Field → ``[old, new]`` (JSON values) of every changed field.

        Raises
        ------
        NotFound
            If no record has this id.
        InputError
            For a field that cannot be edited, an invalid value (naming the field and
            what is allowed) or coordinates outside the Ruhr.
        """
        who = check_actor(actor)

        def run(conn: Connection) -> dict[str, list[Any]]:
            row = locked_row(conn, record_id)
            layer = str(row["layer"])
            allowed = editable_fields(layer)
            bad = sorted(set(changes) - set(allowed))
            if bad:
                raise InputError(
                    f"fields {bad} of a {layer} record cannot be edited; editable: {allowed}"
                )
            old = row_record(row)
            values = {**old.model_dump(), **changes, "updated_at": datetime.now(UTC)}
            new = build_record(layer, values)
            # Only a point that really moved was placed by the moderator: an edit form
            # sends the unchanged coordinates too, and must not make a guess look exact.
            moved = (new.lat, new.lon) != (old.lat, old.lon)
            if moved:
                new = build_record(
                    layer, {**values, "geocode_precision": "exact", "geocode_source": "moderator"}
                )
            diff = {
                name: [json_value(getattr(old, name)), json_value(getattr(new, name))]
                for name in allowed
                if json_value(getattr(old, name)) != json_value(getattr(new, name))
            }
            if not diff:
                return {}
            ags = self.records.to_rows([new])[0][0]["ags"] if moved else str(row["ags"])
            keep = {"id", "created_at", "moderation", "source", "source_key"}
            values = {k: v for k, v in record_row(new, ags).items() if k not in keep}
            conn.execute(RECORDS.update().where(RECORDS.c.id == record_id).values(**values))
            log_change(conn, who, AuditAction.EDIT, record_id, {"changes": diff})
            return diff

        return self.db.retry(run)

    def decide(
        self, record_id: str, decision: Decision | str, actor: str, reason: str = ""
    ) -> None:
        """Publish or reject a record and log who did it, when and why.

        Parameters
        ----------
        decision
            ``publish`` or ``reject``.
        reason
            Required for ``reject`` (1 to 1,000 characters); optional for ``publish``.

        Raises
        ------
        NotFound
            If no record has this id.
        InputError
            For an unknown decision or a rejection without a reason.
        """
        who = check_actor(actor)
        chosen = check_decision(decision)
        why = reason.strip()
        if chosen is Decision.REJECT and not why:
            raise InputError("reason='': a rejection needs a reason (1 to 1,000 characters)")
        if len(why) > MAX_REASON:
            raise InputError(f"reason of {len(why)} characters is too long; at most {MAX_REASON}")
        state = Moderation.PUBLISHED if chosen is Decision.PUBLISH else Moderation.REJECTED

        def run(conn: Connection) -> None:
            row = locked_row(conn, record_id)
            conn.execute(
                RECORDS.update()
                .where(RECORDS.c.id == record_id)
                .values(moderation=state.value, updated_at=datetime.now(UTC))
            )
            details = {"moderation": [str(row["moderation"]), state.value], "reason": why}
            log_change(conn, who, AuditAction(chosen.value), record_id, details)

        self.db.retry(run)

    def delete_contact_data(self, who: str, actor: str) -> int:
        """Delete a submitter's private contact data on request; return how many rows.

        Parameters
        ----------
        who
            An e-mail address (every contact with it, case-insensitive) or a record id.
        actor
            The moderator, for the audit log. The log keeps the count and the record
            ids, never the e-mail address.

        Raises
        ------
        InputError
            If ``who`` is empty.
        """
        actor_name = check_actor(actor)
        key = who.strip()
        if not key:
            raise InputError("who='': give the submitter's e-mail address or a record id")
        by_email = "@" in key
        if by_email:
            cond = sa.func.lower(CONTACTS.c.email) == key.lower()
        else:
            cond = CONTACTS.c.record_id == key

        def run(conn: Connection) -> int:
            ids = sorted(
                str(r) for r in conn.execute(sa.select(CONTACTS.c.record_id).where(cond)).scalars()
            )
            count = conn.execute(CONTACTS.delete().where(cond)).rowcount
            details = {"by": "email" if by_email else "record", "count": count, "record_ids": ids}
            log_change(
                conn, actor_name, AuditAction.DELETE_CONTACT, None if by_email else key, details
            )
            return int(count)

        return self.db.retry(run)

    def purge_expired_contacts(
        self,
        now: datetime | None = None,
        days: int = CONTACT_RETENTION_DAYS,
        *,
        actor: str = "system",
    ) -> int:
        """Delete the contacts of records decided more than ``days`` days before ``now``.

        The decision time is the newest ``publish``/``reject`` entry of the audit log;
        for records decided without one (e.g. imported as published) it is their last
        update. Contacts of pending records are kept. One audit entry records the count.

        Returns
        -------
        int
            How many contact rows were deleted.
        """
        moment = now if now is not None else datetime.now(UTC)
        if moment.tzinfo is None:
            raise InputError(f"now={moment!r} must carry a time zone (e.g. UTC)")
        if days < 0:
            raise InputError(f"days={days!r} is not allowed; use 0 or more")
        cutoff = moment.astimezone(UTC) - timedelta(days=days)
        who = check_actor(actor)
        decisions = [AuditAction.PUBLISH.value, AuditAction.REJECT.value]
        decided = (
            sa.select(AUDIT_LOG.c.record_id, sa.func.max(AUDIT_LOG.c.at).label("at"))
            .where(AUDIT_LOG.c.action.in_(decisions))
            .group_by(AUDIT_LOG.c.record_id)
            .subquery()
        )
        expired = (
            sa.select(CONTACTS.c.record_id)
            .join(RECORDS, RECORDS.c.id == CONTACTS.c.record_id)
            .outerjoin(decided, decided.c.record_id == RECORDS.c.id)
            .where(
                RECORDS.c.moderation != Moderation.PENDING.value,
                sa.func.coalesce(decided.c.at, RECORDS.c.updated_at) < cutoff,
            )
        )

        def run(conn: Connection) -> int:
            ids = list(conn.execute(expired).scalars())
            for chunk in chunks(ids):
                conn.execute(CONTACTS.delete().where(CONTACTS.c.record_id.in_(chunk)))
            if ids:
                details = {"count": len(ids), "days": days, "cutoff": cutoff.isoformat()}
                log_change(conn, who, AuditAction.PURGE_CONTACTS, None, details)
            return len(ids)

        return self.db.retry(run)

    def audit_entries(
        self,
        record_id: str | None = None,
        *,
        actions: Sequence[str] = (),
        limit: int | None = 200,
    ) -> list[AuditEntry]:
        """Return audit log entries, newest first (of one record and actions if given)."""
        stmt = sa.select(AUDIT_LOG).order_by(AUDIT_LOG.c.at.desc(), AUDIT_LOG.c.id.desc())
        if record_id is not None:
            stmt = stmt.where(AUDIT_LOG.c.record_id == record_id)
        if actions:
            allowed = [a.value for a in AuditAction]
            stmt = stmt.where(AUDIT_LOG.c.action.in_(check_values(actions, allowed, "actions")))
        if limit is not None:
            stmt = stmt.limit(int(limit))
        with self.db.begin() as conn:
            rows = conn.execute(stmt).mappings().all()
        return [
            AuditEntry(
                id=int(r["id"]),
                at=aware(r["at"]),
                actor=str(r["actor"]),
                action=str(r["action"]),
                record_id=r["record_id"],
                details=dict(r["details"] or {}),
            )
            for r in rows
        ]
