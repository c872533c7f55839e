"""Interface texts of the finder feature (German first, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "nav_finder": "Raumsuche",
        "finder_title": "Raum finden: Leerstände für Kunst und Kreativität",
        "finder_intro": (
            "Geben Sie eine Adresse ein oder klicken Sie in die Karte, wählen Sie einen Umkreis "
            "und was der Raum bieten muss. Die passenden Leerstände erscheinen nach Entfernung "
            "sortiert. Der Link in der Adresszeile gibt diese Suche wieder."
        ),
        "finder_place_label": "Adresse oder Ort",
        "finder_place_placeholder": "z. B. Bochum Hauptbahnhof",
        "finder_place_button": "Mittelpunkt setzen",
        "finder_place_not_found": "„{query}“ wurde nicht gefunden. Versuchen Sie es mit einem "
        "Ortsnamen oder klicken Sie in die Karte.",
        "finder_no_centre": "Geben Sie eine Adresse ein oder klicken Sie in die Karte, um den "
        "Mittelpunkt der Suche zu setzen.",
        "finder_centre": "Mittelpunkt: {place}",
        "finder_clicked_point": "Punkt auf der Karte ({lat}, {lon})",
        "finder_click_hint": "Ein Klick in die Karte setzt den Mittelpunkt neu.",
        "finder_outside": "Dieser Punkt liegt außerhalb des Ruhrgebiets; bitte einen Punkt im "
        "Ruhrgebiet wählen.",
        "finder_radius": "Umkreis",
        "finder_needs": "Was der Raum bieten muss",
        "finder_need_min_area_m2": "Mindestfläche (m²)",
        "finder_need_rent_bands": "Miete (eine davon)",
        "finder_need_available_on": "Verfügbar am",
        "finder_need_power": "Strom",
        "finder_need_water": "Wasser",
        "finder_need_heating": "Heizung",
        "finder_need_step_free": "Stufenloser Zugang",
        "finder_need_building_types": "Gebäudeart (eine davon)",
        "finder_use_date": "An einem bestimmten Tag verfügbar",
        "finder_found": (
            "Passende Leerstände im Umkreis von {radius}: {n}, nach Entfernung sortiert."
        ),
        "finder_found_first": "Die nächsten {shown} von {n} passenden Leerständen im Umkreis von "
        "{radius}.",
        "finder_none": "Im Umkreis von {radius} erfüllt kein Leerstand alle Anforderungen.",
        "finder_suggest_radius": "Umkreis auf {radius} erweitern: {n} Treffer",
        "finder_suggest_need": "Ohne „{need}“: {n} Treffer",
        "finder_suggest_all_needs": "Ohne alle Anforderungen: {n} Treffer",
        "finder_suggest_nothing": "Auch mit größerem Umkreis oder weniger Anforderungen gibt es "
        "hier keinen Treffer. Versuchen Sie einen anderen Mittelpunkt.",
        "finder_col_distance": "Entfernung",
        "finder_col_title": "Titel",
        "finder_col_type": "Gebäudeart",
        "finder_col_area": "Fläche (m²)",
        "finder_col_rent": "Miete",
        "finder_col_available": "Verfügbar",
        "finder_col_facilities": "Ausstattung",
        "finder_col_contact": "Kontakt",
        "finder_col_place": "Ort",
        "finder_available_now": "sofort",
        "finder_available_from": "ab {date}",
        "finder_available_until": "bis {date}",
        "finder_unknown": "unbekannt",
        "finder_ask_culture_office": "Kein öffentlicher Kontakt: beim Kulturamt von "
        "{municipality} nachfragen",
        "finder_share": "Diese Suche teilen: den Link aus der Adresszeile kopieren.",
        "finder_map_centre": "Mittelpunkt der Suche",
    },
    "en": {
        "nav_finder": "Space finder",
        "finder_title": "Find a space: vacant buildings for art and creativity",
        "finder_intro": (
            "Enter an address or click the map, choose a radius and what the space must "
            "offer. Matching vacant buildings are listed nearest first. The link in the "
            "address bar restores this search."
        ),
        "finder_place_label": "Address or place",
        "finder_place_placeholder": "e.g. Bochum Hauptbahnhof",
        "finder_place_button": "Set centre",
        "finder_place_not_found": "“{query}” was not found. Try a place name or click the map.",
        "finder_no_centre": "Enter an address or click the map to set the centre of the search.",
        "finder_centre": "Centre: {place}",
        "finder_clicked_point": "Point on the map ({lat}, {lon})",
        "finder_click_hint": "Click the map to move the centre.",
        "finder_outside": (
            "This point lies outside the Ruhr region; please choose a point inside it."
        ),
        "finder_radius": "Radius",
        "finder_needs": "What the space must offer",
        "finder_need_min_area_m2": "Minimum floor area (m²)",
        "finder_need_rent_bands": "Rent (any of)",
        "finder_need_available_on": "Available on",
        "finder_need_power": "Power",
        "finder_need_water": "Water",
        "finder_need_heating": "Heating",
        "finder_need_step_free": "Step-free access",
        "finder_need_building_types": "Building type (any of)",
        "finder_use_date": "Available on a given day",
        "finder_found": "Matching vacant buildings within {radius}: {n}, nearest first.",
        "finder_found_first": "The nearest {shown} of {n} matching vacant buildings within "
        "{radius}.",
        "finder_none": "No vacant building within {radius} meets all needs.",
        "finder_suggest_radius": "Widen the radius to {radius}: {n} found",
        "finder_suggest_need": "Without “{need}”: {n} found",
        "finder_suggest_all_needs": "Without any need: {n} found",
        "finder_suggest_nothing": "Neither a wider radius nor fewer needs find anything here. "
        "Try another centre.",
        "finder_col_distance": "Distance",
        "finder_col_title": "Title",
        "finder_col_type": "Building type",
        "finder_col_area": "Floor area (m²)",
        "finder_col_rent": "Rent",
        "finder_col_available": "Available",
        "finder_col_facilities": "Facilities",
        "finder_col_contact": "Contact",
        "finder_col_place": "Place",
        "finder_available_now": "now",
        "finder_available_from": "from {date}",
        "finder_available_until": "until {date}",
        "finder_unknown": "unknown",
        "finder_ask_culture_office": "No public contact: ask the culture office of {municipality}",
        "finder_share": "Share this search: copy the link from the address bar.",
        "finder_map_centre": "Centre of the search",
    },
}
