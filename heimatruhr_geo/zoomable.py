"""Let visitors zoom pages that show a folium map (WCAG 2.1, 1.4.4 Resize text).

folium's map template writes ``<meta name="viewport" content="…, maximum-scale=1.0,
user-scalable=no">`` into the map's document, which forbids pinch zoom (axe-core rule
``meta-viewport``). :func:`allow_page_zoom` gives one map a template whose header says
``width=device-width, initial-scale=1.0`` instead; everything else stays folium's.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import folium

LOCKED_VIEWPORT = "maximum-scale=1.0, user-scalable=no"
FREE_VIEWPORT = 'content="width=device-width, initial-scale=1.0"'
_META = 'content="width=device-width,'


def allow_page_zoom(m: folium.Map) -> folium.Map:
    """Return ``m`` with a viewport that allows zooming (changes ``m`` in place).

    Examples
    --------
    >>> html = allow_page_zoom(folium.Map(tiles=None)).get_root().render()
    >>> "user-scalable=no" in html, 'content="width=device-width, initial-scale=1.0"' in html
    (False, True)
    """
    macros = dict(m._template.module.__dict__)
    header = macros.get("header")
    if callable(header) and not isinstance(m._template, _Template):
        macros["header"] = _free(header)
        m._template = _Template(SimpleNamespace(**macros))
    return m


class _Template:
    """A stand-in for a jinja template: branca only reads ``module.__dict__``."""

    def __init__(self, module: SimpleNamespace) -> None:
        self.module = module


def _free(header: Callable[..., Any]) -> Callable[..., str]:
    def render(this: Any, kwargs: Any) -> str:
        text = str(header(this, kwargs))
        start = text.find(_META)
        end = text.find("/>", start)
        if start < 0 or end < 0 or LOCKED_VIEWPORT not in " ".join(text[start:end].split()):
            return text
        return f"{text[:start]}{FREE_VIEWPORT} {text[end:]}"

    return render
