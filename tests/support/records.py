"""Records and survey answers for tests."""

from __future__ import annotations

import random
from typing import Any

import pandas as pd

from heimatruhr_geo.models import CreativeSpace, VacantBuilding

ESSEN = (7.0116, 51.4556)
DORTMUND = (7.4653, 51.5136)
"""(lon, lat) of two city centres."""


def space(**kw: Any) -> CreativeSpace:
    """A published creative space in Essen; ``kw`` overrides any field."""
    values: dict[str, Any] = {
        "title": "Atelier am Kanal",
        "lon": ESSEN[0],
        "lat": ESSEN[1],
        "project_type": "studio",
        "status": "funded",
        "moderation": "published",
    }
    values.update(kw)
    return CreativeSpace(**values)


def vacant(**kw: Any) -> VacantBuilding:
    """A published vacant building in Dortmund; ``kw`` overrides any field."""
    values: dict[str, Any] = {
        "title": "Alte Halle",
        "lon": DORTMUND[0],
        "lat": DORTMUND[1],
        "building_type": "industrial",
        "moderation": "published",
    }
    values.update(kw)
    return VacantBuilding(**values)


def answers(counts: dict[str, int], seed: int = 0) -> pd.DataFrame:
    """Hand-made survey answers: ``counts[ags]`` responses in each municipality."""
    rng = random.Random(seed)
    rows = [
        {
            "ags": ags,
            "municipality": ags,
            "county": ags[:5],
            "discipline": rng.choice(["music", "design", "crafts"]),
            "identity_rating": rng.randint(1, 5),
            "space_rating": rng.randint(1, 5),
            "identity_text": f"identity {ags} {i}",
            "places_text": "" if i % 2 else f"places {ags} {i}",
        }
        for ags, n in counts.items()
        for i in range(n)
    ]
    columns = ["ags", "municipality", "county", "discipline", "identity_rating", "space_rating",
               "identity_text", "places_text"]  # fmt: skip
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("identity_rating", "space_rating"):
        frame[col] = frame[col].astype("Int64")
    return frame
