"""The API as a Starlette application, and the routes that ``st.App`` serves it on.

Paths (all under ``/api``): the landing page (``/api`` and ``/api/``), ``/conformance``,
``/openapi``, ``/collections``, ``/collections/{id}``, ``…/queryables``, ``…/items``,
``…/items/{featureId}``, ``…/export`` (the whole filtered public export as CSV, GeoJSON
or GeoPackage, for ``spaces`` and ``vacant``) and ``/catalog``. Each request first counts
against the client's limit (:meth:`ApiService.wait_s`; 429 with ``Retry-After`` when
exceeded), then is answered by a handler that only parses, asks the service and encodes
(:mod:`heimatruhr_geo.api.http`). Bad parameters answer 400, unknown collections or
features 404, both as JSON naming what was wrong.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from heimatruhr_geo.api import PREFIX, dcat, documents, features, http, municipalities
from heimatruhr_geo.api.documents import COLLECTIONS, OPENAPI
from heimatruhr_geo.api.features import GEOJSON, JSON
from heimatruhr_geo.api.params import (
    COMMON,
    ParameterError,
    check_known,
    export_query,
    items_query,
    output_format,
)
from heimatruhr_geo.api.service import ApiService
from heimatruhr_geo.boundaries import RUHR_AGS, default_path
from heimatruhr_geo.errors import InputError, NotFound
from heimatruhr_geo.i18n import normalize_language, t
from heimatruhr_geo.io import export_bytes

logger = logging.getLogger(__name__)

EXPORT_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}
Handler = Callable[[Request], Response]


class Api:
    """The request handlers over one :class:`ApiService`."""

    def __init__(self, service: ApiService) -> None:
        self.service = service

    # ------------------------------------------------------------------ plumbing

    def endpoint(self, handler: Handler) -> Callable[[Request], Response]:
        """Wrap ``handler``: the client's rate limit first, errors as JSON."""

        def serve(request: Request) -> Response:
            try:
                peer = request.client.host if request.client else None
                client = self.service.client(peer, request.headers.getlist("x-forwarded-for"))
                wait = self.service.wait_s(client)
                if wait > 0:
                    return http.error(
                        429,
                        "TooManyRequests",
                        f"more than {self.service.rule.limit} requests in "
                        f"{self.service.rule.window_s:.0f} s from this client; "
                        f"try again in {wait:.0f} s",
                        retry_after_s=wait,
                    )
                return handler(request)
            except ParameterError as exc:
                return http.error(400, "InvalidParameterValue", str(exc))
            except NotFound as exc:
                return http.error(404, "NotFound", str(exc))
            except InputError as exc:
                return http.error(400, "InvalidParameterValue", str(exc))
            except Exception:
                logger.exception("API request %s failed", request.url.path)
                return http.error(500, "ServerError", "the request could not be answered")

        return serve

    @staticmethod
    def base(request: Request) -> str:
        """Return the absolute URL of ``/api`` as this client reached it."""
        return str(request.base_url).rstrip("/") + PREFIX

    @staticmethod
    def lang(request: Request) -> str:
        """Return the language of titles and descriptions (``lang``, default German)."""
        return normalize_language(request.query_params.get("lang"))

    def _simple(self, request: Request, body: dict[str, Any], media: str, title: str) -> Response:
        params = dict(request.query_params)
        check_known(params, COMMON)
        fmt = output_format(params, request.headers.get("accept", ""))
        lang = self.lang(request)
        return http.document(request, body, fmt=fmt, media=media, title=title, lang=lang)

    def _bbox(self) -> list[float]:
        return municipalities.extent(self.service.municipalities())

    @staticmethod
    def _collection_id(request: Request) -> str:
        cid = str(request.path_params["cid"])
        if cid not in COLLECTIONS:
            raise NotFound(f"collection {cid!r} does not exist; use one of {list(COLLECTIONS)}")
        return cid

    # ------------------------------------------------------------------ handlers

    def landing(self, request: Request) -> Response:
        """Answer ``/api``: the landing page."""
        body = documents.landing(self.base(request), self.lang(request))
        return self._simple(request, body, JSON, t("api_title", self.lang(request)))

    def conformance(self, request: Request) -> Response:
        """Answer ``/api/conformance``."""
        title = t("api_conformance_title", self.lang(request))
        return self._simple(request, {"title": title, **documents.conformance()}, JSON, title)

    def openapi(self, request: Request) -> Response:
        """Answer ``/api/openapi``: the OpenAPI 3.0 definition (``service-desc``)."""
        body = documents.openapi(self.base(request), self.lang(request))
        return self._simple(request, body, OPENAPI, t("api_openapi_title", self.lang(request)))

    def collections(self, request: Request) -> Response:
        """Answer ``/api/collections``."""
        lang = self.lang(request)
        body = documents.collections(self.base(request), self._bbox(), lang)
        return self._simple(request, body, JSON, t("api_collections_title", lang))

    def collection(self, request: Request) -> Response:
        """Answer ``/api/collections/{cid}``."""
        cid = self._collection_id(request)
        lang = self.lang(request)
        body = documents.collection(self.base(request), cid, self._bbox(), lang)
        return self._simple(request, body, JSON, COLLECTIONS[cid].title(lang))

    def queryables(self, request: Request) -> Response:
        """Answer ``/api/collections/{cid}/queryables``."""
        cid = self._collection_id(request)
        lang = self.lang(request)
        body = documents.queryables(self.base(request), cid, lang)
        return self._simple(request, body, documents.SCHEMA, COLLECTIONS[cid].title(lang))

    def items(self, request: Request) -> Response:
        """Answer ``/api/collections/{cid}/items``: one page of features."""
        cid = self._collection_id(request)
        params = dict(request.query_params)
        query = items_query(cid, params, request.headers.get("accept", ""))
        lang = self.lang(request)
        title = f"{COLLECTIONS[cid].title(lang)} – {t('api_items_title', lang)}"
        url = f"{self.base(request)}/collections/{cid}"
        if cid == "municipalities":
            found, matched = municipalities.select(
                self.service.municipalities(), self.service.municipality_table(), query
            )
            texts = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in found]
        else:
            page = self.service.page(cid, query.filters)
            texts, matched = features.feature_texts(page.frame), page.matched
        links = features.page_links(f"{url}/items", params, query, len(texts), matched, url)
        if query.fmt == "html":
            found = [json.loads(text) for text in texts]
            body = features.collection_document(found, matched, links)
            return http.document(request, body, fmt="html", media=GEOJSON, title=title, lang=lang)
        stable = features.collection_text(texts, matched, links)
        return http.stamped(request, stable, features.timestamp(), GEOJSON)

    def item(self, request: Request) -> Response:
        """Answer ``/api/collections/{cid}/items/{fid}``: one feature (404 if not published)."""
        cid = self._collection_id(request)
        fid = str(request.path_params["fid"])
        params = dict(request.query_params)
        check_known(params, COMMON)
        fmt = output_format(params, request.headers.get("accept", ""))
        if cid == "municipalities":
            found: list[dict[str, Any]] = []
            if fid in RUHR_AGS:
                found, _ = municipalities.select(
                    self.service.municipalities(),
                    self.service.municipality_table(),
                    items_query(cid, {"municipality": fid}),
                )
        else:
            found = features.feature_list(self.service.record(cid, fid))
        if not found:
            raise NotFound(f"feature {fid!r} does not exist in collection {cid!r} or is not public")
        url = f"{self.base(request)}/collections/{cid}"
        body = {
            **found[0],
            "links": [
                features.link(f"{url}/items/{fid}", "self", GEOJSON, "this feature"),
                features.link(f"{url}/items/{fid}?f=html", "alternate", features.HTML, "HTML"),
                features.link(url, "collection", JSON, "the collection"),
            ],
        }
        lang = self.lang(request)
        return http.document(request, body, fmt=fmt, media=GEOJSON, title=fid, lang=lang)

    def export(self, request: Request) -> Response:
        """Answer ``/api/collections/{cid}/export``: the whole (filtered) public export."""
        cid = self._collection_id(request)
        filters, fmt = export_query(cid, dict(request.query_params))
        content = export_bytes(self.service.store.query(cid, filters), fmt, layer=cid)
        response = http.cached(request, content, EXPORT_MEDIA[fmt], content)
        if response.status_code == 200:
            disposition = f'attachment; filename="heimatruhr-{cid}.{fmt}"'
            response.headers["Content-Disposition"] = disposition
        return response

    def catalog(self, request: Request) -> Response:
        """Answer ``/api/catalog``: the DCAT-AP.de catalogue as JSON-LD."""
        params = dict(request.query_params)
        check_known(params, COMMON)
        outline = municipalities.region_outline(default_path(self.service.settings.data_dir))
        body = dcat.catalog(self.base(request), self.service.operator(), self._bbox(), outline)
        lang = self.lang(request)
        fmt = "html" if params.get("f") == "html" else "json"
        return http.document(
            request, body, fmt=fmt, media=documents.JSON_LD, title="DCAT-AP.de", lang=lang
        )

    # ------------------------------------------------------------------ routing

    def routes(self) -> list[BaseRoute]:
        """Return the API's routes (full paths under :data:`PREFIX`)."""
        table = [
            ("", self.landing),
            ("/", self.landing),
            ("/conformance", self.conformance),
            ("/openapi", self.openapi),
            ("/collections", self.collections),
            ("/collections/{cid}", self.collection),
            ("/collections/{cid}/queryables", self.queryables),
            ("/collections/{cid}/items", self.items),
            ("/collections/{cid}/items/{fid}", self.item),
            ("/collections/{cid}/export", self.export),
            ("/catalog", self.catalog),
        ]
        return [
            Route(PREFIX + path, self.endpoint(handler), methods=["GET"]) for path, handler in table
        ]


def create_app(service: ApiService) -> Starlette:
    """Return the API as a Starlette application (its paths start with ``/api``).

    CORS preflight requests from any origin are answered (GET only, no credentials).
    """
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=["*"],
            allow_methods=["GET", "HEAD", "OPTIONS"],
            allow_headers=["*"],
            expose_headers=["ETag", "Retry-After", "Content-Type"],
            max_age=3600,
        )
    ]
    app = Starlette(routes=Api(service).routes(), middleware=middleware)
    app.state.service = service
    return app
