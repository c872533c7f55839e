"""Interface texts of the moderation feature (German first, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {},
    "en": {},
}
