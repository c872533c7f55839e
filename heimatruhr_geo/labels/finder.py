"""Interface texts of the finder feature (German first, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {},
    "en": {},
}
