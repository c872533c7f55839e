"""The shareable view: URL parameters in and out, validation, filters."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from heimatruhr_geo.boundaries import COUNTIES, RUHR_AGS
from heimatruhr_geo.config import DEFAULT_DATA_DIR
from heimatruhr_geo.errors import InputError
from heimatruhr_geo.models import BuildingType, ProjectType, RentBand
from heimatruhr_geo.planning import MEASURES
from heimatruhr_geo.store import Filters
from heimatruhr_geo.viewstate import View, apply_view

BOCHUM, DORTMUND = "05911000", "05913000"


def random_view(rng: random.Random) -> View:
    def some(values: list[str] | list[int], most: int = 4) -> tuple:  # type: ignore[type-arg]
        return tuple(rng.sample(values, rng.randint(0, min(most, len(values)))))

    programs = ["#heimatruhr", "Kultur, Stadt", "100 % Ruhr", " Förderung ", "a%2Cb", "x"]
    return View(
        lang=rng.choice(["de", "en"]),
        layers=some(["spaces", "vacant", "survey"], 3),
        municipalities=some(list(RUHR_AGS), 6),
        counties=some(list(COUNTIES)),
        project_types=some([t.value for t in ProjectType]),
        statuses=some(["proposed", "under_review", "funded", "realized"]),
        programs=some(programs),
        years=some(list(range(2019, 2036))),
        building_types=some([t.value for t in BuildingType]),
        rent_bands=some([b.value for b in RentBand]),
        measure=rng.choice(sorted(MEASURES)),
        detail=rng.choice(["", "demo1sp0000012", "abc-1.2:3"]),
    )


@pytest.mark.parametrize("seed", range(300))
def test_round_trip(seed: int) -> None:
    view = random_view(random.Random(seed))
    params = view.to_query_params()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
    back, warnings = View.from_query_params(params)
    assert warnings == []
    assert back == view
    assert back.to_query_params() == params


def test_defaults_are_omitted() -> None:
    assert View().to_query_params() == {}
    assert View.from_query_params({}) == (View(), [])
    assert View(layers=()).to_query_params() == {"layers": "none"}
    assert View(years=(2024, 2020, 2024)).to_query_params() == {"years": "2020,2024"}


def test_names_become_ags() -> None:
    view, warnings = View.from_query_params(
        {
            "municipalities": "Bochum,mülheim an der ruhr,Muelheim,Voerde,Wetter (Ruhr),"
            "Fröndenberg,HALTERN AM SEE,05913000",
            "counties": "Kreis Unna,ennepe-ruhr-kreis,05170",
        }
    )
    assert warnings == []
    assert view.municipalities == tuple(
        sorted({BOCHUM, "05117000", "05170044", "05954032", "05978012", "05562016", DORTMUND})
    )
    assert view.counties == ("05170", "05954", "05978")


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"lang": "fr"}, "lang='fr'"),
        ({"lang": "de,en"}, "lang='de,en'"),
        ({"layers": "spaces,<script>alert(1)</script>"}, "layers="),
        ({"municipalities": "Köln"}, "municipalities='Köln'"),
        ({"municipalities": "0591100"}, "municipalities='0591100'"),
        ({"counties": "05999"}, "counties='05999'"),
        ({"statuses": "rejected"}, "statuses='rejected'"),
        ({"statuses": "withdrawn"}, "statuses='withdrawn'"),
        ({"project_types": "cinema"}, "project_types='cinema'"),
        ({"years": "1999"}, "years='1999'"),
        ({"years": "２０２４"}, "years="),
        ({"years": "2024.0"}, "years='2024.0'"),
        ({"building_types": "castle"}, "building_types='castle'"),
        ({"rent_bands": "cheap"}, "rent_bands='cheap'"),
        ({"measure": "DROP TABLE"}, "measure='DROP TABLE'"),
        ({"detail": "'; drop"}, "detail="),
        ({"detail": "a,b"}, "detail="),
        ({"programs": "x" * 500}, "programs"),
        ({"zoom": "12"}, "'zoom'"),
        ({"municipalities": ",".join(["Bochum"] * 500)}, "only the first"),
    ],
)
def test_garbage_gives_warnings_not_exceptions(params: dict[str, str], named: str) -> None:
    view, warnings = View.from_query_params(params)
    assert any(named in w for w in warnings), warnings
    assert isinstance(view, View)


def test_good_values_survive_next_to_bad_ones() -> None:
    view, warnings = View.from_query_params(
        {"statuses": ["funded", "nope"], "years": "2024,abc", "lang": "xx", "layers": "vacant"}
    )
    assert view.statuses == ("funded",) and view.years == (2024,)
    assert view.lang == "de" and view.layers == ("vacant",)
    assert len(warnings) == 3
    assert any("allowed" in w and "proposed" in w for w in warnings)


@pytest.mark.parametrize("seed", range(50))
def test_random_junk_never_raises(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "abcXYZ019,%<>\"' \n\tüß€%2C"
    names = [*View().__dataclass_fields__, "x"]
    params: dict[str, str | list[str]] = {}
    for name in rng.sample(names, 5):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        params[name] = [text, text[::-1]] if rng.random() < 0.3 else text
    view, warnings = View.from_query_params(params)
    again, _ = View.from_query_params(view.to_query_params())
    assert again == view
    assert all(isinstance(w, str) for w in warnings)


def test_view_refuses_a_string_for_a_list_field() -> None:
    with pytest.raises(InputError, match="municipalities"):
        View(municipalities="05911000")  # type: ignore[arg-type]


def test_store_filters() -> None:
    view = View(
        municipalities=(BOCHUM,),
        counties=("05911",),
        project_types=("studio",),
        statuses=("funded",),
        years=(2024,),
        building_types=("industrial",),
        rent_bands=("free",),
        programs=("#heimatruhr",),
    )
    assert view.store_filters("spaces") == Filters(
        municipalities=(BOCHUM,),
        counties=("05911",),
        kinds=("studio",),
        statuses=("funded",),
        funding_years=(2024,),
    )
    assert view.store_filters("vacant") == Filters(
        municipalities=(BOCHUM,), counties=("05911",), kinds=("industrial",)
    )
    assert view.store_filters("survey") == Filters(municipalities=(BOCHUM,), counties=("05911",))
    with pytest.raises(InputError, match="layer='parks'"):
        view.store_filters("parks")


def test_apply_view() -> None:
    spaces = pd.DataFrame(
        {
            "ags": [BOCHUM, BOCHUM, DORTMUND, "05978036"],
            "project_type": ["studio", "music", "studio", "studio"],
            "status": ["funded", "funded", "funded", "proposed"],
            "funding_program": ["#heimatruhr", "Other", "#heimatruhr", ""],
            "funding_year": pd.array([2024, 2024, 2023, None], dtype="Int64"),
        }
    )
    assert apply_view(spaces, View(), "spaces").equals(spaces)
    assert apply_view(spaces, View(), "spaces") is not spaces
    pick = apply_view(spaces, View(programs=("#heimatruhr",)), "spaces")
    assert pick.index.tolist() == [0, 2]
    pick = apply_view(spaces, View(programs=("#heimatruhr",), years=(2024,)), "spaces")
    assert pick.index.tolist() == [0]
    pick = apply_view(spaces, View(counties=("05978",)), "spaces")
    assert pick.index.tolist() == [3]
    pick = apply_view(spaces, View(municipalities=(BOCHUM,), project_types=("music",)), "spaces")
    assert pick.index.tolist() == [1]
    vacant = pd.DataFrame(
        {
            "ags": [BOCHUM, BOCHUM, DORTMUND],
            "building_type": ["industrial", "other", "industrial"],
            "rent_band": ["free", None, "market"],
        }
    )
    assert apply_view(vacant, View(rent_bands=("free",)), "vacant").index.tolist() == [0]
    both = View(building_types=("industrial",), programs=("ignored for vacant",))
    assert apply_view(vacant, both, "vacant").index.tolist() == [0, 2]


def test_municipality_names_come_from_the_callers_data_not_a_global() -> None:
    from heimatruhr_geo.viewstate import municipality_names

    names = {"gotham": "05911000"}
    view, warnings = View.from_query_params({"municipalities": "Gotham,Bochum"}, names)
    assert view.municipalities == ("05911000",)
    assert len(warnings) == 1 and "Bochum" in warnings[0]  # not in the caller's names
    shipped = municipality_names(DEFAULT_DATA_DIR)
    assert View.from_query_params({"municipalities": "Bochum"}, shipped)[0].municipalities == (
        "05911000",
    )
