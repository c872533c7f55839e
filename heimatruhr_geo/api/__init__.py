"""The public read API: OGC API – Features and a DCAT-AP.de catalogue at ``/api``.

Written directly on Starlette (see ``docs/api.md`` for why not pygeoapi) and served in the
Streamlit process: ``app.py`` hands :func:`~heimatruhr_geo.api.routes.streamlit_routes` to
``st.App``. Nothing here imports Streamlit; the data come through the store
(:class:`~heimatruhr_geo.api.service.ApiService`), in the public form of the exports.

Modules: ``service`` (store, limiter and cached figures of one process), ``params``
(query parameters, checked), ``features`` (GeoJSON of record pages), ``municipalities``
(the 53 polygons with counts and released survey figures), ``documents`` (landing page,
conformance, collections, OpenAPI), ``dcat`` (the catalogue), ``html`` (the HTML
encoding), ``http`` (responses: caching, CORS, errors, rate limits), ``routes`` (the
Starlette application).
"""

from __future__ import annotations
