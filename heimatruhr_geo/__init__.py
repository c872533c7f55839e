"""heimatruhr-geo: a map of creative places in the Ruhr region."""

__version__ = "0.1.0"
