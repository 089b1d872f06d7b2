"""Work on other cores: a result computed aside while the command goes on."""

from __future__ import annotations

import multiprocessing
import os
import pickle

import pytest

from territory.cores import aside, cores
from territory.errors import InputFileError, TerritoryError, UnknownNameError


def _pid_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def _raising(error: TerritoryError) -> None:
    raise error


def test_work_aside_runs_on_another_core_and_gives_its_result() -> None:
    with aside(_pid_and_sum, [1, 2, 3]) as result:
        pid, total = result()
    assert total == 6
    default = multiprocessing.get_start_method(allow_none=True)
    forked = cores() >= 2 and (default or multiprocessing.get_all_start_methods()[0]) == "fork"
    assert (pid != os.getpid()) == forked


@pytest.mark.parametrize(
    "error",
    [
        UnknownNameError("scenario", "freze", ["freeze"]),
        InputFileError("front.geojson", "no polygon"),
        TerritoryError("a rule names no region"),
    ],
)
def test_an_error_of_work_aside_reaches_the_command_whole(error: TerritoryError) -> None:
    """Errors cross from a worker process pickled: each comes back with its kind, its
    parts and its one line (an error that could not be made again would break the pool)."""
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is type(error) and str(again) == str(error)
    assert vars(again) == vars(error)
    with aside(_raising, error) as result, pytest.raises(type(error)) as raised:
        result()
    assert str(raised.value) == str(error)
