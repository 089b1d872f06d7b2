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
from territory.render.map_names import map_labels
from territory.render.prepared import land_shapes
from territory.render.safe import html_text
from territory.render.symbols import STYLE
from territory.words import word, words

__all__ = ["ATTRIBUTION", "TerritoryMap", "add_land", "base_map", "tile_layer"]

#: Credits every map carries (the land outlines and the places' data).
ATTRIBUTION = (word("made_with"), word("geonames"))
_CENTRE = (48.4, 31.2)


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
        "labels": map_labels(list(labelled), lang),
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
