"""Interface texts of the accessibility statement and the operator (German first, English).

The statement is the Erklärung zur Barrierefreiheit that BITV 2.0 / BITV NRW ask for.

The statement's texts are Markdown written by us; the operator's values are inserted by
the page as escaped plain text.
"""

OMBUDS_URL = "https://www.lbbp.nrw.de/ombudsstelle"
OMBUDS_EMAIL = "ombudsstelle-barrierefreie-it@mags.nrw.de"

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "a11y_title": "Erklärung zur Barrierefreiheit",
        "a11y_intro": (
            "Der Betreiber dieser Installation ({operator}) ist bemüht, diese Website "
            "barrierefrei zugänglich zu machen, im Einklang mit dem "
            "Behindertengleichstellungsgesetz Nordrhein-Westfalen (BGG NRW) und der "
            "Barrierefreie-Informationstechnik-Verordnung Nordrhein-Westfalen (BITV NRW), die "
            "wie die BITV 2.0 des Bundes die Richtlinie (EU) 2016/2102 umsetzen. Maßstab ist "
            "die Norm EN 301 549, für Websites also die WCAG 2.1 auf Stufe AA."
        ),
        "a11y_status_title": "Stand der Vereinbarkeit mit den Anforderungen",
        "a11y_status": (
            "Diese Website ist **teilweise** mit den Anforderungen vereinbar. Die folgenden "
            "Inhalte sind noch nicht barrierefrei."
        ),
        "a11y_limits_title": "Nicht barrierefreie Inhalte",
        "a11y_limits": (
            "- **Die interaktive Karte** (Seiten Karte, Planung, Raumsuche und Mitmachen) wird "
            "gerade überarbeitet: Markierungen und Gruppen sind mit der Tastatur noch nicht "
            "vollständig bedienbar und nicht alle für Screenreader benannt. Wege ohne Karte: "
            "die Tabelle aller 53 Gemeinden und die Downloads auf „Planung“, die "
            "Ergebnisliste der „Raumsuche“ (Adresse eingeben statt in die Karte klicken) und "
            "die Adressfelder auf „Mitmachen“.\n"
            "- **Die Einfärbung der Gemeinden** (Umfrage und Kennzahlen) unterscheidet Werte "
            "allein durch Farbe; die Werte stehen auch in der Tabelle auf „Planung“.\n"
            "- **Die Diagramme** auf „Planung“ sind Grafiken ohne Textbeschreibung; die "
            "Einträge dahinter lassen sich als CSV herunterladen.\n"
            "- **Erläuterungen in Leichter Sprache und in Deutscher Gebärdensprache** fehlen "
            "noch."
        ),
        "a11y_basis_title": "Erstellung dieser Erklärung",
        "a11y_basis": (
            "Diese Erklärung wurde am {date} erstellt. Sie beruht auf einer Selbstbewertung: "
            "Alle Seiten werden bei jeder Änderung automatisch mit axe-core auf die Regeln "
            "der WCAG 2.1 (Stufen A und AA) geprüft, auf einem 1280 px breiten Bildschirm und "
            "auf einem Telefon (375 px). Eine Prüfung mit Assistenztechnik durch Menschen "
            "steht noch aus."
        ),
        "a11y_feedback_title": "Feedback und Kontakt",
        "a11y_feedback": (
            "Sind Ihnen Barrieren auf dieser Website aufgefallen, oder brauchen Sie einen "
            "Inhalt in einer anderen Form? Schreiben Sie dem Betreiber; bitte nennen Sie die "
            "Seite und beschreiben Sie, was nicht funktioniert hat."
        ),
        "a11y_enforcement_title": "Durchsetzungsverfahren (Ombudsverfahren)",
        "a11y_enforcement": (
            "Erhalten Sie auf Ihre Meldung keine oder keine zufriedenstellende Antwort, "
            "können Sie sich an die Ombudsstelle für barrierefreie Informationstechnik des "
            "Landes Nordrhein-Westfalen wenden (§§ 10d, 10e BGG NRW, §§ 9 ff. BITV NRW). Sie "
            "ist der Beauftragten der Landesregierung für Menschen mit Behinderung "
            "zugeordnet, vermittelt zwischen Ihnen und dem Betreiber und ist kostenlos. "
            "Website: [{url}]({url}), E-Mail: [{email}](mailto:{email})"
        ),
        "operator_title": "Betreiber dieser Installation",
        "operator_name": "Name",
        "operator_address": "Anschrift",
        "operator_email": "E-Mail",
        "operator_phone": "Telefon",
        "operator_placeholder": "[Platzhalter: nicht eingestellt ({variable})]",
        "operator_unset": (
            "Platzhalter: Der Betreiber dieser Installation hat Name, Anschrift oder E-Mail "
            "noch nicht eingetragen (Einstellungen HEIMATRUHR_OPERATOR_NAME, "
            "HEIMATRUHR_OPERATOR_ADDRESS, HEIMATRUHR_OPERATOR_EMAIL)."
        ),
        "operator_unknown": "der Betreiber",
        "privacy_controller": (
            "Verantwortlich für die Verarbeitung und Ansprechpartner für Auskunft und "
            "Löschung ist der Betreiber dieser Installation:"
        ),
    },
    "en": {
        "a11y_title": "Accessibility statement",
        "a11y_intro": (
            "The operator of this installation ({operator}) strives to make this website "
            "accessible in accordance with the Disability Equality Act of North "
            "Rhine-Westphalia (BGG NRW) and the Accessible Information Technology Ordinance "
            "of North Rhine-Westphalia (BITV NRW), which, like the federal BITV 2.0, "
            "implement Directive (EU) 2016/2102. The standard is EN 301 549, for websites "
            "WCAG 2.1 at level AA."
        ),
        "a11y_status_title": "Compliance status",
        "a11y_status": (
            "This website is **partially** compliant with these requirements. The following "
            "content is not yet accessible."
        ),
        "a11y_limits_title": "Non-accessible content",
        "a11y_limits": (
            "- **The interactive map** (pages Map, Planning, Space finder and Take part) is "
            "being reworked: markers and clusters cannot yet be fully operated with the "
            "keyboard and are not all named for screen readers. Ways without the map: the "
            "table of all 53 municipalities and the downloads on “Planning”, the result "
            "list of the “Space finder” (type an address instead of clicking the map) and "
            "the address fields on “Take part”.\n"
            "- **The colouring of the municipalities** (survey and measures) tells values "
            "apart by colour alone; the values are also in the table on “Planning”.\n"
            "- **The charts** on “Planning” are images without a text description; the "
            "records behind them can be downloaded as CSV.\n"
            "- **Explanations in Easy Language and in German Sign Language** are still "
            "missing."
        ),
        "a11y_basis_title": "Preparation of this statement",
        "a11y_basis": (
            "This statement was prepared on {date}. It is based on a self-assessment: every "
            "page is checked automatically with axe-core against the rules of WCAG 2.1 "
            "(levels A and AA) on every change, on a 1280 px wide screen and on a phone "
            "(375 px). A test by people using assistive technology is still to come."
        ),
        "a11y_feedback_title": "Feedback and contact",
        "a11y_feedback": (
            "Have you come across barriers on this website, or do you need content in "
            "another form? Write to the operator; please name the page and describe what "
            "did not work."
        ),
        "a11y_enforcement_title": "Enforcement procedure (ombuds procedure)",
        "a11y_enforcement": (
            "If you receive no answer or no satisfactory answer to your report, you can turn "
            "to the Ombuds Office for Accessible Information Technology of the State of "
            "North Rhine-Westphalia (Sections 10d, 10e BGG NRW, Sections 9 ff. BITV NRW). It "
            "belongs to the State Government Commissioner for People with Disabilities, "
            "mediates between you and the operator and is free of charge. Website: "
            "[{url}]({url}), e-mail: [{email}](mailto:{email})"
        ),
        "operator_title": "Operator of this installation",
        "operator_name": "Name",
        "operator_address": "Address",
        "operator_email": "E-mail",
        "operator_phone": "Phone",
        "operator_placeholder": "[Placeholder: not set ({variable})]",
        "operator_unset": (
            "Placeholder: the operator of this installation has not yet entered a name, "
            "address or e-mail (settings HEIMATRUHR_OPERATOR_NAME, "
            "HEIMATRUHR_OPERATOR_ADDRESS, HEIMATRUHR_OPERATOR_EMAIL)."
        ),
        "operator_unknown": "the operator",
        "privacy_controller": (
            "Responsible for the processing, and the contact for access to and deletion of "
            "your data, is the operator of this installation:"
        ),
    },
}
"""Label text by language code and key."""
