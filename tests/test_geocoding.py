"""The geocoding chain against a real Nominatim-speaking HTTP server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from heimatruhr_geo import __version__
from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.gazetteer import Gazetteer
from heimatruhr_geo.geocoding import (
    MIN_INTERVAL,
    PRECISIONS,
    SOURCES,
    AddressQuery,
    GeocodeCache,
    Geocoder,
    GeocodeResult,
    NominatimClient,
    ServiceBusy,
)
from heimatruhr_geo.limits import Limiter
from heimatruhr_geo.store import Store

CONTACT = "test@example.org"
ROTTSTRASSE = {
    "place_id": 1,
    "lat": "51.4858",
    "lon": "7.2214",
    "display_name": "5, Rottstraße, Innenstadt, Bochum, 44793, Deutschland",
    "category": "place",
    "type": "house",
    "place_rank": 30,
    "addresstype": "place",
}
BERLIN = {
    "place_id": 2,
    "lat": "52.5219",
    "lon": "13.4132",
    "display_name": "Alexanderplatz, Mitte, Berlin, Deutschland",
    "place_rank": 26,
}


@dataclass
class FakeNominatim:
    """Answers /search with the next of ``replies`` (the last one repeats); logs requests."""

    replies: list[Callable[[], Response]] = field(default_factory=list)
    seen: list[tuple[float, dict[str, str], dict[str, str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.seen.append((time.monotonic(), dict(request.headers), dict(request.args)))
            reply = self.replies[min(len(self.seen), len(self.replies)) - 1]
        return reply()

    @property
    def count(self) -> int:
        return len(self.seen)

    def gaps(self) -> list[float]:
        times = sorted(t for t, _, _ in self.seen)
        return [b - a for a, b in itertools.pairwise(times)]


def json_reply(data: Any, status: int = 200, **headers: str) -> Callable[[], Response]:
    return lambda: Response(
        json.dumps(data), status=status, headers=headers, content_type="application/json"
    )


def raw_reply(body: str, status: int = 200) -> Callable[[], Response]:
    return lambda: Response(body, status=status, content_type="text/html")


def slow_reply(seconds: float, data: Any) -> Callable[[], Response]:
    def reply() -> Response:
        time.sleep(seconds)
        return json_reply(data)()

    return reply


@pytest.fixture(scope="module")
def server() -> Iterator[HTTPServer]:
    srv = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    srv.start()
    yield srv
    srv.clear()
    srv.stop()


@pytest.fixture
def nominatim(server: HTTPServer) -> Iterator[FakeNominatim]:
    fake = FakeNominatim()
    server.expect_request("/search").respond_with_handler(fake)
    yield fake
    server.clear()


@pytest.fixture
def online(server: HTTPServer, tmp_path: Path) -> Settings:
    """Settings of an app that asks the local server; its turns are booked in its database."""
    return Settings(
        nominatim_url=server.url_for("/").rstrip("/"),
        contact=CONTACT,
        cache_dir=tmp_path / "cache",
        offline=False,
        database_url=f"sqlite:///{tmp_path / 'app.sqlite'}",
    )


def make(settings: Settings, **knobs: float) -> Geocoder:
    """A geocoder with quick retries; ``min_interval`` stays the real 1 s unless given."""
    knobs.setdefault("backoff", 0.05)
    return Geocoder(settings, **knobs)  # type: ignore[arg-type]


def test_identifying_user_agent_and_parameters(online: Settings, nominatim: FakeNominatim) -> None:
    nominatim.replies = [json_reply([ROTTSTRASSE])]
    result = make(online).geocode(
        AddressQuery(street="Rottstraße 5", postcode="44793", city="Bochum")
    )
    assert result.found and result.source == "nominatim"
    assert (result.ags, result.municipality, result.precision) == ("05911000", "Bochum", "address")
    assert result.label == ROTTSTRASSE["display_name"]
    assert result.reason == ""
    _, headers, args = nominatim.seen[0]
    assert headers["User-Agent"] == f"heimatruhr-geo/{__version__} ({CONTACT})"
    assert "python-requests" not in headers["User-Agent"]
    assert args["format"] == "jsonv2"
    assert args["countrycodes"] == "de"
    assert args["bounded"] == "1"
    left, top, right, bottom = map(float, args["viewbox"].split(","))
    assert left < 6.5 < 7.9 < right and bottom < 51.2 < 51.8 < top
    assert (args["street"], args["postalcode"], args["city"]) == ("Rottstraße 5", "44793", "Bochum")
    assert "q" not in args


def test_free_text_query_uses_q(online: Settings, nominatim: FakeNominatim) -> None:
    nominatim.replies = [json_reply([ROTTSTRASSE])]
    make(online).geocode("Rottstraße 5, 44793 Bochum")
    _, _, args = nominatim.seen[0]
    assert args["q"] == "Rottstraße 5, 44793 Bochum"
    assert "street" not in args and "city" not in args


def test_second_identical_query_is_served_from_the_cache(
    online: Settings, nominatim: FakeNominatim
) -> None:
    nominatim.replies = [json_reply([ROTTSTRASSE])]
    geocoder = make(online)
    first = geocoder.geocode("Rottstraße 5, 44793 Bochum")
    second = geocoder.geocode("  rottstraße 5,   44793 BOCHUM ")
    # the cache persists: a new geocoder on the same folder asks nobody either
    third = make(online).geocode("Rottstraße 5, 44793 Bochum")
    assert nominatim.count == 1
    assert first.source == "nominatim"
    assert second.source == third.source == "cache"
    assert (second.lat, second.lon, second.ags) == (first.lat, first.lon, first.ags)


def test_cache_hit_is_served_offline_too(online: Settings, nominatim: FakeNominatim) -> None:
    nominatim.replies = [json_reply([ROTTSTRASSE])]
    make(online).geocode("Rottstraße 5, 44793 Bochum")
    offline = make(dataclasses.replace(online, offline=True))
    result = offline.geocode("Rottstraße 5, 44793 Bochum")
    assert (result.source, result.precision) == ("cache", "address")
    assert nominatim.count == 1


def test_not_found_is_cached_with_an_expiry(online: Settings, nominatim: FakeNominatim) -> None:
    nominatim.replies = [json_reply([])]
    geocoder = make(online)
    first = geocoder.geocode("Nirgendwostraße 1, Bochum")
    second = geocoder.geocode("Nirgendwostraße 1, Bochum")
    assert nominatim.count == 1
    assert first.source == second.source == "gazetteer"  # Bochum, from the fallback
    assert "nominatim: no result" in first.reason
    assert "cached: no result" in second.reason
    # an expired not-found answer is asked again
    geocoder.cache = GeocodeCache(geocoder.cache.path, not_found_ttl=0.0)
    geocoder.geocode("Nirgendwostraße 1, Bochum")
    assert nominatim.count == 2


def test_requests_are_at_least_one_second_apart_across_threads_and_instances(
    online: Settings, nominatim: FakeNominatim
) -> None:
    nominatim.replies = [json_reply([ROTTSTRASSE])]
    assert MIN_INTERVAL == 1.0
    geocoders = [make(online), make(online)]
    threads = [
        threading.Thread(target=geocoders[i % 2].geocode, args=(f"Rottstraße {i}, Bochum",))
        for i in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert nominatim.count == 3
    assert min(nominatim.gaps()) >= 1.0


def test_429_then_200_is_retried(online: Settings, nominatim: FakeNominatim) -> None:
    nominatim.replies = [
        json_reply({"error": "slow down"}, 429, **{"Retry-After": "1"}),
        json_reply([ROTTSTRASSE]),
    ]
    result = make(online).geocode("Rottstraße 5, 44793 Bochum")
    assert nominatim.count == 2
    assert result.found and result.source == "nominatim" and result.precision == "address"
    assert nominatim.gaps()[0] >= 1.0


def test_timeout_ends_in_the_fallback_with_the_reason(
    online: Settings, nominatim: FakeNominatim
) -> None:
    nominatim.replies = [slow_reply(1.0, [ROTTSTRASSE])]
    geocoder = make(online, timeout=0.3)
    result = geocoder.geocode("Rottstraße 5, 44793 Bochum")
    assert result.found
    assert (result.source, result.precision, result.ags) == (
        "gazetteer",
        "municipality",
        "05911000",
    )
    assert "did not answer within 0.3 s" in result.reason
    assert nominatim.count == 1  # a timeout is not retried ...
    geocoder.geocode("Rottstraße 5, 44793 Bochum")
    assert nominatim.count == 2  # ... and not cached


def test_500_is_retried_a_bounded_number_of_times_then_falls_back(
    online: Settings, nominatim: FakeNominatim
) -> None:
    nominatim.replies = [raw_reply("boom", 500)]
    result = make(online, min_interval=0.05, max_retries=2).geocode("Wattenscheid")
    assert nominatim.count == 3
    assert result.found and result.source == "gazetteer" and result.precision == "district"
    assert "HTTP 500 after 3 attempt(s)" in result.reason


def test_result_outside_the_ruhr_is_rejected(online: Settings, nominatim: FakeNominatim) -> None:
    nominatim.replies = [json_reply([BERLIN])]
    result = make(online).geocode("Alexanderplatz, Berlin")
    assert not result.found
    assert (result.lat, result.lon, result.ags, result.precision, result.source) == (
        None,
        None,
        "",
        None,
        None,
    )
    assert "1 result(s), none inside the 53 Ruhr municipalities" in result.reason


def test_first_result_inside_the_ruhr_wins(online: Settings, nominatim: FakeNominatim) -> None:
    nominatim.replies = [json_reply([BERLIN, {"lat": "x"}, ROTTSTRASSE])]
    result = make(online).geocode("Rottstraße 5")
    assert result.found and result.ags == "05911000" and result.source == "nominatim"


@pytest.mark.parametrize(
    "reply",
    [
        raw_reply("<html>not json</html>"),
        json_reply({"error": "Unable to geocode"}),
        json_reply([{"display_name": "no coordinates"}, "junk", None]),
        raw_reply('[{"lat": "51.4', 200),
    ],
)
def test_garbage_does_not_crash(
    online: Settings, nominatim: FakeNominatim, reply: Callable[[], Response]
) -> None:
    nominatim.replies = [reply]
    result = make(online).geocode("Rottstraße 5, 44793 Bochum")
    assert result.found and result.source == "gazetteer" and result.ags == "05911000"
    assert result.reason.startswith("nominatim: ")


@pytest.mark.parametrize(
    ("rank", "precision"),
    [(30, "address"), (27, "street"), (26, "street"), (20, "district"), (16, "municipality")],
)
def test_precision_follows_place_rank(
    online: Settings, nominatim: FakeNominatim, rank: int, precision: str
) -> None:
    nominatim.replies = [json_reply([{**ROTTSTRASSE, "place_rank": rank}])]
    result = make(online, min_interval=0.05).geocode(f"rank {rank}")
    assert result.precision == precision


def test_offline_never_touches_the_network(online: Settings, nominatim: FakeNominatim) -> None:
    nominatim.replies = [json_reply([ROTTSTRASSE])]
    result = make(dataclasses.replace(online, offline=True)).geocode("Rottstraße 5, 44793 Bochum")
    assert nominatim.count == 0
    assert result.source == "gazetteer" and "offline" in result.reason


def test_given_coordinates_short_circuit(online: Settings, nominatim: FakeNominatim) -> None:
    geocoder = make(online)
    inside = geocoder.geocode(AddressQuery(city="Bochum", lat=51.4556, lon=7.0116))
    outside = geocoder.geocode(AddressQuery(lat=52.52, lon=13.41))
    half = geocoder.geocode(AddressQuery(city="Bochum", lat=51.4556))
    nan = geocoder.geocode(AddressQuery(lat=float("nan"), lon=7.0))
    assert nominatim.count == 0
    assert (inside.source, inside.precision, inside.ags) == ("given", "exact", "05113000")
    assert not outside.found and "outside the 53 Ruhr municipalities" in outside.reason
    assert not half.found and "give both" in half.reason
    assert not nan.found and "finite" in nan.reason


def test_empty_contact_is_refused(online: Settings) -> None:
    with pytest.raises(InputError, match="HEIMATRUHR_CONTACT"):
        Geocoder(dataclasses.replace(online, contact=" "))


def test_batch_deduplicates_keeps_order_and_reports_progress(
    online: Settings, nominatim: FakeNominatim
) -> None:
    nominatim.replies = [json_reply([ROTTSTRASSE])]
    queries: list[AddressQuery | str] = [
        "Rottstraße 5, Bochum",
        AddressQuery(lat=51.4556, lon=7.0116),
        "Rottstraße 5, Bochum",
        "",
        AddressQuery(city=123),  # type: ignore[arg-type]  # a broken row must not stop it
        "Hörde",
    ]
    calls: list[tuple[int, int]] = []
    results = make(dataclasses.replace(online, offline=True)).geocode_many(
        queries, progress=lambda done, total: calls.append((done, total))
    )
    assert len(results) == len(queries)
    assert [r.found for r in results] == [True, True, True, False, False, True]
    assert results[0] == results[2]
    assert results[1].source == "given" and results[5].precision == "district"
    assert results[4].reason.startswith("error: ")
    assert calls == [(i, 5) for i in range(6)]
    assert all(r.precision in PRECISIONS and r.source in SOURCES for r in results if r.found)


def test_interrupted_batch_resumes_without_repeating_lookups(
    online: Settings, nominatim: FakeNominatim
) -> None:
    nominatim.replies = [json_reply([ROTTSTRASSE])]
    queries = ["Rottstraße 1, Bochum", "Rottstraße 2, Bochum", "Rottstraße 3, Bochum"]

    def stop_after_first(done: int, total: int) -> None:
        if done == 1:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        make(online, min_interval=0.05).geocode_many(queries, progress=stop_after_first)
    assert nominatim.count == 1
    results = make(online, min_interval=0.05).geocode_many(queries)
    assert nominatim.count == 3  # only the two unfinished ones were asked
    assert [r.source for r in results] == ["cache", "nominatim", "nominatim"]


def test_centroid_when_the_gazetteer_has_no_point_of_its_own(settings: Settings) -> None:
    geocoder = Geocoder(settings)
    centroid = geocoder.gazetteer.centroid("05911000")
    geocoder.gazetteer = Gazetteer([("bochum", centroid)], {"05911000": centroid})
    result = geocoder.geocode("Rottstraße 5, 44793 Bochum")
    assert (result.source, result.precision, result.ags) == ("centroid", "municipality", "05911000")
    assert "centroid" in result.reason


def test_result_dict_has_every_field() -> None:
    result = GeocodeResult.not_found("x", "why")
    assert set(result.to_dict()) == {
        "query",
        "found",
        "lat",
        "lon",
        "precision",
        "source",
        "ags",
        "municipality",
        "label",
        "reason",
        "service_issue",
    }


def test_long_retry_after_is_obeyed_by_falling_back(
    online: Settings, nominatim: FakeNominatim
) -> None:
    nominatim.replies = [json_reply([], 429, **{"Retry-After": "120"}), json_reply([ROTTSTRASSE])]
    geocoder = make(online)
    first = geocoder.geocode("Rottstraße 5, 44793 Bochum")
    started = time.monotonic()
    second = make(online).geocode("Hörde")  # another instance: the pause is app-wide
    assert time.monotonic() - started < 1.0  # did not wait 120 s ...
    assert nominatim.count == 1  # ... and did not ask either
    assert "HTTP 429 after 1 attempt(s)" in first.reason and first.source == "gazetteer"
    assert "asked to pause" in second.reason and second.precision == "district"


@pytest.mark.parametrize("url", ["https://nominatim.openstreetmap.org", "http://10.0.0.5:8080"])
def test_fast_requests_only_to_a_server_on_this_machine(online: Settings, url: str) -> None:
    with pytest.raises(InputError, match="min_interval"):
        Geocoder(dataclasses.replace(online, nominatim_url=url), min_interval=0.5)


# -- one slow or pausing server never stalls other visitors (issue 11.6) -----------------


def trickle_reply(byte_every_s: float, total_s: float) -> Callable[[], Response]:
    """A server that sends a valid JSON answer one byte at a time, slower than any deadline."""
    body = json.dumps([ROTTSTRASSE]).encode()

    def chunks() -> Iterator[bytes]:
        end = time.monotonic() + total_s
        for byte in body:
            if time.monotonic() > end:
                return
            time.sleep(byte_every_s)
            yield bytes([byte])

    return lambda: Response(chunks(), content_type="application/json")


def test_a_trickling_answer_is_cut_at_the_lookup_deadline(
    online: Settings, nominatim: FakeNominatim
) -> None:
    nominatim.replies = [trickle_reply(0.2, 20.0)]
    started = time.monotonic()
    result = make(online, timeout=1.0, lookup_deadline=2.0).geocode("Rottstraße 5, 44793 Bochum")
    assert time.monotonic() - started < 6.0, "the read timeout alone would have waited ~20 s"
    assert (result.source, result.service_issue) == ("gazetteer", "unreachable")
    assert "not complete within 2 s" in result.reason


def test_retry_after_beyond_the_deadline_falls_back_at_once_and_says_busy(
    online: Settings, nominatim: FakeNominatim
) -> None:
    nominatim.replies = [json_reply([], 429, **{"Retry-After": "30"}), json_reply([ROTTSTRASSE])]
    started = time.monotonic()
    first = make(online).geocode("Rottstraße 5, 44793 Bochum")
    second = make(online).geocode("Hörde")
    assert time.monotonic() - started < 5.0, "neither lookup waits for the 30 s pause"
    assert nominatim.count == 1
    assert (first.source, second.source) == ("gazetteer", "gazetteer")
    assert second.service_issue == "busy" and "after this lookup's deadline" in second.reason


def test_a_slow_answer_does_not_hold_up_another_visitor(
    online: Settings, nominatim: FakeNominatim
) -> None:
    """The limiter spaces request starts; it does not make the next visitor wait for an answer."""
    slow, fast = slow_reply(4.0, [ROTTSTRASSE]), json_reply([ROTTSTRASSE])
    nominatim.replies = [slow, fast]
    geocoder = make(online)
    thread = threading.Thread(target=geocoder.geocode, args=("Rottstraße 5, 44793 Bochum",))
    thread.start()
    while nominatim.count == 0:
        time.sleep(0.01)
    started = time.monotonic()
    other = geocoder.geocode("Rottstraße 7, 44793 Bochum")
    waited = time.monotonic() - started
    thread.join()
    assert other.source == "nominatim"
    assert waited < 3.0, "the second lookup waited for the first answer (4 s)"
    assert min(nominatim.gaps()) >= 1.0, "still at most one request start per second"


def test_turns_are_booked_in_the_database_and_slept_outside_it(tmp_path: Path) -> None:
    now = [100.0]
    slept: list[float] = []
    store = Store(f"sqlite:///{tmp_path / 'turns.sqlite'}")
    client = NominatimClient(
        base_url="http://127.0.0.1:9",
        user_agent="test",
        viewbox="",
        limiter=Limiter(store.engine, clock=lambda: now[0]),
        clock=lambda: now[0],
        sleep=slept.append,
    )
    client._turn(deadline=110.0)
    client._turn(deadline=110.0)  # booked 1.1 s later; the limiter itself never sleeps
    assert slept == [pytest.approx(1.1)]
    client.limiter.hold(client.rule, client.subject, 30.0)  # a server's Retry-After
    with pytest.raises(ServiceBusy, match="after this lookup's deadline"):
        client._turn(deadline=110.0)
    client.limiter.hold(client.rule, client.subject, 120.0)
    with pytest.raises(ServiceBusy, match="asked to pause"):
        client._turn(deadline=1000.0)
    assert slept == [pytest.approx(1.1)]  # refused turns were not waited for
    store.close()
