"""Series over the dates of a history: the same numbers as each date loaded alone."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import shapely
import shapely.affinity

import territory
import territory.chain
import territory.cores
import territory.pool
from territory.series import price_over_time, shares_over_time

DAYS = [dt.date(2025, 6, 1), dt.date(2025, 7, 1), dt.date(2025, 8, 8)]


def held_on(i: int) -> shapely.Geometry:
    """Russian-held ground growing westwards into Donetsk oblast, date by date."""
    return shapely.union(
        territory.snapshot("2025-08-08").russia, shapely.box(37.3 - 0.15 * i, 48.2, 37.6, 48.6)
    )


def write_archive(path: Path, days: list[dt.date], index: list[int]) -> Path:
    features = [
        {
            "type": "Feature",
            "properties": {"date": day.isoformat()},
            "geometry": shapely.geometry.mapping(held_on(i)),
        }
        for day, i in zip(days, index, strict=True)
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_archive(tmp_path_factory.mktemp("series") / "three.geojson", DAYS, [0, 1, 2])


def test_each_date_of_the_series_is_that_date_loaded_alone(archive: Path) -> None:
    table = shares_over_time(territory.read_history(archive)).set_index(["date", "region"])
    for day in DAYS:
        alone = territory.read_snapshot(archive, date=day).shares()
        for iso in ("UA-14", "UA-09", "UA-43", "UA-23"):
            series_share = table.loc[(day, iso), "russia_share"]
            assert series_share == pytest.approx(alone.loc[iso, "russia_share"], abs=1e-4)
    donetsk = table.xs("UA-14", level="region")["russia_km2"]
    assert donetsk.is_monotonic_increasing and donetsk.iloc[-1] > donetsk.iloc[0] + 500


def test_the_total_row_sums_the_regions(archive: Path) -> None:
    table = shares_over_time(territory.read_history(archive), [DAYS[-1]])
    total = table[table["region"] == "UA"]["russia_km2"].iloc[0]
    regions = territory.snapshot(archive, date=DAYS[-1]).shares()["russia_km2"].sum()
    assert total == pytest.approx(regions, abs=0.05)


def test_a_scenario_price_on_each_date(archive: Path) -> None:
    history = territory.read_history(archive)
    by_region, towns = price_over_time(history, "us-russia-draft")
    donetsk = by_region[by_region["region"] == "UA-14"].set_index("date")["to_russia_km2"]
    for day in DAYS:
        snap = history.snapshot(day)
        alone = territory.diff(
            territory.resolve("status-quo", snap), territory.resolve("us-russia-draft", snap)
        ).by_region.set_index("region")
        assert donetsk[day] == pytest.approx(alone.loc["UA-14", "to_russia_km2"], abs=0.01)
    assert donetsk.is_monotonic_decreasing  # the more Russia holds, the less the draft moves
    assert {"Kramatorsk", "Sloviansk"} <= set(towns[towns["date"] == DAYS[0]]["name"])


def test_history_lists_the_demilitarised_towns_on_each_date(tmp_path: Path) -> None:
    history = territory.read_history(write_archive(tmp_path / "a.geojson", DAYS, [0, 1, 2]))
    _, towns = price_over_time(history, "fez-pullback-10km")
    assert {"date", "name", "change", "demilitarised"} <= set(towns.columns)
    assert towns["demilitarised"].all() and set(towns["change"]) == {"none"}
    assert set(towns["date"]) == set(DAYS)


def test_repeated_maps_are_computed_once_and_dated_right(tmp_path: Path) -> None:
    days = [dt.date(2025, 8, d) for d in (1, 2, 3)]
    path = write_archive(tmp_path / "repeats.geojson", days, [0, 0, 1])
    table = shares_over_time(territory.read_history(path))
    ukraine = table[table["region"] == "UA"].set_index("date")["russia_km2"]
    assert list(ukraine.index) == days
    assert ukraine[days[0]] == ukraine[days[1]] < ukraine[days[2]]


def _pools_counted(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[int]:
    """The worker counts of the process pools ``module`` starts, as they start."""
    pools: list[int] = []
    forked = module.processes_holding

    def counted(workers: int, shared: object) -> Any:
        pools.append(workers)
        return forked(workers, shared)

    monkeypatch.setattr(module, "processes_holding", counted)
    return pools


def _zones_payload(html: str) -> dict[str, Any]:
    """The zones step's payload of a page."""
    payload = re.search(r"Territory\.zones\(\w+, (\{.*?\})\);\n", html, re.S)
    assert payload is not None
    return json.loads(payload.group(1))


def test_many_dates_run_on_several_processes_with_the_same_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enough dates for two workers, each holding the maps it was forked with: the table
    of one process, row for row, and the last date that date loaded alone."""
    days = [dt.date(2025, 8, 1) + dt.timedelta(days=i) for i in range(17)]
    path = write_archive(tmp_path / "many.geojson", days, [i % 3 + (i > 8) for i in range(17)])
    history = territory.read_history(path)
    pools = _pools_counted(monkeypatch, territory.chain)
    table = shares_over_time(history)
    assert pools == ([min(17 // 8, territory.cores.cores())] if territory.cores.cores() > 1 else [])
    monkeypatch.setattr(territory.cores, "MOST", 1)
    pd.testing.assert_frame_equal(table, shares_over_time(history))
    alone = territory.read_snapshot(path, date=days[-1]).shares()
    assert table.set_index(["date", "region"]).loc[(days[-1], "UA-14"), "russia_km2"] == (
        pytest.approx(alone.loc["UA-14", "russia_km2"], abs=0.01)
    )


def _on_line(fraction: float) -> shapely.Point:
    line = max(shapely.get_parts(territory.snapshot("2025-08-08").contact), key=shapely.length)
    return line.interpolate(fraction, normalized=True)


@pytest.mark.slow
def test_a_chain_of_dates_gives_each_date_as_reconciled_afresh(tmp_path: Path) -> None:
    """Dates are computed in order, each from the one before: every path (the same map, a
    change inland, a change by the coast that moves the slivers, a pocket cut off, ground
    lost, a map redrawn all over) gives the numbers of the date reconciled on its own."""
    from territory._snapshots import _Drawn
    from territory.chain import chain as _chain
    from territory.chain import next_link as _next

    base = territory.snapshot("2025-08-08").russia
    inland, coast, pocket = _on_line(0.6), _on_line(0.01), _on_line(0.5)
    ring = shapely.difference(pocket.buffer(0.04), pocket.buffer(0.008))  # a 0.8 km² hole
    maps = [base, shapely.union(base, inland.buffer(0.03))]
    maps += [maps[-1], shapely.union(maps[-1], coast.buffer(0.02))]
    maps += [shapely.union(maps[-1], ring)]
    maps += [shapely.difference(maps[-1], inland.buffer(0.04))]
    maps += [shapely.affinity.translate(maps[-1], 0.0005, 0.0003)]  # redrawn: every vertex
    features = [
        {
            "type": "Feature",
            "properties": {"date": f"2025-09-0{i + 1}"},
            "geometry": shapely.geometry.mapping(held),
        }
        for i, held in enumerate(maps)
    ]
    path = tmp_path / "chain.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    history = territory.read_history(path)
    frames = [history.frames[day] for day in history.dates]
    chained = _chain(frames, reconcile_outlines=True)
    hows = [how for _, _, how in chained]
    assert hows == ["afresh", "followed", "same", "followed", "followed", "followed", "afresh"]
    for frame, (russia_km2, contested_km2, _), day in zip(
        frames, chained, history.dates, strict=True
    ):
        alone, _ = _next(None, _Drawn(frame), reconcile_outlines=True)
        assert russia_km2 == pytest.approx(alone.km2[0], abs=1e-6)
        assert contested_km2 == pytest.approx(alone.km2[1], abs=1e-6)
        shares = history.snapshot(day).shares()["russia_km2"].to_numpy()
        assert russia_km2 == pytest.approx(shares, abs=0.01)
    # The ring's hole is small and cut off: it is Russian-held once reconciled.
    assert chained[4][0].sum() - chained[3][0].sum() == pytest.approx(
        shapely_km2(pocket.buffer(0.04).difference(maps[3])), abs=0.05
    )


def shapely_km2(geometry: shapely.Geometry) -> float:
    from territory.geodesy import area_km2

    return area_km2(shapely.intersection(geometry, territory.ukraine()))


# --- the command line -----------------------------------------------------------------------


def test_cli_history_csv_and_chart(run, archive: Path, tmp_path: Path) -> None:
    chart = tmp_path / "share.svg"
    result = run("history", "--line", str(archive), "--format", "csv", "--chart", str(chart))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("date,region,region_name,area_km2,russia_km2,russia_share")
    assert sum(line.startswith("2025-08-08,UA-14,") for line in lines) == 1
    assert chart.read_text().lstrip().startswith("<?xml")
    assert "Donetsk" in chart.read_text()


def test_cli_history_png_and_thinning(run, archive: Path, tmp_path: Path) -> None:
    chart = tmp_path / "share.png"
    result = run("history", "--line", str(archive), "--every", "month", "--chart", str(chart))
    assert result.exit_code == 0
    assert "3 date(s), 2025-06-01 to 2025-08-08" in result.stderr
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_history_of_a_scenario(run, archive: Path) -> None:
    result = run("history", "us-russia-draft", "--line", str(archive), "--format", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["scenario"] == "us-russia-draft"
    assert {r["date"][:10] for r in record["regions"]} == {d.isoformat() for d in DAYS}
    assert any(t["name"] == "Kramatorsk" for t in record["towns"])


def test_cli_history_of_a_range_with_no_date_is_one_line(run, archive: Path) -> None:
    result = run("history", "--line", str(archive), "--from", "2030-01-01")
    assert result.exit_code == 1
    assert result.stderr == f"territory: error: {archive}: no dated map in the range asked for\n"


def test_cli_history_of_several_files(run, tmp_path: Path) -> None:
    paths = []
    for i, day in enumerate(DAYS):
        paths += ["--line", str(write_archive(tmp_path / f"front_{day}.geojson", [day], [i]))]
    result = run("history", *paths, "--format", "json")
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    donetsk = [r["russia_km2"] for r in records if r["region"] == "UA-14"]
    assert len(donetsk) == 3 and donetsk == sorted(donetsk)


def test_two_files_of_the_same_date_are_refused(run, tmp_path: Path) -> None:
    a = write_archive(tmp_path / "a.geojson", [DAYS[0]], [0])
    b = write_archive(tmp_path / "b.geojson", [DAYS[0]], [1])
    result = run("history", "--line", str(a), "--line", str(b))
    assert result.exit_code == 1
    assert f"holds {DAYS[0]}, as {a} does" in result.stderr


def test_shares_never_pass_one(archive: Path) -> None:
    table = shares_over_time(territory.read_history(archive))
    assert table["russia_share"].max() <= 1.0
    crimea = table[table["region"] == "UA-43"]["russia_share"]
    assert (crimea == 1.0).all()


def test_cli_history_with_an_impossible_date_is_one_line(run, archive: Path) -> None:
    result = run("history", "--line", str(archive), "--from", "2025-13-01")
    assert result.exit_code == 1
    assert result.stderr == "territory: error: invalid date '2025-13-01': expected YYYY-MM-DD\n"


def test_a_history_page_holds_each_date_resolved_on_its_own_line(archive: Path) -> None:
    from territory.render import map_html, render_history

    history = territory.read_history(archive)
    html = map_html(render_history(history, ["status-quo", "us-russia-draft"], every="day"))
    zones = _zones_payload(html)
    assert [f["date"] for f in zones["frames"]] == [d.isoformat() for d in DAYS]
    assert zones["frame"] == len(DAYS) - 1
    moved: list[float] = []
    for frame, day in zip(zones["frames"], DAYS, strict=True):
        draft = territory.resolve("us-russia-draft", history.snapshot(day))
        expected = territory.totals(draft)["to_russia_km2"].iloc[0]
        written = frame["totals"][1]  # None: as on the date before
        if isinstance(written, int):  # as another scenario's on this date
            written = frame["totals"][written]
        figures = dict(zip(zones["total_fields"], written, strict=True)) if written else None
        moved.append(figures["to_russia"] if figures else moved[-1])
        assert moved[-1] == pytest.approx(expected, abs=0.01)
    assert moved == sorted(moved, reverse=True) and moved[0] > moved[-1]
    assert "Territory.timeline(" in html


def test_cli_render_history(run, archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "slider.html"
    result = run(
        "render", "--history", str(archive), "--every", "day", "status-quo", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert "Territory.timeline(" in out.read_text(encoding="utf-8")
    figure = run("render", "--history", str(archive), "-o", str(tmp_path / "slider.png"))
    assert figure.exit_code == 1 and "give a .html file" in figure.output
    assert not (tmp_path / "slider.png").exists()
    both = run("render", "--history", str(archive), "--line", "2025-08-08", "-o", str(out))
    assert both.exit_code == 1 and "give either" in both.output


def test_a_slider_page_credits_its_lines_without_a_date(run, archive: Path, tmp_path) -> None:
    """The slider shows the date: the credit names the file (or --credit) alone, never one
    date's map (``three.geojson@2025-...``) nor "map of" one date."""
    out = tmp_path / "slider.html"
    assert run("render", "--history", str(archive), "status-quo", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "Line: three.geojson." in page and "three.geojson@" not in page
    args = ["render", "--history", str(archive), "status-quo", "--credit", "A desk", "-o"]
    assert run(*args, str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "Line: A desk." in page and "map of" not in page


def test_cli_history_table_keeps_moved_and_demilitarised_towns_apart(run, archive: Path) -> None:
    band = run("history", "fez-pullback-10km", "--line", str(archive))
    assert band.exit_code == 0
    assert "Towns in demilitarised ground" in band.output
    assert "Towns that would change hands" not in band.output  # a pull-back moves none
    draft = run("history", "us-russia-draft", "--line", str(archive))
    assert "Towns that would change hands" in draft.output
    assert "Towns in demilitarised ground" not in draft.output


def test_a_history_page_built_on_several_processes_is_the_one_built_on_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers hand back each zone shape once per run of dates (and the page puts the
    geometry back by key): the page of sixteen dates on two processes is the page of one
    process, byte for byte, and it draws the line moving."""
    from territory.render import map_html, render_history

    days = [dt.date(2025, 8, 1) + dt.timedelta(days=i) for i in range(16)]
    path = write_archive(tmp_path / "sixteen.geojson", days, [i // 2 for i in range(16)])
    history = territory.read_history(path)
    chosen = ["status-quo", "freeze", "us-russia-draft"]
    pools = _pools_counted(monkeypatch, territory.pool)
    several = map_html(render_history(history, chosen, every="day"))
    assert pools == ([min(16, territory.cores.cores())] if territory.cores.cores() > 1 else [])
    monkeypatch.setattr(territory.cores, "MOST", 1)
    one = map_html(render_history(history, chosen, every="day"))
    assert several == one
    frames = _zones_payload(several)["frames"]
    assert [f["date"] for f in frames] == [d.isoformat() for d in days]


def _fails_on(snap: Any, day: dt.date, bad: dt.date) -> dt.date:
    if day == bad:
        raise ValueError(f"no zones on {day}")
    return day


def test_dates_worked_on_several_processes_come_back_in_order_and_an_error_stops_them(
    tmp_path: Path,
) -> None:
    """Workers hand each date's result back as they make it: every date comes back, in
    the order asked; an error on one date reaches the caller, and the other worker takes
    no more dates."""
    days = [dt.date(2025, 8, 1) + dt.timedelta(days=i) for i in range(16)]
    history = territory.read_history(write_archive(tmp_path / "a.geojson", days, list(range(16))))
    asked = days[::-1]
    got = territory.pool.map_dates(_fails_on, history, asked, None, once=False)
    assert got == asked
    with pytest.raises(ValueError, match="no zones on 2025-08-03"):
        territory.pool.map_dates(_fails_on, history, days, days[2], once=False)
