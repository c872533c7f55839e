"""Interface texts of the Leerstandsmelder exchange (German first, English).

``field_demolition_rumor`` names the field that the Leerstandsmelder format brought (the
details view and the moderation page look fields up as ``field_<name>``);
``mod_action_withhold`` the audit log's action of an import that withdraws a record from
publication (looked up as ``mod_action_<action>``).
"""

LABELS: dict[str, dict[str, str]] = {
    "de": {
        "field_demolition_rumor": "Abrissgerüchte",
        "mod_action_withhold": "zurückgezogen (Import: an der Quelle ausgeblendet)",
    },
    "en": {
        "field_demolition_rumor": "Demolition rumours",
        "mod_action_withhold": "withdrawn (import: hidden at the source)",
    },
}
