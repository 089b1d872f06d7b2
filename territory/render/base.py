"""The base map: a folium Map without CDN assets, our own land outlines on a sea colour.

No tiles are drawn unless asked for by an ``xyzservices`` provider name; only then does
the page reach the network.
"""

from __future__ import annotations

from typing import Any

import folium
import shapely

from territory._regions import units as unit_table
from territory.lookup import Lookup
from territory.render.assets import offline_assets
from territory.render.element import RuntimeCall
from territory.render.encode import GeometryTable
from territory.render.prepared import land_shapes
from territory.render.safe import html_text
from territory.render.symbols import STYLE
from territory.words import word, words

__all__ = ["ATTRIBUTION", "TerritoryMap", "add_land", "base_map", "region_label", "tile_layer"]

#: Credits every map carries (the land outlines and the places' data).
ATTRIBUTION = (word("made_with"), word("geonames"))
_CENTRE = (48.4, 31.2)
# Where a unit's interior point would put its name on top of a town's (lat, lon).
_LABEL_AT = {
    "UA-14": (47.72, 37.9),
    "UA-43": (45.3, 34.1),
    "UA-23": (47.25, 35.6),
    "UA-65": (46.35, 34.1),
}


class TerritoryMap(folium.Map):
    """A folium Map that loads nothing from a CDN and carries its shape table.

    Leaflet and the page runtime are inlined into the page header
    (:func:`territory.render.assets.offline_assets`). ``shapes`` is the page's table of
    distinct polygons that the render steps refer to by index: a new one, or one a
    :class:`~territory.render.prepared.Prepared` page's data holds already.
    """

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []

    def __init__(
        self, *, tiles: str | None = None, title: str = "", shapes: GeometryTable | None = None
    ) -> None:
        super().__init__(
            location=list(_CENTRE),
            zoom_start=6,
            tiles=tile_layer(tiles) if tiles else None,
            zoom_control="topright",
            zoom_snap=0.25,
        )
        self.shapes = shapes if shapes is not None else GeometryTable()
        root: Any = self.get_root()  # a branca Figure: has .title and .header
        root.title = html_text(title) if title else None  # branca writes the title as is
        root.header.add_child(offline_assets(), name="offline_assets")
        self.add_child(RuntimeCall("shapes", self.shapes.payload))


def tile_layer(name: str) -> folium.TileLayer:
    """A web tile layer for an ``xyzservices`` provider name, however it is spelled.

    Raises
    ------
    UnknownNameError
        When no provider has that name; the message names the closest ones.

    Examples
    --------
    >>> tile_layer("openstreetmap mapnik").tiles.startswith("https://")
    True
    """
    import xyzservices.providers as providers

    names = providers.flatten()
    # A family's name alone ("OpenStreetMap") means its first provider, as folium reads it.
    families = {n.split(".")[0]: n for n in reversed(names)}
    tiers = [[(n, n) for n in names], list(families.items())]
    found = Lookup("tile provider", tiers).find(name)
    return folium.TileLayer(tiles=names[found], control=False)


def base_map(*, tiles: str | None = None, title: str = "") -> TerritoryMap:
    """An empty offline map (no layers yet).

    Examples
    --------
    >>> m = base_map(title="<b>x</b>")
    >>> m.get_root().title
    '&lt;b&gt;x&lt;/b&gt;'
    """
    return TerritoryMap(tiles=tiles, title=title)


#: Neighbours and seas named on the map: (English, Ukrainian, latitude, longitude), placed by
#: hand in open ground or water near Ukraine.
NEIGHBOUR_LABELS = (
    ("Russia", "Росія", 51.55, 39.4),
    ("Belarus", "Білорусь", 52.2, 27.8),
    ("Poland", "Польща", 51.3, 22.0),
    ("Slovakia", "Словаччина", 48.75, 21.2),
    ("Hungary", "Угорщина", 47.75, 21.4),
    ("Romania", "Румунія", 46.7, 25.3),
    ("Moldova", "Молдова", 47.25, 28.45),
)
SEA_LABELS = (
    ("Black Sea", "Чорне море", 44.75, 29.9),
    ("Sea of Azov", "Азовське море", 46.2, 36.75),
)
#: How much each kind of label matters when two would overlap (the page keeps the higher):
#: seas and countries after Kyiv and the towns a scenario moves (they orient the reader, and
#: a town's name can move round its dot while theirs cannot), regions after the capitals.
LABEL_PRIORITY = {"region": 60.0, "country": 84.0, "sea": 85.0}


def region_label(code: str, lang: str = "en") -> str:
    """A unit's name as a map writes it over its ground, on pages and figures alike.

    Examples
    --------
    >>> region_label("UA-14"), region_label("UA-14", "uk"), region_label("UA-43", "uk")
    ('Donetsk', 'Донецька', 'Крим')
    """
    units = unit_table().set_index("iso")
    if lang != "uk":
        return str(units.at[code, "name"])
    # "Донецька область" reads "Донецька" on a map; the autonomous republic, "Крим".
    return "Крим" if code == "UA-43" else str(units.at[code, "name_uk"]).replace(" область", "")


def _labels(codes: list[str], lang: str = "en") -> list[list[Any]]:
    """[text, lat, lon, kind, priority] for the labelled regions, the neighbours and the seas."""
    units = unit_table().set_index("iso")
    labels = []
    for code in codes:
        point = shapely.point_on_surface(units.at[code, "geometry"])
        lat, lon = _LABEL_AT.get(code, (point.y, point.x))
        text = region_label(code, lang)
        labels.append([text, round(lat, 3), round(lon, 3), "region", LABEL_PRIORITY["region"]])
    for kind, table in (("country", NEIGHBOUR_LABELS), ("sea", SEA_LABELS)):
        for english, ukrainian, lat, lon in table:
            text = ukrainian if lang == "uk" else english
            labels.append([text, lat, lon, kind, LABEL_PRIORITY[kind]])
    return labels


def add_land(
    m: TerritoryMap,
    *,
    labelled: list[str] | tuple[str, ...] = (),
    credit: str = "",
    lang: str = "en",
    shapes: list[int] | None = None,
) -> RuntimeCall:
    """Step: Ukraine's units and its neighbours as land, region labels, credits, the view.

    Parameters
    ----------
    m : TerritoryMap
    labelled : list of str
        ISO codes of the units to label by name.
    credit : str
        The front line's source, when it must be credited (fetched data).
    lang : str
        ``"en"`` or ``"uk"``: the language of the names written on the map.
    shapes : list of int, optional
        The land's indices in the map's shape table, when it holds them already
        (:func:`~territory.render.prepared.land_shapes`).

    Examples
    --------
    >>> m = base_map()
    >>> step = add_land(m, labelled=["UA-14"])
    >>> len(step.payload["shapes"]), step.payload["labels"][0][0]
    (34, 'Donetsk')
    """
    units = unit_table()
    credits = [word("made_with", lang), word("geonames", lang)]  # ATTRIBUTION, in lang
    ids = shapes if shapes is not None else land_shapes(m.shapes)
    minx, miny, maxx, maxy = shapely.total_bounds(units.geometry.values)
    payload = {
        "shapes": ids,
        "labels": _labels(list(labelled), lang),
        "bounds": [[round(miny, 3), round(minx, 3)], [round(maxy, 3), round(maxx, 3)]],
        "attribution": [word("line_attribution", lang, source=credit), *credits]
        if credit
        else credits,
        "words": words(lang),
        "style": {"land": STYLE["land"], "border": STYLE["border"], "sea": STYLE["sea"]},
    }
    step = RuntimeCall("land", payload)
    m.add_child(step)
    return step
