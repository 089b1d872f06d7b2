"""Step: the line of contact of the snapshot the zones were resolved on."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely

from territory._resolve import zones_of
from territory._snapshots import Snapshot, line_of_contact
from territory.cores import in_threads
from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.render.encode import ZONE_DECIMALS, encode_lines, runs
from territory.render.symbols import STYLE
from territory.words import word

__all__ = ["add_line", "add_line_frames", "line_label"]


def line_label(snap: Snapshot, lang: str = "en") -> str:
    """How the line is named on the page.

    Examples
    --------
    >>> from territory import snapshot
    >>> line_label(snapshot("2022-02-23"))
    'Line of contact on 2022-02-23'
    """
    when = snap.date.isoformat() if snap.date else snap.name
    return word("line_toggle_dated", lang, date=when)


def add_line(m: TerritoryMap, snap: Snapshot, lang: str = "en") -> RuntimeCall:
    """Step: the line of contact, derived from the snapshot's polygons.

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> from territory import snapshot
    >>> step = add_line(base_map(), snapshot("2022-02-23"))
    >>> len(step.payload["paths"]) > 0
    True
    """
    line = line_of_contact(snap).geometry.iloc[0]
    payload = {
        "label": line_label(snap, lang),
        "decimals": ZONE_DECIMALS,
        "paths": encode_lines(line, ZONE_DECIMALS),
        "style": STYLE["line"],
    }
    step = RuntimeCall("line", payload)
    m.add_child(step)
    return step


def add_line_frames(
    m: TerritoryMap,
    snaps: Sequence[Snapshot],
    lang: str = "en",
    zones: Sequence[gpd.GeoDataFrame] | None = None,
    keys: Sequence[list[bytes]] | None = None,
) -> RuntimeCall:
    """Step: the line of contact of each date of a history, as arcs of the shape table.

    A date's line is where its Ukrainian-held ground meets held or contested ground: the
    arcs its Ukrainian-held zones share with the others. Consecutive dates share most of
    those arcs, so each date costs only what moved. ``zones``: each date's own zones
    (:func:`territory.zones_of`), when they are at hand; ``keys``: their shapes' keys
    (:func:`~territory.render.encode.shape_keys`), when made, as the zones step made them.

    Examples
    --------
    >>> from territory.render.base import base_map
    >>> from territory import snapshot
    >>> step = add_line_frames(base_map(), [snapshot("2022-02-23"), snapshot("2025-08-08")])
    >>> [len(frame) > 0 for frame in step.payload["frames"]]
    [True, True]
    """

    sides = []
    for i, snap in enumerate(snaps):
        own = zones[i] if zones is not None else zones_of(snap)
        known = keys[i] if keys is not None else [None] * len(own)
        mine = (own["control_now"] == "ukraine").tolist()
        shapes = list(zip(own.geometry.values, known, mine, strict=True))
        sides.append(
            (
                [m.shapes.add(geometry, key) for geometry, key, ours in shapes if ours],
                [m.shapes.add(geometry, key) for geometry, key, ours in shapes if not ours],
            )
        )

    def payload() -> dict[str, object]:
        arcs, _ = m.shapes.topology()
        scale = 10.0**m.shapes.decimals
        shared = [
            sorted(m.shapes.arcs_of_shapes(mine) & m.shapes.arcs_of_shapes(theirs))
            for mine, theirs in sides
        ]

        # Each arc any date shares, as a line in lon/lat: made once, for all the dates.
        used = sorted(set().union(*shared))
        paths = [arcs[a][:, ::-1] / scale for a in used]
        lines = np.empty(len(arcs), dtype=object)
        if paths:
            lengths = [len(path) for path in paths]
            lines[used] = shapely.linestrings(
                np.concatenate(paths), indices=np.repeat(np.arange(len(paths)), lengths)
            )

        def kept(i: int) -> list[int]:
            return _on_the_line(snaps[i], shared[i], lines[shared[i]])

        # The dates' tests on all the cores; sorted arcs are mostly runs.
        frames = [runs(k) for k in in_threads(kept, range(len(snaps)))]
        return {
            "labels": [line_label(snap, lang) for snap in snaps],
            "frames": frames,
            "style": STYLE["line"],
        }

    step = RuntimeCall("line", payload)
    m.add_child(step)
    return step


def _on_the_line(snap: Snapshot, indices: list[int], lines: np.ndarray) -> list[int]:
    """The arcs (``indices``, drawn as ``lines``) that follow the snapshot's line of contact
    (:func:`line_of_contact`): most of their length within about 30 m of it. Edges along
    the coast and the state border, where a source's outline and ours part by a few metres,
    are left out, as the line leaves them out."""
    if not indices:
        return []
    near = shapely.buffer(snap.contact, 3e-4)
    shapely.prepare(near)
    # Most arcs lie wholly near the line, or wholly away from it: only the rest are cut.
    keep = shapely.covers(near, lines)
    across = ~keep & shapely.intersects(near, lines)
    inside = shapely.length(shapely.intersection(lines[across], near))
    keep[across] = inside >= 0.5 * shapely.length(lines[across])
    return [i for i, kept in zip(indices, keep.tolist(), strict=True) if kept]
