"""The command line, through click's CliRunner: outputs, files, errors and exit codes."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

import territory
from territory.cli import main

from .synthetic import DAYS


def test_version_and_help(run):
    assert run("--version").output.strip() == f"territory, version {territory.__version__}"
    result = run("--help")
    assert result.exit_code == 0
    for command in ("scenarios", "snapshots", "stats", "render", "compare", "export", "validate"):
        assert command in result.output


def test_scenarios_json_lists_records_with_id_title_source(run):
    result = run("scenarios", "--format", "json")
    assert result.exit_code == 0
    records = json.loads(result.output)
    assert [r["id"] for r in records][:3] == ["status-quo", "freeze", "us-russia-draft"]
    assert all(r["title"] and r["source"]["date"] for r in records)
    # The report's scenarios carry its date; the later plans their own, all later.
    dates = {r["id"]: r["source"]["date"] for r in records}
    assert dates["us-russia-draft"] == "2025-08-08"
    assert dates["28-point-plan"] == "2025-11-20"
    assert all(dates[i] > "2025-08-08" for i in dates if i.startswith("fez-"))


def test_snapshots_table(run):
    result = run("snapshots")
    assert result.exit_code == 0
    assert "2022-02-23" in result.output and "2025-08-08" in result.output


def test_stats_json_is_records_per_scenario_and_region(run):
    result = run("stats", "us-russia-draft", "--format", "json")
    assert result.exit_code == 0
    records = json.loads(result.output)
    donetsk = next(r for r in records if r["region"] == "UA-14")
    assert donetsk["scenario"] == "us-russia-draft"
    assert donetsk["russia_share"] == 1.0
    assert donetsk["russia_km2"] == pytest.approx(donetsk["area_km2"])
    assert records[-1]["region"] == "UA"


def test_stats_csv_and_table(run):
    csv = run("stats", "freeze", "--format", "csv")
    assert csv.output.splitlines()[0].startswith("scenario,region,region_name,area_km2")
    table = run("stats", "freeze")
    assert "Donetsk" in table.output


def test_compare_lists_towns_and_km2(run):
    result = run("compare", "status-quo", "us-russia-draft")
    assert result.exit_code == 0
    assert "Kramatorsk" in result.output
    assert "pre-war" in result.output
    as_json = json.loads(run("compare", "status-quo", "us-russia-draft", "--format", "json").output)
    assert as_json["town_population"] > 0
    assert {r["region"] for r in as_json["regions"]} >= {"UA-14", "UA-09"}


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv"])
def test_export_by_extension(run, tmp_path, suffix):
    out = tmp_path / f"zones{suffix}"
    result = run("export", "us-russia-draft", "-o", str(out))
    assert result.exit_code == 0, result.output
    if suffix == ".csv":
        assert out.read_text().startswith("scenario,region")
        return
    zones = gpd.read_file(out)
    assert set(territory.ZONE_COLUMNS) <= set(zones.columns)
    assert zones.crs.to_epsg() == 4326


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="GDAL's ogrinfo is not installed")
@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_exports_read_back_by_gdal_ogrinfo(run, tmp_path, suffix):
    out = tmp_path / f"zones{suffix}"
    run("export", "putin-demands", "-o", str(out))
    expected = len(territory.resolve("putin-demands"))
    info = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", str(out)], capture_output=True, text=True, check=True
    )
    assert "Warning" not in info.stderr and "ERROR" not in info.stderr, info.stderr
    assert f"Feature Count: {expected}" in info.stdout
    for field in ("region", "control_now", "held_since", "control_after", "change", "recognition"):
        assert f"{field}: String" in info.stdout
    assert "area_km2: Real" in info.stdout
    assert "WGS 84" in info.stdout or "4326" in info.stdout


def test_errors_are_one_line_with_exit_1(run, tmp_path):
    result = run("export", "no-such-plan", "-o", str(tmp_path / "x.geojson"))
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "unknown scenario 'no-such-plan'" in result.output
    assert not (tmp_path / "x.geojson").exists()


def test_unknown_line_date_is_a_usage_error_listing_the_shipped_dates(run):
    result = run("stats", "--line", "2023-01-01")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "Invalid value for '--line': unknown snapshot '2023-01-01'" in result.output
    assert "'2022-02-23', '2025-08-08'" in result.output


def test_every_line_option_takes_the_same_references(run, deepstate_archive):
    """--line of one snapshot and of a history, and scenario files, parse alike: a date
    with a shipped line is refused, and histories take files and sources only."""
    clash = run("stats", "--line", "2022-02-23", "--date", "2024-07-08")
    assert clash.exit_code == 1 and "shipped line 2022-02-23 has one date" in clash.output
    dated = run("stats", "--line", str(deepstate_archive), "--date", "2024-07-08")
    assert dated.exit_code == 0, dated.output
    missing = run("history", "--line", "2022-02-23")
    assert missing.exit_code == 1 and "2022-02-23: file not found" in missing.output


def test_usage_errors_exit_2(run):
    assert run("stats", "--format", "xml").exit_code == 2
    assert run("export", "freeze").exit_code == 2


def test_failed_export_keeps_the_previous_file(run, tmp_path):
    out = tmp_path / "zones.geojson"
    assert run("export", "freeze", "-o", str(out)).exit_code == 0
    before = out.read_bytes()
    bad_line = tmp_path / "junk.geojson"
    bad_line.write_text("not geodata")
    result = run("export", "freeze", "--line", str(bad_line), "-o", str(out))
    assert result.exit_code == 1
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.geojson", "zones.geojson"]


def test_output_to_a_directory_or_unknown_extension(run, tmp_path):
    result = run("export", "freeze", "-o", str(tmp_path))
    assert result.exit_code in (1, 2)
    result = run("export", "freeze", "-o", str(tmp_path / "zones.xyz"))
    assert result.exit_code == 1
    assert "unknown output format .xyz" in result.output


def test_validate_scenario_and_snapshot_files(run, tmp_path):
    good = tmp_path / "plan.toml"
    good.write_text(
        '[source]\noutlet = "X"\n[[scenario]]\nid = "p"\ntitle = "t"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
    )
    result = run("validate", str(good))
    assert result.exit_code == 0 and "ok, 1 scenario(s): p" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text().replace('"keep"', '"kept"'))
    result = run("validate", str(bad))
    assert result.exit_code == 1 and "unknown value 'kept'" in result.output
    line = tmp_path / "line.gpkg"
    territory.snapshot("2022-02-23").areas.to_file(line, driver="GPKG")
    result = run("validate", str(line))
    assert result.exit_code == 0 and "km² Russian-held" in result.output


def test_user_scenarios_join_the_article_ones(run, tmp_path):
    plan = tmp_path / "plan.toml"
    plan.write_text(
        '[source]\noutlet = "X"\n[[scenario]]\nid = "mine"\ntitle = "Mine"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "Kharkiv"\ncontrol = "russia"\n'
    )
    result = run("stats", "mine", "--scenarios", str(plan), "--format", "json")
    assert result.exit_code == 0
    kharkiv = next(r for r in json.loads(result.output) if r["region"] == "UA-63")
    assert kharkiv["russia_share"] == 1.0


def test_compare_writes_a_map_of_the_two(run, tmp_path):
    out = tmp_path / "pair.html"
    result = run("compare", "freeze", "putin-demands", "-o", str(out), "--format", "json")
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "putin-demands" in page and "us-russia-draft" not in page


def test_render_writes_the_full_comparison_by_default(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("render")
    assert result.exit_code == 0
    page = (tmp_path / "territory-map.html").read_text(encoding="utf-8")
    for scenario in territory.scenarios():
        assert scenario.id in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']?https?:", page)


def test_render_writes_the_page_the_library_makes(run, tmp_path) -> None:
    """The command resolves a page's scenarios on another core while it loads the map
    libraries: the page is byte for byte the one ``render_comparison`` makes."""
    from territory.render import render_comparison, save_map

    out = tmp_path / "cli.html"
    args = ["render", "us-russia-draft", "fez-pullback-10km", "--lang", "uk", "-o", str(out)]
    assert run(*args).exit_code == 0
    made = save_map(
        render_comparison(["us-russia-draft", "fez-pullback-10km"], lang="uk"),
        tmp_path / "library.html",
    )
    assert out.read_bytes() == made.read_bytes()


@pytest.mark.slow  # a whole print figure, drawn
def test_render_png_of_one_scenario(run, tmp_path):
    out = tmp_path / "draft.png"
    assert run("render", "us-russia-draft", "-o", str(out)).exit_code == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Without a scenario named: every one, as small multiples.
    every = tmp_path / "all.png"
    assert run("render", "-o", str(every)).exit_code == 0
    assert every.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert every.stat().st_size > out.stat().st_size


def test_compare_of_two_scenarios_that_move_nothing(run):
    # Every ordered pair of shipped scenarios where nothing changes hands: an empty table.
    result = run("compare", "status-quo", "freeze")
    assert result.exit_code == 0
    assert "Towns that change hands: 0" in result.output
    assert "No ground changes hands or recognition between status-quo and freeze." in result.output


def test_compare_reports_changes_of_recognition(run):
    # The earlier US offer moves no ground but recognises Crimea de jure and the rest de facto.
    result = run("compare", "status-quo", "earlier-us-offer", "--format", "json")
    assert result.exit_code == 0
    record = json.loads(result.output)
    total = next(r for r in record["regions"] if r["region"] == "UA")
    crimea = next(r for r in record["regions"] if r["region"] == "UA-43")
    assert total["to_russia_km2"] == total["to_ukraine_km2"] == 0
    assert crimea["to_de_jure_km2"] > 26_000 and crimea["to_de_facto_km2"] == 0
    assert total["to_de_jure_km2"] == pytest.approx(
        crimea["to_de_jure_km2"]
        + next(r for r in record["regions"] if r["region"] == "UA-40")["to_de_jure_km2"],
        abs=0.02,
    )
    # ... and back: from the offer to Ukraine's position, that recognition is withdrawn.
    back = json.loads(
        run("compare", "earlier-us-offer", "ukraine-position", "--format", "json").output
    )
    total_back = next(r for r in back["regions"] if r["region"] == "UA")
    assert total_back["to_unrecognised_km2"] == pytest.approx(
        total["to_de_facto_km2"] + total["to_de_jure_km2"], rel=1e-4
    )
    table = run("compare", "status-quo", "earlier-us-offer").output
    header = table.splitlines()[0].split()
    assert header[-3:] == ["to_de_facto_km2", "to_de_jure_km2", "to_unrecognised_km2"]


def test_terminal_tables_keep_their_columns_in_line(run):
    lines = run("stats", "us-russia-draft").output.splitlines()
    header = lines[0]
    # Every number ends where its header ends: right-aligned under it.
    end = header.index("russia_km2") + len("russia_km2")
    assert all(
        line[end - 1].isdigit() and (len(line) == end or line[end] == " ") for line in lines[1:]
    )
    assert "de_facto_%" in header and "de_jure_%" in header


def test_dates_print_as_dates_not_midnight_timestamps(run):
    records = json.loads(run("snapshots", "--format", "json").output)
    assert [r["date"] for r in records] == list(territory.SHIPPED_SNAPSHOTS)
    assert "T00:00" not in run("snapshots", "--format", "csv").output


def test_exporting_stats_counts_the_rows_it_wrote(run, tmp_path):
    out = tmp_path / "draft.csv"
    result = run("export", "us-russia-draft", "-o", str(out))
    rows = len(out.read_text(encoding="utf-8").splitlines()) - 1  # less the header
    assert f"({rows} rows: one per region, then all of Ukraine)" in result.stderr


def test_the_tiles_example_in_help_needs_no_key(run):
    import re

    from territory.render.base import tile_layer

    text = " ".join(run("render", "--help").output.split())
    (example,) = re.findall(r"\(e\.g\. ([\w.]+)\)", text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # folium warns when a provider needs an API key
        tile_layer(example)


@pytest.mark.parametrize("suffix", [".svg", ".pdf"])
def test_render_writes_the_figure_format_of_the_extension(run, tmp_path, suffix):
    out = tmp_path / f"draft{suffix}"
    title, subtitle = "The draft on the August line", "What Ukraine would leave"
    result = run(
        "render", "us-russia-draft", "-o", str(out), "--title", title, "--subtitle", subtitle
    )
    assert result.exit_code == 0, result.stderr
    if suffix == ".svg":
        text = out.read_text(encoding="utf-8")
        assert "<svg" in text[:500]
    else:
        import pypdf

        assert out.read_bytes()[:5] == b"%PDF-"
        text = pypdf.PdfReader(out).pages[0].extract_text()
    assert title in text and subtitle in text
    assert "Line of contact" in text and "200 km" in text  # the line is drawn; a scale bar


def test_render_title_and_subtitle_reach_the_page(run, tmp_path):
    out = tmp_path / "map.html"
    title, subtitle = "Who holds what, autumn", "Seven settlements on one line"
    assert run("render", "-o", str(out), "--title", title, "--subtitle", subtitle).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in page
    assert f'"subtitle":"{subtitle}"' in page  # handed to the panel, which shows it


def test_compare_writes_the_towns_to_their_own_csv(run, tmp_path):
    towns = tmp_path / "towns.csv"
    result = run(
        "compare", "status-quo", "us-russia-draft", "--format", "csv", "--towns", str(towns)
    )
    assert result.exit_code == 0
    table = pd.read_csv(towns)
    assert list(table.columns[:4]) == ["name", "name_uk", "region", "population"]
    assert {"Kramatorsk", "Sloviansk"} <= set(table["name"])
    assert f"({len(table)} towns)" in result.stderr
    assert result.stdout.startswith("region,region_name,to_russia_km2")  # the table, unchanged


@pytest.mark.parametrize("args", [["-o", "pair.csv"], ["--towns", "towns.txt"]])
def test_compare_refuses_files_it_would_misname(run, tmp_path, args):
    args = [args[0], str(tmp_path / args[1])]
    result = run("compare", "status-quo", "us-russia-draft", *args)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # a whole print figure, drawn
def test_figure_size_and_dpi(run, tmp_path):
    from PIL import Image

    small, large = tmp_path / "small.png", tmp_path / "large.png"
    assert (
        run(
            "render", "us-russia-draft", "-o", str(small), "--size", "6x4", "--dpi", "100"
        ).exit_code
        == 0
    )
    assert (
        run(
            "render", "us-russia-draft", "-o", str(large), "--size", "12x8", "--dpi", "200"
        ).exit_code
        == 0
    )
    width, height = Image.open(small).size
    assert width <= 6 * 100 + 10 and height <= 4 * 100 + 10  # cropped, never widened by its title
    assert Image.open(large).size[0] > 3 * width
    result = run("render", "us-russia-draft", "-o", str(tmp_path / "x.png"), "--size", "big")
    assert result.exit_code == 1 and "--size 'big'" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_render_embed_writes_an_embed_page(run, tmp_path) -> None:
    out = tmp_path / "embed.html"
    assert run("render", "--embed", "-o", str(out)).exit_code == 0
    assert "Territory.embed(" in out.read_text(encoding="utf-8")
    plain = tmp_path / "plain.html"
    assert run("render", "-o", str(plain)).exit_code == 0
    assert "Territory.embed(" not in plain.read_text(encoding="utf-8")


def test_render_lang_uk_names_places_in_ukrainian(run, tmp_path) -> None:
    out = tmp_path / "uk.html"
    assert run("render", "--lang", "uk", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "Київ" in text and "Чорне море" in text
    wrong = run("render", "--lang", "fr", "-o", str(tmp_path / "fr.html"))
    assert wrong.exit_code == 2 and not (tmp_path / "fr.html").exists()


def test_global_options_go_before_the_subcommand_as_well(run, tmp_path) -> None:
    out = tmp_path / "uk.html"
    result = run("--offline", "--lang", "uk", "-q", "render", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert '<html lang="uk">' in out.read_text(encoding="utf-8")
    assert run("--offline", "stats", "freeze").exit_code == 0
    # After the subcommand wins; without either, the defaults.
    after = tmp_path / "en.html"
    assert run("--lang", "uk", "render", "--lang", "en", "-o", str(after)).exit_code == 0
    assert '<html lang="en">' in after.read_text(encoding="utf-8")
    assert run("--lang", "de", "render").exit_code == 2


def code(name: str) -> str:
    return territory.region_code(name)


def test_compare_reports_the_demilitarised_towns(run, tmp_path: Path) -> None:
    table = run("compare", "status-quo", "fez-pullback-10km")
    assert table.exit_code == 0
    assert "Towns in the demilitarised ground of fez-pullback-10km" in table.output
    assert "Pokrovsk" in table.output
    record = json.loads(run("compare", "status-quo", "28-point-plan", "--format", "json").output)
    assert "Kramatorsk" in {t["name"] for t in record["demilitarised_towns"]}
    assert all(t["demilitarised"] for t in record["towns"] if t["name"] == "Kramatorsk")
    towns = tmp_path / "towns.csv"
    assert run("compare", "status-quo", "fez-pullback-10km", "--towns", str(towns)).exit_code == 0
    written = pd.read_csv(towns)
    assert list(written.columns[-2:]) == ["change", "demilitarised"]
    assert written["demilitarised"].all() and "Pokrovsk" in set(written["name"])


def test_stats_json_has_the_demilitarised_km2(run) -> None:
    records = json.loads(run("stats", "28-point-plan", "--format", "json").output)
    donetsk = next(r for r in records if r["region"] == code("Donetsk"))
    assert donetsk["demilitarised_km2"] > 5000 and 0 < donetsk["demilitarised_share"] < 0.5


def test_the_stats_table_shows_demilitarised_km2_when_there_is_any(run) -> None:
    assert "demilitarised_km2" in run("stats", "fez-pullback-5km").output
    assert "demilitarised_km2" not in run("stats", "freeze", "us-russia-draft").output


def test_dash_writes_geojson_to_standard_output(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("export", "us-russia-draft", "-o", "-")
    assert result.exit_code == 0
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection" and collection["features"]
    assert not (tmp_path / "-").exists()


def test_dash_writes_the_page_to_standard_output(run, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("render", "freeze", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["draft.docx", "pair.csv", "draft"])
def test_render_refuses_what_it_cannot_write(run, tmp_path: Path, name: str) -> None:
    result = run("render", "freeze", "-o", str(tmp_path / name))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "render writes .html (or - for standard output), a figure as .png, .svg, .pdf" in (
        result.stderr
    )
    assert "or an animation as .gif, .mp4" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_text_from_users_reaches_the_terminal_escaped(run, tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        '[source]\noutlet = "X"\n[[scenario]]\nid = "evil"\n'
        'title = "Clear \\u001b[2J screen \\u009b31m \\u202e"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
    )
    for fmt in ("table", "csv", "json"):
        result = run("scenarios", "--scenarios", str(plan), "--format", fmt)
        assert result.exit_code == 0
        assert not any(c in result.stdout for c in "\x1b\x9b\u202e"), fmt
        assert "\\u001b[2J" in result.stdout
    records = json.loads(run("scenarios", "--scenarios", str(plan), "--format", "json").stdout)
    assert records[-1]["title"] == "Clear \x1b[2J screen \x9b31m \u202e"


def test_a_user_scenario_cannot_take_a_shipped_id(run, tmp_path: Path) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(
        '[source]\noutlet = "X"\n[[scenario]]\nid = "freeze"\ntitle = "t"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
    )
    result = run("scenarios", "--scenarios", str(plan))
    assert result.exit_code == 1
    assert "scenario id 'freeze' is already used by" in result.stderr


@pytest.mark.slow  # a whole print figure, drawn
def test_several_scenarios_make_a_small_multiples_figure(run, tmp_path: Path) -> None:
    import pypdf

    from territory import scenarios

    svg = tmp_path / "all.svg"
    assert run("render", "-o", str(svg)).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith(("<?xml", "<svg"))
    for scen in scenarios():  # one panel each, headed by its title (text stays text)
        first_words = " ".join(scen.title.split()[:3])
        assert first_words in text, scen.id
    assert "Settlement scenarios on the line of 8 August 2025" in text
    pdf = tmp_path / "pair.pdf"
    result = run(
        "render", "us-russia-draft", "28-point-plan", "--title", "Two plans", "-o", str(pdf)
    )
    assert result.exit_code == 0
    assert pdf.read_bytes()[:4] == b"%PDF"
    words = pypdf.PdfReader(str(pdf)).pages[0].extract_text()
    assert "Two plans" in words and "US 28-point plan" in words


@pytest.mark.parametrize(
    "args",
    [
        ["render", "freeze", "-o", "{out}.svg"],
        ["render", "-o", "{out}.html"],
        ["compare", "status-quo", "freeze", "-o", "{out}.html"],
    ],
    ids=["figure", "page", "pair"],
)
def test_a_credit_given_is_the_lines_credit(run, tmp_path: Path, args: list[str]) -> None:
    args = [a.format(out=tmp_path / "made") for a in args]
    result = run(*args, "--credit", "ISW and CTP,\nassessed control")
    assert result.exit_code == 0, result.output
    written = next(tmp_path.glob("made.*")).read_text()
    assert "Line: ISW and CTP, assessed control." in written.replace("&#x27;", "'")


def test_cli_takes_the_newest_date_and_says_so(run, deepstate_archive: Path) -> None:
    result = run("stats", "status-quo", "--line", str(deepstate_archive), "--format", "json")
    assert result.exit_code == 0
    assert "holds 3 dates, 2024-07-08 to 2025-08-08; using the newest, 2025-08-08" in result.stderr
    picked = run("stats", "status-quo", "--line", str(deepstate_archive), "--date", "2024-07-08")
    assert picked.exit_code == 0 and "using the newest" not in picked.stderr


def test_cli_lists_the_dates_a_file_holds(run, deepstate_archive: Path) -> None:
    table = run("snapshots", "--line", str(deepstate_archive))
    assert table.exit_code == 0
    assert all(day.isoformat() in table.output for day in DAYS)
    records = json.loads(
        run("snapshots", "--line", str(deepstate_archive), "--format", "json").output
    )
    assert [r["date"][:10] for r in records] == [d.isoformat() for d in DAYS]
    assert [r["newest"] for r in records] == [False, False, True]


def test_cli_date_not_in_file_is_one_line(run, deepstate_archive: Path) -> None:
    result = run("stats", "--line", str(deepstate_archive), "--date", "2023-01-01")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "no map of 2023-01-01" in result.stderr


def test_output_to_a_read_only_location_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["export", "freeze", "-o", "/proc/zones.geojson"])
    assert result.exit_code == 1
    assert result.output.startswith("territory: error:") and result.output.count("\n") == 1


def test_quiet_goes_before_or_after_any_command_and_leaves_out_the_notes(run, tmp_path):
    from territory.cli import main

    for name, command in main.commands.items():
        assert "--quiet" in {o for p in command.params for o in p.opts}, name
    noted = run("export", "freeze", "-o", str(tmp_path / "a.csv"))
    assert noted.exit_code == 0 and noted.stderr.startswith("wrote ")
    for args in (("--quiet", "export"), ("export", "--quiet"), ("export", "-q")):
        out = tmp_path / f"{len(args[0])}{args[-1]}.csv"
        quiet = run(*args, "freeze", "-o", str(out))
        assert quiet.exit_code == 0 and quiet.stderr == "", args
        assert out.read_bytes() == (tmp_path / "a.csv").read_bytes()


def test_the_program_exits_with_its_commands_status_and_output_whole(tmp_path: Path) -> None:
    """``territory`` (``territory.cli.run``) leaves without the collector's last pass: what a
    command printed or wrote is all there, and its exit status is the command's."""
    import sys
    import tomllib

    scripts = tomllib.loads(
        (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]
    assert scripts["scripts"]["territory"] == "territory.cli:run"
    program = "import sys; from territory.cli import run; sys.argv[0] = 'territory'; run()"
    page = subprocess.run(
        [sys.executable, "-c", program, "render", "freeze", "-o", "-", "-q"],
        capture_output=True,
        cwd=tmp_path,
    )
    assert page.returncode == 0 and page.stdout.rstrip().endswith(b"</html>")
    assert len(page.stdout) > 100_000
    wrong = subprocess.run(
        [sys.executable, "-c", program, "render", "no-such-plan", "-o", "x.html"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert wrong.returncode == 1 and not (tmp_path / "x.html").exists()
    assert wrong.stderr.count("\n") == 1 and "no-such-plan" in wrong.stderr
