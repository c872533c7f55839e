"""Survey commands: ``survey-release``."""

from __future__ import annotations

import argparse
from typing import Any

from heimatruhr_geo.config import Settings
from heimatruhr_geo.i18n import t
from heimatruhr_geo.store import Store
from heimatruhr_geo.survey_release import release_if_due


def register(commands: Any) -> None:
    """Add the survey commands to the CLI's sub-parsers."""
    release = commands.add_parser(
        "survey-release",
        help="write a new survey release if every changed cell changed by at least k = 5",
    )
    release.add_argument("--lang", default="en", choices=("de", "en"), help="output language")
    release.set_defaults(handler=_release)


def _release(args: argparse.Namespace, settings: Settings) -> int:
    store = Store.from_settings(settings)
    try:
        release = release_if_due(store, actor="cli")
    finally:
        store.close()
    if release is None:
        print(t("survey_release_command_none", args.lang))
        return 0
    print(
        t("survey_release_command_done", args.lang).format(
            number=release.number, n=release.responses, texts=len(release.figures["texts"])
        )
    )
    return 0
