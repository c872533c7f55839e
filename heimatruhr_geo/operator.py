"""Who runs this installation: name, address and contact of the operator.

The imprint, the privacy notice and the accessibility statement (whose feedback contact it
is) name the operator.

The values come from :class:`~heimatruhr_geo.config.Settings` (``HEIMATRUHR_OPERATOR_*``),
else from the ``[operator]`` section of Streamlit's secrets; what is set nowhere is shown
as a placeholder that says so. They are operator text, but every page treats them as plain
text: escaped wherever they are shown, and an e-mail address becomes a link only when it
looks like one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from heimatruhr_geo.config import Settings

FIELDS = ("name", "address", "email", "phone")
"""The operator's fields; the secrets' keys and the suffixes of the variables."""
REQUIRED = ("name", "address", "email")
"""What the imprint and the statement need; the phone number is optional."""
VARIABLES = {name: f"HEIMATRUHR_OPERATOR_{name.upper()}" for name in FIELDS}
MAX_LENGTH = 300
"""Longer values are cut (they are shown in full on a public page)."""
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Operator:
    """Name, postal address, e-mail address and (optional) phone of the operator.

    Empty strings stand for "not configured".

    Examples
    --------
    >>> op = Operator.from_settings(Settings(operator_name="Stadt Bochum"), {"email": "a@b.de"})
    >>> op.name, op.email, op.missing()
    ('Stadt Bochum', 'a@b.de', ('address',))
    """

    name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""

    @classmethod
    def from_settings(
        cls, settings: Settings, secrets: Mapping[str, object] | None = None
    ) -> Operator:
        """Return the operator of ``settings``, with gaps filled from ``secrets``.

        Parameters
        ----------
        settings
            The process settings; their ``operator_*`` values win.
        secrets
            The ``[operator]`` section of Streamlit's secrets (keys ``name``, ``address``,
            ``email``, ``phone``), or ``None``.

        Returns
        -------
        Operator
            Each value stripped, with control characters removed, line breaks turned into
            ", " and cut to :data:`MAX_LENGTH` characters.
        """
        section = secrets or {}
        values = {}
        for name in FIELDS:
            value = str(getattr(settings, f"operator_{name}") or "").strip()
            if not value:
                value = str(section.get(name) or "").strip()
            values[name] = _clean(value)
        return cls(**values)

    def missing(self) -> tuple[str, ...]:
        """Return the required fields (:data:`REQUIRED`) that are not configured."""
        return tuple(name for name in REQUIRED if not getattr(self, name))

    def email_link(self) -> str:
        """Return a ``mailto:`` URL of the e-mail address, or ``""`` if it is not one."""
        return f"mailto:{self.email}" if _EMAIL.fullmatch(self.email) else ""


def _clean(value: str) -> str:
    """Return one line of plain text: no control characters, line breaks as ", "."""
    lines = [line.strip() for line in value.replace("\r", "\n").split("\n")]
    text = ", ".join(line for line in lines if line)
    return _CONTROL.sub("", text)[:MAX_LENGTH]
