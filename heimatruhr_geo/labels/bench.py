"""Interface texts of the first start and its demo data (German first, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "first_start_preparing": "Die Karte wird vorbereitet. Beim ersten Start legt die App "
        "Demo-Daten an; das dauert einige Sekunden.",
    },
    "en": {
        "first_start_preparing": "Preparing the map. On its first start the app creates demo "
        "data; this takes a few seconds.",
    },
}
