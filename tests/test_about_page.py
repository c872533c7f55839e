"""The About page's accessibility statement and the configurable operator (AppTest).

The operator comes from ``HEIMATRUHR_OPERATOR_*`` (read once into the cached settings,
cleared here around each test) or from the ``[operator]`` secrets; it is plain text.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from heimatruhr_geo.i18n import t
from heimatruhr_geo.labels.a11y import OMBUDS_EMAIL, OMBUDS_URL
from heimatruhr_geo.ui import resources
from heimatruhr_geo.ui.common import plain
from tests.support.apptest import run_page

OPERATOR = {
    "HEIMATRUHR_OPERATOR_NAME": "Kulturbüro Beispielstadt",
    "HEIMATRUHR_OPERATOR_ADDRESS": "Rathausplatz 1, 44787 Bochum",
    "HEIMATRUHR_OPERATOR_EMAIL": "barrierefrei@beispielstadt.example",
    "HEIMATRUHR_OPERATOR_PHONE": "+49 234 000000",
}
HOSTILE = "<img src=x onerror=alert(1)> **fett** [klick](javascript:alert(1)) $x^2$ # Titel"


@pytest.fixture
def operator_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Clear the operator variables (a test sets its own) and the cached settings."""
    for name in OPERATOR:
        monkeypatch.delenv(name, raising=False)
    resources.settings.clear()
    yield monkeypatch
    resources.settings.clear()


def run(lang: str = "de", secrets: dict[str, str] | None = None) -> AppTest:
    operator = None if secrets is None else {"operator": secrets}
    return run_page("about_page", secrets=operator, lang=lang)


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_statement_names_the_configured_operator_and_feedback_address(
    operator_env: pytest.MonkeyPatch, lang: str
) -> None:
    for name, value in OPERATOR.items():
        operator_env.setenv(name, value)
    at = run(lang)
    assert t("a11y_title", lang) in [h.value for h in at.subheader]
    text = markdown(at)
    email = OPERATOR["HEIMATRUHR_OPERATOR_EMAIL"]
    link = f"[{plain(email)}](mailto:{email})"
    for part in ("status", "limits", "feedback", "enforcement", "basis"):
        assert f"#### {t(f'a11y_{part}_title', lang)}" in text
    feedback = text.split(t("a11y_feedback_title", lang))[1].split("####")[0]
    assert link in feedback  # the feedback contact is the operator's address
    assert plain(OPERATOR["HEIMATRUHR_OPERATOR_NAME"]) in feedback
    assert plain(OPERATOR["HEIMATRUHR_OPERATOR_PHONE"]) in feedback
    assert OMBUDS_URL in text and OMBUDS_EMAIL in text
    assert ("29.11.2026" if lang == "de" else "29 Nov 2026") in text
    imprint = text.split(t("imprint_text", lang))[1]
    assert plain(OPERATOR["HEIMATRUHR_OPERATOR_ADDRESS"]) in imprint
    privacy = text.split(t("privacy_controller", lang))[1]
    assert link in privacy
    assert not at.warning  # nothing is a placeholder


def test_hostile_operator_text_shows_literally(operator_env: pytest.MonkeyPatch) -> None:
    operator_env.setenv("HEIMATRUHR_OPERATOR_NAME", HOSTILE)
    operator_env.setenv("HEIMATRUHR_OPERATOR_ADDRESS", "Weg 1\n<script>alert(1)</script>")
    operator_env.setenv("HEIMATRUHR_OPERATOR_EMAIL", "x@y.de](javascript:alert(1))")
    at = run("de")
    text = markdown(at)
    assert plain(HOSTILE) in text
    assert HOSTILE not in text
    assert "<script>" not in text and plain("Weg 1, <script>alert(1)</script>") in text
    assert "](javascript:" not in text  # every bracket escaped: no link
    assert text.count("mailto:") == 1  # only the ombuds office's: no link from a non-address
    assert all(not m.allow_html for m in at.markdown)  # type: ignore[attr-defined]


def test_unset_operator_shows_labelled_placeholders(operator_env: pytest.MonkeyPatch) -> None:
    at = run("en")
    assert [w.value for w in at.warning] == [plain(t("operator_unset", "en"))]
    text = markdown(at)
    for variable in ("NAME", "ADDRESS", "EMAIL"):
        placeholder = t("operator_placeholder", "en").format(
            variable=f"HEIMATRUHR_OPERATOR_{variable}"
        )
        assert plain(placeholder) in text
    assert "HEIMATRUHR_OPERATOR_PHONE" not in text  # the phone is optional
    assert t("operator_unknown", "en") in text


def test_secrets_fill_what_the_environment_leaves_open(operator_env: pytest.MonkeyPatch) -> None:
    operator_env.setenv("HEIMATRUHR_OPERATOR_NAME", "Aus der Umgebung")
    secrets = {"name": "Aus den Secrets", "address": "Secretweg 2", "email": "s@secret.example"}
    at = run("de", secrets=secrets)
    text = markdown(at)
    assert "Aus der Umgebung" in text and "Aus den Secrets" not in text
    assert "Secretweg 2" in text and "mailto:s@secret.example" in text
    assert not at.warning
