"""Interface texts of the survey form feature (German first, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "nav_survey": "Umfrage",
        "survey_title": "#heimatruhr-Umfrage für Künstlerinnen, Künstler und Kreative",
        "survey_intro": (
            "Welche Bedeutung hat lokale Identität für Sie – und wie können reale Orte "
            "aussehen, die Identität stiften und Kunst und Kreativität Raum geben? Ihre "
            "Antworten helfen den Städten und Gemeinden des Ruhrgebiets bei der Planung."
        ),
        "survey_tab_form": "Mitmachen",
        "survey_tab_results": "Ergebnisse",
        "survey_privacy": (
            "Anonym: Wir fragen nicht nach Namen, E-Mail oder Adresse und speichern zu Ihrer "
            "Antwort weder IP-Adresse noch Uhrzeit (nur den Tag); gegen Missbrauch zählen wir "
            "Antworten je Anschluss eine Stunde lang, getrennt davon, unter einem nicht "
            "umkehrbaren Kürzel (Hash) der Adresse. Ihre Gemeinde dient nur der Auswertung. "
            "Ergebnisse erscheinen nur zusammengefasst und nur, wenn mindestens 5 Antworten "
            "zusammenkommen. Bitte schreiben Sie keine persönlichen Angaben in die Textfelder."
        ),
        "survey_form_title": "Fragebogen",
        "survey_choose": "Bitte wählen",
        "survey_optional": "(freiwillig)",
        "survey_q_discipline": "In welcher Sparte arbeiten Sie hauptsächlich?",
        "survey_q_ags": "In welcher Stadt oder Gemeinde arbeiten Sie?",
        "survey_q_identity_text": "Welche Bedeutung hat lokale Identität für Sie?",
        "survey_q_places_text": (
            "Wie können reale Orte aussehen, die Identität stiften und Kunst und "
            "Kreativität Raum geben?"
        ),
        "survey_q_identity_rating": "Wie wichtig ist Ihnen lokale Identität für Ihre Arbeit?",
        "survey_q_space_rating": (
            "Wie gut finden Sie in Ihrer Gemeinde Räume für Kunst und Kreativität?"
        ),
        "survey_q_region_rating": "Wie sehr fühlen Sie sich dem Ruhrgebiet als Ganzem zugehörig?",
        "survey_q_vacancy_rating": (
            "Wie gern würden Sie ein leerstehendes Gebäude (z. B. zur Zwischennutzung) für "
            "Ihre Arbeit nutzen?"
        ),
        "survey_scale_identity_rating_low": "1 = gar nicht wichtig",
        "survey_scale_identity_rating_high": "5 = sehr wichtig",
        "survey_scale_space_rating_low": "1 = sehr schlecht",
        "survey_scale_space_rating_high": "5 = sehr gut",
        "survey_scale_region_rating_low": "1 = gar nicht",
        "survey_scale_region_rating_high": "5 = sehr stark",
        "survey_scale_vacancy_rating_low": "1 = gar nicht gern",
        "survey_scale_vacancy_rating_high": "5 = sehr gern",
        "survey_field_discipline": "Sparte",
        "survey_field_ags": "Gemeinde",
        "survey_field_identity_text": "Lokale Identität (Text)",
        "survey_field_places_text": "Reale Orte (Text)",
        "survey_field_identity_rating": "Lokale Identität",
        "survey_field_space_rating": "Räume in der Gemeinde",
        "survey_field_region_rating": "Zugehörigkeit zum Ruhrgebiet",
        "survey_field_vacancy_rating": "Leerstand nutzen",
        "survey_submit": "Antworten absenden",
        "survey_thanks": (
            "Vielen Dank! Ihre Antworten sind gespeichert und werden nach einer Prüfung mitgezählt."
        ),
        "survey_errors": "Bitte prüfen Sie Ihre Angaben – es wurde nichts gespeichert.",
        "survey_err_required": "Bitte beantworten Sie diese Frage.",
        "survey_err_choice": "Bitte wählen Sie eine der angebotenen Sparten.",
        "survey_err_municipality": (
            "Bitte wählen Sie eine der 53 Städte und Gemeinden des Ruhrgebiets."
        ),
        "survey_err_rating": "Bitte wählen Sie einen Wert von 1 bis 5.",
        "survey_err_too_long": "Höchstens {max} Zeichen erlaubt (jetzt {n}).",
        "survey_err_personal": (
            "Bitte lassen Sie persönliche Angaben weg (E-Mail-Adressen, Telefonnummern, "
            "Web-Adressen, @-Namen) – die Umfrage ist anonym."
        ),
        "survey_err_unknown": "Dieses Feld gehört nicht zur Umfrage.",
        "survey_err_invalid": "Diese Angabe ist ungültig.",
        "survey_results_title": "Ergebnisse",
        "survey_k_note": (
            "Zum Schutz der Befragten: Gemeinden (und gefilterte Zellen) mit weniger als 5 "
            "Antworten zeigen „zu wenige Antworten“; einige weitere werden mit ausgeblendet, "
            "damit sich verborgene Zahlen nicht aus Summen errechnen lassen."
        ),
        "survey_filter_discipline": "Sparte",
        "survey_filter_counties": "Kreise / kreisfreie Städte",
        "survey_all_disciplines": "Alle Sparten",
        "survey_all": "Alle",
        "survey_region_name": "Ruhrgebiet (RVR)",
        "survey_summary_region": "Ganzes Ruhrgebiet",
        "survey_summary_discipline": "Ganzes Ruhrgebiet, Sparte {discipline}",
        "survey_responses": "Antworten",
        "survey_mean": "Ø {question}",
        "survey_no_value": "–",
        "survey_region_too_few": "Zu wenige Antworten für eine Auswertung (unter 5).",
        "survey_disciplines_title": "Antworten nach Sparte",
        "survey_share": "Anteil",
        "survey_table_title": "Nach Gemeinde",
        "survey_chart_title": "Verteilung der Bewertungen",
        "survey_chart_question": "Frage",
        "survey_chart_rating": "Bewertung",
        "survey_chart_none": "Keine Gemeinde dieser Auswahl hat genug Antworten für ein Diagramm.",
        "survey_texts_title": "Freitext-Antworten (ganzes Ruhrgebiet)",
        "survey_texts_note": (
            "Nur für das ganze Ruhrgebiet, ohne Gemeinde, Sparte oder Bewertung, "
            "alphabetisch sortiert."
        ),
        "survey_texts_none": "Noch keine Freitext-Antworten.",
        "survey_download": "Ergebnisse als CSV",
        "survey_col_question": "Frage",
        "survey_col_text": "Antwort",
    },
    "en": {
        "nav_survey": "Survey",
        "survey_title": "#heimatruhr survey for artists and creatives",
        "survey_intro": (
            "What significance does local identity carry for you – and what can real places "
            "look like that create identity and give space to art and creativity? Your "
            "answers help the Ruhr region's towns and cities plan."
        ),
        "survey_tab_form": "Take part",
        "survey_tab_results": "Results",
        "survey_privacy": (
            "Anonymous: we ask for no name, e-mail or address and store with your answer "
            "neither IP address nor time (only the day); against abuse we count answers per "
            "connection for one hour, apart from them, under a one-way code (hash) of the "
            "address. Your municipality is used only for the analysis. "
            "Results are shown only in aggregate and only where at least 5 responses come "
            "together. Please do not write personal details into the text fields."
        ),
        "survey_form_title": "Questionnaire",
        "survey_choose": "Please choose",
        "survey_optional": "(optional)",
        "survey_q_discipline": "Which discipline do you mainly work in?",
        "survey_q_ags": "Which town or city do you work in?",
        "survey_q_identity_text": "What significance does local identity carry for you?",
        "survey_q_places_text": (
            "What can real places look like that create identity and give space to art and "
            "creativity?"
        ),
        "survey_q_identity_rating": "How important is local identity for your work?",
        "survey_q_space_rating": (
            "How well do you find spaces for art and creativity in your municipality?"
        ),
        "survey_q_region_rating": "How strongly do you feel part of the Ruhr region as a whole?",
        "survey_q_vacancy_rating": (
            "How much would you like to use a vacant building (e.g. as a temporary use) for "
            "your work?"
        ),
        "survey_scale_identity_rating_low": "1 = not important at all",
        "survey_scale_identity_rating_high": "5 = very important",
        "survey_scale_space_rating_low": "1 = very badly",
        "survey_scale_space_rating_high": "5 = very well",
        "survey_scale_region_rating_low": "1 = not at all",
        "survey_scale_region_rating_high": "5 = very strongly",
        "survey_scale_vacancy_rating_low": "1 = not at all",
        "survey_scale_vacancy_rating_high": "5 = very much",
        "survey_field_discipline": "Discipline",
        "survey_field_ags": "Municipality",
        "survey_field_identity_text": "Local identity (text)",
        "survey_field_places_text": "Real places (text)",
        "survey_field_identity_rating": "Local identity",
        "survey_field_space_rating": "Spaces in the municipality",
        "survey_field_region_rating": "Belonging to the Ruhr region",
        "survey_field_vacancy_rating": "Using vacant buildings",
        "survey_submit": "Send answers",
        "survey_thanks": ("Thank you! Your answers are stored and will be counted after review."),
        "survey_errors": "Please check your answers – nothing was stored.",
        "survey_err_required": "Please answer this question.",
        "survey_err_choice": "Please choose one of the disciplines offered.",
        "survey_err_municipality": (
            "Please choose one of the 53 towns and cities of the Ruhr region."
        ),
        "survey_err_rating": "Please choose a value from 1 to 5.",
        "survey_err_too_long": "At most {max} characters allowed (now {n}).",
        "survey_err_personal": (
            "Please leave out personal details (e-mail addresses, phone numbers, web "
            "addresses, @-names) – the survey is anonymous."
        ),
        "survey_err_unknown": "This field is not part of the survey.",
        "survey_err_invalid": "This answer is not valid.",
        "survey_results_title": "Results",
        "survey_k_note": (
            "To protect respondents: municipalities (and filtered cells) with fewer than 5 "
            "responses show 'too few responses'; a few more are hidden with them so that "
            "hidden figures cannot be worked out from totals."
        ),
        "survey_filter_discipline": "Discipline",
        "survey_filter_counties": "Counties / county-free cities",
        "survey_all_disciplines": "All disciplines",
        "survey_all": "All",
        "survey_region_name": "Ruhr region (RVR)",
        "survey_summary_region": "Whole Ruhr region",
        "survey_summary_discipline": "Whole Ruhr region, discipline {discipline}",
        "survey_responses": "Responses",
        "survey_mean": "Mean: {question}",
        "survey_no_value": "–",
        "survey_region_too_few": "Too few responses for any results (fewer than 5).",
        "survey_disciplines_title": "Responses by discipline",
        "survey_share": "Share",
        "survey_table_title": "By municipality",
        "survey_chart_title": "Distribution of ratings",
        "survey_chart_question": "Question",
        "survey_chart_rating": "Rating",
        "survey_chart_none": "No municipality in this selection has enough responses for a chart.",
        "survey_texts_title": "Free-text answers (whole Ruhr region)",
        "survey_texts_note": (
            "For the whole Ruhr region only, without municipality, discipline or rating, "
            "sorted alphabetically."
        ),
        "survey_texts_none": "No free-text answers yet.",
        "survey_download": "Results as CSV",
        "survey_col_question": "Question",
        "survey_col_text": "Answer",
    },
}
