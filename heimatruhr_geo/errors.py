"""Errors raised by heimatruhr_geo.

Every error names what was wrong, the value seen and what is allowed, so that a
page or the CLI can show it as it is.
"""


class HeimatruhrError(Exception):
    """Base class of all errors raised by this package."""


class InputError(HeimatruhrError, ValueError):
    """Input from a user or a file is not acceptable."""


class DataError(HeimatruhrError):
    """Shipped or stored data is missing, broken or not what it claims to be."""


class GeocodingError(HeimatruhrError):
    """A geocoding service failed or answered something unusable."""


class NotFound(HeimatruhrError, LookupError):
    """A requested record, place or file does not exist."""


class LabelError(LookupError):
    """The code asked for an interface text or language that does not exist.

    A programming error, not bad input: deliberately not a :class:`HeimatruhrError`, so
    that pages never show it to a visitor as if they had made a mistake.
    """
