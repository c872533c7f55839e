"""The DCAT-AP.de description of the API's datasets, as JSON-LD (``/api/catalog``).

One ``dcat:Catalog`` with the datasets ``spaces``, ``vacant`` and ``municipalities``, each
with title and description (German and English), publisher and contact point (the
configured operator, :class:`heimatruhr_geo.operator.Operator`), spatial coverage (the
Ruhr region as a bounding box and outline, and the regional key of each county), the
licence (Datenlizenz Deutschland – Namensnennung – 2.0, DCAT-AP.de's licence URI on every
distribution, with its attribution text) and distributions: the GeoJSON items of the
OGC API, their HTML view, the whole public export as CSV, GeoJSON and GeoPackage (records
only) and the OGC API collection itself.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from heimatruhr_geo.api.documents import COLLECTIONS, LICENSE_URL
from heimatruhr_geo.api.params import MAX_LIMIT
from heimatruhr_geo.boundaries import COUNTIES
from heimatruhr_geo.i18n import t
from heimatruhr_geo.operator import Operator

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "locn": "http://www.w3.org/ns/locn#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
"""DCAT-AP.de's URI of Datenlizenz Deutschland – Namensnennung – 2.0."""
ATTRIBUTION = {
    "spaces": "#heimatruhr (Betreiber: {operator})",
    "vacant": "#heimatruhr (Betreiber: {operator})",
    "municipalities": "© GeoBasis-DE / BKG 2016 (Daten verändert); #heimatruhr ({operator})",
}
THEMES = {
    "spaces": ["EDUC", "SOCI", "REGI"],
    "vacant": ["REGI", "ECON"],
    "municipalities": ["REGI", "GOVE"],
}
"""EU data themes (http://publications.europa.eu/resource/authority/data-theme/…)."""
KEYWORDS = {
    "spaces": ["Kreativorte", "Kunst", "Kultur", "Ruhrgebiet", "heimatruhr"],
    "vacant": ["Leerstand", "Zwischennutzung", "Ruhrgebiet", "heimatruhr"],
    "municipalities": ["Gemeinden", "Ruhrgebiet", "Umfrage", "heimatruhr"],
}
EXPORTS = (
    ("csv", "CSV", "text/csv", "CSV"),
    ("geojson", "GEOJSON", "application/geo+json", "GeoJSON"),
    ("gpkg", "GPKG", "application/geopackage+sqlite3", "GeoPackage"),
)
"""The downloads of ``/collections/{id}/export``: ``f``, EU file type, media type, name."""
EXPORTABLE = ("spaces", "vacant")
_EU = "http://publications.europa.eu/resource/authority"
_IANA = "https://www.iana.org/assignments/media-types"
GEOCODING_LEVEL = "http://dcat-ap.de/def/politicalGeocodingLevel/municipality"
REGIONAL_KEY = "http://dcat-ap.de/def/politicalGeocoding/regionalKey/"


def catalog(
    base: str, operator: Operator, bbox: list[float], outline: dict[str, Any]
) -> dict[str, Any]:
    """Return the catalogue as a JSON-LD document.

    Parameters
    ----------
    base
        The absolute URL of ``/api``.
    operator
        Publisher and contact point (placeholders for what is not configured).
    bbox
        ``[minLon, minLat, maxLon, maxLat]`` of the region.
    outline
        The region's outline as a GeoJSON geometry.
    """
    publisher = _publisher(operator)
    spatial = {"@id": f"{base}/catalog#ruhr", **_spatial(bbox, outline)}
    modified = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "@context": CONTEXT,
        "@id": f"{base}/catalog",
        "@type": "dcat:Catalog",
        "dct:title": _texts("api_catalog_title"),
        "dct:description": _texts("api_description"),
        "dct:publisher": publisher,
        "dct:language": {"@id": f"{_EU}/language/DEU"},
        "dct:license": {"@id": LICENCE},
        "dct:spatial": spatial,
        "dct:modified": {"@value": modified, "@type": "xsd:dateTime"},
        "foaf:homepage": {"@id": base},
        "dcat:dataset": [
            _dataset(base, cid, publisher, operator, {"@id": spatial["@id"]}, modified)
            for cid in COLLECTIONS
        ],
    }


def _dataset(
    base: str,
    cid: str,
    publisher: dict[str, Any],
    operator: Operator,
    spatial: dict[str, Any],
    modified: str,
) -> dict[str, Any]:
    url = f"{base}/collections/{cid}"
    name = operator.name or "heimatruhr"
    attribution = ATTRIBUTION[cid].format(operator=name)
    return {
        "@id": f"{base}/catalog#{cid}",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{base}/collections/{cid}",
        "dct:title": _texts(f"api_{cid}_title"),
        "dct:description": _texts(f"api_{cid}_description"),
        "dcat:keyword": KEYWORDS[cid],
        "dcat:theme": [{"@id": f"{_EU}/data-theme/{theme}"} for theme in THEMES[cid]],
        "dct:publisher": publisher,
        "dcat:contactPoint": _contact(operator),
        "dct:spatial": spatial,
        "dcatde:politicalGeocodingLevelURI": {"@id": GEOCODING_LEVEL},
        "dcatde:politicalGeocodingURI": [{"@id": f"{REGIONAL_KEY}{k}"} for k in sorted(COUNTIES)],
        "dct:accessRights": {"@id": f"{_EU}/access-right/PUBLIC"},
        "dct:license": {"@id": LICENCE},
        "dcatde:licenseAttributionByText": attribution,
        "dct:modified": {"@value": modified, "@type": "xsd:dateTime"},
        "dcat:landingPage": {"@id": f"{url}?f=html"},
        "dcat:distribution": [
            _distribution(
                f"{url}/items",
                f"{url}/items?limit={MAX_LIMIT}",
                "GEOJSON",
                "application/geo+json",
                "GeoJSON (OGC API – Features items, paged with next links)",
                attribution,
            ),
            _distribution(
                f"{url}/items?f=html",
                f"{url}/items?f=html",
                "HTML",
                "text/html",
                "HTML",
                attribution,
            ),
            *(
                _distribution(
                    f"{url}/export?f={fmt}",
                    f"{url}/export?f={fmt}",
                    code,
                    media,
                    f"{label} (the whole public export)",
                    attribution,
                )
                for fmt, code, media, label in EXPORTS
                if cid in EXPORTABLE
            ),
            {
                **_distribution(
                    url, "", "JSON", "application/json", "OGC API – Features", attribution
                ),
                "dct:conformsTo": {
                    "@id": "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
                },
            },
        ],
    }


def _distribution(
    access: str, download: str, fmt: str, media: str, title: str, attribution: str
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": {"@id": access},
        "dct:format": {"@id": f"{_EU}/file-type/{fmt}"},
        "dcat:mediaType": {"@id": f"{_IANA}/{media}"},
        "dct:license": {"@id": LICENCE},
        "dcatde:licenseAttributionByText": attribution,
        "rdfs:seeAlso": {"@id": LICENSE_URL},
    }
    if download:
        out["dcat:downloadURL"] = {"@id": download}
    return out


def _publisher(operator: Operator) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "foaf:Organization", "foaf:name": operator.name or "heimatruhr"}
    if operator.email_link():
        out["foaf:mbox"] = {"@id": operator.email_link()}
    return out


def _contact(operator: Operator) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "vcard:Organization", "vcard:fn": operator.name or "heimatruhr"}
    if operator.email_link():
        out["vcard:hasEmail"] = {"@id": operator.email_link()}
    if operator.address:
        out["vcard:hasAddress"] = {
            "@type": "vcard:Address",
            "vcard:street-address": operator.address,
        }
    if operator.phone:
        out["vcard:hasTelephone"] = {"@id": f"tel:{operator.phone.replace(' ', '')}"}
    return out


def _spatial(bbox: list[float], outline: dict[str, Any]) -> dict[str, Any]:
    x0, y0, x1, y1 = bbox
    wkt = f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"
    return {
        "@type": "dct:Location",
        "rdfs:label": "Ruhrgebiet (53 Gemeinden des Regionalverbands Ruhr)",
        "dcat:bbox": {"@value": wkt, "@type": "gsp:wktLiteral"},
        "locn:geometry": {
            "@value": json.dumps(outline, separators=(",", ":")),
            "@type": "https://www.iana.org/assignments/media-types/application/vnd.geo+json",
        },
    }


def _texts(key: str) -> list[dict[str, str]]:
    return [{"@value": t(key, lang), "@language": lang} for lang in ("de", "en")]
