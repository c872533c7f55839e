"""Interface texts about the geocoder's own state (German first, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "geocoder_wait": "Adresse wird gesucht …",
        "geocoder_busy": (
            "Der Adressdienst ist gerade ausgelastet. Der Ort wurde ohne ihn aus dem "
            "Ortsverzeichnis bestimmt und ist darum nur ungefähr; versuchen Sie es in einer "
            "Minute noch einmal für die genaue Adresse."
        ),
        "geocoder_unreachable": (
            "Der Adressdienst war nicht erreichbar. Der Ort wurde ohne ihn aus dem "
            "Ortsverzeichnis bestimmt und ist darum nur ungefähr (Stadt oder Stadtteil)."
        ),
    },
    "en": {
        "geocoder_wait": "Looking up the address …",
        "geocoder_busy": (
            "The address service is busy right now. The place was found without it, in the "
            "list of place names, and is only approximate; try again in a minute for the "
            "exact address."
        ),
        "geocoder_unreachable": (
            "The address service could not be reached. The place was found without it, in "
            "the list of place names, and is only approximate (town or district)."
        ),
    },
}
