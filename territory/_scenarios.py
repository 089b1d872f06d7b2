"""Settlement scenarios: rules per region, kept as TOML files and applied to any snapshot.

A scenario file holds a ``[source]`` table and one or more ``[[scenario]]`` tables, each with
``[[scenario.rule]]`` entries. The syntax is documented in README.md ("Writing a scenario
file"); :func:`load_scenarios` checks every key and names the file, scenario and key of
anything wrong.
"""

from __future__ import annotations

import collections
import difflib
import functools
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from territory._regions import region_code
from territory._scenario_model import ALL, Rule, Scenario, ScenarioError, SubArea
from territory.datafiles import shipped
from territory.errors import InputFileError, TerritoryError, UnknownNameError
from territory.limits import (
    MAX_RULES,
    MAX_SCENARIOS,
    MAX_SUB_AREAS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
)
from territory.lookup import Lookup
from territory.reference import LineRef
from territory.unpack import check_input
from territory.vocabulary import CONTROL_RULES, DEMILITARISED, RECOGNITION

__all__ = [
    "ARTICLE_FILE",
    "BAND_SIDES",
    "LATER_FILE",
    "SHIPPED_FILES",
    "CONTROL_RULES",
    "DEMILITARISED",
    "RECOGNITION",
    "Rule",
    "Scenario",
    "ScenarioError",
    "SubArea",
    "load_scenarios",
    "scenario",
    "scenarios",
    "select",
]

#: The shipped scenario file for the August 2025 report.
ARTICLE_FILE = "article-2025-08.toml"
#: The shipped scenario file for the plans that followed it (November 2025 on).
LATER_FILE = "later-plans.toml"
#: Every shipped scenario file, in the order their scenarios are listed.
SHIPPED_FILES = (ARTICLE_FILE, LATER_FILE)

#: What a rule may say of control: keep the line, give the area to one side, call it
#: contested, or take control from another snapshot's line.
#: What a rule may say of Russian control there.
_SCENARIO_KEYS = {"id", "title", "summary", "title_uk", "summary_uk", "notes", "rule", "source"}
_RULE_KEYS = {
    "regions",
    "control",
    "recognition",
    "recognised_by",
    "claim",
    "area",
    "label",
    "line",
    "demilitarised",
}
_AREA_KEYS = {"file", "feature", "around", "radius_km", "along_line_km", "side"}
#: Which side of the line of contact a band covers: Ukrainian-held ground, Russian-held (and
#: contested) ground, or both.
BAND_SIDES = ("ukrainian", "russian", "both")
#: What a rule may demilitarise: nothing, all the ground it covers, or only the ground that
#: changes hands under it (``demilitarised = false``, ``true`` or ``"handed-over"``).


class _Where:
    """Builds error messages that name the file, the scenario and the key."""

    def __init__(self, path: Path, scenario: str | None = None) -> None:
        self.path = path
        self.scenario = scenario

    def error(self, key: str, problem: str) -> ScenarioError:
        where = f"scenario {self.scenario!r}, " if self.scenario else ""
        return ScenarioError(f"{self.path}: {where}key {key!r}: {problem}")


def _choice(value: Any, allowed: Iterable[str], key: str, where: _Where) -> str:
    allowed = tuple(allowed)
    if value in allowed:
        return str(value)
    close = difflib.get_close_matches(str(value), allowed, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise where.error(key, f"unknown value {value!r}{hint}; expected one of {', '.join(allowed)}")


def _text(table: dict, key: str, where: _Where, *, required: bool, prefix: str = "") -> str:
    if key not in table:
        if required:
            raise where.error(prefix + key, "missing required field")
        return ""
    value = table[key]
    if not isinstance(value, str):
        raise where.error(prefix + key, f"expected text, got {type(value).__name__}")
    return _bounded(value, prefix + key, where)


def _text_list(table: dict, key: str, where: _Where, prefix: str = "") -> tuple[str, ...]:
    value = table.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise where.error(prefix + key, "expected a list of text")
    return tuple(_bounded(v, f"{prefix}{key}[{i}]", where) for i, v in enumerate(value))


def _bounded(text: str, key: str, where: _Where) -> str:
    """Text with its runs of white space made one space, within its length limit."""
    limit = MAX_TITLE_CHARS if key.endswith(("title", "title_uk")) else MAX_TEXT_CHARS
    problem = limit.problem(len(text), "characters")
    if problem is not None:
        raise where.error(key, problem)
    return " ".join(text.split())


def _source(table: dict, key: str, where: _Where) -> dict[str, str]:
    """A ``[source]`` table: its fields as text, each within its length limit."""
    return {k: _bounded(str(v), f"{key}.{k}", where) for k, v in table.items()}


def _region_codes(value: Any, key: str, where: _Where) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise where.error(key, "expected a region name, a list of names, or '*'")
    if names == [ALL]:
        return (ALL,)
    codes = []
    for name in names:
        try:
            codes.append(region_code(name))
        except UnknownNameError as miss:
            raise where.error(key, str(miss)) from None
    return tuple(dict.fromkeys(codes))


#: The narrowest band and smallest circle: 100 m, below the grid of our outlines (about
#: 130 m by 89 m), where a band would be a line drawn with no width to speak of.
_MIN_KM = 0.1


def _km(value: Any, key: str, where: _Where) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not _MIN_KM <= value <= 500:
        raise where.error(key, f"expected a number of km between {_MIN_KM} and 500")
    return float(value)


def _sub_area(value: Any, base: Path, key: str, where: _Where) -> SubArea:
    if not isinstance(value, dict):
        raise where.error(key, "expected a table such as { around = 'Enerhodar', radius_km = 10 }")
    unknown = set(value) - _AREA_KEYS
    if unknown:
        raise where.error(f"{key}.{sorted(unknown)[0]}", "unknown key")
    kinds = [k for k in ("file", "around", "along_line_km") if k in value]
    if len(kinds) != 1:
        raise where.error(
            key, "give one of 'file', 'around' (with 'radius_km') or 'along_line_km' (a band)"
        )
    if "side" in value and "along_line_km" not in value:
        raise where.error(f"{key}.side", "only used with 'along_line_km'")
    if "feature" in value and "file" not in value:
        raise where.error(f"{key}.feature", "only used with 'file'")
    if "along_line_km" in value:
        if "radius_km" in value:
            raise where.error(f"{key}.radius_km", "only used with 'around'")
        side = _choice(value.get("side", "both"), BAND_SIDES, f"{key}.side", where)
        return SubArea(
            along_line_km=_km(value["along_line_km"], f"{key}.along_line_km", where), side=side
        )
    if "file" in value:
        file = (base / str(value["file"])).resolve()
        if not file.exists():
            raise where.error(f"{key}.file", f"no such file {file}")
        feature = value.get("feature")
        if feature is not None and (not isinstance(feature, str) or not feature.strip()):
            raise where.error(f"{key}.feature", "expected the name of a feature of the file")
        return SubArea(file=file, feature=feature)
    around = value["around"]
    radius = _km(value.get("radius_km"), f"{key}.radius_km", where)
    if isinstance(around, list):
        if len(around) != 2 or not all(
            isinstance(c, int | float) and not isinstance(c, bool) for c in around
        ):
            raise where.error(f"{key}.around", "expected a place name or [lon, lat]")
        lon, lat = (float(c) for c in around)
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):  # NaN fails both
            raise where.error(
                f"{key}.around", f"[{lon}, {lat}] is not a point: expected [lon, lat] in degrees"
            )
        return SubArea(around=(lon, lat), radius_km=float(radius))
    if not isinstance(around, str):
        raise where.error(f"{key}.around", "expected a place name or [lon, lat]")
    return SubArea(around=around, radius_km=float(radius))


def _line_reference(text: str, base: Path, key: str, where: _Where) -> LineRef:
    """The line a rule names, parsed as every line is; a file path from the scenario file's
    folder, as sub-area files are."""
    try:
        return LineRef.parse(text, base=base)
    except TerritoryError as problem:
        raise where.error(key, str(problem)) from None


def _demilitarised(value: Any, key: str, where: _Where) -> str:
    if value is True:
        return "all"
    if value is False:
        return ""
    if value == "handed-over":
        return "handed-over"
    raise where.error(
        key,
        f"unknown value {value!r}; expected true (all the ground the rule covers), false, "
        "or 'handed-over' (only the ground that changes hands under the rule)",
    )


def _parse_rule(table: Any, index: int, base: Path, where: _Where) -> Rule:
    prefix = f"rule[{index}]."
    if not isinstance(table, dict):
        raise where.error(f"rule[{index}]", "expected a table")
    unknown = set(table) - _RULE_KEYS
    if unknown:
        name = sorted(unknown)[0]
        close = difflib.get_close_matches(name, _RULE_KEYS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise where.error(prefix + name, f"unknown key{hint}")
    for required in ("regions", "control"):
        if required not in table:
            raise where.error(prefix + required, "missing required field")
    codes = _region_codes(table["regions"], prefix + "regions", where)
    control = _choice(table["control"], CONTROL_RULES, prefix + "control", where)
    line = None
    if control == "line":
        text = _text(table, "line", where, required=True, prefix=prefix)
        line = _line_reference(text, base, prefix + "line", where)
    elif "line" in table:
        raise where.error(prefix + "line", "only used with control = 'line'")
    recognition = _choice(
        table.get("recognition", "none"), RECOGNITION, prefix + "recognition", where
    )
    area = None
    if "area" in table:
        area = _sub_area(table["area"], base, prefix + "area", where)
        if not area.is_band and (len(codes) != 1 or codes == (ALL,)):
            raise where.error(
                prefix + "area",
                "a sub-area rule names exactly one region (a band along the line may name "
                "several, or '*')",
            )
    return Rule(
        regions=codes,
        control=control,
        recognition=recognition,
        recognised_by=_text_list(table, "recognised_by", where, prefix),
        claim=_text(table, "claim", where, required=False, prefix=prefix),
        line=line,
        area=area,
        label=_text(table, "label", where, required=False, prefix=prefix),
        demilitarised=_demilitarised(
            table.get("demilitarised", False), prefix + "demilitarised", where
        ),
    )


def _check_contradictions(rules: list[Rule], where: _Where) -> None:
    seen: dict[str, tuple[int, Rule]] = {}
    for index, rule in enumerate(rules):
        if rule.area is not None:
            continue
        for code in rule.regions:
            if code not in seen:
                seen[code] = (index, rule)
                continue
            first_index, first = seen[code]
            same = (first.control, first.line, first.recognition, first.demilitarised) == (
                rule.control,
                rule.line,
                rule.recognition,
                rule.demilitarised,
            )
            if not same:
                what = "every other region" if code == ALL else code
                raise where.error(
                    f"rule[{index}].regions",
                    f"contradicts rule[{first_index}] for {what}",
                )


def _parse_scenario(table: Any, index: int, source: dict, path: Path) -> Scenario:
    where = _Where(path)
    if not isinstance(table, dict):
        raise where.error(f"scenario[{index}]", "expected a table")
    ident = table.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise where.error(f"scenario[{index}].id", "missing required field")
    where = _Where(path, ident)
    unknown = set(table) - _SCENARIO_KEYS
    if unknown:
        raise where.error(sorted(unknown)[0], "unknown key")
    title = _text(table, "title", where, required=True)
    summary = _text(table, "summary", where, required=True)
    raw_rules = table.get("rule")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise where.error("rule", "missing required field: at least one [[scenario.rule]]")
    for limit, count, what in (
        (MAX_RULES, len(raw_rules), "rules"),
        (MAX_SUB_AREAS, sum(isinstance(r, dict) and "area" in r for r in raw_rules), "sub-areas"),
    ):
        limit.check(count, f"{path}: scenario {ident.strip()!r}", what, ScenarioError)
    rules = [_parse_rule(r, i, path.parent, where) for i, r in enumerate(raw_rules)]
    _check_contradictions(rules, where)
    scenario_source = dict(source)
    if "source" in table:
        if not isinstance(table["source"], dict):
            raise where.error("source", "expected a table")
        scenario_source.update(_source(table["source"], "source", where))
    return Scenario(
        id=ident.strip(),
        title=title,
        summary=summary,
        source=scenario_source,
        rules=tuple(rules),
        notes=_text_list(table, "notes", where),
        file=path,
        title_uk=_text(table, "title_uk", where, required=False),
        summary_uk=_text(table, "summary_uk", where, required=False),
    )


#: A scenario file is a few KB of text; anything past this is not one (``/dev/zero``...).
MAX_SCENARIO_BYTES = 1_000_000


def _scenario_text(path: Path) -> str:
    if path.exists():
        try:
            check_input(path)  # a FIFO would wait forever for a writer
        except InputFileError as problem:
            raise ScenarioError(str(problem)) from None
    with path.open("rb") as stream:
        raw = stream.read(MAX_SCENARIO_BYTES + 1)
    if len(raw) > MAX_SCENARIO_BYTES:
        raise ScenarioError(
            f"{path}: larger than {MAX_SCENARIO_BYTES:,} bytes: not a scenario file"
        )
    return raw.decode("utf-8")


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Read every scenario of a TOML scenario file.

    Raises
    ------
    ScenarioError
        With the file, the scenario and the key at fault (or TOML's own line and column).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "plan.toml").write_text('''
    ... [source]
    ... outlet = "Example Times"
    ... date = "2025-11-20"
    ... [[scenario]]
    ... id = "dmz"
    ... title = "Rest of Donetsk demilitarised"
    ... summary = "Ukraine leaves Donetsk; the area it leaves becomes a buffer zone."
    ... [[scenario.rule]]
    ... regions = ["Donetsk"]
    ... control = "russia"
    ... recognition = "de_facto"
    ... ''')
    >>> [s.id for s in load_scenarios(folder / "plan.toml")]
    ['dmz']
    >>> _ = (folder / "bad.toml").write_text('[[scenario]]\\nid = "x"\\ntitle = "t"\\n'
    ...     'summary = "s"\\n[[scenario.rule]]\\nregions = "Donetzk"\\ncontrol = "keep"\\n')
    >>> load_scenarios(folder / "bad.toml")
    Traceback (most recent call last):
    ...
    territory.ScenarioError: ...bad.toml: scenario 'x', key 'rule[0].regions': ...
    """
    path = Path(path)
    try:
        data = tomllib.loads(_scenario_text(path))
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a directory, not a scenario file") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as syntax:
        raise ScenarioError(f"{path}: TOML syntax error: {syntax}") from None
    except RecursionError:
        raise ScenarioError(f"{path}: TOML nested too deeply") from None
    where = _Where(path)
    source = data.get("source", {})
    if not isinstance(source, dict):
        raise where.error("source", "expected a table")
    unknown = set(data) - {"source", "scenario"}
    if unknown:
        raise where.error(sorted(unknown)[0], "unknown top-level key")
    raw = data.get("scenario")
    if not isinstance(raw, list) or not raw:
        raise where.error("scenario", "no [[scenario]] tables in the file")
    MAX_SCENARIOS.check(len(raw), path, "scenarios in the file", ScenarioError)
    found = [
        _parse_scenario(t, i, _source(source, "source", where), path) for i, t in enumerate(raw)
    ]
    counts = collections.Counter(s.id for s in found)
    duplicates = sorted(i for i, n in counts.items() if n > 1)
    if duplicates:
        raise where.error("scenario.id", f"duplicate id {duplicates[0]!r}")
    return found


@functools.cache
def _shipped_scenarios() -> tuple[Scenario, ...]:
    return tuple(s for name in SHIPPED_FILES for s in load_scenarios(shipped("seeds", name)))


def scenarios(
    *files: str | Path, only: Iterable[str | Path | Scenario] | None = None
) -> list[Scenario]:
    """The shipped scenarios (the August 2025 report's seven, then the later plans),
    followed by those of any files given; with ``only``, those it names, in its order.

    ``only`` names each as :func:`scenario` does (an id however typed, a file, ``FILE#ID``),
    and every file is read once however many of its scenarios are named.

    Examples
    --------
    >>> [s.id for s in scenarios()]  # doctest: +NORMALIZE_WHITESPACE
    ['status-quo', 'freeze', 'us-russia-draft', 'putin-demands', 'earlier-us-offer',
     'ukraine-position', 'pre-invasion', '28-point-plan', 'twenty-point-framework',
     'fez-pullback-5km', 'fez-pullback-10km', 'fez-pullback-40km']
    >>> [s.id for s in scenarios(only=["freeze", "US-Russia draft"])]
    ['freeze', 'us-russia-draft']
    """
    if only is not None:
        return select(only, *files)
    found = list(_shipped_scenarios())
    for file in files:
        taken = {s.id: s.file for s in found}
        for added in load_scenarios(file):
            if added.id in taken:
                raise ScenarioError(
                    f"{file}: scenario id {added.id!r} is already used by {taken[added.id]}; "
                    "give it another id"
                )
            found.append(added)
    return found


def scenario(ref: str | Path | Scenario, *files: str | Path) -> Scenario:
    """One scenario by id (the article's, or from ``files``), or the only one of a file.

    A path to a file holding several scenarios may name one as ``path.toml#id``.

    Examples
    --------
    >>> scenario("us-russia-draft").rule_for("UA-14").control
    'russia'
    >>> scenario("putin")
    Traceback (most recent call last):
    ...
    territory.errors.UnknownNameError: unknown scenario 'putin'; did you mean 'putin-demands'?
    """
    return select([ref], *files)[0]


def select(refs: Iterable[str | Path | Scenario], *files: str | Path) -> list[Scenario]:
    """Several scenarios, as :func:`scenario` finds each, reading every file once.

    Examples
    --------
    >>> [s.id for s in select(["freeze", "US-Russia draft"])]
    ['freeze', 'us-russia-draft']
    """
    refs = list(refs)
    pool: list[Scenario] | None = None
    read: dict[str, list[Scenario]] = {}
    chosen = []
    for ref in refs:
        if isinstance(ref, Scenario):
            chosen.append(ref)
            continue
        text = str(ref)
        file_part, _, wanted = text.partition("#")
        if file_part.endswith(".toml") or Path(file_part).is_file():
            if file_part not in read:
                read[file_part] = load_scenarios(file_part)
            chosen.append(_in_file(file_part, wanted, read[file_part]))
            continue
        if pool is None:
            pool = scenarios(*files)
        chosen.append(_by_id(text, pool))
    return chosen


def _in_file(file_part: str, wanted: str, found: list[Scenario]) -> Scenario:
    """The scenario ``wanted`` of a file, or its only one when none is named."""
    if not wanted and len(found) == 1:
        return found[0]
    if not wanted:
        ids = ", ".join(s.id for s in found)
        raise ScenarioError(f"{file_part}: holds several scenarios ({ids}); name one as FILE#ID")
    return _by_id(wanted, found)


def _by_id(ident: str, candidates: list[Scenario]) -> Scenario:
    """The scenario of that id: exactly, else by the forgiving lookup over the ids (and, in
    a second tier, the titles)."""
    for candidate in candidates:
        if candidate.id == ident:
            return candidate
    by_id = [(c.id, c) for c in candidates]
    by_title = [(c.title, c) for c in candidates]
    return Lookup("scenario", [by_id, by_title], label=lambda s: s.id).find(ident)
