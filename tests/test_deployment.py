"""The nginx configuration rendered from ``deploy/nginx/`` and the ``nginx-config`` command."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from heimatruhr_geo.cli import main
from heimatruhr_geo.deployment import render, render_site, render_standalone
from heimatruhr_geo.errors import InputError
from tests.conftest import skip_or_fail

BACKENDS = ["127.0.0.1:8501", "127.0.0.1:8502", "[::1]:8503"]


def test_the_site_names_every_backend_and_leaves_no_field_open() -> None:
    site = render_site(BACKENDS, listen="127.0.0.1:8080", server_name="maps.example.org")
    for backend in BACKENDS:
        assert f"server {backend} " in site
    assert "listen 127.0.0.1:8080;" in site
    assert "server_name maps.example.org;" in site
    assert "{{" not in site and "}}" not in site
    assert "hash $heimatruhr_node consistent;" in site
    assert "proxy_set_header Upgrade $http_upgrade;" in site


@pytest.mark.parametrize(
    ("backends", "kwargs", "named"),
    [
        ([], {}, "no backend"),
        (["127.0.0.1"], {}, "'127.0.0.1'"),  # no port
        (["127.0.0.1:8501; include /etc/passwd"], {}, "8501; include"),
        (["127.0.0.1:8501"], {"listen": "80; root /"}, "80; root /"),
        (["127.0.0.1:8501"], {"server_name": "a.org {"}, "'{'"),
        (["127.0.0.1:8501"], {"access_log": "/var/log/$x"}, "$x"),
    ],
)
def test_values_that_would_break_the_configuration_are_refused(
    backends: list[str], kwargs: dict[str, str], named: str
) -> None:
    with pytest.raises(InputError, match="nginx") as caught:
        render_site(backends, **kwargs)
    assert named in str(caught.value)


def test_a_field_without_value_is_named() -> None:
    with pytest.raises(InputError, match="'listen'"):
        render("listen {{ listen }};", {})


def test_nginx_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).is_file():
        skip_or_fail("nginx is missing; install it with `apt-get install -y nginx`")
    site = tmp_path / "heimatruhr.conf"
    site.write_text(
        render_site(BACKENDS, listen="127.0.0.1:8080", access_log=str(tmp_path / "access.log"))
    )
    conf = tmp_path / "nginx.conf"
    conf.write_text(render_standalone(tmp_path, site, workers=2))
    result = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_the_command_prints_the_site(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["nginx-config", "--backend", "127.0.0.1:9001", "--server-name", "maps.test"])
    out = capsys.readouterr().out
    assert code == 0
    assert "server 127.0.0.1:9001 " in out and "server_name maps.test;" in out


def test_the_command_refuses_a_bad_backend(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["nginx-config", "--backend", "localhost"]) == 2
    assert "error: nginx backend 'localhost'" in capsys.readouterr().err
