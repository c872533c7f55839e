"""The operator of the installation: settings first, secrets fill gaps, plain one-line text."""

from __future__ import annotations

import pytest

from heimatruhr_geo.config import Settings
from heimatruhr_geo.operator import MAX_LENGTH, Operator


def test_settings_read_the_operator_variables() -> None:
    env = {
        "HEIMATRUHR_OPERATOR_NAME": " Stadt Bochum, Kulturbüro ",
        "HEIMATRUHR_OPERATOR_ADDRESS": "Willy-Brandt-Platz 2–6, 44777 Bochum",
        "HEIMATRUHR_OPERATOR_EMAIL": "kultur@bochum.example",
        "HEIMATRUHR_OPERATOR_PHONE": "+49 234 910-0",
    }
    settings = Settings.from_env(env)
    assert settings.operator_name == "Stadt Bochum, Kulturbüro"
    assert settings.operator_address == "Willy-Brandt-Platz 2–6, 44777 Bochum"
    assert settings.operator_email == "kultur@bochum.example"
    assert settings.operator_phone == "+49 234 910-0"
    assert Settings.from_env({}).operator_name == ""


def test_settings_win_and_secrets_fill_the_gaps() -> None:
    settings = Settings(operator_name="Env GmbH", operator_email="env@example.org")
    secrets = {"name": "Secret e.V.", "address": "Weg 1, 45127 Essen", "phone": "0201 1"}
    op = Operator.from_settings(settings, secrets)
    assert op == Operator("Env GmbH", "Weg 1, 45127 Essen", "env@example.org", "0201 1")
    assert op.missing() == ()


def test_nothing_configured_is_missing_but_the_phone_is_optional() -> None:
    op = Operator.from_settings(Settings(), None)
    assert op == Operator()
    assert op.missing() == ("name", "address", "email")


def test_values_become_one_line_without_control_characters() -> None:
    op = Operator.from_settings(
        Settings(operator_address="Weg 1\r\n\n45127 Essen\x00\x1b[31m", operator_name="x" * 999)
    )
    assert op.address == "Weg 1, 45127 Essen[31m"
    assert len(op.name) == MAX_LENGTH


@pytest.mark.parametrize(
    ("email", "link"),
    [
        ("info@heimatruhr.example", "mailto:info@heimatruhr.example"),
        ("a.b+c@sub.example.de", "mailto:a.b+c@sub.example.de"),
        ("javascript:alert(1)//@x.de", ""),
        ("x@y.de) [click](https://evil.example", ""),
        ("not an address", ""),
        ("", ""),
    ],
)
def test_only_a_plain_address_becomes_a_mail_link(email: str, link: str) -> None:
    assert Operator(email=email).email_link() == link
