"""Numbers from zones (territory._stats): km² and shares per region, and what changes hands
between two maps (diff), the towns among it, and the demilitarised ground."""

from __future__ import annotations

import territory

LINE = "2025-08-08"


def test_towns_in_the_demilitarised_ground_are_listed(now, plan) -> None:
    change = territory.diff(now, plan)
    kept = set(change.demilitarised_towns["name"])
    assert {"Kramatorsk", "Sloviansk", "Kostiantynivka"} <= kept
    assert kept <= set(change.towns["name"])  # here every one of them also changes hands
    assert change.towns.set_index("name").loc["Kramatorsk", "demilitarised"]
    assert change.demilitarised_population > 400_000
    # A pull-back moves no town, yet the towns in the zone are listed.
    band = territory.diff(now, territory.resolve("fez-pullback-10km", LINE))
    assert band.towns.empty and "Pokrovsk" in set(band.demilitarised_towns["name"])
    assert set(band.demilitarised_towns["change"]) == {"none"}


def test_zones_written_before_the_column_read_as_not_demilitarised(plan) -> None:
    old = plan.drop(columns="demilitarised")
    assert territory.stats(old)["demilitarised_km2"].eq(0).all()
    assert territory.demilitarised_towns(old).empty
