"""Outputs of the command line: regular files only, one line naming the user's path on
failure, and nothing half-written left behind (not even after SIGTERM)."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest


def test_a_fifo_is_refused_and_left_alone(run, tmp_path: Path) -> None:
    fifo = tmp_path / "zones.geojson"
    os.mkfifo(fifo)
    result = run("export", "freeze", "-o", str(fifo))
    assert result.exit_code == 1
    assert result.stderr == f"territory: error: {fifo}: not a regular file; give a file name\n"
    assert fifo.is_fifo()


def _limited_export(tmp_path: Path, suffix: str) -> subprocess.CompletedProcess:
    """``territory export`` with a 64 KB file-size limit: the write fails part way."""
    target = tmp_path / f"zones{suffix}"

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))

    command = [
        sys.executable,
        "-m",
        "territory.cli",
        "export",
        "us-russia-draft",
        "-o",
        str(target),
    ]
    return subprocess.run(
        command, capture_output=True, text=True, preexec_fn=limit, cwd=tmp_path, check=False
    )


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg"])
def test_a_failing_write_is_one_line_and_leaves_nothing(tmp_path: Path, suffix: str) -> None:
    done = _limited_export(tmp_path, suffix)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"territory: error: {tmp_path}/zones{suffix}: ")
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_sigterm_during_a_write_removes_the_temporary_file(tmp_path: Path) -> None:
    script = f"""
import os, signal, sys
from territory.cli import exit_on_signal
from territory.export import atomic_path
signal.signal(signal.SIGTERM, exit_on_signal)
with atomic_path({str(tmp_path / "out.html")!r}) as tmp:
    tmp.write_text("half")
    os.kill(os.getpid(), signal.SIGTERM)
    signal.pause()
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []
