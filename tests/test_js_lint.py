"""The map's JavaScript (static/map/**/*.js) passes eslint with static/eslint.config.js.

eslint comes from ``npm ci --prefix static`` (a devDependency in static/package.json).
Where node or eslint is missing the tests skip, saying why; with
HEIMATRUHR_REQUIRE_SERVICES=1 (CI) they fail instead.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

STATIC = Path(__file__).resolve().parents[1] / "static"
ESLINT = STATIC / "node_modules" / "eslint" / "bin" / "eslint.js"
CONFIG = STATIC / "eslint.config.js"
TIMEOUT_S = 300


def _eslint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run eslint from static/ with its config; fail on warnings too."""
    node = shutil.which("node")
    if node is None:
        skip_or_fail("node is missing; install Node.js to lint the map's JavaScript")
    if not ESLINT.is_file():
        skip_or_fail(f"{ESLINT} is missing; run `npm ci --prefix static --no-audit --no-fund`")
    assert CONFIG.is_file()
    return subprocess.run(
        [str(node), str(ESLINT), "--config", str(CONFIG), "--max-warnings", "0", *args],
        cwd=STATIC,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )


def test_map_javascript_has_no_problems() -> None:
    # Lints every file the config covers (map/**/*.js); none at all is no problem.
    result = _eslint("--no-error-on-unmatched-pattern", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_lint_reports_a_problem_in_map_code() -> None:
    # The same run must be able to fail: an unused variable in a (virtual) file under map/.
    bad = "const unused = 1;\nexport function href() {\n  return window.location.href;\n}\n"
    result = _eslint("--stdin", "--stdin-filename", "map/lint-fixture.js", stdin=bad)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "'unused' is assigned a value but never used" in result.stdout
    assert "no-unused-vars" in result.stdout
    assert "1 problem" in result.stdout


@pytest.mark.parametrize(
    "code",
    [
        # an ES2022 module using the browser's globals: nothing to report
        "export class Box {\n  #size = 1;\n  static of() {\n    return new Box();\n  }\n"
        "  label() {\n    return document.title + this.#size + (window.x?.y ?? '');\n  }\n}\n",
    ],
)
def test_es2022_modules_in_the_browser_pass(code: str) -> None:
    result = _eslint("--stdin", "--stdin-filename", "map/lint-fixture.js", stdin=code)
    assert result.returncode == 0, result.stdout + result.stderr
