"""Interface texts of the submissions feature (German first, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {},
    "en": {},
}
