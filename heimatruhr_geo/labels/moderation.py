"""Interface texts of the moderation feature (German first, English).

Keys: ``nav_moderation`` and ``mod_*``; ``mod_field_<field>`` names the record fields
that no other feature names; ``mod_action_<action>`` the audit log's actions;
``mod_col_<column>`` the table headers.
"""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "nav_moderation": "Moderation",
        "mod_title": "Moderation",
        "mod_config_error": (
            "Die Moderationszugänge sind falsch eingerichtet. Die Seite bleibt gesperrt, "
            "bis der Betreiber sie korrigiert; das Protokoll der App nennt den Fehler (siehe "
            "docs/moderation.md)."
        ),
        "mod_no_moderators": (
            "Es ist noch kein Moderationszugang eingerichtet. Der Betreiber legt Zugänge in "
            "HEIMATRUHR_MODERATORS oder in den Streamlit-Secrets an (siehe docs/moderation.md)."
        ),
        "mod_sign_in_title": "Anmelden",
        "mod_username": "Benutzername",
        "mod_password": "Passwort",
        "mod_sign_in": "Anmelden",
        "mod_refused": "Anmeldung abgelehnt: Benutzername oder Passwort ist falsch.",
        "mod_locked": ("Zu viele fehlgeschlagene Anmeldungen. Bitte {wait} erneut versuchen."),
        "mod_welcome": "Angemeldet.",
        "mod_signed_in_as": "Angemeldet als {user}",
        "mod_sign_out": "Abmelden",
        "mod_queue": "Warteschlange",
        "mod_queue_empty": "Keine Einsendungen warten auf Prüfung.",
        "mod_queue_spaces_other": "Kreativorte ({n} wartend)",
        "mod_queue_vacant_other": "Leerstände ({n} wartend)",
        "mod_queue_survey_other": "Umfrage-Antworten ({n} wartend)",
        "mod_queue_more_other": (
            "Die ältesten {shown} von {n} werden gezeigt; die Suche findet auch die übrigen."
        ),
        "mod_queue_find": "Suchen (ID oder Teil des Titels)",
        "mod_queue_found_other": "{n} Treffer",
        "mod_col_field": "Feld",
        "mod_col_value": "Wert",
        "mod_edit": "Bearbeiten",
        "mod_save": "Speichern",
        "mod_publish": "Veröffentlichen",
        "mod_reject": "Ablehnen",
        "mod_reason": "Grund der Ablehnung (Pflicht beim Ablehnen)",
        "mod_reason_missing": "Zum Ablehnen bitte einen Grund angeben.",
        "mod_published": "Veröffentlicht. Der Eintrag erscheint jetzt auf der Karte.",
        "mod_rejected": "Abgelehnt.",
        "mod_saved_other": "Gespeichert: {n} Felder geändert.",
        "mod_invalid": "Nicht gespeichert – bitte die Angaben prüfen:",
        "mod_failed": "Das hat nicht geklappt:",
        "mod_yes": "ja",
        "mod_no": "nein",
        "mod_funding_title": "Status und Förderung veröffentlichter Projekte",
        "mod_funding_help": (
            "Status (vorgeschlagen, in Prüfung, gefördert, umgesetzt, abgelehnt, "
            "zurückgezogen) sowie Förderprogramm, -summe und -jahr eines Kreativorts setzen. "
            "Abgelehnte und zurückgezogene Projekte sind nie öffentlich."
        ),
        "mod_funding_none": "Es gibt noch keine veröffentlichten Kreativorte.",
        "mod_project": "Projekt",
        "mod_project_placeholder": "Projekt wählen",
        "mod_erase_title": "Personenbezogene Daten löschen",
        "mod_erase_help": (
            "Auf Anfrage: löscht Name und E-Mail-Adresse aller Einsendungen mit dieser "
            "E-Mail-Adresse (oder einer Einsendung, wenn Sie ihre ID eingeben). Die "
            "Einsendungen selbst bleiben. Ohne Anfrage werden Kontaktdaten {days} Tage nach "
            "der Entscheidung gelöscht. Das Protokoll vermerkt nur die Anzahl, nie die Adresse."
        ),
        "mod_erase_who": "E-Mail-Adresse oder ID der Einsendung",
        "mod_erase_button": "Kontaktdaten löschen",
        "mod_erase_empty": "Bitte eine E-Mail-Adresse oder eine ID eingeben.",
        "mod_erased_other": "{n} Kontakteinträge gelöscht.",
        "mod_purge_button": "Kontaktdaten älter als {days} Tage jetzt löschen",
        "mod_purged_other": "{n} abgelaufene Kontakteinträge gelöscht.",
        "mod_audit_title": "Protokoll",
        "mod_audit_empty": "Noch keine Einträge.",
        "mod_col_at": "Zeitpunkt",
        "mod_col_actor": "Wer",
        "mod_col_action": "Aktion",
        "mod_col_record_id": "Eintrag",
        "mod_col_details": "Änderung",
        "mod_reason_short": "Grund",
        "mod_count_short": "Anzahl",
        "mod_action_publish": "veröffentlicht",
        "mod_action_reject": "abgelehnt",
        "mod_action_edit": "bearbeitet",
        "mod_action_delete_contact": "Kontaktdaten gelöscht (Anfrage)",
        "mod_action_purge_contacts": "abgelaufene Kontaktdaten gelöscht",
        "mod_field_id": "ID",
        "mod_field_lat": "Breitengrad",
        "mod_field_lon": "Längengrad",
        "mod_field_created_at": "Eingegangen",
        "mod_field_updated_at": "Geändert",
        "mod_field_moderation": "Prüfstatus",
        "mod_field_source_key": "Quellschlüssel",
        "mod_field_geocode_precision": "Genauigkeit des Orts",
        "mod_field_geocode_source": "Herkunft des Orts",
    },
    "en": {
        "nav_moderation": "Moderation",
        "mod_title": "Moderation",
        "mod_config_error": (
            "The moderator accounts are set up wrongly. The page stays locked until the "
            "operator corrects them; the app's log names the problem (see docs/moderation.md)."
        ),
        "mod_no_moderators": (
            "No moderator account is set up yet. The operator adds accounts in "
            "HEIMATRUHR_MODERATORS or in the Streamlit secrets (see docs/moderation.md)."
        ),
        "mod_sign_in_title": "Sign in",
        "mod_username": "User name",
        "mod_password": "Password",
        "mod_sign_in": "Sign in",
        "mod_refused": "Sign-in refused: wrong user name or password.",
        "mod_locked": "Too many failed sign-ins. Please try again {wait}.",
        "mod_welcome": "Signed in.",
        "mod_signed_in_as": "Signed in as {user}",
        "mod_sign_out": "Sign out",
        "mod_queue": "Queue",
        "mod_queue_empty": "No submissions are waiting for review.",
        "mod_queue_spaces_other": "Creative spaces ({n} pending)",
        "mod_queue_vacant_other": "Vacant buildings ({n} pending)",
        "mod_queue_survey_other": "Survey responses ({n} pending)",
        "mod_queue_more_other": "The oldest {shown} of {n} are shown; the search finds the others.",
        "mod_queue_find": "Search (id or part of the title)",
        "mod_queue_found_other": "{n} found",
        "mod_col_field": "Field",
        "mod_col_value": "Value",
        "mod_edit": "Edit",
        "mod_save": "Save",
        "mod_publish": "Publish",
        "mod_reject": "Reject",
        "mod_reason": "Reason for rejecting (required to reject)",
        "mod_reason_missing": "Please give a reason to reject.",
        "mod_published": "Published. The record now shows on the map.",
        "mod_rejected": "Rejected.",
        "mod_saved_other": "Saved: {n} fields changed.",
        "mod_invalid": "Not saved – please check the values:",
        "mod_failed": "That did not work:",
        "mod_yes": "yes",
        "mod_no": "no",
        "mod_funding_title": "Status and funding of published projects",
        "mod_funding_help": (
            "Set a creative space's status (proposed, under review, funded, realized, "
            "rejected, withdrawn) and its funding programme, amount and year. Rejected and "
            "withdrawn projects are never public."
        ),
        "mod_funding_none": "There are no published creative spaces yet.",
        "mod_project": "Project",
        "mod_project_placeholder": "Choose a project",
        "mod_erase_title": "Delete personal data",
        "mod_erase_help": (
            "On request: deletes the name and e-mail address of every submission with this "
            "e-mail address (or of one submission, if you enter its id). The submissions "
            "stay. Without a request, contact data are deleted {days} days after the "
            "decision. The log keeps only the count, never the address."
        ),
        "mod_erase_who": "E-mail address or submission id",
        "mod_erase_button": "Delete contact data",
        "mod_erase_empty": "Please enter an e-mail address or an id.",
        "mod_erased_other": "{n} contact entries deleted.",
        "mod_purge_button": "Delete contact data older than {days} days now",
        "mod_purged_other": "{n} expired contact entries deleted.",
        "mod_audit_title": "Audit log",
        "mod_audit_empty": "No entries yet.",
        "mod_col_at": "When",
        "mod_col_actor": "Who",
        "mod_col_action": "Action",
        "mod_col_record_id": "Record",
        "mod_col_details": "Change",
        "mod_reason_short": "Reason",
        "mod_count_short": "Count",
        "mod_action_publish": "published",
        "mod_action_reject": "rejected",
        "mod_action_edit": "edited",
        "mod_action_delete_contact": "contact data deleted (request)",
        "mod_action_purge_contacts": "expired contact data deleted",
        "mod_field_id": "Id",
        "mod_field_lat": "Latitude",
        "mod_field_lon": "Longitude",
        "mod_field_created_at": "Received",
        "mod_field_updated_at": "Changed",
        "mod_field_moderation": "Review state",
        "mod_field_source_key": "Source key",
        "mod_field_geocode_precision": "Location precision",
        "mod_field_geocode_source": "Location source",
    },
}
