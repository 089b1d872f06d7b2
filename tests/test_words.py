"""Pages and figures in Ukrainian (territory.words): every word a reader sees, the dates
written the Ukrainian way, scenario titles and summaries in Ukrainian with English as the
fallback per field."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

import territory
from territory import words as words_module
from territory.render import map_html, render_comparison, static_figure
from territory.render.symbols import CATEGORIES, legend_label


def test_both_languages_have_every_word_and_fill_the_same_parts() -> None:
    en, uk = words_module.words("en"), words_module.words("uk")
    assert set(en) == set(uk)
    for key in en:
        if key == "months":
            continue
        # The same {parts} to fill in, so that no page shows a bare "{date}".
        assert set(re.findall(r"{\w+}", en[key])) == set(re.findall(r"{\w+}", uk[key])), key
    for key, _, _ in CATEGORIES:
        assert legend_label(key, "uk") != legend_label(key, "en"), key


def test_dates_and_numbers_are_written_the_ukrainian_way() -> None:
    assert words_module.long_date("2025-08-08", "uk") == "8 серпня 2025 р."
    assert words_module.long_date("2024-12-01", "uk") == "1 грудня 2024 р."
    assert words_module.number(1234567.891, "uk", 2) == "1\u00a0234\u00a0567,89"
    assert words_module.number(1234567.891, "en", 2) == "1,234,567.89"
    with pytest.raises(ValueError, match="unknown language 'de'"):
        words_module.word("legend", "de")


def test_every_shipped_scenario_has_a_ukrainian_title_and_summary() -> None:
    for scenario in territory.scenarios():
        assert scenario.title_uk and scenario.summary_uk, scenario.id
        assert re.search("[А-Яа-яІіЇїЄєҐґ]", scenario.title_uk), scenario.id
        assert scenario.text("title", "uk") == scenario.title_uk
        assert scenario.text("summary", "en") == scenario.summary


def test_a_scenario_without_a_ukrainian_field_falls_back_to_english(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[scenario]]\nid = "mine"\ntitle = "My plan"\ntitle_uk = "Мій план"\n'
        'summary = "Nothing moves."\n[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n',
        encoding="utf-8",
    )
    (mine,) = territory.load_scenarios(path)
    assert mine.text("title", "uk") == "Мій план"
    assert mine.text("summary", "uk") == "Nothing moves."  # no summary_uk: English
    page = map_html(render_comparison([mine], lang="uk"))
    assert "Мій план" in page and "Nothing moves." in page
    long = path.read_text(encoding="utf-8").replace("Мій план", "я" * 201)
    path.write_text(long, encoding="utf-8")
    with pytest.raises(territory.TerritoryError, match="title_uk"):
        territory.load_scenarios(path)


#: English words that must not reach a reader of a Ukrainian page or figure.
ENGLISH = [
    v
    for k, v in words_module.words("en").items()
    if k not in ("months", "km", "group", "decimal", "figure_sources", "made_with", "geonames")
    and "{" not in v
    and len(v) > 4
]


def test_a_ukrainian_page_carries_no_english_chrome() -> None:
    page = map_html(render_comparison(lang="uk"))
    assert '<html lang="uk">' in page
    assert "Хто що контролює в Україні" in page and "8 серпня 2025 р." in page
    for key, _, _ in CATEGORIES:
        assert legend_label(key, "en") not in page, key
        shown = legend_label(key, "uk")
        assert shown in page or shown.replace("'", "&#x27;") in page, key
    assert "Front line as of" not in page and "Line: territory" not in page
    assert "Made with Natural Earth" not in page and "Створено з Natural Earth" in page
    for scenario in territory.scenarios():
        assert scenario.title not in page, scenario.id  # titles and summaries translated


@pytest.mark.slow  # a whole print figure, drawn
def test_a_ukrainian_figure_names_kyiv_and_the_towns_in_ukrainian(tmp_path: Path) -> None:
    zones = territory.resolve("us-russia-draft")
    line = territory.line_of_contact(territory.snapshot("2025-08-08")).geometry.iloc[0]
    title = territory.scenario("us-russia-draft").text("title", "uk")
    out = static_figure(zones, tmp_path / "d.pdf", title=title, line=line, lang="uk")
    text = pypdf.PdfReader(out).pages[0].extract_text()
    for name in ("Київ", "Краматорськ", "Харків", "Азовське море", "GeoNames", "8 серпня 2025"):
        assert name in text, name
    assert "Слов" in text and "янськ" in text  # the apostrophe may be extracted as any quote
    assert legend_label("ukraine", "uk") in text and legend_label("ukraine") not in text
    for english in ("Kyiv", "Kramatorsk", "Black Sea", "changes hands", "line of"):
        assert english not in text, english


def test_compare_writes_its_pair_page_in_ukrainian(run, tmp_path: Path) -> None:
    out = tmp_path / "pair.html"
    result = run("compare", "status-quo", "us-russia-draft", "--lang", "uk", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert '<html lang="uk">' in page and "Проєкт США і Росії" in page


def test_a_file_without_a_credit_is_named_by_its_file_alone(tmp_path: Path) -> None:
    """How a file was read ("GeoJSON; every polygon Russian-held") is for `validate`; a reader
    of the page, in either language, sees the file's name."""
    import json

    ring = [[37.8, 47.8], [38.2, 47.8], [38.2, 48.2], [37.8, 48.2], [37.8, 47.8]]
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }
    path = tmp_path / "front.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    snap = territory.read_snapshot(path)
    assert "every polygon Russian-held" in snap.source  # kept for validate and the API
    page = map_html(render_comparison(["freeze"], snap, lang="uk"))
    assert "Лінія: front.geojson." in page and "every polygon" not in page
