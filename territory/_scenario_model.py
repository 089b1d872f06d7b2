"""What a scenario is: its rules per region and sub-area, and the terms no polygon can hold
(the model that :mod:`territory._scenarios` reads scenario files into)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from territory.errors import TerritoryError
from territory.reference import LineRef

__all__ = ["ALL", "Rule", "Scenario", "ScenarioError", "SubArea"]

#: A rule's regions for every region no other rule names.
ALL = "*"


class ScenarioError(TerritoryError):
    """A scenario file that cannot be used, with the file, scenario and key at fault."""


@dataclasses.dataclass(frozen=True)
class SubArea:
    """A named part of one or more regions: a polygon file, a circle around a place, or a
    band along the line of contact of whatever snapshot the scenario is applied to."""

    file: Path | None = None
    around: str | tuple[float, float] | None = None
    radius_km: float | None = None
    along_line_km: float | None = None
    side: str = "both"  # for a band: one of BAND_SIDES
    #: With a file: only its features whose ``name`` is this (a sketch's export holds
    #: every shape in one file).
    feature: str | None = None

    @property
    def is_band(self) -> bool:
        return self.along_line_km is not None

    def __str__(self) -> str:
        """How messages name the sub-area, in the words of the rule language.

        Examples
        --------
        >>> str(SubArea(around=(35.0, 47.8), radius_km=10))
        'around [35.0, 47.8] (10 km)'
        >>> str(SubArea(along_line_km=5, side="ukrainian"))
        'a 5 km band along the line (ukrainian side)'
        """
        if self.file is not None:
            return f"file {self.file.name}" + (f" ({self.feature})" if self.feature else "")
        if self.is_band:
            return f"a {self.along_line_km:g} km band along the line ({self.side} side)"
        around = list(self.around) if isinstance(self.around, tuple) else self.around
        return f"around {around} ({self.radius_km:g} km)"


@dataclasses.dataclass(frozen=True)
class Rule:
    """What a scenario says of some regions, or of a sub-area of one region."""

    regions: tuple[str, ...]  # ISO codes; ("*",) for every region no other rule names
    control: str
    recognition: str = "none"
    recognised_by: tuple[str, ...] = ()
    claim: str = ""
    line: LineRef | None = None
    area: SubArea | None = None
    label: str = ""
    demilitarised: str = ""  # one of DEMILITARISED

    @property
    def is_default(self) -> bool:
        return self.regions == (ALL,)

    def demilitarises(self, change: str) -> bool:
        """Whether this rule demilitarises a piece that changes hands as ``change`` says.

        Examples
        --------
        >>> rule = Rule(regions=("UA-14",), control="russia", demilitarised="handed-over")
        >>> rule.demilitarises("to_russia"), rule.demilitarises("none")
        (True, False)
        """
        if self.demilitarised == "handed-over":
            return change != "none"
        return self.demilitarised == "all"


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A settlement proposal: metadata, rules and the terms no polygon can hold."""

    id: str
    title: str
    summary: str
    source: dict[str, str]
    rules: tuple[Rule, ...]
    notes: tuple[str, ...] = ()
    file: Path | None = None
    #: The title and summary in Ukrainian, when the file gives them (``title_uk``,
    #: ``summary_uk``); pages and figures in Ukrainian fall back to English per field.
    title_uk: str = ""
    summary_uk: str = ""

    def text(self, field: str, lang: str = "en") -> str:
        """The scenario's ``"title"`` or ``"summary"`` in ``lang``, else in English.

        Examples
        --------
        >>> from territory import scenario
        >>> s = scenario("us-russia-draft")
        >>> s.text("title", "uk").startswith("Проєкт США"), s.text("title") == s.title
        (True, True)
        """
        if lang == "uk":
            return str(getattr(self, f"{field}_uk")) or str(getattr(self, field))
        return str(getattr(self, field))

    @property
    def citation(self) -> str:
        """The source in one line: outlet and date."""
        parts = [self.source.get("outlet", ""), self.source.get("date", "")]
        return ", ".join(p for p in parts if p) or "no source given"

    def rule_for(self, iso: str) -> Rule:
        """The whole-region rule that governs unit ``iso`` (a named rule beats ``*``)."""
        named = [r for r in self.rules if r.area is None and iso in r.regions]
        if named:
            return named[0]
        default = [r for r in self.rules if r.area is None and r.is_default]
        if default:
            return default[0]
        return Rule(regions=(iso,), control="keep", claim="No rule names this region.")

    def sub_areas(self, iso: str) -> list[Rule]:
        """The sub-area rules inside unit ``iso``, in file order (a band rule for ``*``
        reaches into every unit)."""
        return [r for r in self.rules if r.area is not None and (iso in r.regions or r.is_default)]

    def as_record(self) -> dict[str, Any]:
        """A plain dict for JSON output."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            **({"title_uk": self.title_uk} if self.title_uk else {}),
            **({"summary_uk": self.summary_uk} if self.summary_uk else {}),
            "source": self.source,
            "notes": list(self.notes),
            "file": str(self.file) if self.file else None,
            "rules": [
                {
                    "regions": list(r.regions),
                    "control": r.control,
                    "line": None if r.line is None else str(r.line),
                    "recognition": r.recognition,
                    "recognised_by": list(r.recognised_by),
                    "demilitarised": r.demilitarised,
                    "label": r.label,
                    "claim": r.claim,
                }
                for r in self.rules
            ],
        }
