"""The interface texts (German, English): the one catalogue of the app.

Each module holds ``LABELS = {"de": {...}, "en": {...}}`` for one feature (``common`` for
the shared texts, ``taxonomy`` for the values of :mod:`heimatruhr_geo.models`), so that a
feature's texts sit together. :func:`heimatruhr_geo.i18n.load_catalogue` finds every
module here without registration and refuses a key that two modules define.

Conventions: keys are ``snake_case`` and start with the feature's prefix; a text with a
count has one key per CLDR plural category, ``<stem>_one`` and ``<stem>_other`` (read
with :func:`heimatruhr_geo.i18n.tn`); placeholders are ``{name}``.
"""
