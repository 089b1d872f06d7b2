"""The stated bounds on what one command will read and do, each with the environment
variable that changes it.

Every bound is checked before the work it guards, and a refusal names the variable to
raise. A variable that is set must hold a positive finite number: anything else (``nan``,
``inf``, ``-1``, ``ten``) is a one-line error, never a silent default or a limit switched off.

Examples
--------
>>> MAX_SCENARIOS.value()
50
>>> MAX_SCENARIOS.check(12, "plan.toml", "scenarios in the file")
>>> MAX_SCENARIOS.check(9_813, "plan.toml", "scenarios in the file")
Traceback (most recent call last):
...
territory.errors.TerritoryError: plan.toml: 9,813 scenarios in the file, ... limit of 50 ...
"""

from __future__ import annotations

import dataclasses
import math
import os

from territory.errors import TerritoryError

__all__ = [
    "FETCH_DEADLINE_S",
    "FETCH_READ_TIMEOUT_S",
    "MAX_INPUT_MB",
    "MAX_POLYGONS",
    "MAX_RULES",
    "MAX_SCENARIOS",
    "MAX_SUB_AREAS",
    "MAX_TEXT_CHARS",
    "MAX_TITLE_CHARS",
    "MAX_VERTICES",
    "Limit",
]


@dataclasses.dataclass(frozen=True)
class Limit:
    """A bound with its default and the environment variable that overrides it."""

    variable: str
    default: int | float
    #: Whether the bound counts things (a whole number) or measures (seconds, MB).
    whole: bool = True

    def value(self) -> int | float:
        """The bound in force: the variable's value when set, else the default.

        Raises
        ------
        TerritoryError
            The variable is set to something that is not a positive finite number.
        """
        text = os.environ.get(self.variable)
        if text is None or not text.strip():
            return self.default
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not (math.isfinite(number) and number > 0):
            shown = " ".join(text.split())[:40]
            raise TerritoryError(f"{self.variable}={shown!r}: expected a positive finite number")
        return max(1, math.floor(number)) if self.whole else number

    def problem(self, count: float, what: str) -> str | None:
        """What is wrong when ``count`` (of ``what``) passes the bound, else None."""
        limit = self.value()
        if count <= limit:
            return None
        return f"{count:,} {what}, more than the limit of {limit:,} (raise it with {self.variable})"

    def check(
        self, count: float, where: object, what: str, error: type[Exception] = TerritoryError
    ) -> None:
        """Refuse ``count`` (of ``what``, found in ``where``) when it passes the bound."""
        problem = self.problem(count, what)
        if problem is not None:
            raise error(f"{where}: {problem}")


#: The largest input read, uncompressed, in MB: the daily archive since July 2024 is about
#: 55 MB; a front-line file larger than this is far more likely a mistake, or a
#: decompression bomb, than a map. Counted as bytes arrive and as they are decompressed.
MAX_INPUT_MB = Limit("TERRITORY_MAX_INPUT_MB", 128, whole=False)
#: The most polygons (parts of multi-polygons counted one by one) read from one input. A
#: front line has a few hundred to a few thousand; 200,000 cells of a grid read in about
#: 10 s, and time grows faster than the count when the polygons are scattered apart.
MAX_POLYGONS = Limit("TERRITORY_MAX_POLYGONS", 250_000)
#: The most vertices in the map of one date (inside Ukraine): DeepState's daily maps have
#: about 3,200. Time and memory grow with them: rendering 124,000 scattered triangles
#: (500,000 vertices) took 950 MB, 40,000 circles of a million vertices 1.6 GB; below this
#: bound every command stays under 1 GB.
MAX_VERTICES = Limit("TERRITORY_MAX_VERTICES", 400_000)
#: The longest one download may take, all its attempts together, in seconds.
FETCH_DEADLINE_S = Limit("TERRITORY_FETCH_DEADLINE_S", 60, whole=False)
#: The longest a download may wait for the server to connect or to send the next bytes.
FETCH_READ_TIMEOUT_S = Limit("TERRITORY_FETCH_TIMEOUT_S", 20, whole=False)
#: Scenario files: scenarios in one file (the shipped files hold 7 and 5).
MAX_SCENARIOS = Limit("TERRITORY_MAX_SCENARIOS", 50)
#: Rules in one scenario (the shipped ones have at most 4; one per region is 27).
MAX_RULES = Limit("TERRITORY_MAX_RULES", 100)
#: Sub-areas (circles, bands, polygon files) in one scenario: each is drawn and overlaid
#: on every region it names.
MAX_SUB_AREAS = Limit("TERRITORY_MAX_SUB_AREAS", 20)
#: Characters in a title (a scenario's, its source's); the shipped ones have at most 90.
MAX_TITLE_CHARS = Limit("TERRITORY_MAX_TITLE_CHARS", 200)
#: Characters in any other text of a scenario file (a summary, a note, a label, a claim,
#: a source field); the shipped ones have at most 520.
MAX_TEXT_CHARS = Limit("TERRITORY_MAX_TEXT_CHARS", 4000)
