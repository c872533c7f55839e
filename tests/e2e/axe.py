"""axe-core in the browser tests: check a Playwright page or frame against WCAG 2.1 A/AA.

axe-core (npm, installed in ``static/node_modules``) is injected into the page or frame
with ``add_script_tag`` and run there; nothing is fetched from outside. Each frame is
checked on its own (``iframes: false``): run :func:`violations` on the page and on every
frame whose content matters, e.g. the map's iframe.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
AXE_JS = PROJECT_DIR / "static" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
"""The rule sets checked: WCAG 2.0 and 2.1, levels A and AA (what BITV 2.0 asks)."""

_RUN = """async ([tags, exclude]) => {
  const context = exclude.length ? { exclude: exclude.map((s) => [s]) } : document;
  const result = await window.axe.run(context, {
    runOnly: { type: "tag", values: tags },
    iframes: false,
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.map(String),
      summary: n.failureSummary || "",
      html: n.html,
    })),
  }));
}"""


def violations(target: Any, exclude: Sequence[str] = ()) -> list[dict[str, Any]]:
    """Run axe-core in ``target`` and return its WCAG 2.1 A/AA violations.

    Parameters
    ----------
    target
        A Playwright ``Page`` or ``Frame`` whose document has loaded.
    exclude
        CSS selectors of elements (and their content) that are not checked.

    Returns
    -------
    list of dict
        One item per violated rule: ``id``, ``impact``, ``help`` and ``nodes`` (each with
        the ``target`` selectors, axe's ``summary`` and the element's ``html``).
    """
    if not target.evaluate("() => typeof window.axe !== 'undefined'"):
        target.add_script_tag(path=str(AXE_JS))
    result: list[dict[str, Any]] = target.evaluate(_RUN, [list(WCAG_TAGS), list(exclude)])
    return result


def describe(found: Sequence[dict[str, Any]], where: str = "") -> str:
    """Return violations as a readable failure message (rule, help, each node's selector)."""
    lines = [f"{len(found)} axe violation(s){' in ' + where if where else ''}:"]
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' > '.join(node['target'])}: {node['html'][:160]}")
            summary = " ".join(node["summary"].split())
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)
