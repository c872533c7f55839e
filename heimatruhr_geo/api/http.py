"""Responses of the API: encodings, cache headers, CORS, errors and the rate limit's 429.

Every response allows any origin (``Access-Control-Allow-Origin: *``; the API is read-only
and needs no credentials). Successful ones carry ``Cache-Control: public, max-age=60``,
``Vary: Accept`` and an ``ETag`` over their content (without the ``timeStamp``), and
answer a matching ``If-None-Match`` with 304. Errors are JSON in the OGC exception form
``{"code": …, "description": …}`` and are not cached.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from heimatruhr_geo.api import html

MAX_AGE_S = 60
"""How long clients and proxies may keep a response (the app re-reads records as often)."""
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Retry-After, Content-Type",
}


def document(
    request: Request,
    body: dict[str, Any],
    *,
    fmt: str,
    media: str,
    title: str,
    lang: str,
) -> Response:
    """Return ``body`` as JSON (``media``) or as an HTML page, with cache headers.

    A ``timeStamp`` in ``body`` is left out of the ``ETag``, so that an unchanged page
    answers 304 however often it is asked for.
    """
    if fmt == "html":
        content = html.page(body, title, lang).encode("utf-8")
        return cached(request, content, "text/html; charset=utf-8", content)
    rest = {k: v for k, v in body.items() if k != "timeStamp"}
    stable = json.dumps(rest, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return stamped(request, stable, body.get("timeStamp"), media)


def stamped(request: Request, stable: bytes, stamp: str | None, media: str) -> Response:
    """Return the JSON object ``stable`` with ``timeStamp`` added (the ETag is over ``stable``)."""
    content = stable
    if stamp is not None and stable.endswith(b"}"):
        tail = json.dumps({"timeStamp": stamp}, separators=(",", ":")).encode("utf-8")[1:]
        content = stable[:-1] + (b"," if len(stable) > 2 else b"") + tail
    return cached(request, content, media, stable)


def cached(request: Request, content: bytes, media: str, stable: bytes) -> Response:
    """Return ``content`` with ETag (over ``stable``) and Cache-Control; 304 if unchanged."""
    etag = '"' + hashlib.sha256(stable).hexdigest()[:32] + '"'
    headers = {
        **CORS,
        "ETag": etag,
        "Cache-Control": f"public, max-age={MAX_AGE_S}",
        "Vary": "Accept",
    }
    wanted = request.headers.get("if-none-match", "")
    if wanted and (wanted.strip() == "*" or etag in [w.strip() for w in wanted.split(",")]):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type=media, headers=headers)


def error(status: int, code: str, description: str, retry_after_s: float | None = None) -> Response:
    """Return an error as JSON ``{"code", "description"}`` (never cached)."""
    headers = {**CORS, "Cache-Control": "no-store"}
    if retry_after_s is not None:
        headers["Retry-After"] = str(max(1, math.ceil(retry_after_s)))
    content = json.dumps({"code": code, "description": description}, ensure_ascii=False)
    return Response(
        content.encode("utf-8"), status_code=status, media_type="application/json", headers=headers
    )
