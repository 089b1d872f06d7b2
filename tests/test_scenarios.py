"""Scenario files (territory._scenarios): the shipped files, every kind of mistake a user can
make, and generated, mutated and nasty files loaded or refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import territory
from territory._scenarios import ScenarioError, load_scenarios
from territory.errors import TerritoryError

from .synthetic import many_scenarios, write_plan

ARTICLE_IDS = [
    "status-quo",
    "freeze",
    "us-russia-draft",
    "putin-demands",
    "earlier-us-offer",
    "ukraine-position",
    "pre-invasion",
]
SOURCE_ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "seeds"

HEADER = """
[source]
outlet = "Example Times"
date = "2025-11-20"
"""


def write(tmp_path: Path, body: str, name: str = "plan.toml") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def scenario_text(rules: str, extra: str = "") -> str:
    return f"""
[[scenario]]
id = "plan"
title = "A plan"
summary = "What the plan does."
{extra}
{rules}
"""


def test_the_article_file_holds_the_seven_scenarios():
    found = territory.scenarios()[: len(ARTICLE_IDS)]
    assert [s.id for s in found] == ARTICLE_IDS
    for s in found:
        assert s.title and s.summary
        assert s.source["date"] == "2025-08-08"
        assert all(rule.claim for rule in s.rules), s.id


@pytest.mark.parametrize("ident", ARTICLE_IDS)
def test_every_article_scenario_cites_and_paraphrases(ident):
    found = territory.scenario(ident)
    texts = [found.summary, *found.notes, *(r.claim for r in found.rules)]
    article = " ".join(p.read_text(encoding="utf-8") for p in SOURCE_ARTICLE.glob("*.txt"))
    if not article:
        pytest.skip("the source article is not beside the repository")
    words = article.split()
    # No run of 8 words of the article appears in our text: paraphrase, not copy.
    runs = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    for text in texts:
        assert not any(run in text for run in runs), text


def test_terms_no_polygon_can_hold_are_notes():
    demands = territory.scenario("putin-demands")
    joined = " ".join(demands.notes).lower()
    assert "neutral" in joined and "nato" in joined
    offer = territory.scenario("earlier-us-offer")
    assert any("no extent" in note for note in offer.notes)
    assert all(rule.area is None for rule in offer.rules)  # no invented geometry


def test_a_user_file_loads_with_aliases_and_sub_areas(tmp_path):
    path = write(
        tmp_path,
        scenario_text(
            """
[[scenario.rule]]
regions = ["Donetska", "Lugansk"]
control = "russia"
recognition = "de_jure"
recognised_by = ["Russia"]
claim = "All of the Donbas."

[[scenario.rule]]
regions = "Zaporozhye"
area = { around = [34.59, 47.51], radius_km = 12 }
control = "ukraine"
label = "Nuclear plant zone"

[[scenario.rule]]
regions = "*"
control = "keep"
""",
            extra='notes = ["Neutrality."]',
        ),
    )
    (found,) = load_scenarios(path)
    assert found.rule_for("UA-14").control == "russia"
    assert found.rule_for("UA-09").recognition == "de_jure"
    assert found.rule_for("UA-63").control == "keep"
    assert [r.label for r in found.sub_areas("UA-23")] == ["Nuclear plant zone"]
    assert found.notes == ("Neutrality.",)


BAD_FILES = {
    "toml syntax": ('[[scenario]\nid = "x"\n', r"TOML syntax error: .*\(at line 5, column 11\)"),
    "unknown region": (
        scenario_text('[[scenario.rule]]\nregions = "Donetzk"\ncontrol = "keep"'),
        r"scenario 'plan', key 'rule\[0\].regions': unknown region 'Donetzk'; did you mean "
        r"'Donetsk \(UA-14\)'",
    ),
    "unknown rule": (
        scenario_text('[[scenario.rule]]\nregions = "Donetsk"\ncontrol = "russian"'),
        r"key 'rule\[0\].control': unknown value 'russian' \(did you mean 'russia'\?\)",
    ),
    "unknown status": (
        scenario_text(
            '[[scenario.rule]]\nregions = "Donetsk"\ncontrol = "russia"\nrecognition = "full"'
        ),
        r"key 'rule\[0\].recognition': unknown value 'full'",
    ),
    "unknown key": (
        scenario_text('[[scenario.rule]]\nregion = "Donetsk"\ncontrol = "russia"'),
        r"key 'rule\[0\].region': unknown key \(did you mean 'regions'\?\)",
    ),
    "contradiction via aliases": (
        scenario_text(
            '[[scenario.rule]]\nregions = "Donetsk"\ncontrol = "russia"\n'
            '[[scenario.rule]]\nregions = ["UA-14"]\ncontrol = "ukraine"'
        ),
        r"key 'rule\[1\].regions': contradicts rule\[0\] for UA-14",
    ),
    "missing title": (
        '[[scenario]]\nid = "plan"\nsummary = "s"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"',
        r"scenario 'plan', key 'title': missing required field",
    ),
    "missing control": (
        scenario_text('[[scenario.rule]]\nregions = "Donetsk"'),
        r"key 'rule\[0\].control': missing required field",
    ),
    "missing rules": (scenario_text(""), r"key 'rule': missing required field"),
    "no scenarios": ("", r"key 'scenario': no \[\[scenario\]\] tables"),
    "line without date": (
        scenario_text('[[scenario.rule]]\nregions = "*"\ncontrol = "line"'),
        r"key 'rule\[0\].line': missing required field",
    ),
    "sub-area for two regions": (
        scenario_text(
            '[[scenario.rule]]\nregions = ["Donetsk", "Luhansk"]\ncontrol = "ukraine"\n'
            "area = { around = [37.6, 48.7], radius_km = 5 }"
        ),
        r"key 'rule\[0\].area': a sub-area rule names exactly one region",
    ),
    "sub-area file missing": (
        scenario_text(
            '[[scenario.rule]]\nregions = "Donetsk"\ncontrol = "ukraine"\n'
            'area = { file = "nowhere.geojson" }'
        ),
        r"key 'rule\[0\].area.file': no such file",
    ),
    "bad radius": (
        scenario_text(
            '[[scenario.rule]]\nregions = "Donetsk"\ncontrol = "ukraine"\n'
            "area = { around = [37.6, 48.7], radius_km = -3 }"
        ),
        r"key 'rule\[0\].area.radius_km': expected a number",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_fail_with_one_clear_line(tmp_path, case):
    body, message = BAD_FILES[case]
    path = write(tmp_path, body)
    with pytest.raises(ScenarioError, match=message) as info:
        load_scenarios(path)
    text = str(info.value)
    assert text.startswith(str(path))
    assert "\n" not in text


def test_duplicate_ids_are_refused(tmp_path):
    rule = '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"'
    path = write(tmp_path, scenario_text(rule) + scenario_text(rule))
    with pytest.raises(ScenarioError, match="duplicate id 'plan'"):
        load_scenarios(path)


def test_files_that_are_not_scenario_files(tmp_path):
    binary = tmp_path / "junk.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenarios(binary)
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenarios(tmp_path / "missing.toml")
    with pytest.raises(ScenarioError, match="is a directory"):
        load_scenarios(tmp_path)


def test_identical_repeated_rules_are_not_a_contradiction(tmp_path):
    rules = (
        '[[scenario.rule]]\nregions = "Donetsk"\ncontrol = "russia"\n'
        '[[scenario.rule]]\nregions = ["UA-14", "Luhansk"]\ncontrol = "russia"'
    )
    (found,) = load_scenarios(write(tmp_path, scenario_text(rules)))
    assert found.rule_for("UA-09").control == "russia"


def test_scenario_lookup(tmp_path):
    assert territory.scenario("freeze").id == "freeze"
    with pytest.raises(territory.UnknownNameError, match="did you mean 'us-russia-draft'"):
        territory.scenario("us-russia")
    rule = '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"'
    path = write(tmp_path, scenario_text(rule))
    assert territory.scenario(path).id == "plan"
    assert territory.scenario("plan", path).id == "plan"
    two = write(
        tmp_path, scenario_text(rule) + scenario_text(rule).replace('"plan"', '"b"'), "2.toml"
    )
    with pytest.raises(ScenarioError, match="holds several scenarios"):
        territory.scenario(two)
    assert territory.scenario(f"{two}#b").id == "b"


def test_select_reads_each_file_once_however_many_ids(tmp_path, monkeypatch) -> None:
    import territory._scenarios as module

    path = tmp_path / "plans.toml"
    path.write_text(
        '[source]\noutlet = "X"\n'
        + "".join(
            f'[[scenario]]\nid = "plan-{i}"\ntitle = "Plan {i}"\nsummary = "s"\n'
            '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
            for i in range(20)
        ),
        encoding="utf-8",
    )
    reads = []
    original = module.load_scenarios
    monkeypatch.setattr(module, "load_scenarios", lambda f: reads.append(f) or original(f))
    ids = [f"plan-{i}" for i in range(20)] + [f"{path}#plan-3", "freeze"]
    chosen = module.select(ids, path)
    assert [s.id for s in chosen] == [*ids[:20], "plan-3", "freeze"]
    # Once as an extra source, once more as FILE#ID; never once per id.
    assert [str(r) for r in reads if str(r).endswith("plans.toml")] == [str(path)] * 2


def _sketch_files(folder: Path, feature: str = "shape-2", extra: str = "") -> Path:
    import json

    def box(x0: float, y0: float, x1: float, y1: float) -> list:
        return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]

    features = [
        {
            "type": "Feature",
            "properties": {"name": name},
            "geometry": {"type": "Polygon", "coordinates": box(*corners)},
        }
        for name, corners in (
            ("shape-1", (37.0, 48.4, 37.4, 48.8)),
            ("shape-2", (37.5, 48.4, 37.7, 48.6)),
        )
    ]
    (folder / "sketch.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": features})
    )
    path = folder / "sketch.toml"
    path.write_text(
        '[source]\noutlet = "x"\n[[scenario]]\nid = "sketch"\ntitle = "t"\nsummary = "s"\n'
        f'[[scenario.rule]]\nregions = "UA-14"\n'
        f'area = {{ file = "sketch.geojson", feature = "{feature}"{extra} }}\ncontrol = "russia"\n'
        '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\n'
    )
    return path


def test_a_sub_area_may_be_one_feature_of_a_file(tmp_path):
    import shapely

    from territory._resolve import sub_area_geometry

    (scenario,) = load_scenarios(_sketch_files(tmp_path))
    area = scenario.rules[0].area
    assert area.feature == "shape-2" and str(area) == "file sketch.geojson (shape-2)"
    shape = sub_area_geometry(area)
    assert shape.equals(shapely.box(37.5, 48.4, 37.7, 48.6))  # that feature, not the file


def test_a_missing_feature_is_one_clear_line(tmp_path, run):
    path = _sketch_files(tmp_path, feature="shape-9")
    result = run("stats", "sketch", "--scenarios", str(path))
    assert result.exit_code == 1
    assert "no polygon feature named 'shape-9'" in result.stderr
    assert "Traceback" not in result.output
    with pytest.raises(ScenarioError, match="area.feature': only used with 'file'"):
        load_scenarios(
            _write(tmp_path, 'area = { around = "Enerhodar", radius_km = 5, feature = "a" }')
        )


def _write(folder: Path, area: str) -> Path:
    path = folder / "bad.toml"
    path.write_text(
        '[[scenario]]\nid = "x"\ntitle = "t"\nsummary = "s"\n'
        f'[[scenario.rule]]\nregions = "Zaporizhzhia"\n{area}\ncontrol = "ukraine"\n'
    )
    return path


def test_every_claim_of_the_later_plans_is_cited() -> None:
    path = Path(territory.scenarios()[-1].file or "")
    assert path.name == "later-plans.toml"
    found = load_scenarios(path)
    assert [s.id for s in found][:2] == ["28-point-plan", "twenty-point-framework"]
    for s in found:
        assert {"outlet", "date", "title"} <= set(s.source), s.id
        assert s.source["date"] >= "2025-11-20", s.id
        assert all(rule.claim for rule in s.rules), s.id
        url = s.source.get("url")
        assert url is None or url.partition(":")[0] == "https", s.id  # a secure link, if any


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ('{ along_line_km = 5, side = "west" }', "unknown value 'west'"),
        ("{ along_line_km = 0 }", "between 0.1 and 500"),
        ("{ along_line_km = 1e-7 }", "between 0.1 and 500"),
        ('{ around = "Enerhodar", radius_km = 5, side = "both" }', "only used with"),
        ('{ along_line_km = 5, around = "Enerhodar" }', "give one of"),
    ],
)
def test_band_mistakes_name_the_key(tmp_path: Path, area: str, message: str) -> None:
    path = write_plan(
        tmp_path,
        f'[[scenario.rule]]\nregions = "Donetsk"\narea = {area}\ncontrol = "keep"\n',
    )
    with pytest.raises(ScenarioError, match=message):
        load_scenarios(path)


def test_an_unknown_demilitarised_value_names_the_key(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path, '[[scenario.rule]]\nregions = "*"\ncontrol = "keep"\ndemilitarised = "yes"\n'
    )
    with pytest.raises(ScenarioError, match=r"rule\[0\]\.demilitarised.*handed-over"):
        load_scenarios(path)


def test_a_point_area_still_names_exactly_one_region(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        '[[scenario.rule]]\nregions = ["Donetsk", "Luhansk"]\n'
        'area = { around = "Kramatorsk", radius_km = 5 }\ncontrol = "keep"\n',
    )
    with pytest.raises(ScenarioError, match="names exactly one region"):
        load_scenarios(path)


def test_a_huge_scenario_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_bytes(b"# " + b"x" * 2_000_000)
    with pytest.raises(territory.TerritoryError, match="larger than 1,000,000 bytes"):
        territory.load_scenarios(path)


# --- generated and mutated scenario files: loaded, or refused in one line -------------------

FAST = settings.get_profile("fast")


ARTICLE = Path(territory.scenario("freeze").file or "").read_text(encoding="utf-8")


def _loads_or_fails_cleanly(path: Path) -> None:
    try:
        load_scenarios(path)
    except ScenarioError as problem:
        message = str(problem)
        assert message.startswith(str(path)) and "\n" not in message


@FAST
@given(data=st.data())
def test_mutated_article_file(tmp_path, data):
    text = ARTICLE
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 40))
        insert = data.draw(st.text(alphabet='[]{}"=,.#\n *abc01', max_size=8))
        text = text[:at] + insert + text[at + cut :]
    path = tmp_path / "mutated.toml"
    path.write_text(text, encoding="utf-8")
    _loads_or_fails_cleanly(path)


_values = st.one_of(
    st.sampled_from(["Donetsk", "UA-14", "*", "Atlantis", "", "keep", "russia", "line"]),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.booleans(),
    st.lists(st.sampled_from(["Donetsk", "Kherson", "Krym", "nowhere"]), max_size=3),
)


_rule_keys = st.sampled_from(
    ["regions", "control", "recognition", "line", "area", "label", "claim", "colour"]
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if value != value else repr(value).replace("inf", "inf")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value)


@FAST
@given(rules=st.lists(st.dictionaries(_rule_keys, _values, max_size=5), max_size=4))
def test_generated_rules(tmp_path, rules):
    lines = ["[[scenario]]", 'id = "g"', 'title = "t"', 'summary = "s"']
    for rule in rules:
        lines.append("[[scenario.rule]]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in rule.items()]
    path = tmp_path / "generated.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _loads_or_fails_cleanly(path)


@FAST
@given(blob=st.binary(max_size=200))
def test_random_bytes_as_a_scenario_file(tmp_path, blob):
    path = tmp_path / "blob.toml"
    path.write_bytes(blob)
    _loads_or_fails_cleanly(path)


_SNAPSHOT = territory.snapshot()


_degrees = st.one_of(
    st.floats(min_value=20, max_value=42),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-1000, 1000),
)


def _resolves_or_fails_cleanly(path: Path) -> None:
    """Loaded and resolved on the newest shipped line, or refused with one line."""
    try:
        (scen,) = load_scenarios(path)
        zones = territory.resolve(scen, _SNAPSHOT)
    except TerritoryError as problem:
        assert str(problem) and "\n" not in str(problem)
        return
    assert zones["area_km2"].sum() == pytest.approx(
        territory.area_km2(territory.ukraine()), rel=1e-6
    )


@settings(FAST, max_examples=max(10, FAST.max_examples // 3))
@given(lon=_degrees, lat=_degrees, radius=st.floats(allow_nan=True, allow_infinity=True))
def test_generated_around_points(tmp_path, lon, lat, radius):
    rule = (
        f'regions = "Donetsk"\ncontrol = "russia"\n'
        f"area = {{ around = [{_toml_value(lon)}, {_toml_value(lat)}], "
        f"radius_km = {_toml_value(radius)} }}"
    )
    path = tmp_path / "around.toml"
    path.write_text(
        f'[[scenario]]\nid = "a"\ntitle = "t"\nsummary = "s"\n[[scenario.rule]]\n{rule}\n'
    )
    _resolves_or_fails_cleanly(path)


@settings(FAST, max_examples=max(10, FAST.max_examples // 3))
@given(
    widths=st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=4),
    side=st.sampled_from(["both", "ukrainian", "russian"]),
)
def test_generated_band_widths(tmp_path, widths, side):
    rules = "".join(
        f'[[scenario.rule]]\nregions = "*"\ncontrol = "contested"\n'
        f'area = {{ along_line_km = {_toml_value(w)}, side = "{side}" }}\n'
        for w in widths
    )
    path = tmp_path / "bands.toml"
    path.write_text(f'[[scenario]]\nid = "b"\ntitle = "t"\nsummary = "s"\n{rules}')
    _resolves_or_fails_cleanly(path)


NASTY_SCENARIOS = {
    "empty.toml": (b"", "no \\[\\[scenario\\]\\] tables"),
    "binary.toml": (bytes(range(256)), "not UTF-8"),
    "nested.toml": (("x = " + "[" * 5000 + "]" * 5000).encode(), "TOML"),
    "deep-tables.toml": (("[" + ".".join(["a"] * 3000) + "]\n").encode(), "unknown top-level key"),
    "bom.toml": ("\ufeff[[scenario]]\nid = 'x'\n".encode(), "TOML syntax error"),
}


@pytest.mark.parametrize("name", sorted(NASTY_SCENARIOS))
def test_nasty_scenario_files_fail_with_a_message(tmp_path, name):
    content, expected = NASTY_SCENARIOS[name]
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ScenarioError, match=expected):
        load_scenarios(path)


def test_a_bound_can_be_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = many_scenarios(tmp_path, 60)
    with pytest.raises(ScenarioError, match="60 scenarios in the file, more than the limit of 50"):
        load_scenarios(path)
    monkeypatch.setenv("TERRITORY_MAX_SCENARIOS", "60")
    assert len(load_scenarios(path)) == 60
