"""Interface texts of the submissions feature (German first, English).

Keys: ``nav_submit`` and ``submit_*``; ``submit_field_<field>`` names every form field
(widget label and the field name in error messages), ``submit_err_*`` are the messages.
"""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "nav_submit": "Mitmachen",
        "submit_title": "Mitmachen: Kreativort vorschlagen oder Leerstand melden",
        "submit_intro": (
            "Kennen Sie einen Ort, an dem Kunst und Kreativität lokale Identität stiften – "
            "oder ein leerstehendes Gebäude, das Künstlerinnen und Kreative nutzen könnten? "
            "Ihre Einsendung wird von der Redaktion geprüft und erst danach auf der Karte "
            "gezeigt."
        ),
        "submit_kind": "Was möchten Sie einsenden?",
        "submit_kind_spaces": "Kreativort vorschlagen",
        "submit_kind_vacant": "Leerstand melden",
        # the location picker
        "submit_location_title": "Ort",
        "submit_location_help": (
            "Adresse eingeben und „Auf der Karte zeigen“ wählen – oder in die Karte klicken, "
            "um einen Punkt zu setzen. Die Gemeinde wird aus dem Punkt bestimmt."
        ),
        "submit_find": "Auf der Karte zeigen",
        "submit_address_empty": "Bitte zuerst Straße, PLZ oder Ort eingeben.",
        "submit_address_not_found": (
            "Diese Adresse wurde im Ruhrgebiet nicht gefunden. Prüfen Sie die Schreibweise "
            "oder klicken Sie in die Karte, um den Punkt selbst zu setzen."
        ),
        "submit_pin_outside": (
            "Dieser Punkt liegt außerhalb der 53 Städte und Gemeinden des Ruhrgebiets. "
            "Bitte einen Punkt im Ruhrgebiet wählen."
        ),
        "submit_location_none": "Noch kein Ort gewählt.",
        "submit_location_chosen": "Gewählter Ort in {municipality} ({how}): {lat}, {lon}",
        "submit_location_from_address": "aus der Adresse, Genauigkeit: {precision}",
        "submit_location_from_pin": "Punkt auf der Karte",
        "submit_location_found_as": "Gefunden als:",
        "submit_location_click_hint": "Ein Klick in die Karte setzt den Punkt neu.",
        "submit_marker": "Gewählter Ort",
        # the forms
        "submit_form_spaces": "Ihr Vorschlag",
        "submit_form_vacant": "Der Leerstand",
        "submit_optional": "(freiwillig)",
        "submit_choose": "Bitte wählen",
        "submit_unknown": "unbekannt",
        "submit_yes": "ja",
        "submit_no": "nein",
        "submit_number_placeholder": "z. B. 120 oder 120,5",
        "submit_contact_title": "Ihre Kontaktdaten für Rückfragen",
        "submit_privacy": (
            "**Datenschutz.** Name und E-Mail-Adresse sind freiwillig. Wir speichern sie "
            "getrennt von Ihrer Einsendung und nur, um bei Rückfragen zu dieser Einsendung "
            "Kontakt mit Ihnen aufzunehmen. Sie werden nie veröffentlicht oder weitergegeben "
            "und {days} Tage nach der Prüfung Ihrer Einsendung gelöscht. Öffentlich sichtbar "
            "werden nach der Prüfung nur die Angaben zum Ort (Titel, Beschreibung, Adresse, "
            "Art, öffentlicher Kontakt). Ihre IP-Adresse speichern wir nicht; gegen Missbrauch "
            "zählen wir Einsendungen je Anschluss eine Stunde lang unter einem nicht "
            "umkehrbaren Kürzel (Hash) der Adresse. Auskunft oder "
            "sofortige Löschung: schreiben Sie dem Betreiber dieser Seite (siehe Impressum) "
            "und nennen Sie Ihre Vorgangsnummer."
        ),
        "submit_send_spaces": "Vorschlag absenden",
        "submit_send_vacant": "Leerstand melden",
        "submit_thanks": (
            "Vielen Dank! Ihre Einsendung ist gespeichert (Vorgangsnummer {reference}). Sie "
            "wartet auf Prüfung und ist erst nach der Freigabe durch die Redaktion "
            "öffentlich sichtbar."
        ),
        "submit_errors": "Bitte prüfen Sie Ihre Angaben – es wurde nichts gespeichert.",
        # field names
        "submit_field_location": "Ort",
        "submit_field_record": "Eingabe",
        "submit_field_title": "Titel",
        "submit_field_description": "Beschreibung",
        "submit_field_project_type": "Art des Kreativorts",
        "submit_field_website": "Website",
        "submit_field_contact_public": "Öffentlicher Kontakt (wird gezeigt)",
        "submit_field_street": "Straße und Hausnummer",
        "submit_field_postcode": "PLZ",
        "submit_field_city": "Ort / Stadtteil",
        "submit_field_building_type": "Gebäudeart",
        "submit_field_owner_type": "Eigentümer",
        "submit_field_vacant_since": "Leer seit",
        "submit_field_degree": "Leerstand",
        "submit_field_floors": "Geschosse",
        "submit_field_floor_area_m2": "Fläche (m²)",
        "submit_field_rent_band": "Miete",
        "submit_field_available_from": "Verfügbar ab",
        "submit_field_available_until": "Verfügbar bis",
        "submit_field_power": "Strom",
        "submit_field_water": "Wasser",
        "submit_field_heating": "Heizung",
        "submit_field_step_free": "Stufenloser Zugang",
        "submit_field_contact_name": "Ihr Name",
        "submit_field_contact_email": "Ihre E-Mail-Adresse",
        # messages
        "submit_err_required": "Bitte ausfüllen.",
        "submit_err_choice": "Bitte eine der angebotenen Möglichkeiten wählen.",
        "submit_err_too_long": "Höchstens {max} Zeichen erlaubt (jetzt {n}).",
        "submit_err_email": "Bitte eine E-Mail-Adresse wie name@example.org angeben.",
        "submit_err_url": "Bitte eine Web-Adresse angeben, die mit http:// oder https:// beginnt.",
        "submit_err_postcode": "Bitte eine fünfstellige Postleitzahl angeben, z. B. 44135.",
        "submit_err_number": "Bitte eine Zahl angeben, z. B. 120 oder 120,5.",
        "submit_err_integer": "Bitte eine ganze Zahl angeben, z. B. 3.",
        "submit_err_range": "Bitte eine Zahl von {min} bis {max} angeben.",
        "submit_err_date": "Bitte ein Datum angeben, z. B. 01.03.2027.",
        "submit_err_date_order": "„Verfügbar bis“ darf nicht vor „Verfügbar ab“ liegen.",
        "submit_err_location": (
            "Bitte den Ort angeben: Adresse auf der Karte zeigen oder in die Karte klicken."
        ),
        "submit_err_outside": (
            "Dieser Ort liegt außerhalb der 53 Städte und Gemeinden des Ruhrgebiets."
        ),
        "submit_err_invalid": "Diese Angabe ist ungültig.",
        "submit_err_unknown": "Dieses Feld gehört nicht zum Formular.",
    },
    "en": {
        "nav_submit": "Take part",
        "submit_title": "Take part: propose a creative space or report a vacant building",
        "submit_intro": (
            "Do you know a place where art and creativity create local identity – or a vacant "
            "building that artists and creatives could use? The editors review every "
            "submission; it appears on the map only after that."
        ),
        "submit_kind": "What would you like to send?",
        "submit_kind_spaces": "Propose a creative space",
        "submit_kind_vacant": "Report a vacant building",
        "submit_location_title": "Location",
        "submit_location_help": (
            "Enter an address and choose “Show on the map” – or click the map to drop a "
            "pin. The municipality is derived from the point."
        ),
        "submit_find": "Show on the map",
        "submit_address_empty": "Please enter a street, postcode or place first.",
        "submit_address_not_found": (
            "This address was not found in the Ruhr region. Check the spelling or click the "
            "map to set the point yourself."
        ),
        "submit_pin_outside": (
            "This point lies outside the 53 towns and municipalities of the Ruhr region. "
            "Please choose a point inside the Ruhr region."
        ),
        "submit_location_none": "No location chosen yet.",
        "submit_location_chosen": "Chosen location in {municipality} ({how}): {lat}, {lon}",
        "submit_location_from_address": "from the address, precision: {precision}",
        "submit_location_from_pin": "pin on the map",
        "submit_location_found_as": "Found as:",
        "submit_location_click_hint": "Click the map to move the pin.",
        "submit_marker": "Chosen location",
        "submit_form_spaces": "Your proposal",
        "submit_form_vacant": "The vacant building",
        "submit_optional": "(optional)",
        "submit_choose": "Please choose",
        "submit_unknown": "unknown",
        "submit_yes": "yes",
        "submit_no": "no",
        "submit_number_placeholder": "e.g. 120 or 120.5",
        "submit_contact_title": "Your contact details for questions",
        "submit_privacy": (
            "**Privacy.** Your name and e-mail address are optional. We store them apart "
            "from your submission and only to contact you with questions about this "
            "submission. They are never published or passed on, and are deleted {days} days "
            "after your submission has been reviewed. After review, only the details of the "
            "place become public (title, description, address, type, public contact). We do "
            "not store your IP address; against abuse we count submissions per connection "
            "for one hour under a one-way code (hash) of the address. To see or have your "
            "data deleted at once, write to the operator of this site (see the imprint) "
            "quoting your reference number."
        ),
        "submit_send_spaces": "Send proposal",
        "submit_send_vacant": "Report vacant building",
        "submit_thanks": (
            "Thank you! Your submission is stored (reference {reference}). It awaits review "
            "and becomes public only once the editors have approved it."
        ),
        "submit_errors": "Please check your entries – nothing was stored.",
        "submit_field_location": "Location",
        "submit_field_record": "Entry",
        "submit_field_title": "Title",
        "submit_field_description": "Description",
        "submit_field_project_type": "Kind of creative space",
        "submit_field_website": "Website",
        "submit_field_contact_public": "Public contact (shown)",
        "submit_field_street": "Street and number",
        "submit_field_postcode": "Postcode",
        "submit_field_city": "Town / district",
        "submit_field_building_type": "Building type",
        "submit_field_owner_type": "Owner",
        "submit_field_vacant_since": "Vacant since",
        "submit_field_degree": "Vacancy",
        "submit_field_floors": "Floors",
        "submit_field_floor_area_m2": "Floor area (m²)",
        "submit_field_rent_band": "Rent",
        "submit_field_available_from": "Available from",
        "submit_field_available_until": "Available until",
        "submit_field_power": "Power",
        "submit_field_water": "Water",
        "submit_field_heating": "Heating",
        "submit_field_step_free": "Step-free access",
        "submit_field_contact_name": "Your name",
        "submit_field_contact_email": "Your e-mail address",
        "submit_err_required": "Please fill this in.",
        "submit_err_choice": "Please choose one of the options offered.",
        "submit_err_too_long": "At most {max} characters allowed (now {n}).",
        "submit_err_email": "Please give an e-mail address like name@example.org.",
        "submit_err_url": "Please give a web address starting with http:// or https://.",
        "submit_err_postcode": "Please give a five-digit postcode, e.g. 44135.",
        "submit_err_number": "Please give a number, e.g. 120 or 120.5.",
        "submit_err_integer": "Please give a whole number, e.g. 3.",
        "submit_err_range": "Please give a number from {min} to {max}.",
        "submit_err_date": "Please give a date, e.g. 2027-03-01.",
        "submit_err_date_order": "“Available until” must not lie before “Available from”.",
        "submit_err_location": (
            "Please give the location: show an address on the map or click the map."
        ),
        "submit_err_outside": (
            "This location lies outside the 53 towns and municipalities of the Ruhr region."
        ),
        "submit_err_invalid": "This entry is not valid.",
        "submit_err_unknown": "This field is not part of the form.",
    },
}
