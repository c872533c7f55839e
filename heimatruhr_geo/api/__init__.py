"""The public read API: OGC API – Features and a DCAT-AP.de catalogue at ``/api``.

Written directly on Starlette (see ``docs/api.md`` for why not pygeoapi) and served in the
Streamlit process: ``app.py`` hands :func:`mount` of the application
(:func:`~heimatruhr_geo.api.routes.create_app`) to ``st.App``. Nothing here imports
Streamlit; the data come through the store (:class:`~heimatruhr_geo.api.service.ApiService`),
in the public form of the exports.

Modules: ``service`` (store, limiter and cached figures of one process), ``params``
(query parameters, checked), ``features`` (GeoJSON of record pages), ``municipalities``
(the 53 polygons with counts and released survey figures), ``documents`` (landing page,
conformance, collections, OpenAPI), ``dcat`` (the catalogue), ``html`` (the HTML
encoding), ``http`` (responses: caching, CORS, errors, rate limits), ``routes`` (the
Starlette application).

This module itself imports nothing heavy, so that ``app.py`` can mount the API before the
application is built.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp

PREFIX = "/api"
"""The path every route of the API starts with."""


def mount(app: ASGIApp) -> list[BaseRoute]:
    """Return the routes that hand every request under :data:`PREFIX` to ``app``.

    For ``st.App(..., routes=...)``: Streamlit's own routes come after these.
    """
    return [Route(PREFIX, app), Route(PREFIX + "/{path:path}", app)]
