"""The shipped scenarios are inside the wheel as ``simulator/scenarios/*.yaml`` and load by
name from an installed copy, outside the repository, through importlib.resources.

Building the wheel (hatchling, no build isolation, no network) and installing it with
``pip install --target`` into a temporary folder take a few seconds together.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(ROOT),
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--quiet",
            "--wheel-dir",
            str(out),
        ],
        check=True,
        timeout=120,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    (built,) = out.glob("infobip_sms_simulator-*.whl")
    return built


def test_the_wheel_holds_every_shipped_scenario(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    packaged = {Path(n).stem for n in names if n.startswith("simulator/scenarios/")}
    shipped = {path.stem for path in (ROOT / "scenarios").glob("*.yaml")}
    assert shipped <= packaged
    assert {f"simulator/scenarios/{name}.yaml" for name in shipped} <= names
    assert "simulator/scenario.py" in names


def test_an_installed_copy_loads_scenarios_by_name(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            str(wheel),
            "--no-deps",
            "--no-index",
            "--quiet",
            "--target",
            str(target),
        ],
        check=True,
        timeout=120,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = textwrap.dedent(
        f"""
        import importlib.resources, pathlib, simulator
        from simulator.scenario import list_scenarios, load_scenario

        target = pathlib.Path({str(target)!r}).resolve()
        assert pathlib.Path(simulator.__file__).resolve().is_relative_to(target), simulator.__file__
        folder = importlib.resources.files("simulator") / "scenarios"
        assert (folder / "happy_path.yaml").is_file()
        scenario = load_scenario("happy_path")
        assert pathlib.Path(scenario.source).resolve().is_relative_to(target), scenario.source
        assert scenario.rules
        print(" ".join(list_scenarios()))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    names = set(result.stdout.split())
    assert {"default", "happy_path", "absent_subscriber", "carrier_outage"} <= names
