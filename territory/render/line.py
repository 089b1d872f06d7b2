"""Step: the line of contact of the snapshot the zones were resolved on."""

from __future__ import annotations

from territory._snapshots import Snapshot, line_of_contact
from territory.render.base import TerritoryMap
from territory.render.element import RuntimeCall
from territory.render.encode import ZONE_DECIMALS, encode_lines
from territory.render.symbols import STYLE

__all__ = ["add_line", "line_label"]


def line_label(snap: Snapshot) -> str:
    """How the line is named on the page.

    Examples
    --------
    >>> from territory import snapshot
    >>> line_label(snapshot("2022-02-23"))
    'Line of contact on 2022-02-23'
    """
    when = snap.date.isoformat() if snap.date else snap.name
    return f"Line of contact on {when}"


def add_line(m: TerritoryMap, snap: Snapshot) -> RuntimeCall:
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
        "label": line_label(snap),
        "decimals": ZONE_DECIMALS,
        "paths": encode_lines(line, ZONE_DECIMALS),
        "style": STYLE["line"],
    }
    step = RuntimeCall("line", payload)
    m.add_child(step)
    return step
