"""The benchmark's profile generator (benchmarks/generate.py) and harness (benchmarks/run.py).

The generator is what the performance figures and the optimisation-equivalence test stand on, so it is
held to what issue 4 asks of it: same seed, same bytes; both organisations, families of 3-30, about 30%
managerial, rationales of 150-300 characters and no two alike; and a sidecar naming every planted defect.

The harness must report the memory of the whole process tree (``competency check`` may fork workers),
and run the ``--jobs 1`` rows only when the check takes ``--jobs``.
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
from typing import Any

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
bench = _load("run")


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
        floor = cases[case["floor"]]
        # One run: the paired ratio is that run over its floor run, the same as the ratio of medians.
        assert case["ratios_paired"] == [case["walls_s"][0] / floor["walls_s"][0]]
        assert case["ratio_to_floor_paired"] == case["ratios_paired"][0]
        assert case["ratio_to_floor_paired"] == pytest.approx(case["ratio_to_floor"])
        assert case["findings_vs_planted"]["n_missed"] == 0
        assert case["findings_vs_planted"]["n_extra"] == 0
        # The figure reported is the larger of the sampled tree peak and ru_maxrss, both recorded.
        assert case["peak_rss_tree_sampled_mib"] > 5 and case["ru_maxrss_mib"] > 5
        assert case["peak_rss_mib"] == max(case["peak_rss_tree_sampled_mib"], case["ru_maxrss_mib"])
        assert case["rss_samples"][0] >= 1 and case["sampler_cpu_s"][0] >= 0
        assert case["jobs"] is None and not case["informational"]
        # The serial twin: run where the check takes --jobs, with the same report, never judged.
        twin = cases[f"{name}, --jobs 1"]
        assert twin["jobs"] == 1 and twin["informational"] and twin["target"] == ""
        if figures["jobs_option"]:
            assert twin["skipped"] is None and twin["exit_codes"] == [1]
            assert twin["findings_identical"] is True and twin["pass"] is None
            assert f"| {name}, --jobs 1 | 1000 |" in result.stdout
        else:
            assert twin["skipped"] == bench.NO_JOBS and twin["exit_codes"] == []
            assert f"| {name}, --jobs 1 | 1000 | {bench.NO_JOBS} |" in result.stdout
    assert figures["memory"]["sample_ms"] == bench.SAMPLE_MS
    assert "peak RSS (tree Σ)" in result.stdout
    assert figures["per_save"]["median_ms"] > 0


#: Allocates and touches 40 MiB, forks a child that touches 80 MiB more, and holds both for a while.
FORKING = """
import os, time
def touch(mib):
    block = bytearray(mib << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    return block
parent = touch(40)
pid = os.fork()
if pid == 0:
    child = touch(80)
    time.sleep(0.4)
    os._exit(0)
time.sleep(0.6)
os.waitpid(pid, 0)
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the tree sampler reads /proc")
def test_peak_memory_is_the_sum_over_the_process_tree() -> None:
    """``ru_maxrss`` from wait4 is the largest single process (the child: its 80 MiB and the 40 it shares
    with the parent); the tree's sum counts the parent too, shared pages in both."""
    m = bench.measure([sys.executable, "-S", "-c", FORKING], None)
    mib = 1 << 20
    assert m.code == 0
    assert 115 * mib < m.maxrss < 150 * mib
    assert m.tree_rss > m.maxrss + 35 * mib  # the parent's 40 MiB on top of the child's peak
    assert m.peak_rss == m.tree_rss
    assert m.samples > 10 and 0 <= m.sampler_cpu < m.wall
    assert 0.6 < m.wall < 5


def test_without_sampling_the_peak_is_ru_maxrss() -> None:
    m = bench.measure([sys.executable, "-S", "-c", FORKING], None, sample_ms=0)
    assert m.code == 0 and m.samples == 0 and m.tree_rss == 0
    assert m.peak_rss == m.maxrss > 115 << 20


def test_the_jobs_option_is_found_in_the_checks_help() -> None:
    def fake(text: str) -> list[str]:  # a command whose "check --help" prints text
        return [sys.executable, "-c", f"print({text!r})"]

    assert bench.jobs_supported(fake("usage: competency check [-j N] [--jobs N] PATH"))
    assert not bench.jobs_supported(fake("usage: competency check [--format {text,json}] PATH"))
    assert bench.jobs_supported(bench.competency_command()) == ("--jobs" in _check_help())


def _check_help() -> str:
    return subprocess.run(
        [*bench.competency_command(), "check", "--help"], capture_output=True, text=True, check=False
    ).stdout


def test_the_serial_rows_are_listed_as_skipped_when_the_check_has_no_jobs_option(tmp_path: Path) -> None:
    floor = bench.Case("floor csv 9k", "floor", ["true"], 9000)
    info = {"roles": 9000, "rows": 70000, "planted": []}

    def cases(serial: bool | None) -> list[Any]:
        return bench._check_cases(["competency"], tmp_path, tmp_path / "set.csv", info, "csv-9k", floor,
                                  files=1, serial=serial)  # fmt: skip

    default, twin = cases(serial=False)
    assert default.name == "check csv 9k" and "--jobs" not in default.command
    assert twin.name == "check csv 9k, --jobs 1" and twin.skipped == bench.NO_JOBS
    assert twin.informational and twin.same_findings_as == default.name
    assert twin.command[-2:] == ["--jobs", "1"] and twin.stdout != default.stdout
    by_name = {c.name: c for c in (floor, default, twin)}
    assert bench.judge(twin, by_name) == ("", None)
    assert bench.compare_findings(twin) is None and bench.same_findings(twin, by_name) is None
    assert [c.name for c in cases(serial=None)] == [default.name]  # not the largest set: no twin
    assert cases(serial=True)[1].skipped is None


@pytest.mark.parametrize("argv", [[], ["--roles", "3", "--seed", "1"]])
def test_the_generator_refuses_incomplete_arguments(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        generate.main(argv)
    assert info.value.code == 2


def test_a_check_is_judged_by_its_runs_each_over_the_floor_run_before_it() -> None:
    floor = bench.Case("floor csv 100k", "floor", ["true"], 100_000, 800_000)
    check = bench.Case("check csv 100k", "check", ["true"], 100_000, 800_000, floor=floor.name)
    # The host slowed down for the middle runs: both the floor and the check were slower then.
    floor.walls = [2.0, 4.0, 4.0, 2.0, 2.0]
    check.walls = [3.8, 7.8, 7.6, 3.9, 4.4]
    check.rss = [500 * bench.MIB] * 5
    assert check.paired_ratios(floor) == [1.9, 1.95, 1.9, 1.95, 2.2]
    assert check.paired_ratio(floor) == 1.95
    assert check.wall / floor.wall == pytest.approx(2.2)  # the ratio of the medians
    target, ok = bench.judge(check, {floor.name: floor, check.name: check})
    assert (target, ok) == ("≤2× floor, <1 GiB", True)
    check.walls = [4.1, 8.2, 7.6, 4.1, 4.4]
    assert bench.judge(check, {floor.name: floor, check.name: check})[1] is False
    # Runs that do not pair up (a case measured a different number of times) give no ratio.
    check.walls = [4.0]
    assert check.paired_ratio(floor) is None
