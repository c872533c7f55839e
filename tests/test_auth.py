"""Moderator credentials, the sign-in limiter and the moderation CLI commands."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

from heimatruhr_geo.auth import Moderators, check_hash, hash_password
from heimatruhr_geo.cli import main
from heimatruhr_geo.config import Settings
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.models import CreativeSpace
from heimatruhr_geo.store import Store

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def hashed() -> str:
    return hash_password(PASSWORD, fast=True)


# --------------------------------------------------------------------------- credentials


def test_parse_and_verify(hashed: str) -> None:
    team = Moderators.parse(f" alice:{hashed} ;\nbob:{hashed};")
    assert sorted(team) == ["alice", "bob"]
    assert team.verify("alice", PASSWORD)
    assert team.verify(" bob ", PASSWORD)
    assert not team.verify("alice", PASSWORD + "x")
    assert not team.verify("alice", "")
    assert not team.verify("mallory", PASSWORD)  # unknown name, same work, refused
    assert not Moderators().verify("alice", PASSWORD)


def test_unknown_names_cost_a_hash_check_too(hashed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    team = Moderators.parse(f"alice:{hashed}")
    team.verify("someone", "x")  # makes the dummy hash once
    calls: list[str] = []
    original = PasswordHasher.verify

    def counting(self: PasswordHasher, hash: str, password: str | bytes) -> bool:
        calls.append(hash)
        return original(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    team.verify("alice", "wrong")
    team.verify("mallory", "wrong")
    assert len(calls) == 2
    assert calls[1] != hashed  # checked against the dummy of the same cost
    assert calls[1].split("$")[3] == hashed.split("$")[3]  # m=…,t=…,p=…


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("secret123", "not an argon2id hash"),
        ("$2b$12$abcdefghijklmnopqrstuv", "not an argon2id hash"),
        (PasswordHasher(type=Type.I).hash("x" * 12), "argon2i"),
        (PasswordHasher(memory_cost=1024, time_cost=2).hash("x" * 12), "too weak"),
        (PasswordHasher(time_cost=1).hash("x" * 12), "too weak"),
    ],
)
def test_plaintext_and_weak_hashes_are_refused_naming_the_user(value: str, match: str) -> None:
    with pytest.raises(InputError, match=match) as err:
        Moderators.parse(f"carol:{value}")
    assert "'carol'" in str(err.value)
    assert value not in str(err.value) or not value.startswith("secret")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("$argon2id$v=19$m=65536", "no 'name:'"),
        ("alice:{h};alice:{h}", "given twice"),
        (":{h}", "no 'name:'"),
    ],
)
def test_malformed_entries(hashed: str, text: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        Moderators.parse(text.format(h=hashed))


def test_plaintext_never_appears_in_the_error() -> None:
    with pytest.raises(InputError) as err:
        Moderators.parse("alice:hunter2-very-secret")
    assert "hunter2" not in str(err.value)


def test_secrets_mapping_merges_with_the_environment(hashed: str) -> None:
    env = Moderators.parse(f"alice:{hashed}")
    other = hash_password("another long password", fast=True)
    merged = env.merged(Moderators.from_mapping({"alice": other, "bob": hashed}))
    assert merged.verify("alice", "another long password")
    assert merged.verify("bob", PASSWORD)
    with pytest.raises(InputError, match="'dave'"):
        Moderators.from_mapping({"dave": "plain"})


def test_hash_password_refuses_short_passwords() -> None:
    with pytest.raises(InputError, match="at least 12"):
        hash_password("short")
    assert check_hash("x", hash_password(PASSWORD)).startswith("$argon2id$")


def test_settings_read_moderators_but_do_not_show_them(hashed: str) -> None:
    settings = Settings.from_env({"HEIMATRUHR_MODERATORS": f"alice:{hashed}"})
    assert settings.moderators == f"alice:{hashed}"
    assert hashed not in repr(settings)


# --------------------------------------------------------------------------- CLI


def test_cli_hash_password_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["hash-password", "--stdin", "--name", "alice"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("alice:$argon2id$")
    assert PASSWORD not in line
    assert Moderators.parse(line).verify("alice", PASSWORD)


def test_cli_hash_password_refuses_a_short_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["hash-password", "--stdin"]) == 2
    assert "too short" in capsys.readouterr().err


def test_cli_purge_contacts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'purge.sqlite'}"
    monkeypatch.setenv("HEIMATRUHR_DATABASE_URL", url)
    store = Store(url)
    old = datetime.now(UTC) - timedelta(days=400)
    store.add(
        CreativeSpace(
            title="Alt",
            lon=7.0116,
            lat=51.4556,
            project_type="studio",
            moderation="published",
            created_at=old,
            updated_at=old,
            contact_email="alt@example.org",
        )
    )
    assert main(["purge-contacts"]) == 0
    assert capsys.readouterr().out.startswith("1 contact entries")
    assert store.query("spaces", public=False).loc[0, "contact_email"] == ""
    assert store.audit_entries()[0].actor == "purge-contacts"
    store.close()
