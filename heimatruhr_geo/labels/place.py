"""Interface texts about how precisely a place is located, and about embedding the map."""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        # approximate locations (map, list, details, legend)
        "place_approx_municipality": "Lage ungefähr (Gemeindemitte)",
        "place_approx_district": "Lage ungefähr (Stadtteilmitte)",
        "place_legend_title": "Lage",
        "place_legend_exact": "Lage bekannt",
        "place_legend_approx": "Lage ungefähr (Gemeinde- oder Stadtteilmitte)",
        "place_col_location": "Lage",
        "place_details_approx": (
            "Dieser Ort ist nur ungefähr eingezeichnet: Der Punkt steht in der Mitte "
            "{where}, nicht an der genannten Adresse."
        ),
        "place_where_municipality": "der Gemeinde",
        "place_where_district": "des Stadtteils",
        # moderation queue
        "place_queue_approx": (
            "Lage nur ungefähr ({precision}): Der Punkt steht in der Mitte {where}, nicht an "
            "der Adresse. Setzen Sie den Pin, bevor Sie veröffentlichen; sonst erscheint der "
            "Ort auf der Karte als „ungefähr“."
        ),
        "place_queue_where": "So erschiene der Ort auf der Karte:",
        "place_queue_save": "Diese Lage übernehmen",
        "place_queue_pick_first": (
            "Klicken Sie in die Karte (oder suchen Sie die Adresse), um den genauen Punkt zu "
            "setzen."
        ),
        # geocoder unreachable and nothing found offline
        "place_geocoder_unreachable_not_found": (
            "Der Adressdienst war nicht erreichbar, und im Ortsverzeichnis steht „{query}“ "
            "nicht. Versuchen Sie es später noch einmal, oder geben Sie eine Stadt oder einen "
            "Stadtteil an."
        ),
        "place_geocoder_busy_not_found": (
            "Der Adressdienst ist gerade ausgelastet, und im Ortsverzeichnis steht „{query}“ "
            "nicht. Versuchen Sie es in einer Minute noch einmal, oder geben Sie eine Stadt "
            "oder einen Stadtteil an."
        ),
        # embedding
        "place_embed_title": "Diese Karte einbetten",
        "place_embed_help": (
            "Kopieren Sie diesen Code in Ihre Website: Er zeigt nur die Karte mit der "
            "aktuellen Auswahl (ohne Navigation und Filter), mit Legende und Quellenangabe."
        ),
        "place_embed_url": "Adresse der eingebetteten Karte",
        "place_embed_iframe_title": "Karte der Kreativorte und Leerstände",
        "place_embed_url_ignored": "Einige Angaben im Link wurden ignoriert:",
        "place_map_selection": "Die Karte zeigt die Auswahl aus dem Link.",
        "place_map_show_all": "Alle Orte zeigen",
    },
    "en": {
        "place_approx_municipality": "Approximate location (centre of the municipality)",
        "place_approx_district": "Approximate location (centre of the district)",
        "place_legend_title": "Location",
        "place_legend_exact": "Location known",
        "place_legend_approx": "Approximate location (centre of municipality or district)",
        "place_col_location": "Location",
        "place_details_approx": (
            "This place is only drawn approximately: the point is at the centre of {where}, "
            "not at the address given."
        ),
        "place_where_municipality": "the municipality",
        "place_where_district": "the district",
        "place_queue_approx": (
            "Location only approximate ({precision}): the point is at the centre of {where}, "
            "not at the address. Place the pin before publishing; otherwise the map shows "
            "the place as “approximate”."
        ),
        "place_queue_where": "This is where the place would appear on the map:",
        "place_queue_save": "Use this location",
        "place_queue_pick_first": "Click the map (or look up the address) to set the exact point.",
        "place_geocoder_unreachable_not_found": (
            "The address service could not be reached, and “{query}” is not in the list of "
            "place names. Try again later, or enter a town or district."
        ),
        "place_geocoder_busy_not_found": (
            "The address service is busy right now, and “{query}” is not in the list of place "
            "names. Try again in a minute, or enter a town or district."
        ),
        "place_embed_title": "Embed this map",
        "place_embed_help": (
            "Copy this code into your website: it shows only the map of the current selection "
            "(no navigation, no filters), with its legend and attribution."
        ),
        "place_embed_url": "Address of the embedded map",
        "place_embed_iframe_title": "Map of creative places and vacant buildings",
        "place_embed_url_ignored": "Some parts of the link were ignored:",
        "place_map_selection": "The map shows the selection from the link.",
        "place_map_show_all": "Show all places",
    },
}
