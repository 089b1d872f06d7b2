"""The wheel carries the data: install it into a new environment and load from there."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("territory-*.whl"))


def test_wheel_installs_and_loads_regions_outside_the_repository(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    # The new environment sees the already-installed dependencies but not the source tree.
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies are those of the interpreter running the tests, which may itself be
    # a virtual environment (system_site_packages reaches only the base interpreter's).
    import sysconfig

    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "test-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", site, wheel],
        check=True,
    )
    probe = (
        "import territory, pathlib; "
        "print(pathlib.Path(territory.__file__).parent); "
        "print(len(territory.regions()), len(territory.neighbours())); "
        "print(territory.region_code('Zaporozhye')); "
        "print(territory.snapshot().name, len(territory.scenarios()), "
        "len(territory.places()) > 100); "
        "print(len(territory.map_html(territory.render_scenario('freeze'))) > 100_000)"
    )
    result = subprocess.run(
        [python, "-I", "-c", probe], check=False, capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr  # the child's own error, if it fails
    package_dir, counts, code, data, page = result.stdout.splitlines()
    assert Path(package_dir).is_relative_to(site)
    assert counts == "27 7"
    assert code == "UA-23"
    assert data == "2025-08-08 12 True"  # snapshots, both scenario files and places travel
    assert page == "True"  # and the map's inlined assets
