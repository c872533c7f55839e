"""Texts of the public read API at ``/api``: titles and descriptions (German, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "api_title": "#heimatruhr – offene Daten",
        "api_description": (
            "Veröffentlichte Kreativorte, Leerstände und die Gemeinden des Ruhrgebiets "
            "als OGC API – Features (GeoJSON) und als DCAT-AP.de-Katalog."
        ),
        "api_spaces_title": "Kreativorte und Projekte",
        "api_spaces_description": (
            "Veröffentlichte Kreativorte und Projekte des Programms #heimatruhr: "
            "vorgeschlagen, in Prüfung, gefördert oder umgesetzt (ohne Kontaktdaten)."
        ),
        "api_vacant_title": "Leerstände",
        "api_vacant_description": (
            "Veröffentlichte Leerstände im Ruhrgebiet, die für kreative oder temporäre "
            "Nutzung in Frage kommen (ohne Kontaktdaten)."
        ),
        "api_municipalities_title": "Gemeinden des Ruhrgebiets",
        "api_municipalities_description": (
            "Die 53 Gemeinden des Ruhrgebiets (VG250, © GeoBasis-DE / BKG 2016, Daten "
            "verändert) mit der Zahl veröffentlichter Kreativorte und Leerstände und den "
            "Ergebnissen der Künstlerbefragung aus der letzten Veröffentlichung, nur für "
            "Gruppen von mindestens 5 Antworten."
        ),
        "api_catalog_title": "#heimatruhr – Datenkatalog",
        "api_conformance_title": "Erfüllte Konformitätsklassen",
        "api_collections_title": "Sammlungen",
        "api_items_title": "Objekte",
        "api_openapi_title": "API-Beschreibung (OpenAPI 3.0)",
        "api_links": "Verweise",
        "api_matched": "{matched} Treffer, {returned} angezeigt",
        "api_error_title": "Fehler",
    },
    "en": {
        "api_title": "#heimatruhr – open data",
        "api_description": (
            "Published creative spaces, vacant buildings and the municipalities of the Ruhr "
            "region as OGC API – Features (GeoJSON) and as a DCAT-AP.de catalogue."
        ),
        "api_spaces_title": "Creative spaces and projects",
        "api_spaces_description": (
            "Published creative spaces and projects of the #heimatruhr programme: proposed, "
            "under review, funded or realized (without contact data)."
        ),
        "api_vacant_title": "Vacant buildings",
        "api_vacant_description": (
            "Published vacant buildings in the Ruhr region that could host creative or "
            "temporary use (without contact data)."
        ),
        "api_municipalities_title": "Municipalities of the Ruhr region",
        "api_municipalities_description": (
            "The 53 municipalities of the Ruhr region (VG250, © GeoBasis-DE / BKG 2016, data "
            "changed) with the numbers of published creative spaces and vacant buildings and "
            "the results of the artists' survey from the latest release, only for groups of "
            "at least 5 answers."
        ),
        "api_catalog_title": "#heimatruhr – data catalogue",
        "api_conformance_title": "Conformance classes met",
        "api_collections_title": "Collections",
        "api_items_title": "Items",
        "api_openapi_title": "API definition (OpenAPI 3.0)",
        "api_links": "Links",
        "api_matched": "{matched} matched, {returned} shown",
        "api_error_title": "Error",
    },
}
