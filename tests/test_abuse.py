"""The spam guards: honeypot and sliding-window rate limit."""

from __future__ import annotations

import threading

import pytest

from heimatruhr_geo.abuse import RateLimit, honeypot_filled


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("value", "filled"),
    [("", False), (None, False), ("   ", False), ("x", True), ("http://spam", True)],
)
def test_honeypot(value: object, filled: bool) -> None:
    assert honeypot_filled(value) is filled


def test_limit_refuses_beyond_the_window_count_and_recovers() -> None:
    clock = FakeClock()
    limit = RateLimit(limit=3, window_s=60, clock=clock)
    assert [limit.try_acquire() for _ in range(4)] == [True, True, True, False]
    assert limit.remaining() == 0
    assert limit.retry_after_s() == pytest.approx(60)
    clock.now += 59.9
    assert not limit.try_acquire()
    clock.now += 0.2
    assert limit.remaining() == 3
    assert limit.try_acquire()


def test_refused_attempts_do_not_extend_the_wait() -> None:
    clock = FakeClock()
    limit = RateLimit(limit=1, window_s=10, clock=clock)
    assert limit.try_acquire()
    for _ in range(5):
        clock.now += 1
        assert not limit.try_acquire()
    clock.now += 5.1
    assert limit.try_acquire()


def test_limit_holds_under_threads() -> None:
    limit = RateLimit(limit=50, window_s=3600)
    results: list[bool] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(20):
            ok = limit.try_acquire()
            with lock:
                results.append(ok)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 50
