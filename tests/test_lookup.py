"""One forgiving lookup behind every registry: regions, scenarios, places, snapshots, tiles."""

from __future__ import annotations

import pytest

import territory
from territory._regions import ALIASES
from territory.lookup import key, romanised

# The official Ukrainian names of the 27 units, as the Constitution (art. 133) lists them:
# oblasts by their adjective, with and without "область".
OFFICIAL = {
    "UA-05": "Вінницька",
    "UA-07": "Волинська",
    "UA-09": "Луганська",
    "UA-12": "Дніпропетровська",
    "UA-14": "Донецька",
    "UA-18": "Житомирська",
    "UA-21": "Закарпатська",
    "UA-23": "Запорізька",
    "UA-26": "Івано-Франківська",
    "UA-32": "Київська",
    "UA-35": "Кіровоградська",
    "UA-46": "Львівська",
    "UA-48": "Миколаївська",
    "UA-51": "Одеська",
    "UA-53": "Полтавська",
    "UA-56": "Рівненська",
    "UA-59": "Сумська",
    "UA-61": "Тернопільська",
    "UA-63": "Харківська",
    "UA-65": "Херсонська",
    "UA-68": "Хмельницька",
    "UA-71": "Черкаська",
    "UA-74": "Чернігівська",
    "UA-77": "Чернівецька",
}
CITIES_AND_CRIMEA = {
    "UA-30": ["м. Київ", "місто Київ", "Київ"],
    "UA-40": ["м. Севастополь", "місто Севастополь", "Севастополь"],
    "UA-43": ["Автономна Республіка Крим", "АР Крим", "Крим"],
}


@pytest.mark.parametrize("iso", sorted(OFFICIAL))
def test_every_oblast_by_its_official_adjective(iso: str) -> None:
    adjective = OFFICIAL[iso]
    for spelling in (
        adjective,
        f"{adjective} область",
        f"{adjective.upper()} обл.",
        adjective.lower(),
    ):
        assert territory.region_code(spelling) == iso, spelling


def test_the_cities_and_crimea_by_their_official_names() -> None:
    for iso, names in CITIES_AND_CRIMEA.items():
        for name in names:
            assert territory.region_code(name) == iso, name


def test_every_alias_in_the_table_is_found() -> None:
    for iso, aliases in ALIASES.items():
        for alias in aliases:
            assert territory.region_code(alias) == iso, alias


def test_case_spaces_punctuation_accents_and_script_do_not_matter() -> None:
    for spelling in ("DONETSK", "don-etsk", "  Donetsk  Oblast ", "Donétsk", "Донецьк", "donets'k"):
        assert territory.region_code(spelling) == "UA-14", spelling


def test_romanisation_is_the_official_one() -> None:
    assert romanised("Харків") == "Kharkiv"
    assert romanised("Ізюм") == "Izium"
    assert romanised("Єнакієве") == "Yenakiieve"
    assert romanised("Щастя") == "Shchastia"
    assert key("Zaporizhzhia") == key("Запоріжжя")
    assert key("Куп’янськ") == key("Kupiansk")  # after an apostrophe я is ia, not ya


def test_a_miss_names_the_closest_entries() -> None:
    with pytest.raises(territory.UnknownNameError, match=r"did you mean 'Donetsk \(UA-14\)'"):
        territory.region_code("Donetzk")
    with pytest.raises(territory.UnknownNameError, match="did you mean 'putin-demands'"):
        territory.scenario("putin")
    with pytest.raises(territory.UnknownNameError, match=r"did you mean 'Kherson \(UA-65\)'"):
        territory.place("Khersn")


def test_every_registry_forgives_the_same_way() -> None:
    assert territory.scenario("US–Russia Draft").id == "us-russia-draft"
    assert territory.scenario("Freeze on the current line").id == "freeze"  # by its title
    assert territory.place("Краматорськ")["name"].item() == "Kramatorsk"
    assert territory.place("SLOVIANSK")["name"].item() == "Sloviansk"
    assert territory.snapshot("Latest").name == territory.snapshots()["name"].iloc[-1]


def test_a_date_between_snapshots_is_never_guessed() -> None:
    with pytest.raises(territory.UnknownNameError, match="'2025-08-09'.*'2025-08-08'"):
        territory.snapshot("2025-08-09")


def test_tiles_by_any_spelling_and_no_far_fetched_suggestion() -> None:
    from territory.render.base import tile_layer

    assert tile_layer("openstreetmap mapnik").tiles == tile_layer("OpenStreetMap.Mapnik").tiles
    assert tile_layer("OpenStreetMap").tiles == tile_layer("OpenStreetMap.Mapnik").tiles
    with pytest.raises(territory.UnknownNameError) as error:
        tile_layer("NotAProvider")
    assert str(error.value) == "unknown tile provider 'NotAProvider'"


def test_unknown_left_and_right_are_one_line_and_no_file(run, tmp_path) -> None:
    out = tmp_path / "map.html"
    result = run("render", "--left", "bogus", "--right", "nonsense", "-o", str(out))
    assert result.exit_code == 1
    assert result.stderr == "territory: error: unknown scenario on this map 'bogus'\n"
    assert not out.exists()
    result = run("render", "--left", "Freeze", "--right", "US Russia draft", "-o", str(out))
    assert result.exit_code == 0, result.stderr
