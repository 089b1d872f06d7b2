"""One forgiving lookup for every registry: regions, scenarios, places, snapshots, tiles.

A name is found however it is typed: case, spaces, punctuation, apostrophes and accents do
not matter, and Ukrainian or Russian Cyrillic is romanised before comparing (Ukraine's
official romanisation of 2010), so ``Запоріжжя``, ``zaporizhzhia`` and ``Zaporizhzhia``
meet. A miss raises :class:`~territory.errors.UnknownNameError` naming the closest entries.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from territory.errors import UnknownNameError

__all__ = ["Lookup", "key", "romanised"]

T = TypeVar("T")

# Ukraine's national romanisation (Cabinet of Ministers resolution 55 of 27 January 2010),
# plus the Russian letters it lacks. Word-initial forms differ for є, ї, й, ю, я.
_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu",
    "я": "ia", "ы": "y", "э": "e", "ё": "e", "ъ": "",
}  # fmt: skip
_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_TABLE = str.maketrans({**_LETTERS, **{k.upper(): v.capitalize() for k, v in _LETTERS.items()}})
# Word-initial є, ї, й, ю, я, and зг (written zgh, so that it does not read as zh).
# An apostrophe does not start a word: Куп'янськ is Kupiansk.
_SPECIAL = re.compile(r"(?<![\w'’ʼ])[єїйюяЄЇЙЮЯ]|[зЗ][гГ]")


def _special(match: re.Match[str]) -> str:
    text = match.group(0)
    if len(text) == 2:
        return ("Z" if text[0] == "З" else "z") + ("GH" if text[1] == "Г" else "gh")
    latin = _INITIAL[text.lower()]
    return latin if text.islower() else latin.capitalize()


def romanised(text: str) -> str:
    """Cyrillic letters of ``text`` in Latin, by Ukraine's official romanisation.

    Examples
    --------
    >>> romanised("Запоріжжя"), romanised("Юрівка"), romanised("Згурівка")
    ('Zaporizhzhia', 'Yurivka', 'Zghurivka')
    >>> romanised("Куп’янськ")
    'Kup’iansk'

    """
    if text.isascii():
        return text
    return _SPECIAL.sub(_special, text).translate(_TABLE)


def _words(name: str) -> str:
    """Lower case, romanised, accents dropped; words separated by one space."""
    text = romanised(unicodedata.normalize("NFC", name)).casefold()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’ʼ`´]", "", text)  # apostrophes join: Zaporiz'ka is zaporizka
    return " ".join(re.findall(r"[^\W_]+", text))


def key(name: str, suffixes: re.Pattern[str] | None = None) -> str:
    """The form names are compared in: letters and digits only, lower case, in Latin.

    ``suffixes`` (a pattern over the spaced, romanised words) is removed first.

    Examples
    --------
    >>> key("Zaporiz'ka  Oblast") == key("zaporizka-oblast") == key("Запорізька область")
    True
    >>> key("CartoDB.Positron") == key("cartodb positron")
    True
    """
    words = _words(name)
    if suffixes is not None:
        words = suffixes.sub("", words).strip()
    return words.replace(" ", "")


class Lookup(Generic[T]):
    """Names to values, in tiers of precedence: a key found in an earlier tier wins.

    Parameters
    ----------
    kind : str
        What is looked up, for messages (``"region"``, ``"scenario"``).
    tiers : iterable of iterables of (name, value)
        The names of each tier; one name may stand for several values (two towns share it).
    label : callable
        How a value is named in suggestions.
    suffixes : compiled pattern, optional
        Words that may be left off (``oblast``): matched on the romanised, spaced form.

    Examples
    --------
    >>> colours = Lookup("colour", [[("Red", 1), ("Blue", 2)], [("Rouge", 1)]])
    >>> colours.find("RED"), colours.find("rouge")
    (1, 1)
    >>> colours.find("blu")
    Traceback (most recent call last):
    ...
    territory.errors.UnknownNameError: unknown colour 'blu'; did you mean '2'?
    """

    def __init__(
        self,
        kind: str,
        tiers: Iterable[Iterable[tuple[str, T]]],
        *,
        label: Callable[[T], str] = str,
        suffixes: re.Pattern[str] | None = None,
    ) -> None:
        self.kind = kind
        self._label = label
        self._suffixes = suffixes
        self._tiers: list[dict[str, list[T]]] = []
        for tier in tiers:
            table: dict[str, list[T]] = {}
            for name, value in tier:
                for k in {key(name), key(name, suffixes)} - {""}:
                    values = table.setdefault(k, [])
                    if value not in values:
                        values.append(value)
            self._tiers.append(table)

    def all(self, name: str) -> list[T]:
        """Every value of the first tier that knows the name; empty when none does."""
        wanted = [key(name), key(name, self._suffixes)]
        for table in self._tiers:
            for k in wanted:
                if k in table:
                    return list(table[k])
        return []

    def find(self, name: str) -> T:
        """The value of the name (the first, when several share it); raises when none."""
        found = self.all(name)
        if not found:
            raise UnknownNameError(self.kind, name, self.suggestions(name))
        return found[0]

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """Labels of the entries closest to ``name``: those it begins, else the most alike,
        from the first tier that has any."""
        wanted = key(name, self._suffixes) or key(name)
        for table in self._tiers:
            close = [k for k in table if wanted and k.startswith(wanted)]
            close = close or difflib.get_close_matches(wanted, table, n=n * 2, cutoff=0.6)
            labels = list(dict.fromkeys(self._label(v) for k in close for v in table[k]))
            if labels:
                return labels[:n]
        return []
