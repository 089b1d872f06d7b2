"""The README's examples do what it says."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import territory
from territory.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.S)


@pytest.fixture
def readme_plan(tmp_path: Path) -> Path:
    (block,) = _blocks("toml")
    path = tmp_path / "my-plan.toml"
    path.write_text(block, encoding="utf-8")
    return path


def test_the_scenario_example_resolves(readme_plan):
    (plan,) = territory.load_scenarios(readme_plan)
    zones = territory.resolve(plan)
    table = territory.stats(zones).set_index("region")
    assert table.at["UA-14", "russia_share"] == pytest.approx(1.0)
    assert table.at["UA-14", "de_jure_share"] == pytest.approx(1.0)
    assert set(zones.loc[zones["region"] == "UA-14", "label"]) == {"Demilitarised buffer zone"}
    plant = zones[zones["label"] == "Nuclear plant handed back"]
    assert plant["change"].eq("to_ukraine").any()
    # Only what Ukraine hands over in Donetsk is demilitarised; in Zaporizhzhia the band on
    # both sides of the line, whoever holds it, except where the plant's circle is drawn over.
    donetsk = zones[zones["region"] == "UA-14"]
    assert (donetsk["demilitarised"] == (donetsk["change"] == "to_russia")).all()
    band = zones[zones["label"] == "Both armies 15 km back"]
    assert band["demilitarised"].all() and set(band["control_after"]) >= {"ukraine", "russia"}
    assert not plant["demilitarised"].any()


@pytest.mark.slow
def test_the_tour_commands_run(readme_plan, tmp_path, monkeypatch, local_sources):
    # Commands that fetch talk to the local server of conftest.py, never to the network.
    monkeypatch.chdir(tmp_path)
    (tour,) = [b for b in _blocks("console") if "territory scenarios" in b]
    runner = CliRunner()
    for line in tour.splitlines():
        command = line.removeprefix("$ ").split("#")[0].strip()
        args = shlex.split(command)[1:]
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (command, result.output)
    assert (tmp_path / "zones.gpkg").exists()
    assert (tmp_path / "map.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "share.png").read_bytes().startswith(b"\x89PNG")
    assert "/api/history/last" in local_sources.requests
