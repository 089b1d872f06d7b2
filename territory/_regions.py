"""Ukraine's first-level units and the outlines of its neighbours, shipped offline.

The geometry comes from Natural Earth 10m admin-1 (see ``geodata/SOURCES.md``); Crimea
(UA-43) and Sevastopol (UA-40) are filed under Ukraine by their ISO 3166-2 codes.
"""

from __future__ import annotations

import functools
import re

import geopandas as gpd
import shapely

from territory.datafiles import read_shipped
from territory.geodesy import areas_km2
from territory.lookup import Lookup

__all__ = [
    "ALIASES",
    "ARTICLE_REGIONS",
    "neighbours",
    "region",
    "region_code",
    "region_name",
    "regions",
    "ukraine",
    "unit_shapes",
]

#: The units the August 2025 report is about: Crimea with Sevastopol and the four regions
#: Russia declared annexed in September 2022.
ARTICLE_REGIONS = ("UA-43", "UA-40", "UA-14", "UA-09", "UA-23", "UA-65")

#: Other spellings a user may type for each unit, besides its ISO code, its English name
#: and its Ukrainian name. Lookups ignore case, accents, apostrophes and hyphens.
ALIASES: dict[str, tuple[str, ...]] = {
    "UA-05": ("Vinnytsya", "Vinnitsa", "Vinnytska", "Винницкая", "Вінниччина"),
    "UA-07": ("Volhynia", "Volynska", "Wolyn", "Волынская", "Волинь"),
    "UA-09": ("Lugansk", "Luhans'k", "Luhanska", "Voroshilovgrad", "Луганськ", "Луганская"),
    "UA-12": (
        "Dnipropetrovs'k",
        "Dnepropetrovsk",
        "Dnipropetrovska",
        "Dnipro",
        "Дніпропетровщина",
        "Днепропетровская",
    ),
    "UA-14": ("Donets'k", "Donetska", "Donezk", "Донецьк", "Донецкая", "Донеччина"),
    "UA-18": ("Zhitomir", "Zhytomyrska", "Житомирская"),
    "UA-21": ("Transcarpathia", "Zakarpattya", "Zakarpatska", "Закарпатская"),
    "UA-23": (
        "Zaporizhia",
        "Zaporozhye",
        "Zaporizhzhya",
        "Zaporozhia",
        "Zaporozh'ye",
        "Zaporizka",
        "Запоріжжя",
        "Запорожье",
        "Запорожская",
    ),
    "UA-26": ("Ivano-Frankovsk", "Ivano-Frankivska", "Ивано-Франковская"),
    "UA-30": ("Kyiv City", "Kiev", "Kiev City", "Kyyiv", "місто Київ", "Киев"),
    "UA-32": ("Kiev Oblast", "Kyiv Region", "Kiev Region", "Kyivska", "Київщина", "Киевская"),
    "UA-35": ("Kirovograd", "Kirovohradska", "Kropyvnytskyi", "Кировоградская"),
    "UA-40": ("Sebastopol", "Sevastopol City", "Севастополь"),
    "UA-43": (
        "Krym",
        "Krim",
        "Autonomous Republic of Crimea",
        "Republic of Crimea",
        "Крим",
        "Крым",
    ),
    "UA-46": ("L'viv", "Lvov", "Lemberg", "Lvivska", "Львовская"),
    "UA-48": ("Mykolayiv", "Nikolaev", "Nikolayev", "Mykolaivska", "Николаевская"),
    "UA-51": ("Odessa", "Odeska", "Одесская"),
    "UA-53": ("Poltavska", "Полтавская"),
    "UA-56": ("Rovno", "Rivnenska", "Ровенская"),
    "UA-59": ("Sumska", "Сумская"),
    "UA-61": ("Ternopol", "Ternopil'", "Ternopilska", "Тернопольская"),
    "UA-63": ("Kharkov", "Khar'kov", "Kharkivska", "Харків", "Харьков", "Харьковская"),
    "UA-65": ("Khersonska", "Херсон", "Херсонская"),
    "UA-68": ("Khmelnytskyy", "Khmelnitsky", "Khmelnytska", "Хмельницкая"),
    "UA-71": ("Cherkassy", "Cherkaska", "Черкасская"),
    "UA-74": ("Chernigov", "Chernihivska", "Черниговская"),
    "UA-77": ("Chernovtsy", "Czernowitz", "Chernivetska", "Черновицкая"),
}

# Words a region's name may carry or not, on the romanised form: "Donetsk Oblast",
# "Донецька область", "Kyiv region".
_SUFFIXES = re.compile(r"\s+(oblast|oblasti|region|province|obl|region of ukraine)$")
# The official Ukrainian names of the units that are not oblasts, short and long.
_OFFICIAL_EXTRA = {
    "UA-30": ("м. Київ", "місто Київ"),
    "UA-40": ("м. Севастополь", "місто Севастополь"),
    "UA-43": ("АР Крим", "Автономна Республіка Крим"),
}


@functools.cache
def _load_regions() -> gpd.GeoDataFrame:
    """The shipped units, sorted by code, without their areas (see :func:`regions`)."""
    frame = read_shipped("geodata", "ukraine_regions.geojson")
    frame = frame.set_crs(4326, allow_override=True)
    columns = ["iso", "name", "name_uk", "area_km2_source", "geometry"]
    return frame[columns].sort_values("iso").reset_index(drop=True)


def units() -> gpd.GeoDataFrame:
    """The 27 units as :func:`regions` gives them, less ``area_km2``, shared, not copied:
    for code that needs names and outlines only (never modify it)."""
    return _load_regions()


@functools.cache
def _with_areas() -> gpd.GeoDataFrame:
    frame = _load_regions().copy()
    frame.insert(3, "area_km2", areas_km2(frame.geometry))
    return frame


@functools.cache
def _lookup() -> Lookup[str]:
    """Every unit by its code, English and Ukrainian names (the official adjective form with
    or without "область"), and the other spellings of ``ALIASES``."""
    names: list[tuple[str, str]] = []
    for row in _load_regions().itertuples():
        spellings = (
            row.iso,
            row.iso.removeprefix("UA-"),
            row.name,
            row.name_uk,
            *_OFFICIAL_EXTRA.get(row.iso, ()),
            *ALIASES[row.iso],
        )
        names.extend((spelling, row.iso) for spelling in spellings)
    return Lookup("region", [names], label=_label, suffixes=_SUFFIXES)


def regions() -> gpd.GeoDataFrame:
    """Ukraine's 27 first-level units (24 oblasts, Crimea, Kyiv and Sevastopol).

    Returns
    -------
    GeoDataFrame
        In EPSG:4326, sorted by ISO code, with columns ``region`` (ISO 3166-2),
        ``region_name`` (English), ``name_uk`` (Ukrainian), ``area_km2`` (geodesic, of the
        shipped polygon), ``area_km2_source`` (geodesic, of Natural Earth's unsimplified
        polygon) and geometry: the same names as the zones' and the statistics' columns.

    Examples
    --------
    >>> units = regions()
    >>> len(units), units.crs.to_epsg()
    (27, 4326)
    >>> units.set_index("region").loc["UA-14", "region_name"]
    'Donetsk'
    """
    return _with_areas().rename(columns={"iso": "region", "name": "region_name"})


def region_code(name: str) -> str:
    """The ISO 3166-2 code of a unit, from its code or any common spelling.

    Raises
    ------
    UnknownNameError
        When nothing matches; the message names the closest matches.

    Examples
    --------
    >>> region_code("Zaporozhye"), region_code("ua-23"), region_code("Запоріжжя")
    ('UA-23', 'UA-23', 'UA-23')
    >>> region_code("Lugansk oblast")
    'UA-09'
    >>> region_code("Donetzk")
    Traceback (most recent call last):
    ...
    territory.errors.UnknownNameError: unknown region 'Donetzk'; did you mean 'Donetsk (UA-14)'?
    """
    exact = _exact_names().get(name)  # the usual case, without building the lookup
    return exact if exact is not None else _lookup().find(name)


@functools.cache
def _exact_names() -> dict[str, str]:
    """Codes and English names as written in the shipped table."""
    table = _load_regions()
    codes = table["iso"].tolist()
    return {code: code for code in codes} | dict(zip(table["name"], codes, strict=True))


def region_name(code_or_name: str) -> str:
    """The English name of a unit.

    Examples
    --------
    >>> region_name("UA-43")
    'Crimea'
    """
    iso = region_code(code_or_name)
    return str(_load_regions().set_index("iso").at[iso, "name"])


def _label(iso: str) -> str:
    return f"{region_name(iso)} ({iso})"


def region(name: str) -> gpd.GeoDataFrame:
    """One unit as a one-row GeoDataFrame, found by code or any common spelling.

    Examples
    --------
    >>> region("Kharkov")[["region", "region_name"]].values.tolist()
    [['UA-63', 'Kharkiv']]
    """
    code = region_code(name)
    frame = regions()
    return frame[frame["region"] == code].reset_index(drop=True)


@functools.cache
def unit_shapes() -> dict[str, shapely.Geometry]:
    """Each unit's outline by ISO code (the geometry of :func:`regions`, looked up fast).

    Examples
    --------
    >>> unit_shapes()["UA-14"].geom_type
    'Polygon'
    """
    table = _load_regions()
    return dict(zip(table["iso"], table.geometry.values, strict=True))


@functools.cache
def _ukraine() -> shapely.Geometry:
    # The units tile the country edge to edge (a coverage, as tests/test_regions.py checks):
    # merging shared edges is 12x faster than a general union, with the same result.
    return shapely.coverage_union_all(_load_regions().geometry.values)


def ukraine() -> shapely.Geometry:
    """Ukraine within its internationally recognised borders, as one (multi)polygon.

    Examples
    --------
    >>> from territory.geodesy import area_km2
    >>> round(area_km2(ukraine()), -3)
    599000.0
    """
    return _ukraine()


@functools.cache
def _load_neighbours() -> gpd.GeoDataFrame:
    frame = read_shipped("geodata", "neighbours.geojson")
    return frame.set_crs(4326, allow_override=True)[["iso", "name", "geometry"]]


def neighbours() -> gpd.GeoDataFrame:
    """Outlines of Ukraine's neighbours, cut to a window around Ukraine (for map context).

    Russia's outline leaves out Crimea and Sevastopol.

    Examples
    --------
    >>> sorted(neighbours()["name"])
    ['Belarus', 'Hungary', 'Moldova', 'Poland', 'Romania', 'Russia', 'Slovakia']
    """
    return _load_neighbours().copy()
