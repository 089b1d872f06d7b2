"""Print figures (territory.render.figure, territory.render.figure_names): what a reader of a
printed page needs to find their way, read from the files themselves."""

from __future__ import annotations

import itertools
from pathlib import Path

import pypdf
import pytest

import territory
from territory._resolve import resolve
from territory.render import static_figure
from territory.render.figure import drawn_categories, small_multiples
from territory.render.symbols import CATEGORIES, STYLE, flat_fill, legend_label

LINE = "2025-08-08"


@pytest.fixture(scope="module")
def draft() -> territory.Snapshot:
    return territory.resolve("us-russia-draft")


@pytest.fixture(scope="module")
def draft_pdf(tmp_path_factory, draft) -> str:
    path = tmp_path_factory.mktemp("pdf") / "draft.pdf"
    line = territory.line_of_contact(territory.snapshot("2025-08-08")).geometry.iloc[0]
    static_figure(draft, path, title="US–Russia draft", line=line, credit="Line: a test.")
    return pypdf.PdfReader(path).pages[0].extract_text()


def test_a_draft_figure_names_kyiv_the_front_and_every_town_it_moves(draft, draft_pdf) -> None:
    words = draft_pdf
    assert "Kyiv" in words
    for city in ("Kharkiv", "Dnipro", "Zaporizhzhia", "Kherson", "Odesa"):
        assert city in words, city  # regional capitals near the front
    assert "Black Sea" in words and "Sea of Azov" in words and "Russia" in words
    towns = territory.diff(draft).towns
    big = towns[towns["population"] >= 10_000]["name"].tolist()
    assert {"Kramatorsk", "Sloviansk", "Lyman", "Siversk"} <= set(big)
    for town in big:
        assert town in words, town
    assert "GeoNames" in words and "Natural Earth" in words


def test_a_figures_legend_names_only_what_it_draws(draft, draft_pdf) -> None:
    drawn = drawn_categories(draft, line=None)
    assert drawn == ["ukraine", "de_facto", "to_russia"]
    for key, label, _ in CATEGORIES:
        if key in drawn or key == "line":
            assert label in draft_pdf, key
        elif key not in ("town", "site"):
            assert label not in draft_pdf, key
    assert "changes hands" in draft_pdf  # the towns' dots have their entry


def test_nothing_a_reader_sees_points_into_the_repository(tmp_path: Path, draft) -> None:
    line = territory.line_of_contact(territory.snapshot("2025-08-08")).geometry.iloc[0]
    from territory.render import line_source

    credit = line_source(territory.snapshot("2025-08-08"))
    text = static_figure(draft, tmp_path / "d.svg", line=line, credit=credit).read_text()
    assert "Line: territory, drawn from public reports" in text
    assert "geodata/" not in text and ".md" not in text


def _luminance(colour: str) -> float:
    r, g, b = bytes.fromhex(colour.lstrip("#"))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_the_fills_stay_apart_in_greyscale_and_match_the_page() -> None:
    fills = {c: flat_fill(c) for c in ("ukraine", "russia", "contested")}
    for a, b in itertools.combinations(fills, 2):
        assert abs(_luminance(fills[a]) - _luminance(fills[b])) >= 15, (a, b, fills)
    # The page's colour at the page's opacity over the land, not the saturated colour.
    assert fills["ukraine"] != territory.render.symbols.STYLE["fill"]["ukraine"]


def test_names_on_a_figure_never_overlap(draft) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from territory.render.figure import bare_axes, draw_zones
    from territory.render.figure_names import figure_names, place_names

    figure = Figure(figsize=(10, 7), dpi=100)
    axes = figure.add_subplot()
    draw_zones(axes, draft, None)
    minx, miny, maxx, maxy = draft.total_bounds
    axes.set_xlim(minx - 0.5, maxx + 0.5)
    axes.set_ylim(miny - 0.3, maxy + 0.3)
    bare_axes(axes)
    written = place_names(axes, figure_names(draft))
    assert "Sloviansk" in written and "Kyiv" in written
    renderer = FigureCanvasAgg(figure).get_renderer()
    from matplotlib.text import Text

    boxes = [Text.get_window_extent(t, renderer) for t in axes.texts]
    assert len(boxes) == len(written)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def _longest_blank_band(path: Path) -> int:
    """The most rows of pixels in a row, inside the figure, with nothing drawn on them."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(path).convert("L"))
    blank = (grey >= 250).all(axis=1)
    inked = np.flatnonzero(~blank)
    runs = [0]
    for row in blank[inked[0] : inked[-1]]:
        runs.append(runs[-1] + 1 if row else 0)
    return max(runs)


@pytest.mark.parametrize("count", [2, pytest.param(12, marks=pytest.mark.slow)])
def test_small_multiples_name_the_ground_and_leave_no_blank_band(tmp_path: Path, count) -> None:
    ids = [s.id for s in territory.scenarios()][:count]
    pairs = [(territory.scenario(i).title, territory.resolve(i)) for i in ids]
    text = small_multiples(pairs, tmp_path / "all.svg", title="All").read_text()
    assert "Kharkiv" in text and "Zaporizhzhia" in text and "Sea of Azov" in text
    assert "DONETSK" in text
    drawn = {k for _, z in pairs for k in drawn_categories(z, None)}
    for key in ("contested", "de_jure"):
        assert (legend_label(key) in text) == (key in drawn), key
    png = small_multiples(pairs, tmp_path / "all.png", title="All", dpi=100)
    assert _longest_blank_band(png) < 25  # a quarter of an inch at most, anywhere


def test_figures_stripe_demilitarised_ground_and_say_so(tmp_path: Path, plan) -> None:
    words = legend_label("demilitarised")
    striped = static_figure(plan, tmp_path / "plan.svg").read_text()
    assert words in striped  # text stays text in SVG
    assert STYLE["demilitarised"]["color"].lower() in striped.lower()
    plain = static_figure(territory.resolve("freeze", LINE), tmp_path / "freeze.svg").read_text()
    assert words not in plain


def test_a_dollar_in_a_png_title_is_text(tmp_path: Path) -> None:
    # Parsed as mathematics, this title would not even draw (frac needs two arguments).
    title = r"Pay $5 now and $\frac{1}$ later"
    out = static_figure(resolve("freeze"), tmp_path / "f.png", title=title)
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_a_print_figure_names_regions_and_towns_that_change_hands(tmp_path: Path) -> None:
    text = static_figure(resolve("us-russia-draft"), tmp_path / "draft.svg").read_text()
    assert "DONETSK" in text and "KHARKIV" in text  # regions where anything is held or moves
    assert "Kramatorsk" in text  # the largest towns that change hands
    quiet = static_figure(resolve("freeze"), tmp_path / "freeze.svg").read_text()
    assert "Kramatorsk" not in quiet  # nothing moves: no town named


def test_static_figure(tmp_path: Path) -> None:
    out = static_figure(resolve("us-russia-draft"), tmp_path / "draft.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 20_000


def test_a_figure_is_drawn_without_the_page_libraries(tmp_path: Path) -> None:
    """A print figure needs matplotlib, not folium (a third of a second to import)."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import territory\n"
        "from territory import render\n"
        "line = territory.snapshot('2025-08-08')\n"
        "credit = render.line_source(line)\n"
        f"render.static_figure(territory.resolve('freeze', line), {str(tmp_path / 'f.png')!r},"
        " credit=credit)\n"
        "print(sorted(m for m in ('folium', 'branca') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]" and (tmp_path / "f.png").stat().st_size > 10_000
