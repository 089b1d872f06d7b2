"""The words of the zones contract, defined once.

Every zone (:func:`territory.resolve`) says who holds its ground now and under a scenario
(:data:`CONTROL`), how Russian control is recognised (:data:`RECOGNITION`), whether the ground
changes hands (:data:`CHANGE`, by :func:`change`) and whether it is demilitarised; a scenario's
rules say what each region becomes (:data:`CONTROL_RULES`, :data:`DEMILITARISED`); a
snapshot's polygons mark the ground that is not Ukrainian-held (:data:`HELD`); tables add up
to one row for all of Ukraine (:data:`TOTAL`). Nothing here imports the rest of the package.
"""

from __future__ import annotations

__all__ = [
    "CHANGE",
    "CONTROL",
    "CONTROL_RULES",
    "DEMILITARISED",
    "DIRECTIONS",
    "HELD",
    "RECOGNITION",
    "TOTAL",
    "change",
]

#: Who holds a zone's ground: now (``control_now``) and under a scenario (``control_after``).
CONTROL = ("ukraine", "russia", "contested")
#: What a snapshot's polygons mark: the ground that is not Ukrainian-held.
HELD = ("russia", "contested")
#: What a scenario's rule may say of a region: keep the line, a side, contested, or the
#: control of another line.
CONTROL_RULES = ("keep", "russia", "ukraine", "contested", "line")
#: How Russian control is recognised.
RECOGNITION = ("none", "de_facto", "de_jure")
#: The two ways ground changes hands.
DIRECTIONS = ("to_russia", "to_ukraine")
#: A zone's ``change``: none, or one of the directions.
CHANGE = ("none", *DIRECTIONS)
#: What a rule's ``demilitarised`` may be: nothing, all its ground, or only the ground that
#: changes hands under it.
DEMILITARISED = ("", "all", "handed-over")
#: The region code of the row for all of Ukraine in every table.
TOTAL = "UA"


def change(before: str, after: str, *, otherwise: str = "none") -> str:
    """How ground changes hands between two controls: ``to_russia`` when it ends up
    Russian-held and was not, ``to_ukraine`` when it ends up Ukrainian-held and was not;
    ``none`` when the control stays, ``otherwise`` when it becomes contested.

    Examples
    --------
    >>> change("ukraine", "russia"), change("contested", "ukraine"), change("russia", "russia")
    ('to_russia', 'to_ukraine', 'none')
    >>> change("russia", "contested"), change("russia", "contested", otherwise="other")
    ('none', 'other')
    """
    if before == after:
        return "none"
    if after == "russia":
        return "to_russia"
    if after == "ukraine":
        return "to_ukraine"
    return otherwise
