"""Interface texts of the rate limits of the forms and the moderators' sign-in (German, English)."""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "trust_form_limited": (
            "Von Ihrem Anschluss kamen gerade viele Einsendungen. Bitte versuchen Sie es "
            "{wait} noch einmal."
        ),
        "trust_signin_wait": (
            "Zu viele fehlgeschlagene Anmeldungen. Bitte {wait} erneut versuchen."
        ),
    },
    "en": {
        "trust_form_limited": (
            "Many submissions have just come from your connection. Please try again {wait}."
        ),
        "trust_signin_wait": "Too many failed sign-ins. Please try again {wait}.",
    },
}
