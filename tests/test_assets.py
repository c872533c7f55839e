from __future__ import annotations

import json
import logging
from pathlib import Path

import folium
import folium.plugins
import pytest

from heimatruhr_geo import assets
from heimatruhr_geo.assets import (
    ASSETS,
    DROPPED,
    ICON_PATH_ELEMENT,
    localize_assets,
    referenced_urls,
)
from heimatruhr_geo.config import DEFAULT_STATIC_DIR, Settings
from tests.conftest import skip_or_fail

PLUGINS = [
    folium.Map,
    folium.plugins.MarkerCluster,
    folium.plugins.FastMarkerCluster,
    folium.plugins.Fullscreen,
    folium.plugins.LocateControl,
]
CLASS_LINKS = {cls: (list(cls.default_js), list(cls.default_css)) for cls in PLUGINS}
ASSET_URL = "/test/static/node_modules"


def _install_fake(static_dir: Path) -> None:
    """Put an (empty) file at every place where npm would install an asset."""
    for asset in ASSETS:
        path = static_dir / "node_modules" / asset.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("/* test */")


@pytest.fixture
def local_settings(tmp_path: Path) -> Settings:
    _install_fake(tmp_path / "static")
    return Settings(static_dir=tmp_path / "static", asset_url=ASSET_URL)


def _full_map() -> folium.Map:
    m = folium.Map(location=[51.5, 7.2], zoom_start=9)
    cluster = folium.plugins.MarkerCluster().add_to(m)
    folium.Marker([51.5, 7.2]).add_to(cluster)
    folium.plugins.FastMarkerCluster([[51.4, 7.0]]).add_to(m)
    folium.plugins.Fullscreen().add_to(m)
    folium.plugins.LocateControl().add_to(m)
    return m


@pytest.mark.parametrize("cls", PLUGINS, ids=lambda c: c.__name__)
def test_every_folium_url_the_app_uses_is_mapped_or_dropped(cls: type) -> None:
    table = {a.cdn_url for a in ASSETS} | DROPPED.keys()
    urls = [url for _, url in [*cls.default_js, *cls.default_css]]
    assert urls
    assert [url for url in urls if url not in table] == []


def test_local_urls_used_when_files_exist(local_settings: Settings) -> None:
    m = _full_map()
    report = localize_assets(m, local_settings)
    assert report.mode == "local"
    assert report.missing == ()
    assert report.unknown == ()
    urls = referenced_urls(m)
    assert urls
    assert all(url.startswith(f"{ASSET_URL}/") for url in urls), urls
    for url in urls:
        assert (
            local_settings.static_dir / "node_modules" / url.removeprefix(ASSET_URL + "/")
        ).is_file()
    assert not set(urls) & DROPPED.keys()
    html = m.get_root().render()
    assert "cdn.jsdelivr.net" not in html
    assert "cdnjs.cloudflare.com" not in html
    assert "code.jquery.com" not in html


def test_localize_never_changes_folium_classes(local_settings: Settings) -> None:
    localize_assets(_full_map(), local_settings)
    assert {cls: (cls.default_js, cls.default_css) for cls in PLUGINS} == CLASS_LINKS
    fresh = folium.Map()
    assert referenced_urls(fresh)[0].startswith("https://")


def test_icon_image_path_is_set_first_and_once(local_settings: Settings) -> None:
    m = _full_map()
    localize_assets(m, local_settings)
    localize_assets(m, local_settings)
    assert next(iter(m._children)) == ICON_PATH_ELEMENT
    html = m.get_root().render()
    expected = f"L.Icon.Default.imagePath = {json.dumps(ASSET_URL + '/leaflet/dist/images/')};"
    assert html.count(expected) == 1
    assert html.index(expected) < html.index("L.marker(")


def test_second_call_keeps_local_urls_and_warns_nothing(
    local_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    m = _full_map()
    localize_assets(m, local_settings)
    before = referenced_urls(m)
    with caplog.at_level(logging.WARNING, logger=assets.__name__):
        report = localize_assets(m, local_settings)
    assert report.mode == "local"
    assert referenced_urls(m) == before
    assert caplog.records == []


def test_missing_files_fall_back_to_cdn_with_one_clear_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    static = tmp_path / "static"
    _install_fake(static)
    (static / "node_modules" / "leaflet" / "dist" / "leaflet.js").unlink()
    m = _full_map()
    before = referenced_urls(m)
    with caplog.at_level(logging.WARNING, logger=assets.__name__):
        report = localize_assets(m, Settings(static_dir=static, asset_url=ASSET_URL))
    assert report.mode == "cdn"
    assert report.missing == (static / "node_modules" / "leaflet" / "dist" / "leaflet.js",)
    assert referenced_urls(m) == before
    assert ICON_PATH_ELEMENT not in m._children
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert "leaflet.js" in message
    assert "npm ci --prefix static" in message
    assert "CDN" in message


def test_cdn_mode_leaves_the_cdns(local_settings: Settings) -> None:
    m = _full_map()
    before = referenced_urls(m)
    cdn = Settings(static_dir=local_settings.static_dir, asset_mode="cdn")
    report = localize_assets(m, cdn)
    assert report.mode == "cdn"
    assert referenced_urls(m) == before
    assert ICON_PATH_ELEMENT not in m._children


def test_cdn_mode_from_environment() -> None:
    assert Settings.from_env({"HEIMATRUHR_ASSETS": "cdn"}).asset_mode == "cdn"


def test_unknown_url_is_logged_and_kept(
    local_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    m = _full_map()
    folium.plugins.MiniMap().add_to(m)
    unmapped = [url for url in referenced_urls(m) if "minimap" in url.lower()]
    assert unmapped
    with caplog.at_level(logging.WARNING, logger=assets.__name__):
        report = localize_assets(m, local_settings)
    assert report.mode == "local"
    assert set(report.unknown) == set(unmapped)
    assert set(unmapped) <= set(referenced_urls(m))
    logged = " ".join(r.getMessage() for r in caplog.records)
    for url in unmapped:
        assert url in logged


def test_table_versions_are_the_pinned_npm_versions() -> None:
    package = json.loads((DEFAULT_STATIC_DIR / "package.json").read_text())
    lock = json.loads((DEFAULT_STATIC_DIR / "package-lock.json").read_text())
    for asset in ASSETS:
        assert package["dependencies"][asset.package] == asset.version, asset
        assert lock["packages"][f"node_modules/{asset.package}"]["version"] == asset.version
        assert asset.version in asset.cdn_url


def test_installed_node_modules_hold_every_asset() -> None:
    node_modules = DEFAULT_STATIC_DIR / "node_modules"
    if not node_modules.is_dir():
        skip_or_fail(
            f"{node_modules} is missing; run `npm ci --prefix static --no-audit --no-fund`"
        )
    missing = [a.path for a in ASSETS if not (node_modules / a.path).is_file()]
    assert missing == []
    for asset in ASSETS:
        installed = json.loads((node_modules / asset.package / "package.json").read_text())
        assert installed["version"] == asset.version
