"""The names every map writes, on pages and print figures alike: Ukraine's units, its
neighbours and the seas, where each goes and how much it matters beside the others."""

from __future__ import annotations

from typing import Any

import shapely

from territory._regions import units as unit_table

__all__ = ["LABEL_PRIORITY", "NEIGHBOUR_LABELS", "SEA_LABELS", "map_labels", "region_label"]

# Where a unit's interior point would put its name on top of a town's (lat, lon).
_LABEL_AT = {
    "UA-14": (47.72, 37.9),
    "UA-43": (45.3, 34.1),
    "UA-23": (47.25, 35.6),
    "UA-65": (46.35, 34.1),
}


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


def map_labels(codes: list[str], lang: str = "en") -> list[list[Any]]:
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
