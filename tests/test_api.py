"""The /api handlers (OGC API – Features, DCAT-AP.de) through Starlette's TestClient.

The same tests on SQLite and PostgreSQL (the shared ``store`` fixture).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from starlette.testclient import TestClient

from heimatruhr_geo.api.params import MAX_LIMIT
from heimatruhr_geo.api.routes import create_app
from heimatruhr_geo.api.service import ApiService
from heimatruhr_geo.config import Settings
from heimatruhr_geo.models import SurveyResponse
from heimatruhr_geo.store import Store
from heimatruhr_geo.survey_release import release_if_due
from tests.support.records import DORTMUND, ESSEN, space, vacant

BASE = "http://testserver/api"


def make_client(opened: Store, **settings: Any) -> Iterator[TestClient]:
    service = ApiService(Settings(**settings), opened)
    service.limiter.reset()
    with TestClient(create_app(service)) as client:
        yield client
    service.limiter.reset()


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    yield from make_client(
        store, operator_name="Stadt Bochum", operator_email="kultur@bochum.example"
    )


def seed(store: Store) -> dict[str, str]:
    """Two published vacant buildings (one with contact data), a pending one, spaces."""
    return {
        "essen": store.add(vacant(title="Halle Essen", lon=ESSEN[0], lat=ESSEN[1])),
        "dortmund": store.add(
            vacant(
                title="Halle <b>Dortmund</b>",
                building_type="commercial",
                status="temporary_use",
                contact_name="Erika Muster",
                contact_email="erika@example.org",
            )
        ),
        "pending": store.add(vacant(title="Noch offen", moderation="pending")),
        "funded": store.add(space(title="Atelier")),
        "rejected": store.add(space(title="Abgelehnt", status="rejected")),
    }


def items(client: TestClient, collection: str, **params: Any) -> dict[str, Any]:
    response = client.get(f"/api/collections/{collection}/items", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    return dict(response.json())


def test_landing_page_links_conformance_collections_openapi_and_catalog(
    client: TestClient,
) -> None:
    for path in ("/api", "/api/"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "*"
        rels = {link["rel"]: link for link in response.json()["links"]}
        assert rels["conformance"]["href"] == f"{BASE}/conformance"
        assert rels["data"]["href"] == f"{BASE}/collections"
        assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"
        assert rels["describedby"]["href"] == f"{BASE}/catalog"
    conformance = client.get("/api/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conformance
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance


def test_collections_describe_three_feature_collections(client: TestClient) -> None:
    found = client.get("/api/collections").json()["collections"]
    assert [c["id"] for c in found] == ["spaces", "vacant", "municipalities"]
    for item in found:
        assert item["itemType"] == "feature"
        x0, y0, x1, y1 = item["extent"]["spatial"]["bbox"][0]
        assert 6.2 < x0 < x1 < 8.1 and 51.1 < y0 < y1 < 51.9
        assert any(link["rel"] == "items" for link in item["links"])
    assert client.get("/api/collections/vacant").json()["id"] == "vacant"
    missing = client.get("/api/collections/nope")
    assert missing.status_code == 404
    assert "nope" in missing.json()["description"]


def test_openapi_advertises_the_page_size_gdal_reads(client: TestClient) -> None:
    response = client.get("/api/openapi")
    assert response.headers["content-type"] == "application/vnd.oai.openapi+json;version=3.0"
    doc = response.json()
    assert doc["components"]["parameters"]["limit"]["schema"]["maximum"] == MAX_LIMIT
    refs = doc["paths"]["/collections/vacant/items"]["get"]["parameters"]
    assert {"$ref": "#/components/parameters/limit"} in refs


def test_items_are_the_public_export_without_contact_data(
    client: TestClient,
    store: Store,
) -> None:
    ids = seed(store)
    body = items(client, "vacant", limit=100)
    assert body["numberMatched"] == body["numberReturned"] == 2
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["timeStamp"])
    assert {f["id"] for f in body["features"]} == {ids["essen"], ids["dortmund"]}
    export = store.query("vacant")
    for feature in body["features"]:
        assert list(feature["properties"]) == [c for c in export.columns if c != "geometry"]
        assert "geocode_precision" in feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (feature["properties"]["lon"], feature["properties"]["lat"])
    text = json.dumps(body)
    assert "erika" not in text.lower() and "contact_name" not in text
    spaces = items(client, "spaces")
    assert [f["id"] for f in spaces["features"]] == [ids["funded"]]


def test_paging_follows_next_links_to_every_record_once(
    client: TestClient,
    store: Store,
) -> None:
    ids = sorted(store.add(vacant(title=f"Halle {i}")) for i in range(5))
    body = items(client, "vacant", limit=2)
    assert (body["numberMatched"], body["numberReturned"]) == (5, 2)
    assert not any(link["rel"] == "prev" for link in body["links"])
    seen = [f["id"] for f in body["features"]]
    pages = 1
    while True:
        nxt = [link["href"] for link in body["links"] if link["rel"] == "next"]
        if not nxt:
            break
        query = {k: v[0] for k, v in parse_qs(urlparse(nxt[0]).query).items()}
        assert query["limit"] == "2"
        body = items(client, "vacant", **query)
        assert any(link["rel"] == "prev" for link in body["links"])
        seen += [f["id"] for f in body["features"]]
        pages += 1
    assert seen == ids and pages == 3
    assert items(client, "vacant", offset=10)["features"] == []


def test_bbox_and_property_filters(client: TestClient, store: Store) -> None:
    ids = seed(store)
    essen_box = "6.9,51.4,7.1,51.5"
    assert [f["id"] for f in items(client, "vacant", bbox=essen_box)["features"]] == [ids["essen"]]
    for params in (
        {"municipality": "05913000"},
        {"municipality": "Dortmund"},
        {"ags": "05913000"},
        {"county": "05913"},
        {"status": "temporary_use"},
        {"type": "commercial"},
        {"building_type": "commercial,residential"},
        {"municipalities": "Dortmund", "building_types": "commercial"},
        {"counties": "05913", "statuses": "temporary_use"},
    ):
        found = items(client, "vacant", **params)
        assert [f["id"] for f in found["features"]] == [ids["dortmund"]], params
        assert found["numberMatched"] == 1
    assert items(client, "spaces", type="studio", status="funded")["numberMatched"] == 1


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"limit": "0"}, "limit='0'"),
        ({"limit": "ten"}, "limit='ten'"),
        ({"offset": "-1"}, "offset='-1'"),
        ({"bbox": "7,51,6,52"}, "bbox="),
        ({"bbox": "a,b,c,d"}, "bbox="),
        ({"bbox-crs": "EPSG:25832"}, "bbox-crs="),
        ({"municipality": "Köln"}, "municipality='Köln'"),
        ({"county": "05315"}, "county='05315'"),
        ({"status": "rejected"}, "status='rejected'"),
        ({"type": "castle"}, "type='castle'"),
        ({"f": "xml"}, "f='xml'"),
        ({"color": "red"}, "'color'"),
    ],
)
def test_bad_parameters_answer_400_naming_them(
    client: TestClient, params: dict[str, str], named: str
) -> None:
    response = client.get("/api/collections/vacant/items", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "InvalidParameterValue"
    assert named in body["description"] and ("use" in body["description"])


def test_limit_above_the_maximum_is_cut_to_it(client: TestClient, store: Store) -> None:
    seed(store)
    body = items(client, "vacant", limit=MAX_LIMIT * 10)
    assert body["numberReturned"] == 2
    assert not any(link["rel"] == "next" for link in body["links"])


def test_item_by_id_and_404_for_unknown_or_unpublished(
    client: TestClient,
    store: Store,
) -> None:
    ids = seed(store)
    response = client.get(f"/api/collections/vacant/items/{ids['dortmund']}")
    assert response.status_code == 200
    feature = response.json()
    assert feature["type"] == "Feature" and feature["id"] == ids["dortmund"]
    assert feature["properties"]["municipality"] == "Dortmund"
    assert "erika" not in response.text.lower()
    for cid, rid in (
        ("vacant", "no-such-id"),
        ("vacant", ids["pending"]),
        ("spaces", ids["rejected"]),
        ("spaces", ids["essen"]),
    ):
        missing = client.get(f"/api/collections/{cid}/items/{rid}")
        assert missing.status_code == 404
        assert missing.json()["code"] == "NotFound"
        assert rid in missing.json()["description"]


def test_html_escapes_record_text(client: TestClient, store: Store) -> None:
    store.add(vacant(title='<script>alert("x")</script>', description="<img src=x onerror=1>"))
    response = client.get("/api/collections/vacant/items", params={"f": "html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<script>alert" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert" in response.text
    browser = client.get("/api/collections", headers={"Accept": "text/html,*/*"})
    assert browser.headers["content-type"].startswith("text/html")
    assert client.get("/api").headers["content-type"] == "application/json"


def test_cache_headers_and_304(client: TestClient, store: Store) -> None:
    seed(store)
    first = client.get("/api/collections/vacant/items")
    assert "max-age" in first.headers["cache-control"]
    etag = first.headers["etag"]
    again = client.get("/api/collections/vacant/items", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["etag"] == etag
    store.add(vacant(title="Neu"))
    changed = client.get("/api/collections/vacant/items", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_cors_for_any_origin(client: TestClient) -> None:
    simple = client.get("/api/collections", headers={"Origin": "https://stadt.example"})
    assert simple.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/api/collections/vacant/items",
        headers={"Origin": "https://stadt.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "GET" in preflight.headers["access-control-allow-methods"]


def test_client_over_its_limit_gets_429_with_retry_after(store: Store) -> None:
    service = ApiService(Settings(api_rate_limit=3, trusted_proxies="10.0.0.1"), store)
    service.limiter.reset()
    app = create_app(service)
    try:
        with TestClient(app, client=("10.0.0.1", 40000)) as client:
            one = {"X-Forwarded-For": "203.0.113.7"}
            answers = [client.get("/api/conformance", headers=one).status_code for _ in range(4)]
            assert answers == [200, 200, 200, 429]
            limited = client.get("/api/conformance", headers=one)
            assert limited.status_code == 429
            assert int(limited.headers["retry-after"]) >= 1
            assert limited.headers["access-control-allow-origin"] == "*"
            assert "3 requests" in limited.json()["description"]
            other = client.get("/api/conformance", headers={"X-Forwarded-For": "203.0.113.8"})
            assert other.status_code == 200
    finally:
        service.limiter.reset()


def test_municipalities_with_counts_and_no_survey_figures_before_a_release(
    client: TestClient,
    store: Store,
) -> None:
    seed(store)
    body = items(client, "municipalities", limit=100)
    assert body["numberMatched"] == body["numberReturned"] == 53
    by_ags = {f["id"]: f for f in body["features"]}
    assert by_ags["05913000"]["properties"]["vacant"] == 1
    assert by_ags["05113000"]["properties"]["vacant"] == 1
    assert by_ags["05113000"]["properties"]["spaces"] == 1
    assert by_ags["05113000"]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    props = by_ags["05913000"]["properties"]
    assert props["survey_released"] is False and props["survey_responses"] is None
    assert props["survey_release"] is None
    one = client.get("/api/collections/municipalities/items/05913000").json()
    assert one["properties"]["name"] == "Dortmund"
    for unknown in ("05315000", "Dortmund", "0"):
        missing = client.get(f"/api/collections/municipalities/items/{unknown}")
        assert missing.status_code == 404 and missing.json()["code"] == "NotFound"
    unna = items(client, "municipalities", county="Kreis Unna", limit=100)
    assert unna["numberMatched"] == 10


def test_municipality_counts_follow_another_process_at_once(
    client: TestClient, store: Store
) -> None:
    def dortmund_vacant() -> int:
        found = items(client, "municipalities", municipality="05913000")["features"]
        return int(found[0]["properties"]["vacant"])

    seed(store)
    assert dortmund_vacant() == 1
    other = Store(store.url)  # another process on the same database, no time passing
    try:
        other.add(vacant(title="Neu in Dortmund"))
    finally:
        other.close()
    assert dortmund_vacant() == 2


def test_municipalities_show_released_survey_figures_only_from_k(
    store: Store,
) -> None:
    answers = [
        SurveyResponse(
            lon=ESSEN[0],
            lat=ESSEN[1],
            discipline="visual_arts",
            identity_rating=4,
            moderation="published",
        )
        for _ in range(6)
    ] + [
        SurveyResponse(
            lon=DORTMUND[0],
            lat=DORTMUND[1],
            discipline="music",
            identity_rating=2,
            moderation="published",
        )
        for _ in range(2)
    ]
    store.add_many(answers)
    assert release_if_due(store) is not None
    client = next(make_client(store))
    by_ags = {
        f["id"]: f["properties"] for f in items(client, "municipalities", limit=100)["features"]
    }
    essen, dortmund = by_ags["05113000"], by_ags["05913000"]
    assert essen["survey_released"] is True and essen["survey_release"] == 1
    assert essen["survey_responses"] == 6 and essen["survey_identity_rating_mean"] == 4.0
    assert dortmund["survey_responses"] is None and dortmund["survey_suppressed"] is True
    assert dortmund["survey_identity_rating_mean"] is None


def _prefixes(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if ":" in key and not key.startswith("@"):
                found.add(key.split(":")[0])
            if key == "@type" and isinstance(value, str) and ":" in value:
                found.add(value.split(":")[0])
            found |= _prefixes(value)
    elif isinstance(node, list):
        for value in node:
            found |= _prefixes(value)
    return found


def test_catalog_is_dcat_ap_de_json_ld(client: TestClient) -> None:
    response = client.get("/api/catalog")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["@type"] == "dcat:Catalog"
    assert _prefixes(doc) - {"http", "https", "mailto", "tel"} <= set(doc["@context"])
    assert doc["dct:publisher"]["foaf:name"] == "Stadt Bochum"
    datasets = doc["dcat:dataset"]
    assert [d["dct:identifier"].rsplit("/", 1)[1] for d in datasets] == [
        "spaces",
        "vacant",
        "municipalities",
    ]
    for dataset in datasets:
        assert dataset["@type"] == "dcat:Dataset"
        assert dataset["dcat:contactPoint"]["vcard:hasEmail"]["@id"] == (
            "mailto:kultur@bochum.example"
        )
        assert dataset["dct:spatial"]["@id"] == doc["dct:spatial"]["@id"]
        for dist in dataset["dcat:distribution"]:
            assert dist["dct:license"]["@id"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
            assert dist["dcat:accessURL"]["@id"].startswith(f"{BASE}/collections/")
    assert doc["dct:spatial"]["dcat:bbox"]["@value"].startswith("POLYGON((")
    landing = client.get("/api").json()["links"]
    assert any(link["href"] == f"{BASE}/catalog" for link in landing)


def test_export_is_the_whole_filtered_public_export(
    client: TestClient,
    store: Store,
) -> None:
    ids = seed(store)
    geojson = client.get("/api/collections/vacant/export")
    assert geojson.status_code == 200
    assert "attachment" in geojson.headers["content-disposition"]
    assert {f["properties"]["id"] for f in geojson.json()["features"]} == {
        ids["essen"],
        ids["dortmund"],
    }
    csv = client.get("/api/collections/vacant/export", params={"f": "csv", "county": "05913"})
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert len(lines) == 2 and ids["dortmund"] in lines[1]
    assert "erika" not in csv.text.lower()
    gpkg = client.get("/api/collections/spaces/export", params={"f": "gpkg"})
    assert gpkg.content.startswith(b"SQLite format 3\x00")
    for params in ({"f": "xlsx"}, {"limit": "5"}):
        bad = client.get("/api/collections/vacant/export", params=params)
        assert bad.status_code == 400 and "use" in bad.json()["description"]
    assert client.get("/api/collections/municipalities/export").status_code == 400


def test_unusual_text_survives_the_geojson_encoding(
    client: TestClient,
    store: Store,
) -> None:
    title = 'Halle "Nord"\nZeile\u2028zwei \\ Ende \u00e4\U0001f600'
    rid = store.add(vacant(title=title, description="a\r\nb\x85c"))
    feature = items(client, "vacant")["features"][0]
    assert feature["id"] == rid and feature["properties"]["title"] == title
    assert feature["properties"]["description"] == "a\r\nb\x85c"


def test_default_page_is_ten_features(client: TestClient, store: Store) -> None:
    store.add_many([vacant(title=f"Halle {i}") for i in range(12)])
    body = items(client, "vacant")
    assert (body["numberMatched"], body["numberReturned"]) == (12, 10)
    nxt = next(link["href"] for link in body["links"] if link["rel"] == "next")
    assert "offset=10" in nxt
    head = client.head("/api/collections/vacant/items")
    assert head.status_code == 200 and head.headers["etag"]
