"""Interface texts of single features, merged into :data:`heimatruhr_geo.i18n.LABELS`.

Each module holds ``LABELS = {"de": {...}, "en": {...}}`` for one feature, so a feature's
texts sit together. Keys must be unique across all modules (checked on import).
"""
