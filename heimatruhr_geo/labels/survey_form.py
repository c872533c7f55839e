"""Interface texts of the survey form feature (German first, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {},
    "en": {},
}
