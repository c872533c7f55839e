"""Interface texts of the locale work: plural forms, chart titles, readable audit entries.

Keys ending in ``_one`` are the singular forms of the label without that ending (see
:func:`heimatruhr_geo.i18n.tn`); ``chart_*`` title the planners' charts; ``audit_*``
describe audit log entries.
"""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        # singular forms (the label without "_one" is the general form)
        "mod_saved_one": "Gespeichert: {n} Feld geändert.",
        "mod_erased_one": "{n} Kontakteintrag gelöscht.",
        "mod_purged_one": "{n} abgelaufener Kontakteintrag gelöscht.",
        "demo_notice_one": (
            "Demo: {n} der gezeigten Einträge ist ein erfundenes Beispiel, als „Demo“ "
            "gekennzeichnet."
        ),
        "demo_survey_notice_one": (
            "Demo: Die Umfrageergebnisse enthalten {n} erfundene Beispielantwort."
        ),
        "count_records_other": "{n} Einträge",
        "count_records_one": "{n} Eintrag",
        "count_contacts_other": "{n} Kontakteinträge",
        "count_contacts_one": "{n} Kontakteintrag",
        "count_days_other": "{n} Tage",
        "count_days_one": "{n} Tag",
        # charts
        "chart_by_type": "Projekte nach Art und Status",
        "chart_count_per_year": "Projekte je Förderjahr",
        "chart_funding_per_year": "Fördersumme je Förderjahr",
        "chart_projects": "Projekte",
        # audit log
        "audit_by_email": "nach E-Mail-Adresse",
        "audit_by_record": "nach Vorgangsnummer",
        "audit_records": "Einträge: {ids}",
        "audit_older_than": "älter als {days} (vor {date})",
    },
    "en": {
        "mod_saved_one": "Saved: {n} field changed.",
        "mod_erased_one": "{n} contact entry deleted.",
        "mod_purged_one": "{n} expired contact entry deleted.",
        "demo_notice_one": (
            "Demo: {n} of the records shown is an invented example, labelled “Demo”."
        ),
        "demo_survey_notice_one": "Demo: the survey results include {n} invented example answer.",
        "count_records_other": "{n} records",
        "count_records_one": "{n} record",
        "count_contacts_other": "{n} contact entries",
        "count_contacts_one": "{n} contact entry",
        "count_days_other": "{n} days",
        "count_days_one": "{n} day",
        "chart_by_type": "Projects by type and status",
        "chart_count_per_year": "Projects per funding year",
        "chart_funding_per_year": "Funding per funding year",
        "chart_projects": "Projects",
        "audit_by_email": "by e-mail address",
        "audit_by_record": "by reference number",
        "audit_records": "records: {ids}",
        "audit_older_than": "older than {days} (before {date})",
    },
}
