"""The shares date after date: each date's km² from a neighbouring date's.

A source's maps change a little from one date to the next: the map is compared edge by edge
with the neighbouring date's, reconciliation is redone only around what changed, and each
unit is measured again only within a window around it. A map redrawn all over is reconciled
afresh. Histories of many dates are spread over the machine's cores in runs of consecutive
dates, two workers going through each run from its two ends (a date follows the next date's
map as exactly as the date before's)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from territory._regions import regions, ukraine
from territory._snapshots import Snapshot, _Drawn
from territory.cores import Meeting, cores, held, processes_holding
from territory.geometry import polygonal
from territory.history import History
from territory.measure import km2_by_region, unit_km2, unit_tree
from territory.progress import Progress, step, wait_reporting, worker_queue
from territory.reconcile import NEAR_DEG, Trace, find_artefacts

#: Dates: below this many, one process is quicker than starting workers.
PARALLEL_FROM = 8


@dataclasses.dataclass(frozen=True)
class Link:
    """One date of a chain: its ground as drawn, what reconciling it found, and the km² in
    each unit (rows: Russian-held, contested) of the ground as drawn and of the artefacts
    given to each side."""

    russia: Any
    grey: Any
    trace: Trace | None
    drawn_km2: np.ndarray
    given_km2: np.ndarray

    @property
    def km2(self) -> np.ndarray:
        """Reconciled km² in each unit: rows Russian-held, contested."""
        return self.drawn_km2 + self.given_km2


def chained(
    history: History,
    dates: list[dt.date],
    progress: Progress | None = None,
    read: Callable[[Link, str], Any] | None = None,
) -> list[Any]:
    """What ``read`` takes from each date's link of the chain (by default the Russian-held
    and contested km² in each unit, and how the date was found); on several cores when
    there are many dates, each worker taking a run of consecutive dates."""
    frames = [history.frames[day] for day in dates]
    workers = min(len(dates) // PARALLEL_FROM, cores())
    if workers < 2:
        return chain(frames, history.reconcile_outlines, progress, read)
    # Runs of consecutive dates, each worked through from both ends by two workers.
    meeting = Meeting(_even_runs(frames, workers), workers)
    with worker_queue(progress) as channel, processes_holding(workers, (frames, meeting)) as pool:
        told = channel.put if channel is not None else None
        reconcile_outlines = history.reconcile_outlines
        jobs = [
            pool.submit(_chain_held, run, front, reconcile_outlines, told, read)
            for run, front in meeting.jobs
        ]
        wait_reporting(jobs, channel, progress)
        done = dict(item for job in jobs for item in job.result())
        return [done[i] for i in range(len(frames))]


def _chain_held(run: int, front: bool, *args: Any) -> list[tuple[int, Any]]:
    """:func:`chain` over the frames this worker takes of a run it shares (see
    :class:`~territory.cores.Meeting`), each with its index."""
    frames, meeting = held()
    indices, taken = itertools.tee(meeting.taken(run, front))
    return list(zip(indices, chain((frames[i] for i in taken), *args), strict=True))


def _even_runs(frames: list[Any], workers: int) -> list[int]:
    """Where to cut the frames into ``workers`` runs of consecutive dates with as many maps
    to compute in each: a map that repeats the date before's costs next to nothing (in
    DeepState's archive, 43 of the first 384 dates and 71 of the last 385)."""
    cost = np.array(
        [i == 0 or not _same_map(frame, frames[i - 1]) for i, frame in enumerate(frames)],
        dtype=float,
    )
    done = np.cumsum(cost)
    shares = done[-1] * np.arange(1, workers) / workers
    cuts = np.searchsorted(done, shares, side="left") + 1
    return sorted({0, *cuts.tolist(), len(frames)})  # no empty run


def chain(
    frames: Iterable[Any],
    reconcile_outlines: bool,
    progress: Progress | None = None,
    read: Callable[[Link, str], Any] | None = None,
) -> list[Any]:
    """For each frame, in order, what ``read`` takes from its link and how it was found:
    ``afresh``, ``followed`` (from the date before) or ``same`` (as it). By default
    (Russian-held km², contested km², how), each km² by unit."""

    read = read or _km2_and_how
    out = []
    link: Link | None = None
    before: Any = None
    for frame in frames:
        if link is not None and (frame is before or _same_map(frame, before)):
            out.append(read(link, "same"))  # a source repeating a day's map: nothing to do
        else:
            link, how = next_link(link, _Drawn(frame), reconcile_outlines)
            out.append(read(link, how))
        before = frame
        step(progress)
    return out


def _same_map(frame: Any, before: Any) -> bool:
    """Whether a date's map is the date before's, polygon for polygon, as drawn."""
    import shapely

    if before is None or len(frame) != len(before):
        return False
    columns = [c for c in ("control", "held_since") if c in frame]
    if columns != [c for c in ("control", "held_since") if c in before]:
        return False
    if any(not frame[c].equals(before[c]) for c in columns):
        return False
    return bool(shapely.equals_identical(frame.geometry.values, before.geometry.values).all())


def snapshots(history: History, dates: Iterable[dt.date]) -> Iterator[Snapshot]:
    """Each date's snapshot, in the order given (either way through time): the one
    :meth:`History.snapshot` builds for it alone, its reconciliation found from the date
    given before it as the shares' is (see :func:`next_link`)."""
    drawn: _Drawn | None = None
    trace: Trace | None = None
    before: Any = None
    for day in dates:
        frame = history.frames[history.chosen(day)[0]]
        if drawn is None or not (frame is before or _same_map(frame, before)):
            old = drawn
            drawn = _Drawn(frame)
            _, trace, _, _ = _follow(drawn, old, trace, history.reconcile_outlines)
        yield history.snapshot_from(day, drawn, trace)
        before = frame


def _km2_and_how(link: Link, how: str) -> tuple[np.ndarray, np.ndarray, str]:
    russia, contested = link.km2
    return russia, contested, how


def _follow(
    drawn: Any, before: Any, trace: Trace | None, reconcile_outlines: bool
) -> tuple[str, Trace | None, np.ndarray, np.ndarray]:
    """How a map follows the map ``before`` (held ground as drawn, with its ``trace``):
    ``afresh`` (nothing to follow, or redrawn all over), ``same`` or ``followed``; the
    trace reconciling it finds; the polygons where the two differ and boxes around the
    edges that differ."""
    none = np.empty(0, dtype=object)
    if before is None or (reconcile_outlines and trace is None):
        fresh = find_artefacts(drawn.russia, drawn.grey, ukraine()) if reconcile_outlines else None
        return "afresh", fresh, none, none
    try:
        (russia_moved, russia_edges), (grey_moved, grey_edges) = (
            _changed(drawn.russia, before.russia),
            _changed(drawn.grey, before.grey),
        )
    except _Redrawn:  # a map redrawn all over: quicker reconciled afresh
        return _follow(drawn, None, None, reconcile_outlines)
    changed = np.concatenate([russia_moved, grey_moved])
    if not len(changed):
        return "same", trace, changed, none
    if reconcile_outlines and trace is not None:
        trace = find_artefacts(drawn.russia, drawn.grey, ukraine(), before=(trace, changed))
        if trace is None:  # nothing held any more
            return "afresh", None, none, none
    return "followed", trace, changed, np.concatenate([russia_edges, grey_edges])


def next_link(link: Link | None, drawn: Any, reconcile_outlines: bool) -> tuple[Link, str]:
    """The next date of a chain, from the date before where it can be (see
    :func:`territory.reconcile.find_artefacts`): a unit is measured again only where a change
    reaches it, and the artefacts only when they changed."""
    import shapely

    how, trace, changed, edges = _follow(
        drawn, link, None if link is None else link.trace, reconcile_outlines
    )
    if how == "afresh" or link is None:
        measured = _drawn_km2(drawn, None), _given_km2(trace, None)
        return Link(drawn.russia, drawn.grey, trace, *measured), "afresh"
    if how == "same":
        return dataclasses.replace(link, russia=drawn.russia, grey=drawn.grey), "same"
    units = unit_tree()
    drawn_km2 = link.drawn_km2.copy()
    reached = np.unique(units.query(edges, "intersects")[1])
    drawn_km2[:, reached] = _drawn_km2(drawn, reached)
    given_km2 = link.given_km2
    if trace is not None and link.trace is not None and trace.grey != link.trace.grey:
        # The artefacts, or their sides, changed: measured again where they may have.
        zones = shapely.buffer(changed, NEAR_DEG) if trace.touched is None else trace.touched
        reached = np.unique(units.query(zones, predicate="intersects")[1])
        given_km2 = given_km2.copy()
        given_km2[:, reached] = _given_km2(trace, reached)
    return Link(drawn.russia, drawn.grey, trace, drawn_km2, given_km2), "followed"


def held_km2(frame: Any, reconcile_outlines: bool = True) -> tuple[Any, Any, dict[str, float]]:
    """Russian-held and contested km² in each of Ukraine's units (in the order of
    :func:`~territory.regions`) of one map, reconciled with our outlines, and the km² of
    reconciled ground by unit: what loading the map gives, without its tags of 2014 and
    2022 or its pieces by region (the totals agree with :meth:`Snapshot.shares` to float
    noise; for a map of many thousands of polygons, a fraction of the time)."""

    link, _ = next_link(None, _Drawn(frame), reconcile_outlines)
    russia, contested = link.km2
    if link.trace is None or link.trace.reassigned.is_empty:
        return russia, contested, {}
    return russia, contested, km2_by_region(link.trace.reassigned)


def _drawn_km2(drawn: Any, among: np.ndarray | None) -> np.ndarray:
    """km² of the ground as drawn in each unit (or in the units ``among``): rows
    Russian-held, contested."""
    return np.array([unit_km2(drawn.russia, among), unit_km2(drawn.grey, among)])


def _given_km2(trace: Trace | None, among: np.ndarray | None) -> np.ndarray:
    """km² of the artefacts given to each side in each unit (or in the units ``among``).

    Measured apart from the ground as drawn: the two meet only along shared edges, which
    cancel out of a geodesic area, so the country's held ground is never merged again."""
    if trace is None:
        return np.zeros((2, len(regions()) if among is None else len(among)))
    return np.array([unit_km2(trace.to_russia, among), unit_km2(trace.to_grey, among)])


#: The share of a map's edges that may differ from the date before's for the date to be
#: taken from it; past that the map was redrawn (every vertex moved), not edited.
_REDRAWN = 0.2


class _Redrawn(Exception):
    """A map differs from the date before's almost everywhere."""


def _changed(new: Any, old: Any) -> tuple[np.ndarray, np.ndarray]:
    """The polygons where ``new`` and ``old`` differ, and boxes around the edges that
    differ: found by comparing their edges, then overlaid only around those (the rest of a
    map is the date before's)."""
    import shapely

    none = np.empty(0, dtype=object)
    if new.is_empty and old.is_empty:
        return none, none
    new_edges, old_edges = _edges(new), _edges(old)
    ends = _differing(new_edges, old_edges)
    if not len(ends):
        return none, none
    if len(ends) > _REDRAWN * (len(new_edges) + len(old_edges)):
        raise _Redrawn
    pad = 0.002  # degrees: the overlay's window keeps clear of every differing edge
    xmin, ymin = np.minimum(ends[:, 0], ends[:, 2]) - pad, np.minimum(ends[:, 1], ends[:, 3]) - pad
    xmax, ymax = np.maximum(ends[:, 0], ends[:, 2]) + pad, np.maximum(ends[:, 1], ends[:, 3]) + pad
    boxes = shapely.box(xmin, ymin, xmax, ymax)
    region = _cover(xmin, ymin, xmax, ymax) if len(ends) <= _COVERED else shapely.union_all(boxes)
    parts = shapely.get_parts(
        polygonal(
            shapely.symmetric_difference(
                shapely.intersection(new, region), shapely.intersection(old, region)
            )
        )
    )
    return parts[~shapely.is_empty(parts)], boxes


#: The most boxes :func:`_cover` merges (its time grows with their square); more, as on a
#: date that redrew a large map's every edge but one in five, are left to GEOS's union.
_COVERED = 256


def _cover(xmin: np.ndarray, ymin: np.ndarray, xmax: np.ndarray, ymax: np.ndarray) -> Any:
    """Boxes that cover the boxes given: those that overlap or touch merged into the box
    around them, until none do (a dozen where a day's edits give some fifty boxes, which
    GEOS would take 2 ms to union). The overlay window of :func:`_changed` is then larger
    than the boxes' union, never smaller.

    Examples
    --------
    >>> import shapely
    >>> cover = _cover(np.array([0.0, 1, 5]), np.array([0.0, 0, 0]),
    ...                np.array([2.0, 3, 6]), np.array([1.0, 1, 1]))
    >>> sorted(shapely.bounds(shapely.get_parts(cover)).tolist())
    [[0.0, 0.0, 3.0, 1.0], [5.0, 0.0, 6.0, 1.0]]
    """
    import shapely

    merged: list[tuple[float, float, float, float]] = []
    for i in np.argsort(xmin, kind="stable").tolist():
        x0, y0, x1, y1 = float(xmin[i]), float(ymin[i]), float(xmax[i]), float(ymax[i])
        j = 0
        while j < len(merged):
            a0, b0, a1, b1 = merged[j]
            if x0 <= a1 and a0 <= x1 and y0 <= b1 and b0 <= y1:  # overlap or touch
                x0, y0, x1, y1 = min(x0, a0), min(y0, b0), max(x1, a1), max(y1, b1)
                merged.pop(j)
                j = 0  # the larger box may now reach boxes it missed
            else:
                j += 1
        merged.append((x0, y0, x1, y1))
    corners = np.array(merged)
    return shapely.multipolygons(shapely.box(*corners.T))  # apart: a valid multipolygon


def _edges(geometry: Any) -> np.ndarray:
    """The edges of a polygonal geometry as rows ``x0, y0, x1, y1``, the western end first
    (the southern where they tie), so that an edge reads the same either way round."""
    import shapely

    rings = shapely.get_rings(shapely.get_parts(geometry))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same = ring[1:] == ring[:-1]
    a, b = coords[:-1][same], coords[1:][same]
    swap = ((a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1])))[:, None]
    return np.hstack([np.where(swap, b, a), np.where(swap, a, b)])


def _differing(new: np.ndarray, old: np.ndarray) -> np.ndarray:
    """The edges (rows) found in one of two sets and not in the other, as often: the two
    sorted together, a run of equal rows matches when it holds as many of each.

    Examples
    --------
    >>> a = np.array([[0.0, 0, 1, 1], [1, 1, 2, 0]])
    >>> _differing(a, np.array([[1.0, 1, 2, 0], [1, 1, 3, 3]])).tolist()
    [[0.0, 0.0, 1.0, 1.0], [1.0, 1.0, 3.0, 3.0]]
    """
    rows = np.concatenate([new, old])
    side = np.repeat([1.0, -1.0], [len(new), len(old)])
    order = np.lexsort(rows.T[::-1])
    rows, side = rows[order], side[order]
    starts = np.r_[True, (rows[1:] != rows[:-1]).any(axis=1)] if len(rows) else np.zeros(0, bool)
    run = np.cumsum(starts) - 1
    unmatched = np.bincount(run, weights=side) != 0 if len(rows) else np.zeros(0, bool)
    return rows[unmatched[run]] if len(rows) else rows
