"""The built wheel ships the data folders, and `stratus new --sample` works from it.

Builds the real wheel with `python -m build` (hatchling, per pyproject.toml), unpacks it
into a temporary folder and runs the program from there, from an unrelated working
directory, so neither the checkout's folders nor the editable install can stand in.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # about 5-15 s: builds in an isolated environment


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (built,) = out.glob("stratus_tui-*.whl")
    return built


def test_wheel_contains_patterns_and_samples(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, packaged in (("patterns", "patterns"), ("sample_designs", "sample_designs")):
        expected = {
            f"stratus_tui/_data/{packaged}/{p.name}" for p in (ROOT / folder).glob("*.yaml")
        }
        assert expected, folder
        assert expected <= names
    assert "stratus_tui/core/model.py" in names
    assert not any(name.startswith("tests/") for name in names)


def test_new_sample_runs_from_the_unpacked_wheel(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    work = tmp_path / "elsewhere"
    work.mkdir()
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "import stratus_tui, stratus_tui.core.resources as r; "
        "assert stratus_tui.__file__.startswith(sys.argv[1]), stratus_tui.__file__; "
        "print(r.samples_dir()); "
        "from stratus_tui.cli import main; main(['new', 'x.yaml', '--sample', 'checkout'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(site)],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith(str(site / "stratus_tui" / "_data"))
    packaged = site / "stratus_tui" / "_data" / "sample_designs" / "checkout.yaml"
    assert (work / "x.yaml").read_text() == packaged.read_text()
    assert packaged.read_text() == (ROOT / "sample_designs" / "checkout.yaml").read_text()
