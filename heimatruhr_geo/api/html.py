"""The HTML encoding (``f=html``): the same documents for people, every value escaped.

A page shows the title and description, the links, and for features a table of their
properties (one row per feature); any other document is shown as indented JSON. Record
texts come from the public and are escaped like everything else; no script, no style
sheet from elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from heimatruhr_geo.i18n import t

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem;color:#141210}"
    "table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #bbb;"
    "padding:.2rem .4rem;vertical-align:top;text-align:left}pre{white-space:pre-wrap}"
)


def page(document: Mapping[str, Any], title: str, lang: str = "de") -> str:
    """Return a whole HTML page for one API document."""
    heading = str(document.get("title") or title)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        f"<title>{escape(heading)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{escape(heading)}</h1>",
    ]
    if document.get("description"):
        parts.append(f"<p>{escape(str(document['description']))}</p>")
    if "numberMatched" in document:
        parts.append(
            "<p>"
            + escape(
                t("api_matched", lang).format(
                    matched=document["numberMatched"], returned=document.get("numberReturned", 0)
                )
            )
            + "</p>"
        )
    links = document.get("links")
    if isinstance(links, list) and links:
        parts.append(f"<h2>{escape(t('api_links', lang))}</h2>{_links(links)}")
    features = document.get("features")
    if isinstance(features, list):
        parts.append(_table(features))
    elif document.get("type") == "Feature":
        parts.append(_table([document]))
    else:
        body = {k: v for k, v in document.items() if k not in ("links", "title", "description")}
        parts.append(f"<pre>{escape(json.dumps(body, ensure_ascii=False, indent=2))}</pre>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _links(links: Sequence[Mapping[str, Any]]) -> str:
    items = []
    for item in links:
        href = str(item.get("href", ""))
        if not href.startswith(("http://", "https://", "/")):
            continue  # only web links become anchors
        label = str(item.get("title") or href)
        rel = str(item.get("rel", ""))
        items.append(
            f'<li><a href="{escape(href, quote=True)}">{escape(label)}</a> '
            f"<small>({escape(rel)}, {escape(str(item.get('type', '')))})</small></li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def _table(features: Sequence[Mapping[str, Any]]) -> str:
    if not features:
        return "<p>–</p>"
    columns: list[str] = []
    for feature in features:
        for name in feature.get("properties") or {}:
            if name not in columns:
                columns.append(str(name))
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    rows = []
    for feature in features:
        props = feature.get("properties") or {}
        cells = "".join(f"<td>{escape(_cell(props.get(c)))}</td>" for c in columns)
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
