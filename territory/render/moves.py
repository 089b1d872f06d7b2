"""Step of a history page: what changed hands since the date before, on each date.

For each date of the slider after the first: the ground Russia took since the previous date
shown and the ground Ukraine took back (outlined in the page's change style), their km², and
the towns that changed sides (named on the map); for every date, the km² Russia held, for a
small chart of the whole history in the panel with the date shown marked.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import shapely

from territory._places import anchors, local_name, places
from territory._snapshots import Snapshot
from territory.cores import in_threads
from territory.geodesy import area_km2, areas_km2
from territory.geometry import Repeats, polygonal
from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.render.symbols import STYLE
from territory.towns import SIDES, sides

__all__ = ["Moved", "add_frame_moves", "frame_moves", "moved_between", "total_held_km2"]

#: Ground moved between two dates smaller than this (km²) is float noise of the outlines.
_NOISE_KM2 = 0.01
#: The towns' sides on the last two snapshots (each date is the later one, then the earlier).
_SIDES = Repeats(most=2)


@dataclasses.dataclass(frozen=True)
class Moved:
    """What moved on one date since the date before."""

    #: Russian-held now and not before, and the other way, with their km².
    taken: shapely.Geometry
    retaken: shapely.Geometry
    taken_km2: float
    retaken_km2: float
    #: The towns that changed sides, largest first: name, pre-war population, change
    #: (``to_russia``, ``to_contested`` or ``to_ukraine``), and each one's [lat, lon].
    towns: list[tuple[str, int, str]]
    points: list[list[float]]


def frame_moves(snaps: Sequence[Snapshot], known: Mapping[int, Moved] | None = None) -> list[Moved]:
    """For each snapshot, what moved since the one before (the first: nothing). ``known``:
    those found already (by the workers that made the snapshots), by index.

    Examples
    --------
    >>> from territory import snapshot
    >>> first, moved = frame_moves([snapshot("2022-02-23"), snapshot("2025-08-08")])
    >>> first.taken_km2, round(moved.taken_km2 / 1000)
    (0.0, 70)
    >>> any(name == "Mariupol" for name, _, _ in moved.towns)
    True
    """
    known = known or {}
    missing = [i for i in range(len(snaps)) if i not in known]
    # The overlays of the dates still to do, on all the cores.
    found = in_threads(lambda i: moved_between(snaps[i - 1 if i else i], snaps[i]), missing)
    done = {**known, **dict(zip(missing, found, strict=True))}
    return [done[i] for i in range(len(snaps))]


def moved_between(before: Snapshot, now: Snapshot) -> Moved:
    """What moved from one snapshot to the next: the ground each side took, and the towns
    that changed sides (nothing, from a snapshot to itself)."""
    every, points = _towns()

    # A worker going through its dates finds each date's sides twice: as now, then before.
    def on_sides(russia: shapely.Geometry, contested: shapely.Geometry) -> np.ndarray:
        return sides(russia, contested, points)

    side_before = _SIDES.of(id(before), on_sides, before.russia, before.contested)
    side_now = _SIDES.of(id(now), on_sides, now.russia, now.contested)
    taken, retaken = _moved(now.russia, before.russia), _moved(before.russia, now.russia)
    changed = np.flatnonzero(side_now != side_before)
    population = every["population"].to_numpy()
    order = sorted(changed.tolist(), key=lambda j: -int(population[j] or 0))
    return Moved(
        taken=taken,
        retaken=retaken,
        taken_km2=round(area_km2(taken), 1) if not taken.is_empty else 0.0,
        retaken_km2=round(area_km2(retaken), 1) if not retaken.is_empty else 0.0,
        towns=[
            (str(every["name"].iat[j]), int(population[j] or 0), f"to_{SIDES[side_now[j]]}")
            for j in order
        ],
        points=[[float(points[j].y), float(points[j].x)] for j in order],
    )


@functools.cache
def _towns() -> tuple[Any, np.ndarray]:
    """Every town, and the points its side is judged at (its anchor)."""
    every = places(kinds="town")
    return every, anchors(every).to_numpy()


def _moved(now: shapely.Geometry, before: shapely.Geometry) -> shapely.Geometry:
    """Ground in ``now`` and not in ``before``, without slivers of float noise."""
    parts = shapely.get_parts(polygonal(shapely.difference(now, before)))
    if not len(parts):
        return shapely.Polygon()
    kept = parts[np.asarray(areas_km2(parts)) >= _NOISE_KM2]
    return shapely.multipolygons(kept) if len(kept) else shapely.Polygon()


def add_frame_moves(
    m: TerritoryMap,
    snaps: Sequence[Snapshot],
    lang: str = "en",
    known: Mapping[int, Moved] | None = None,
    held: Sequence[float] | None = None,
) -> RuntimeCall:
    """Step: on each date of the slider, the ground and towns that changed hands since the
    date before, and the km² Russia held over the whole history.

    Must follow the time slider (:func:`territory.render.controls.add_timeline`).
    ``known``: what moved on some dates (by index), found already; ``held``: each date's
    km² of Russian-held ground (:func:`total_held_km2`), when found already.

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> from territory import snapshot
    >>> step = add_frame_moves(base_map(), [snapshot("2022-02-23"), snapshot("2025-08-08")])
    >>> [f["taken"] is not None for f in step.payload["frames"]]
    [False, True]
    """
    names = _names_in(lang)
    frames = [
        {
            "taken": _shape(m, move.taken),
            "retaken": _shape(m, move.retaken),
            "taken_km2": move.taken_km2,
            "retaken_km2": move.retaken_km2,
            "towns": [[names.get(t[0], t[0]), *t[1:]] for t in move.towns],
            "points": move.points,
        }
        for move in frame_moves(snaps, known)
    ]
    payload = {
        "frames": frames,
        "held_km2": list(held) if held is not None else [total_held_km2(snap) for snap in snaps],
        "style": STYLE["change"],
    }
    step = RuntimeCall("handovers", payload)
    m.add_child(step)
    return step


def total_held_km2(snap: Snapshot) -> float:
    """The km² of Russian-held ground on a date, as the slider shows it (to 0.1 km²)."""
    return round(area_km2(snap.russia), 1)


def _names_in(lang: str) -> dict[str, str]:
    """Each town's English name to its name in ``lang``."""
    every = places(kinds=("town",))
    names = zip(every["name"], every["name_uk"], strict=True)
    return {str(name): local_name(name, uk, lang) for name, uk in names}


def _shape(m: TerritoryMap, geometry: shapely.Geometry) -> int | None:
    return None if geometry.is_empty else m.shapes.add(geometry)
