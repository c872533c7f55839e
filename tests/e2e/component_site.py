"""A page that renders the map module (``static/map/heimatmap.js``) outside Streamlit.

Written to a folder with Streamlit's ``/app/static/`` layout and served on loopback (see
``tests.support.http.serving_files``), as the page would mount the component.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from heimatruhr_geo import mapdata
from heimatruhr_geo.config import DEFAULT_STATIC_DIR, Settings
from heimatruhr_geo.i18n import t
from heimatruhr_geo.mapview import Choropleth, load_drawing_municipalities
from tests.conftest import skip_or_fail

SETTINGS = Settings(tile_url="/app/static/blank-tile.png", tile_attribution="Local tiles")
PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>map</title></head>
<body><main><h1>Karte</h1><div id="host"></div></main>
<script type="module">
import { render } from '/app/static/map/heimatmap.js';
window.hrTriggers = [];
window.hrState = await (await fetch('/state.json')).json();
window.hrRender = (data) => render({
  data, parentElement: document.getElementById('host'),
  setTriggerValue: (name, value) => window.hrTriggers.push([name, value]),
});
await window.hrRender(window.hrState);
</script></body></html>
"""
"""``window.hrRender(state)`` renders again; ``window.hrTriggers`` keeps what it reported."""


def state(doc: mapdata.PointsDocument, values: dict[str, float | None]) -> dict[str, Any]:
    """The per-run state the page would send (see ``heimatruhr_geo.ui.common.map_data``)."""
    from heimatruhr_geo.ui.common import map_data

    return map_data(
        SETTINGS,
        load_drawing_municipalities(SETTINGS),
        lang="de",
        points_url="/points.json",
        borders_url="/borders.json",
        bits=mapdata.selection_bits(doc, None),
        choropleth=Choropleth(values, "Antworten", t("too_few_responses", "de")),
        height="600px",
    )


def write_site(
    root: Path,
    spaces: pd.DataFrame | None,
    vacant: pd.DataFrame | None,
    values: dict[str, float | None],
) -> mapdata.PointsDocument:
    """Write the page, its state and map files for these records under ``root``."""
    if not (DEFAULT_STATIC_DIR / "node_modules").is_dir():
        skip_or_fail("static/node_modules is missing; run `npm ci --prefix static`")
    (root / "app").mkdir()
    (root / "app" / "static").symlink_to(DEFAULT_STATIC_DIR, target_is_directory=True)
    doc = mapdata.encode_points(spaces, vacant, "de")
    (root / "points.json").write_bytes(doc.data)
    (root / "borders.json").write_bytes(
        mapdata.encode_borders(load_drawing_municipalities(SETTINGS))
    )
    (root / "state.json").write_text(json.dumps(state(doc, values)), encoding="utf-8")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    return doc
