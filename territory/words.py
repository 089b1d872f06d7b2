"""Every word a reader sees on a page or a figure, in English and Ukrainian.

Pages receive the table of their language (the page's script holds no words of its own);
figures and the Python that writes pages look words up here. A ``{name}`` in a text is
filled in where it is used. Dates are written the way each language writes them:
"8 August 2025" and "8 серпня 2025 р.".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["LANGUAGES", "check_language", "long_date", "number", "word", "words"]

#: The languages of pages and figures.
LANGUAGES = ("en", "uk")

_MONTHS = {
    "en": [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ],
    # The genitive, as a date is written: "8 серпня 2025 р."
    "uk": [
        "січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня",
        "вересня", "жовтня", "листопада", "грудня",
    ],
}  # fmt: skip

_EN: dict[str, str] = {
    # numbers and dates
    "km2": "km²",
    "km": "km",
    "group": ",",
    "decimal": ".",
    "date": "{day} {month} {year}",
    "unknown_date": "an unknown date",
    # the page's title card and column
    "title": "Who holds what in Ukraine, and what each settlement would change",
    "short_title": "Who holds what in Ukraine",
    "date_line": "Front line as of {date} (snapshot {name}).",
    "date_line_plain": "Front line as of {date}.",
    "date_line_undated": "Front line of an undated snapshot ({name}).",
    "date_line_many": "Front lines of {count} dates, {first} to {last}: the slider below "
    "picks one.",
    "line_credit": "Line: {source}.",
    "line_attribution": "Front line: {source}",
    "fold_embed": "Scenarios",
    "fold": "Scenarios and details",
    "close": "Close",
    "scenario": "Scenario",
    "show": "Show",
    "outline": "Outline what changes hands against the line of {date}",
    "line_toggle": "Line of contact",
    "line_toggle_dated": "Line of contact on {date}",
    "line_toggle_shown": "Line of contact on the date shown",
    "places_toggle": "Key sites and towns of {people} people or more",
    "legend": "Legend",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    # tooltips
    "tip_on": "On {date}: {control}",
    "tip_held_since": " (held since {year})",
    "tip_change": "Under this scenario it {change}",
    "tip_area": "{km2} · {share} of {region}",
    "town": "Town, pre-war population {people}",
    "site": "Key site",
    "place_after": "Under this scenario: {control}",
    # the panel
    "all_other_regions": "All other regions",
    "russian_control_recognised": "Russian control {recognition}",
    "recognised_by": " (by {who})",
    "figures": "Russian control: {russia} ({share} of Ukraine).",
    "figures_contested": " Contested: {km2}.",
    "figures_demilitarised": " Demilitarised: {km2}.",
    "figures_change": " Changes hands against the line of {date}: {to_russia} to Russia, "
    "{to_ukraine} to Ukraine.",
    "left": "Left",
    "right": "Right",
    "notes": "Notes",
    "rules": "Rules and the claims they rest on",
    "source": "Source",
    "accuracy": "How accurate is the line?",
    "source_outlet": "outlet",
    "source_date": "date",
    "source_title": "title",
    "source_url": "url",
    # the slider and what changed
    "since_before": "Since the date before",
    "first_date": "The first date shown.",
    "since": "Since {date}: Russia took {taken}, Ukraine took back {retaken}.",
    "to_ukraine": "to Ukraine",
    "to_russia": "to Russia",
    "contested": "contested",
    "towns": "Towns: {names}.",
    "held_chart": "Ground held by Russia from {first} to {last}: {from_km2} to {to_km2}; "
    "on the date shown, {now_km2}",
    "held_now": "Held by Russia: {km2}",
    "slider": "Date of the front line",
    "play": "Play",
    "pause": "Pause",
    "back": "One date back",
    "forward": "One date forward",
    # the swipe view
    "swipe": "Compare two scenarios side by side (drag the divider)",
    "swipe_left": "Left ",
    "swipe_right": "Right ",
    "tag_left": "◀ Left: {title}",
    "tag_right": "Right: {title} ▶",
    "divider": "Divider between the two scenarios (arrow keys move it)",
    "divider_value": "{share}% of the map shows the left scenario",
    "drag": "Drag to compare",
    # a rule's sub-area, in the panel
    "area_band": "within {km} km of the line of contact, {side}",
    "side_both": "both sides",
    "side_ukrainian": "the Ukrainian side",
    "side_russian": "the Russian side",
    "area_file": "the area of {name}",
    "area_circle": "within {km} km of {around}",
    # sketching
    "sketch_title": "Sketch a settlement",
    "sketch_help": "Draw an area with the tools on the map, then say what it means. "
    "The price is against the line of {date}.",
    "sketch_shape": "Shape {n}",
    "sketch_control": "Control",
    "sketch_recognition": "Recognition",
    "sketch_demilitarised": "Demilitarised",
    "sketch_remove": "Remove",
    "sketch_keep": "as on the line",
    "sketch_none": "none",
    "sketch_start": "Start from",
    "sketch_start_none": "nothing (draw)",
    "sketch_region": "Region",
    "sketch_to_russia": "To Russia",
    "sketch_to_ukraine": "To Ukraine",
    "sketch_total": "Ukraine",
    "sketch_towns": "Towns that change hands: {names}.",
    "sketch_no_towns": "No town of 10,000 or more changes hands.",
    "sketch_dmz_towns": "Towns in demilitarised ground: {names}.",
    "sketch_empty": "Nothing drawn yet.",
    "sketch_export_toml": "Download scenario (TOML)",
    "sketch_export_geojson": "Download shapes (GeoJSON)",
    "sketch_load": "Load shapes (GeoJSON)",
    # figures
    "line_of": "{title} — line of {date}",
    "figure_towns": "Town of {people}+ people that changes hands",
    "figure_sources": "Outlines: Natural Earth. Towns: GeoNames (CC BY 4.0).",
    "scenarios_on": "Settlement scenarios on the line of {date}",
    "accuracy_note": " Accuracy: {text}.",
    "made_with": "Made with Natural Earth",
    "geonames": "Contains data from GeoNames (CC BY 4.0)",
}

_UK: dict[str, str] = {
    "km2": "км²",
    "km": "км",
    "group": "\u00a0",
    "decimal": ",",
    "date": "{day} {month} {year} р.",
    "unknown_date": "невідома дата",
    "title": "Хто що контролює в Україні і що змінила б кожна мирна угода",
    "short_title": "Хто що контролює в Україні",
    "date_line": "Лінія фронту станом на {date} (знімок {name}).",
    "date_line_plain": "Лінія фронту станом на {date}",
    "date_line_undated": "Лінія фронту знімка без дати ({name}).",
    "date_line_many": "Лінії фронту на {count} дат, від {first} до {last}: оберіть дату "
    "повзунком нижче.",
    "line_credit": "Лінія: {source}.",
    "line_attribution": "Лінія фронту: {source}",
    "fold_embed": "Сценарії",
    "fold": "Сценарії та подробиці",
    "close": "Закрити",
    "scenario": "Сценарій",
    "show": "Показати",
    "outline": "Обвести те, що переходить з рук у руки, відносно лінії на {date}",
    "line_toggle": "Лінія зіткнення",
    "line_toggle_dated": "Лінія зіткнення на {date}",
    "line_toggle_shown": "Лінія зіткнення на показану дату",
    "places_toggle": "Ключові об'єкти та міста з населенням від {people}",
    "legend": "Легенда",
    "zoom_in": "Збільшити",
    "zoom_out": "Зменшити",
    "tip_on": "Станом на {date}: {control}",
    "tip_held_since": " (з {year} р.)",
    "tip_change": "За цим сценарієм {change}",
    "tip_area": "{km2} · {share} території: {region}",
    "town": "Місто, довоєнне населення {people}",
    "site": "Ключовий об'єкт",
    "place_after": "За цим сценарієм: {control}",
    "all_other_regions": "Усі інші області",
    "russian_control_recognised": "контроль Росії {recognition}",
    "recognised_by": " (визнають: {who})",
    "figures": "Під контролем Росії: {russia} ({share} території України).",
    "figures_contested": " Спірні: {km2}.",
    "figures_demilitarised": " Демілітаризовані: {km2}.",
    "figures_change": " Переходить відносно лінії на {date}: {to_russia} до Росії, "
    "{to_ukraine} до України.",
    "left": "Ліворуч",
    "right": "Праворуч",
    "notes": "Примітки",
    "rules": "Правила і твердження, на яких вони ґрунтуються",
    "source": "Джерело",
    "accuracy": "Наскільки точна лінія?",
    "source_outlet": "видання",
    "source_date": "дата",
    "source_title": "назва",
    "source_url": "посилання",
    "since_before": "Зміни від попередньої дати",
    "first_date": "Перша показана дата.",
    "since": "Від {date}: Росія захопила {taken}, Україна повернула {retaken}.",
    "to_ukraine": "до України",
    "to_russia": "до Росії",
    "contested": "спірне",
    "towns": "Міста: {names}.",
    "held_chart": "Територія під контролем Росії з {first} до {last}: від {from_km2} до "
    "{to_km2}; на показану дату {now_km2}",
    "held_now": "Під контролем Росії: {km2}",
    "slider": "Дата лінії фронту",
    "play": "Відтворити",
    "pause": "Пауза",
    "back": "На одну дату назад",
    "forward": "На одну дату вперед",
    "swipe": "Порівняти два сценарії поруч (перетягніть розділювач)",
    "swipe_left": "Ліворуч ",
    "swipe_right": "Праворуч ",
    "tag_left": "◀ Ліворуч: {title}",
    "tag_right": "Праворуч: {title} ▶",
    "divider": "Розділювач між двома сценаріями (рухається клавішами зі стрілками)",
    "divider_value": "{share}% карти показує лівий сценарій",
    "drag": "Перетягніть, щоб порівняти",
    "area_band": "у межах {km} км від лінії зіткнення, {side}",
    "side_both": "обабіч лінії",
    "side_ukrainian": "з українського боку",
    "side_russian": "з російського боку",
    "area_file": "територія з {name}",
    "area_circle": "у межах {km} км від {around}",
    "sketch_title": "Накресліть угоду",
    "sketch_help": "Обведіть територію інструментами на карті й укажіть, що вона означає. "
    "Ціну пораховано відносно лінії на {date}",
    "sketch_shape": "Фігура {n}",
    "sketch_control": "Контроль",
    "sketch_recognition": "Визнання",
    "sketch_demilitarised": "Демілітаризована",
    "sketch_remove": "Вилучити",
    "sketch_keep": "як на лінії",
    "sketch_none": "немає",
    "sketch_start": "Почати з",
    "sketch_start_none": "нічого (креслити)",
    "sketch_region": "Область",
    "sketch_to_russia": "До Росії",
    "sketch_to_ukraine": "До України",
    "sketch_total": "Україна",
    "sketch_towns": "Міста, що переходять з рук у руки: {names}.",
    "sketch_no_towns": "Жодне місто з населенням від 10 000 не переходить з рук у руки.",
    "sketch_dmz_towns": "Міста на демілітаризованій території: {names}.",
    "sketch_empty": "Ще нічого не накреслено.",
    "sketch_export_toml": "Зберегти сценарій (TOML)",
    "sketch_export_geojson": "Зберегти фігури (GeoJSON)",
    "sketch_load": "Відкрити фігури (GeoJSON)",
    "line_of": "{title} — лінія на {date}",
    "figure_towns": "Місто з населенням від {people}, що переходить з рук у руки",
    "figure_sources": "Межі: Natural Earth. Міста: GeoNames (CC BY 4.0).",
    "scenarios_on": "Сценарії мирної угоди на лінії {date}",
    "accuracy_note": " Точність: {text}.",
    "made_with": "Створено з Natural Earth",
    "geonames": "Містить дані GeoNames (CC BY 4.0)",
}

_TABLES = {"en": _EN, "uk": _UK}


def check_language(lang: str) -> str:
    """``lang`` when it is one of :data:`LANGUAGES`; otherwise a ValueError naming them."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def words(lang: str = "en") -> dict[str, Any]:
    """The table of a language, as a page receives it (with its months).

    Examples
    --------
    >>> words("uk")["legend"], words("uk")["months"][7]
    ('Легенда', 'серпня')
    >>> set(words("en")) == set(words("uk"))
    True
    """
    return {**_TABLES[check_language(lang)], "months": _MONTHS[lang]}


def word(key: str, lang: str = "en", **fill: object) -> str:
    """One text in ``lang`` with its ``{name}`` parts filled in.

    Examples
    --------
    >>> word("figure_towns", "en", people="10,000")
    'Town of 10,000+ people that changes hands'
    >>> word("since_before", "uk")
    'Зміни від попередньої дати'
    """
    text = _TABLES[check_language(lang)][key]
    for name, value in fill.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def long_date(date: dt.date | str, lang: str = "en") -> str:
    """A date as a reader writes it.

    Examples
    --------
    >>> long_date("2025-08-08"), long_date("2025-08-08", "uk")
    ('8 August 2025', '8 серпня 2025 р.')
    """
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    month = _MONTHS[check_language(lang)][date.month - 1]
    return word("date", lang, day=date.day, month=month, year=date.year)


def number(value: float, lang: str = "en", decimals: int = 0) -> str:
    """A number grouped by thousands the way ``lang`` writes it.

    Examples
    --------
    >>> number(120817.16, "en"), number(120817.16, "uk", 1)
    ('120,817', '120\\xa0817,2')
    """
    text = f"{value:,.{decimals}f}"
    table = _TABLES[check_language(lang)]
    return text.replace(",", "\0").replace(".", table["decimal"]).replace("\0", table["group"])
