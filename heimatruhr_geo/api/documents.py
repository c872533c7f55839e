"""The API's fixed documents: landing page, conformance, collections, OpenAPI, queryables.

Every href is absolute, built on the ``/api`` URL the client used (``base``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from heimatruhr_geo.api.features import GEOJSON, HTML, JSON, link
from heimatruhr_geo.api.params import (
    CRS84,
    DEFAULT_LIMIT,
    EXPORT_FORMATS,
    MAX_LIMIT,
    STATUSES,
    TYPE_FIELDS,
    TYPES,
)
from heimatruhr_geo.i18n import t

OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
JSON_LD = "application/ld+json"
SCHEMA = "application/schema+json"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
LICENSE_URL = "https://www.govdata.de/dl-de/by-2-0"
"""Datenlizenz Deutschland – Namensnennung – 2.0 (see ``docs/api.md``)."""
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]


@dataclass(frozen=True)
class Collection:
    """One collection: its id, the label keys of its texts, and what it holds."""

    id: str

    def title(self, lang: str) -> str:
        """Return the collection's title."""
        return t(f"api_{self.id}_title", lang)

    def description(self, lang: str) -> str:
        """Return the collection's description."""
        return t(f"api_{self.id}_description", lang)


COLLECTIONS = {name: Collection(name) for name in ("spaces", "vacant", "municipalities")}
"""The collections, in the order the API lists them."""


def landing(base: str, lang: str) -> dict[str, Any]:
    """Return the landing page (``/api``)."""
    return {
        "title": t("api_title", lang),
        "description": t("api_description", lang),
        "links": [
            link(base, "self", JSON, "this document"),
            link(f"{base}?f=html", "alternate", HTML, "this document as HTML"),
            link(f"{base}/openapi", "service-desc", OPENAPI, t("api_openapi_title", lang)),
            link(f"{base}/openapi?f=html", "service-doc", HTML, t("api_openapi_title", lang)),
            link(f"{base}/conformance", "conformance", JSON, t("api_conformance_title", lang)),
            link(f"{base}/collections", "data", JSON, t("api_collections_title", lang)),
            link(f"{base}/catalog", "describedby", JSON_LD, t("api_catalog_title", lang)),
            link(LICENSE_URL, "license", HTML, "Datenlizenz Deutschland – Namensnennung – 2.0"),
        ],
    }


def conformance() -> dict[str, Any]:
    """Return the conformance declaration."""
    return {"conformsTo": list(CONFORMANCE)}


def collection(base: str, cid: str, bbox: list[float], lang: str) -> dict[str, Any]:
    """Return the description of collection ``cid``."""
    info = COLLECTIONS[cid]
    url = f"{base}/collections/{cid}"
    return {
        "id": cid,
        "title": info.title(lang),
        "description": info.description(lang),
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": {"spatial": {"bbox": [bbox], "crs": CRS84}},
        "links": [
            link(url, "self", JSON, "this collection"),
            link(f"{url}?f=html", "alternate", HTML, "this collection as HTML"),
            link(f"{url}/items", "items", GEOJSON, t("api_items_title", lang)),
            link(f"{url}/items?f=html", "items", HTML, t("api_items_title", lang)),
            link(f"{url}/queryables", QUERYABLES_REL, SCHEMA, "queryables"),
            link(LICENSE_URL, "license", HTML, "Datenlizenz Deutschland – Namensnennung – 2.0"),
        ],
    }


def collections(base: str, bbox: list[float], lang: str) -> dict[str, Any]:
    """Return the list of collections."""
    return {
        "collections": [collection(base, cid, bbox, lang) for cid in COLLECTIONS],
        "links": [
            link(f"{base}/collections", "self", JSON, "this document"),
            link(f"{base}/collections?f=html", "alternate", HTML, "this document as HTML"),
        ],
    }


def queryables(base: str, cid: str, lang: str) -> dict[str, Any]:
    """Return the JSON schema of the properties that ``items`` of ``cid`` filters on."""
    props: dict[str, Any] = {
        "ags": {"type": "string", "title": "AGS (also: municipality=<AGS or name>)"},
        "county": {"type": "string", "title": "county key or name"},
    }
    if cid in TYPES:
        props["status"] = {"type": "string", "enum": list(STATUSES[cid])}
        props[TYPE_FIELDS[cid]] = {"type": "string", "enum": list(TYPES[cid])}
    return {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": f"{base}/collections/{cid}/queryables",
        "type": "object",
        "title": COLLECTIONS[cid].title(lang),
        "properties": props,
    }


def openapi(base: str, lang: str) -> dict[str, Any]:
    """Return the OpenAPI 3.0 definition; ``limit`` advertises its maximum (read by GDAL)."""
    paths: dict[str, Any] = {
        "/": _get("landing page", []),
        "/conformance": _get("conformance declaration", []),
        "/collections": _get("collections", []),
        "/catalog": _get("DCAT-AP.de catalogue (JSON-LD)", []),
    }
    for cid in COLLECTIONS:
        filters = ["municipality", "ags", "municipalities", "county", "counties"]
        if cid in TYPES:
            kind = TYPE_FIELDS[cid]
            filters += ["status", "statuses", "type", kind, f"{kind}s"]
        refs = ["limit", "offset", "bbox", "bbox-crs", "crs", "f", *filters]
        paths[f"/collections/{cid}"] = _get(f"collection {cid}", ["f"])
        paths[f"/collections/{cid}/queryables"] = _get(f"queryables of {cid}", [])
        paths[f"/collections/{cid}/items"] = _get(f"features of {cid}", refs)
        paths[f"/collections/{cid}/items/{{featureId}}"] = _get(
            f"one feature of {cid}", ["featureId", "f"]
        )
        if cid in TYPES:
            export = ["export-f", "bbox", "bbox-crs", *filters]
            paths[f"/collections/{cid}/export"] = _get(f"the public export of {cid}", export)
    return {
        "openapi": "3.0.2",
        "info": {
            "title": t("api_title", lang),
            "description": t("api_description", lang),
            "version": "1.0.0",
            "license": {"name": "dl-de/by-2-0", "url": LICENSE_URL},
        },
        "servers": [{"url": base}],
        "paths": paths,
        "components": {"parameters": _parameters()},
    }


def _get(summary: str, parameters: list[str]) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": [{"$ref": f"#/components/parameters/{p}"} for p in parameters],
            "responses": {
                "200": {"description": "OK"},
                "400": {"description": "a query parameter is not allowed"},
                "404": {"description": "not found"},
                "429": {"description": "too many requests (see Retry-After)"},
            },
        }
    }


def _parameters() -> dict[str, Any]:
    def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "style": "form",
            "explode": False,
            "description": description,
            "schema": schema,
        }

    text = {"type": "string"}
    return {
        "limit": query(
            "limit",
            {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
            f"features per page (larger values are cut to {MAX_LIMIT})",
        ),
        "offset": query("offset", {"type": "integer", "minimum": 0, "default": 0}, "skip"),
        "bbox": query(
            "bbox",
            {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
            "minLon,minLat,maxLon,maxLat (CRS84)",
        ),
        "bbox-crs": query("bbox-crs", {"type": "string", "enum": [CRS84]}, "CRS of bbox"),
        "crs": query("crs", {"type": "string", "enum": [CRS84]}, "CRS of the features"),
        "f": query("f", {"type": "string", "enum": ["json", "html"]}, "encoding"),
        "export-f": {
            **query("f", {"type": "string", "enum": list(EXPORT_FORMATS)}, "file format"),
            "schema": {"type": "string", "enum": list(EXPORT_FORMATS), "default": "geojson"},
        },
        "municipality": query("municipality", text, "AGS or names, comma-separated"),
        "ags": query("ags", text, "AGS, comma-separated"),
        "county": query("county", text, "county keys or names, comma-separated"),
        "status": query("status", text, "statuses, comma-separated"),
        "type": query("type", text, "project or building types, comma-separated"),
        "project_type": query("project_type", text, "project types (spaces)"),
        "building_type": query("building_type", text, "building types (vacant)"),
        "municipalities": query("municipalities", text, "as municipality (the app's URL name)"),
        "counties": query("counties", text, "as county (the app's URL name)"),
        "statuses": query("statuses", text, "as status (the app's URL name)"),
        "project_types": query("project_types", text, "as project_type (the app's URL name)"),
        "building_types": query("building_types", text, "as building_type (the app's URL name)"),
        "featureId": {
            "name": "featureId",
            "in": "path",
            "required": True,
            "schema": text,
            "description": "record id or AGS",
        },
    }
