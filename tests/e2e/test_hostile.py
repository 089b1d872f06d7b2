"""Hostile input through the command line: every input ends in one line and a non-zero exit,
within bounded time and memory.

Each class of input here once ended in a traceback, a hang or gigabytes: out-of-range map
ids and dates, points that are not points, limits set to nonsense, Ctrl-C, special files,
and scenario files that cost minutes.
"""

from __future__ import annotations


def test_scenarios_from_a_device_are_refused(run) -> None:
    result = run("scenarios", "--scenarios", "/dev/zero")
    assert result.exit_code == 1
    assert result.stderr == "territory: error: /dev/zero: not a regular file (a character device)\n"
