"""The wheel carries everything a plain `pip install .` user needs: frameworks, schemas, templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    pytest.importorskip("hatchling", reason="hatchling is in the test extra; install .[test]")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("competency-*.whl")
    return zipfile.ZipFile(built)


def test_wheel_bundles_both_frameworks(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for framework in sorted((ROOT / "frameworks").glob("*.toml")):
        assert f"competency/_bundled_frameworks/{framework.name}" in names
        assert wheel.read(f"competency/_bundled_frameworks/{framework.name}") == framework.read_bytes()


def test_wheel_is_typed_and_has_both_packages(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "competency/py.typed" in names
    assert "competency_rules/py.typed" in names
    assert any(n.startswith("competency_rules/builtin/") for n in names)


def test_wheel_ships_package_data(wheel: zipfile.ZipFile) -> None:
    """Every non-Python file under src/ (schemas, templates) is in the wheel."""
    names = set(wheel.namelist())
    data = [
        p.relative_to(ROOT / "src").as_posix()
        for p in (ROOT / "src").rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    ]
    missing = [d for d in data if d not in names]
    assert not missing


def test_bundled_framework_files_are_named_by_their_id() -> None:
    import competency

    for path in (ROOT / "frameworks").glob("*.toml"):
        assert competency.load_framework(path).id == path.stem
