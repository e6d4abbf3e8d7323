"""The benchmark's profile generator (benchmarks/generate.py) and harness (benchmarks/run.py).

The generator is what the performance figures and the optimisation-equivalence test stand on, so it is
held to what issue 4 asks of it: same seed, same bytes; both organisations, families of 3-30, about 30%
managerial, rationales of 150-300 characters and no two alike; and a sidecar naming every planted defect.
"""

from __future__ import annotations

import collections
import csv
import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import tomllib

import competency

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"benchmark_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = _load("generate")


def _tree_bytes(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _write(tmp: Path, roles: int, seed: int, rate: float) -> tuple[Path, Path]:
    code = generate.main(
        ["--roles", str(roles), "--seed", str(seed), "--defect-rate", str(rate),
         "--csv", str(tmp / "set.csv"), "--toml-dir", str(tmp / "set")]
    )  # fmt: skip
    assert code == 0
    return tmp / "set.csv", tmp / "set"


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    first = _write(tmp_path / "a", 150, 7, 0.1)
    second = _write(tmp_path / "b", 150, 7, 0.1)
    assert first[0].read_bytes() == second[0].read_bytes()
    assert _tree_bytes(first[1]) == _tree_bytes(second[1])
    assert Path(f"{first[0]}.planted.json").read_bytes() == Path(f"{second[0]}.planted.json").read_bytes()
    assert Path(f"{first[1]}.planted.json").read_bytes() == Path(f"{first[0]}.planted.json").read_bytes()
    other = _write(tmp_path / "c", 150, 8, 0.1)
    assert other[0].read_bytes() != first[0].read_bytes()


def test_the_set_looks_like_a_councils_profiles() -> None:
    gen = generate.generate(1200, 3, defect_rate=0.0)
    roles = gen.roles
    assert len(roles) == 1200
    assert {r.organisation for r in roles} == set(generate.ORGANISATIONS)
    sizes = collections.Counter(r.family for r in roles)
    assert min(sizes.values()) >= 3 and max(sizes.values()) <= 30
    assert len(set(sizes.values())) > 10  # families of many sizes, not one
    share = sum(r.managerial for r in roles) / len(roles)
    assert 0.25 <= share <= 0.35
    fw = gen.fw
    for role in roles:
        names = [fw.find_competency(e.competency) for e in role.entries]
        assert names == list(fw.required_for(managerial=role.managerial))
        for entry in role.entries:
            assert 150 <= len(entry.rationale) <= 300
            assert fw.find_level(fw.competency(entry.competency), entry.level) is not None
    texts = [e.rationale.casefold() for r in roles for e in r.entries]
    assert len(set(texts)) == len(texts)
    # levels vary a little within a family and between families
    levels = collections.Counter(e.level for r in roles for e in r.entries)
    assert len(levels) >= 6
    titles = collections.defaultdict(set)
    for role in roles:
        titles[role.title.casefold()].add(role.organisation)
    assert any(len(orgs) == 2 for orgs in titles.values())  # the same job at both councils


def test_every_defect_kind_is_planted_and_recorded() -> None:
    gen = generate.generate(300, 5, defect_rate=0.1)
    planted = collections.Counter(p.rule for p in gen.planted)
    assert set(planted) == set(generate.DEFECT_KINDS)
    assert len(gen.roles) == 300
    ids = {r.id for r in gen.roles}
    for item in gen.planted:
        assert item.role in ids and set(item.roles) <= ids


def test_the_csv_and_toml_outputs_hold_the_same_profiles(tmp_path: Path) -> None:
    csv_path, toml_dir = _write(tmp_path, 120, 11, 0.1)
    header = next(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert tuple(header) == generate.CSV_COLUMNS
    files = sorted(toml_dir.rglob("*.toml"))
    assert len(files) == 120
    for path in files[:5]:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data["framework"] == {"id": "cdc-snc-2015"} and len(data["roles"]) == 1
    from_csv = competency.load_profiles(csv_path)
    from_toml = competency.load_profiles(toml_dir)

    def shape(p: competency.RoleProfile) -> tuple[object, ...]:
        return (p.id, p.title, p.organisation, p.family, p.managerial, p.competencies)

    assert [shape(p) for p in from_csv] == [shape(p) for p in from_toml]
    sidecar = json.loads(Path(f"{csv_path}.planted.json").read_text(encoding="utf-8"))
    assert sidecar["roles"] == 120
    assert sidecar["rows"] == sum(len(p.competencies) for p in from_csv)


def test_the_findings_match_the_planted_defects(tmp_path: Path) -> None:
    csv_path, _ = _write(tmp_path, 400, 21, 0.08)
    sidecar = json.loads(Path(f"{csv_path}.planted.json").read_text(encoding="utf-8"))
    result = competency.check(competency.load_profiles(csv_path), "cdc-snc-2015")
    found = collections.Counter((f.rule, f.role, f.competency) for f in result.findings)
    planted = collections.Counter((p["rule"], p["role"], p["competency"]) for p in sidecar["planted"])
    assert found == planted


def test_quick_benchmark_run_writes_its_table_and_figures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--repeat", "1", "--out", str(out),
         "--per-save-repetitions", "300"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "| check csv 1k | 1000 |" in result.stdout
    figures = json.loads((out / "results.json").read_text(encoding="utf-8"))
    cases = {c["case"]: c for c in figures["cases"]}
    assert {
        "floor csv 1k",
        "check csv 1k",
        "floor toml 1k",
        "check toml 1k",
        "check one role (start-up)",
    } <= set(cases)
    for name in ("check csv 1k", "check toml 1k"):
        case = cases[name]
        assert case["exit_codes"] == [1]  # the planted defects include errors
        assert case["ratio_to_floor"] > 0 and case["peak_rss_mib"] > 5
        assert case["findings_vs_planted"]["n_missed"] == 0
        assert case["findings_vs_planted"]["n_extra"] == 0
    assert figures["per_save"]["median_ms"] > 0


@pytest.mark.parametrize("argv", [[], ["--roles", "3", "--seed", "1"]])
def test_the_generator_refuses_incomplete_arguments(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        generate.main(argv)
    assert info.value.code == 2
