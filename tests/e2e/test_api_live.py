"""The /api of the running app (``streamlit run app.py``) read by GDAL's OAPIF driver and OWSLib.

Each database (SQLite, PostgreSQL) gets its own app process on a free loopback port, with
a low request limit so that the 429 can be shown; GDAL and OWSLib come from 127.0.0.1 and
the limit test from a forwarded address, so they count apart. Counts are compared with
the public export (:func:`heimatruhr_geo.io.export_records`, what the CLI's ``export``
writes) of the same database.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pyogrio
import pytest

from heimatruhr_geo.io import export_records
from heimatruhr_geo.store import Filters, Store
from tests.conftest import postgres_or_skip
from tests.support.app_process import app_env, running_app

pytestmark = pytest.mark.e2e

RATE_LIMIT = 300
"""Requests per minute one client may send in these tests (GDAL reads take a few dozen)."""
BBOX = (7.35, 51.45, 7.6, 51.6)  # around Dortmund


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """Start the app with the README's command on one database; yield (API URL, DB URL)."""
    data = tmp_path_factory.mktemp(f"api-{request.param}")
    env = app_env(data)
    env["HEIMATRUHR_API_RATE_LIMIT"] = str(RATE_LIMIT)
    env["HEIMATRUHR_OPERATOR_NAME"] = "Regionalverband Test"
    with ExitStack() as stack:
        if request.param == "postgresql":
            env["HEIMATRUHR_DATABASE_URL"] = postgres_or_skip(stack, "heimatruhr_api")
        base = stack.enter_context(running_app(env, data / "streamlit.log"))
        yield f"{base}/api", env["HEIMATRUHR_DATABASE_URL"]


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, _lower(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, _lower(exc.headers.items()), exc.read()


def _lower(items: Any) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in items}


def _export_count(db_url: str, layer: str, tmp_path: Path, **filters: Any) -> int:
    """Write the public export of ``layer`` (as the CLI does) and return how many it holds."""
    store = Store(db_url, upgrade=False)
    try:
        path = tmp_path / f"{layer}.geojson"
        return export_records(store, layer, path, filters=Filters(**filters))
    finally:
        store.close()


def test_gdal_reads_every_layer_with_the_export_counts(
    live: tuple[str, str], tmp_path: Path
) -> None:
    api, db_url = live
    _get(api)  # the first request opens the store (and seeds the demo data)
    layers = dict(pyogrio.list_layers(f"OAPIF:{api}"))
    assert set(layers) == {"spaces", "vacant", "municipalities"}
    for layer in ("spaces", "vacant"):
        frame = pyogrio.read_dataframe(f"OAPIF:{api}", layer=layer)
        assert len(frame) == _export_count(db_url, layer, tmp_path) > 0
        assert frame["id"].is_unique
        assert not {"contact_name", "contact_email", "moderation"} & set(frame.columns)
        assert "geocode_precision" in frame.columns
        assert frame.geometry.geom_type.eq("Point").all()
    munis = pyogrio.read_dataframe(f"OAPIF:{api}", layer="municipalities")
    assert len(munis) == 53 and munis["vacant"].sum() == _export_count(db_url, "vacant", tmp_path)


def test_gdal_bbox_and_owslib_filters_and_paging(live: tuple[str, str], tmp_path: Path) -> None:
    from owslib.ogcapi.features import Features

    api, db_url = live
    boxed = pyogrio.read_dataframe(f"OAPIF:{api}", layer="vacant", bbox=BBOX)
    assert 0 < len(boxed) == _export_count(db_url, "vacant", tmp_path, bbox=BBOX)
    service = Features(api)
    assert set(service.feature_collections()) == {"spaces", "vacant", "municipalities"}
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
        in (service.conformance()["conformsTo"])
    )
    assert service.api()["components"]["parameters"]["limit"]["schema"]["maximum"] > 1000
    dortmund = service.collection_items("vacant", municipality="05913000", limit=7)
    expected = _export_count(db_url, "vacant", tmp_path, municipalities=("05913000",))
    assert dortmund["numberMatched"] == expected and dortmund["numberReturned"] == min(7, expected)
    assert {f["properties"]["ags"] for f in dortmund["features"]} == {"05913000"}
    unna = service.collection_items("spaces", county="05978", status="funded", limit=1000)
    assert unna["numberMatched"] == _export_count(
        db_url, "spaces", tmp_path, counties=("05978",), statuses=("funded",)
    )
    first = service.collection_items("spaces", limit=3)
    second = service.collection_items("spaces", limit=3, offset=3)
    nxt = [link["href"] for link in first["links"] if link["rel"] == "next"]
    assert nxt and "offset=3" in nxt[0]
    status, _, body = _get(nxt[0])
    assert status == 200
    assert [f["id"] for f in json.loads(body)["features"]] == [f["id"] for f in second["features"]]
    one = service.collection_item("spaces", first["features"][0]["id"])
    assert one["id"] == first["features"][0]["id"]
    text = json.dumps(first)
    assert "contact_email" not in text and "contact_name" not in text


def test_headers_errors_catalog_and_the_limit(live: tuple[str, str]) -> None:
    api, _ = live
    status, headers, body = _get(f"{api}/collections/vacant/items?limit=2")
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    assert "max-age" in headers["cache-control"]
    status, _, _ = _get(
        f"{api}/collections/vacant/items?limit=2", {"If-None-Match": headers["etag"]}
    )
    assert status == 304
    status, _, body = _get(f"{api}/collections/vacant/items?limit=lots")
    assert status == 400 and "limit='lots'" in json.loads(body)["description"]
    status, _, body = _get(f"{api}/collections/vacant/items/not-a-record")
    assert status == 404 and json.loads(body)["code"] == "NotFound"
    status, headers, body = _get(f"{api}/catalog")
    catalog = json.loads(body)
    assert status == 200 and catalog["@type"] == "dcat:Catalog"
    assert catalog["dct:publisher"]["foaf:name"] == "Regionalverband Test"
    status, headers, _ = _get(f"{api}/collections/vacant/items?f=html")
    assert status == 200 and headers["content-type"].startswith("text/html")
    # The app's pages are still served next to the API.
    assert _get(api.removesuffix("/api") + "/karte")[0] == 200
    flood = {"X-Forwarded-For": "203.0.113.77"}
    answers = [_get(f"{api}/conformance", flood) for _ in range(RATE_LIMIT + 1)]
    codes = [status for status, _, _ in answers]
    assert codes[:RATE_LIMIT] == [200] * RATE_LIMIT and codes[-1] == 429
    assert int(answers[-1][1]["retry-after"]) >= 1
    assert _get(f"{api}/conformance")[0] == 200  # another client is not held back
