"""Interface texts of the survey releases (German first, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "survey_release_demo_hidden": (
            "Es gibt echte Umfrage-Antworten: Die erfundenen Demo-Antworten werden deshalb "
            "nirgends mehr gezeigt und nie mit echten vermischt."
        ),
        "survey_release_shown": (
            "Auswertungsstand {number} vom {date} mit {n} Antworten. Die Ergebnisse "
            "ändern sich nur mit einem neuen Auswertungsstand, und zwar in einer Gemeinde und "
            "Sparte nur um mindestens 5 Antworten; Freitexte kommen in Gruppen von "
            "mindestens 5 hinzu. So lässt sich aus dem Vergleich zweier Stände keine "
            "einzelne Antwort ablesen."
        ),
        "survey_release_none": (
            "Noch kein Auswertungsstand: Ergebnisse erscheinen, sobald in einer Gemeinde "
            "und Sparte mindestens 5 Antworten zusammengekommen sind."
        ),
        "survey_release_command_done": (
            "Auswertungsstand {number}: {n} Antworten, {texts} Freitexte."
        ),
        "survey_release_command_none": (
            "Kein neuer Auswertungsstand: Keine Zelle hat sich um mindestens 5 Antworten geändert."
        ),
    },
    "en": {
        "survey_release_demo_hidden": (
            "Real survey answers exist, so the invented demo answers are no longer shown "
            "anywhere and are never mixed with real ones."
        ),
        "survey_release_shown": (
            "As of release {number} of {date} with {n} answers. Results change only in new "
            "releases, and in a municipality and discipline only by at least 5 answers; "
            "free texts are added in groups of at least 5. So comparing two versions does "
            "not reveal any single answer."
        ),
        "survey_release_none": (
            "No results released yet: they appear once at least 5 answers have come "
            "together in one municipality and discipline."
        ),
        "survey_release_command_done": "Release {number}: {n} answers, {texts} free texts.",
        "survey_release_command_none": (
            "No new release: no cell has changed by at least 5 answers."
        ),
    },
}
