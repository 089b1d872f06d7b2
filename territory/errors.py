"""The errors a user can cause. Each carries one line that says what is wrong and where."""

from __future__ import annotations


class TerritoryError(ValueError):
    """Base of every error caused by input: a file, a name, a scenario rule.

    The command line prints ``str(error)`` on one line and exits with status 1.
    """


class UnknownNameError(TerritoryError, KeyError):
    """A region, scenario or snapshot name that no registry entry matches."""

    def __init__(self, kind: str, name: str, suggestions: list[str]) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {kind} {name!r}{hint}")

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0])

    def __reduce__(self) -> tuple[type, tuple[str, str, list[str]]]:
        # Made again from its parts where it crosses from a worker process to the command.
        return type(self), (self.kind, self.name, self.suggestions)


class InputFileError(TerritoryError):
    """A file that cannot be read as what it claims to be."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[object, str]]:
        # Made again from its parts where it crosses from a worker process to the command.
        return type(self), (self.path, self.problem)
