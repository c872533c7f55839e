"""Demo data: reproducible, plausible, spread over the municipalities, all marked demo."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from heimatruhr_geo.demo import POPULATION_K, demo_records, seed_demo, seed_if_empty
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.models import CreativeSpace, SurveyResponse
from heimatruhr_geo.spatial import assign_municipalities
from heimatruhr_geo.store import Filters, Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(f"sqlite:///{tmp_path / 'demo.sqlite'}")
    yield s
    s.close()


def test_reproducible_and_seed_dependent() -> None:
    a = demo_records(300, seed=7)
    b = demo_records(300, seed=7)
    c = demo_records(300, seed=8)
    assert [r.model_dump() for r in a] == [r.model_dump() for r in b]
    assert [r.lon for r in a] != [r.lon for r in c]


def test_layers_points_and_markers(municipalities) -> None:  # type: ignore[no-untyped-def]
    records = demo_records(2000, seed=1)
    layers = Counter(r.layer for r in records)
    assert layers == {"spaces": 800, "vacant": 600, "survey": 600}
    assert {r.source for r in records} == {"demo"}
    assert {r.moderation for r in records} == {"published"}
    assert len({r.id for r in records}) == len({r.source_key for r in records}) == 2000
    ags = assign_municipalities([r.lon for r in records], [r.lat for r in records])
    assert "" not in set(ags)
    per = Counter(ags)
    assert len(per) == 53
    # bigger cities get more: Dortmund (593k) far more than Breckerfeld (9k)
    assert per["05913000"] > 10 * per["05954004"]
    assert set(POPULATION_K) == set(municipalities["ags"])
    assert all(not r.contact_email and not r.contact_name for r in records)
    spaces = [r for r in records if isinstance(r, CreativeSpace)]
    assert all(len(r.title) > 5 for r in spaces)
    funded = [r for r in spaces if r.status in ("funded", "realized")]
    assert funded and all(r.funding_year and 2019 <= r.funding_year <= 2035 for r in funded)


def test_survey_has_small_and_large_municipalities() -> None:
    records = [r for r in demo_records(5000, seed=1) if isinstance(r, SurveyResponse)]
    per = Counter(assign_municipalities([r.lon for r in records], [r.lat for r in records]))
    counts = [per.get(a, 0) for a in POPULATION_K]
    assert sum(c >= 5 for c in counts) >= 40
    assert 1 <= sum(c < 5 for c in counts) <= 10


def test_seed_is_idempotent_and_seed_if_empty(store: Store) -> None:
    assert seed_if_empty(store, 500, seed=3) is True
    assert store.count() == 500
    assert seed_if_empty(store, 500, seed=3) is False
    again = seed_demo(store, 500, seed=3)
    assert (again.inserted, again.unchanged) == (0, 500)
    assert store.count() == 500
    assert len(store.query("spaces", Filters(sources=("demo",)))) > 0
    assert store.count("spaces", public=False) == len(
        store.query("spaces", Filters(sources=("demo",)), public=False)
    )


@pytest.mark.parametrize("n", [0, -1, 2_000_000])
def test_bad_n(n: int) -> None:
    with pytest.raises(InputError, match="n="):
        demo_records(n)


def _fingerprint(store: Store) -> str:
    """SHA-256 of every stored row (records and contacts), in id order, as canonical JSON."""
    import hashlib
    import json

    import sqlalchemy as sa

    from heimatruhr_geo.schema import CONTACTS, RECORDS

    digest = hashlib.sha256()
    with store.engine.connect() as conn:
        for table, key in ((RECORDS, RECORDS.c.id), (CONTACTS, CONTACTS.c.record_id)):
            for row in conn.execute(sa.select(table).order_by(key)).mappings():
                digest.update(json.dumps(dict(row), sort_keys=True, default=str).encode())
                digest.update(b"\n")
    return digest.hexdigest()


# Fingerprints of what seeding stored before seeding was made fast (commit b3e9a6d):
# a faster seeding must store exactly the same demo data for the same n and seed.
SEEDED_FINGERPRINTS = {
    (5000, 1): "f4aaa09c4c0f5576e48817917fffb72f3bba2fa74d43062fb3bf0b4203d35ba8",
    (1234, 7): "8efac31edb5e38e4b3ae7f2ec24ce93024d4279d0885140726eb4e735bd1b10f",
}


@pytest.mark.parametrize(("n", "seed"), sorted(SEEDED_FINGERPRINTS))
def test_seeded_data_is_unchanged(tmp_path: Path, n: int, seed: int) -> None:
    store = Store(f"sqlite:///{tmp_path / 'fingerprint.sqlite'}")
    try:
        seed_demo(store, n, seed)
        assert store.count() == n
        assert _fingerprint(store) == SEEDED_FINGERPRINTS[(n, seed)]
    finally:
        store.close()
