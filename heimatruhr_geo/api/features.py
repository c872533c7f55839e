"""Record pages as GeoJSON feature collections with OGC API – Features paging links.

A feature's properties are the columns of the public export
(:func:`heimatruhr_geo.io.export_records`: ``id, layer, title``, the layer's fields, the
address, ``lat, lon, ags, municipality, county``, ``source, geocode_precision,
created_at, updated_at``), timestamps as ISO 8601 UTC text as there; its ``id`` is the
record id and its geometry the point (WGS84 longitude, latitude).

Built column-wise (pandas' JSON writer, then the standard library's C encoder): a page of
1,000 features takes a few milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import geopandas as gpd
import pandas as pd

from heimatruhr_geo.api.params import ItemsQuery

GEOJSON = "application/geo+json"
JSON = "application/json"
HTML = "text/html"


def feature_texts(frame: gpd.GeoDataFrame) -> list[str]:
    """Return the rows of a public query result as GeoJSON feature texts (point geometries).

    The properties are written by pandas' JSON writer (one object per row, ``null`` for
    missing values) and only wrapped here: no Python object per cell.
    """
    if frame.empty:
        return []
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    for column in table.columns:
        if isinstance(table[column].dtype, pd.DatetimeTZDtype):
            table[column] = table[column].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = table.to_json(orient="records", lines=True, force_ascii=False, double_precision=15)
    lines = text.rstrip("\n").split("\n")  # a newline inside a value is written as \n
    ids = [json.dumps(str(i), ensure_ascii=False) for i in table["id"]]
    lon = frame.geometry.x.tolist()
    lat = frame.geometry.y.tolist()
    return [
        f'{{"type":"Feature","id":{fid},"geometry":{{"type":"Point","coordinates":'
        f'[{x!r},{y!r}]}},"properties":{props}}}'
        for fid, x, y, props in zip(ids, lon, lat, lines, strict=True)
    ]


def feature_list(frame: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Return the rows of a public query result as GeoJSON feature objects."""
    return [json.loads(text) for text in feature_texts(frame)]


def collection_text(texts: Sequence[str], matched: int, links: list[dict[str, str]]) -> bytes:
    """Return the ``items`` response (without ``timeStamp``) from feature texts, as bytes."""
    tail = json.dumps(
        {"numberMatched": matched, "numberReturned": len(texts), "links": links},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    head = '{"type":"FeatureCollection","features":[' + ",".join(texts) + "],"
    return (head + tail[1:]).encode("utf-8")


def timestamp() -> str:
    """Return now as ISO 8601 UTC text (``timeStamp`` of a response)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def link(href: str, rel: str, media: str, title: str = "") -> dict[str, str]:
    """Return one link object (``title`` left out when empty)."""
    out = {"href": href, "rel": rel, "type": media}
    if title:
        out["title"] = title
    return out


def page_links(
    url: str,
    params: Mapping[str, str],
    query: ItemsQuery,
    returned: int,
    matched: int,
    collection_url: str,
) -> list[dict[str, str]]:
    """Return ``self``, ``alternate``, ``next``/``prev`` and ``collection`` links of a page.

    ``next`` is there while records follow this page; ``prev`` on every page after the
    first. Both keep the other parameters of the request.
    """
    offset = query.filters.offset
    limit = query.limit
    fmt_media = HTML if query.fmt == "html" else GEOJSON
    other = "json" if query.fmt == "html" else "html"
    links = [
        link(_with(url, params, {}), "self", fmt_media, "this page"),
        link(_with(url, params, {"f": other}), "alternate", _media(other), f"this page as {other}"),
    ]
    if offset + returned < matched:
        links.append(
            link(
                _with(url, params, {"offset": str(offset + limit)}), "next", fmt_media, "next page"
            )
        )
    if offset > 0:
        back = {"offset": str(max(offset - limit, 0))}
        links.append(link(_with(url, params, back), "prev", fmt_media, "previous page"))
    links.append(link(collection_url, "collection", JSON, "the collection"))
    return links


def collection_document(
    features: Sequence[dict[str, Any]], matched: int, links: list[dict[str, str]]
) -> dict[str, Any]:
    """Return the ``items`` response: a feature collection with its counts and links."""
    return {
        "type": "FeatureCollection",
        "features": list(features),
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": timestamp(),
        "links": links,
    }


def _media(fmt: str) -> str:
    return HTML if fmt == "html" else GEOJSON


def _with(url: str, params: Mapping[str, str], changes: Mapping[str, str]) -> str:
    merged = {**params, **changes}
    return f"{url}?{urlencode(merged)}" if merged else url
