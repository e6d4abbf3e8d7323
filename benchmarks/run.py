"""Benchmark ``competency check`` against the floor of merely reading its input.

One command (docs/performance.md)::

    python benchmarks/run.py            # the full run: 1k, 10k, 100k roles; about 5 minutes on 2 cores
    python benchmarks/run.py --quick    # a smoke run at 1k roles

It generates the profile sets with benchmarks/generate.py into benchmarks/out/ (git-ignored; reused when
the generator and its arguments have not changed), then, on the same files, runs each case as a separate
process and records its wall time and peak memory:

* the **floor**: a ``python -c`` process that reads the same CSV with the csv module alone (streaming,
  nothing kept), or the same TOML files with tomllib alone;
* ``competency check --format json`` with every built-in rule, as a whole process;
* the start-up reference, ``python -c "import attrs, cattrs, pluggy, tomllib"``, and the check of a
  one-role file;
* in one process, the median time of ``Checker.check_profile`` on one RCP against a framework loaded
  once, with the per-profile rules (what a council system pays when a line manager saves an RCP).

Each case runs ``--repeat`` times (default 3), interleaved with its floor, after one unmeasured warm-up
run; medians are quoted. Peak memory is the child's own ``ru_maxrss`` from ``os.wait4``, so every figure
belongs to exactly one process. The table goes to standard output and the figures to
``--json FILE`` (default benchmarks/out/results.json).

Only the standard library is used here; the code measured is the installed ``competency``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "out"
FRAMEWORK = "cdc-snc-2015"
DEFAULT_SEED = 2015
MIB = 1024 * 1024

FLOOR_CSV = """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as handle:
    for row in csv.reader(handle):
        pass
"""

FLOOR_TOML = """
import os, sys, tomllib
for root, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".toml"):
            with open(os.path.join(root, name), "rb") as handle:
                tomllib.load(handle)
"""

IMPORT_REFERENCE = "import attrs, cattrs, pluggy, tomllib"

PER_SAVE = """
import json, statistics, sys, time
import competency
from competency import Checker, load_framework, load_profiles
framework = load_framework(sys.argv[2])
profile = next(p for p in load_profiles(sys.argv[1], framework=framework) if p.managerial)
checker = Checker(framework)
result = checker.check_profile(profile)
for _ in range(200):
    checker.check_profile(profile)
times = []
clock = time.perf_counter_ns
for _ in range(int(sys.argv[3])):
    start = clock()
    checker.check_profile(profile)
    times.append(clock() - start)
times.sort()
print(json.dumps({
    "median_ms": statistics.median(times) / 1e6,
    "p90_ms": times[int(len(times) * 0.9)] / 1e6,
    "repetitions": len(times),
    "entries": len(profile.competencies),
    "findings": len(result.findings),
}))
"""


@dataclass
class Case:
    """One measured command and how it is judged."""

    name: str
    kind: str  # "floor", "check", "reference"
    command: list[str]
    roles: int
    rows: int = 0
    files: int = 1
    floor: str | None = None
    #: The ``.planted.json`` sidecar of the set checked, to compare the findings with.
    sidecar: dict[str, Any] | None = None
    walls: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    codes: list[int] = field(default_factory=list)
    stdout: Path | None = None

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")

    @property
    def peak_rss(self) -> int:
        return max(self.rss) if self.rss else 0


#: Runs one command and reports its wall time, peak RSS and exit code. A separate, small process (no site
#: packages) spawns the command, because a child's ``ru_maxrss`` starts from the RSS of the process that
#: forked it: measured from this script (which has imported the generator), every case would look as
#: big as this script. The wrapper is about 7 MiB, less than any command measured.
WRAPPER = """
import os, sys, time
out, command = sys.argv[1], sys.argv[2:]
fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
start = time.perf_counter()
pid = os.posix_spawn(command[0], command, os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, fd, 1)])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(wall, usage.ru_maxrss * 1024, os.waitstatus_to_exitcode(status))
"""


def measure(command: Sequence[str], stdout: Path | None) -> tuple[float, int, int]:
    """Run ``command`` once: (wall seconds, peak RSS in bytes, exit code) of that process alone."""
    result = subprocess.run(
        [sys.executable, "-S", "-c", WRAPPER, str(stdout or os.devnull), *command],
        capture_output=True,
        text=True,
        check=True,
    )
    if result.stderr:
        sys.stderr.write(result.stderr)
    wall, rss, code = result.stdout.split()
    return float(wall), int(rss), int(code)


def competency_command() -> list[str]:
    """The installed console script beside this interpreter, or ``python -m competency``."""
    script = Path(sys.executable).parent / "competency"
    return [str(script)] if script.exists() else [sys.executable, "-m", "competency"]


# -- data ---------------------------------------------------------------------------------------------
def _generator_digest() -> str:
    return hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:16]


def ensure_set(
    out: Path, name: str, roles: int, seed: int, *, toml: bool, defect_rate: float
) -> tuple[Path, dict[str, Any]]:
    """Generate ``name`` unless the same generator already made it with the same arguments."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    import generate

    target = out / (name if toml else f"{name}.csv")
    sidecar = Path(f"{target}.planted.json")
    wanted = {
        "roles": roles,
        "seed": seed,
        "framework": FRAMEWORK,
        "defect_rate": defect_rate,
        "generator": _generator_digest(),
    }
    if sidecar.exists() and target.exists():
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except ValueError:
            data = {}
        if data.get("arguments") == wanted:
            return target, data
    print(
        f"generating {target.relative_to(out.parent) if out.parent in target.parents else target} "
        f"({roles} roles)...",
        file=sys.stderr,
        flush=True,
    )
    gen = generate.generate(roles, seed, framework=FRAMEWORK, defect_rate=defect_rate)
    if toml:
        generate.write(gen, toml_dir=target, args=wanted)
    else:
        generate.write(gen, csv_path=target, args=wanted)
    return target, json.loads(sidecar.read_text(encoding="utf-8"))


def build_cases(out: Path, quick: bool, seed: int) -> list[Case]:
    py = sys.executable
    check = competency_command()
    cases: list[Case] = []
    csv_sizes = (1_000,) if quick else (1_000, 10_000, 100_000)
    toml_sizes = (1_000,) if quick else (1_000, 10_000)
    for size in csv_sizes:
        label = f"{size // 1000}k"
        path, info = ensure_set(out, f"csv-{label}", size, seed, toml=False, defect_rate=0.02)
        floor = Case(
            f"floor csv {label}", "floor", [py, "-c", FLOOR_CSV, str(path)], info["roles"], info["rows"]
        )
        cases.append(floor)
        cases.append(
            Case(
                f"check csv {label}",
                "check",
                [*check, "check", str(path), "--framework", FRAMEWORK, "--format", "json"],
                info["roles"],
                info["rows"],
                floor=floor.name,
                stdout=out / f"findings-csv-{label}.json",
                sidecar=info,
            )
        )
    for size in toml_sizes:
        label = f"{size // 1000}k"
        path, info = ensure_set(out, f"toml-{label}", size, seed, toml=True, defect_rate=0.02)
        floor = Case(
            f"floor toml {label}",
            "floor",
            [py, "-c", FLOOR_TOML, str(path)],
            info["roles"],
            info["rows"],
            files=info["roles"],
        )
        cases.append(floor)
        cases.append(
            Case(
                f"check toml {label}",
                "check",
                [*check, "check", str(path), "--framework", FRAMEWORK, "--format", "json"],
                info["roles"],
                info["rows"],
                files=info["roles"],
                floor=floor.name,
                stdout=out / f"findings-toml-{label}.json",
                sidecar=info,
            )
        )
    one, info = ensure_set(out, "one-role", 1, seed, toml=True, defect_rate=0.0)
    reference = Case("import attrs, cattrs, pluggy, tomllib", "reference", [py, "-c", IMPORT_REFERENCE], 0, 0)
    cases.append(reference)
    cases.append(
        Case(
            "check one role (start-up)",
            "check",
            [*check, "check", str(one), "--framework", FRAMEWORK, "--format", "json"],
            1,
            info["rows"],
            floor=reference.name,
            stdout=out / "findings-one-role.json",
            sidecar=info,
        )
    )
    return cases


def per_save(out: Path, seed: int, repetitions: int) -> dict[str, Any]:
    """Median time to check one RCP (the first managerial role of the 1k set: 11 entries) in a process that
    has loaded the framework once."""
    one, _ = ensure_set(out, "csv-1k", 1_000, seed, toml=False, defect_rate=0.02)
    result = subprocess.run(
        [sys.executable, "-c", PER_SAVE, str(one), FRAMEWORK, str(repetitions)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1:] or ["failed"]}
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def compare_findings(case: Case) -> dict[str, Any] | None:
    """The check's findings against the planted defects: (rule, role, competency) found and planted."""
    if case.sidecar is None or case.stdout is None or not case.stdout.exists():
        return None
    try:
        findings = json.loads(case.stdout.read_text(encoding="utf-8"))["findings"]
    except (ValueError, KeyError):
        return {"error": "no findings document"}
    found = [(f["rule"], f["role"], f["competency"]) for f in findings]
    planted = [(p["rule"], p["role"], p["competency"]) for p in case.sidecar["planted"]]
    missed = _minus(planted, found)
    extra = _minus(found, planted)
    return {
        "planted": len(planted),
        "found": len(found),
        "missed": missed[:20],
        "extra": extra[:20],
        "n_missed": len(missed),
        "n_extra": len(extra),
    }


def _minus(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> list[list[Any]]:
    """The items of ``a`` not matched one for one in ``b``."""
    left = Counter(b)
    out = []
    for item in a:
        if left[item] > 0:
            left[item] -= 1
        else:
            out.append(list(item))
    return out


# -- targets ------------------------------------------------------------------------------------------
def judge(case: Case, by_name: dict[str, Case]) -> tuple[str, bool | None]:
    """The target for a case (issue 4), and whether it is met (``None``: no target)."""
    floor = by_name.get(case.floor or "")
    ratio = case.wall / floor.wall if floor else None
    if case.name == "check csv 100k":
        ok = ratio is not None and ratio <= 2.0 and case.peak_rss < 1024 * MIB
        return "≤2× floor, <1 GiB", ok
    if case.name == "check toml 10k":
        return "≤1.5× floor", ratio is not None and ratio <= 1.5
    if case.name == "check one role (start-up)":
        return "≤0.15 s, ≤1.5× ref", ratio is not None and case.wall <= 0.15 and ratio <= 1.5
    return "", None


def compile_bytecode() -> list[str]:
    """Compile the measured packages' byte-code first, as pip does when it installs a wheel.

    Without it, an editable install under ``PYTHONDONTWRITEBYTECODE`` (set in some CI images and
    containers) compiles every module of ``competency`` from source in every process, while attrs,
    cattrs and pluggy load from their installed byte-code: the start-up figure would measure the
    compiler, not the checker.
    """
    import compileall
    import importlib.util

    compiled = []
    for name in ("competency", "competency_rules"):
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            compileall.compile_dir(folder, quiet=1)
            compiled.append(folder)
    return compiled


#: How many times more often the start-up cases (reference and one-role check) run than the others.
STARTUP_RUNS = 7


def record(case: Case) -> None:
    """Run ``case`` once and keep its figures."""
    wall, rss, code = measure(case.command, case.stdout)
    case.walls.append(wall)
    case.rss.append(rss)
    case.codes.append(code)
    print(f"  {case.name:<40} {wall:8.3f} s {rss / MIB:8.1f} MiB  exit {code}", file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> dict[str, Any]:
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    cases = build_cases(out, args.quick, args.seed)
    by_name = {c.name: c for c in cases}
    if not args.quick:
        for case in cases:  # warm-up: page cache, byte-code caches
            measure(case.command, case.stdout)
    # A start-up takes a tenth of a second, so a neighbour's burst of work moves it by a third: the
    # start-up pair runs STARTUP_RUNS times as often, each check right after its reference.
    startup = [case for case in cases if case.roles <= 1]
    for _ in range(args.repeat):
        for case in cases:
            if case not in startup:
                record(case)
        for _ in range(STARTUP_RUNS):
            for case in startup:
                record(case)
    save = per_save(out, args.seed, args.per_save_repetitions)
    rows = []
    for case in cases:
        floor = by_name.get(case.floor or "")
        target, ok = judge(case, by_name)
        bad_exit = case.kind == "check" and any(code not in (0, 1) for code in case.codes)
        rows.append(
            {
                "case": case.name,
                "kind": case.kind,
                "roles": case.roles,
                "rows": case.rows,
                "files": case.files,
                "wall_s": case.wall,
                "walls_s": case.walls,
                "roles_per_s": case.roles / case.wall if case.roles and case.wall else None,
                "peak_rss_mib": case.peak_rss / MIB,
                "ratio_to_floor": case.wall / floor.wall if floor else None,
                "floor": case.floor,
                "exit_codes": case.codes,
                "target": target,
                "pass": False if bad_exit else ok,
                "findings_vs_planted": compare_findings(case),
            }
        )
    growth = None
    if "check csv 10k" in by_name and "check csv 100k" in by_name:
        growth = by_name["check csv 100k"].wall / by_name["check csv 10k"].wall
    ok_save = "median_ms" in save and save["median_ms"] < 1.0
    return {
        "machine": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "repeat": args.repeat,
        "seed": args.seed,
        "framework": FRAMEWORK,
        "cases": rows,
        "growth_10k_to_100k": {
            "ratio": growth,
            "target": "≤11×",
            "pass": None if growth is None else growth <= 11,
        },
        "per_save": {**save, "target": "<1 ms", "pass": ok_save},
    }


def table(results: dict[str, Any]) -> str:
    """The figures as a Markdown table (pasted as is into docs/performance.md)."""
    lines = [
        "| case | roles | wall (median) | roles/s | peak RSS | × floor | target | pass "
        "| findings = planted |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |",
    ]
    for row in results["cases"]:
        rate = f"{row['roles_per_s']:,.0f}" if row["roles_per_s"] else ""
        ratio = f"{row['ratio_to_floor']:.2f}×" if row["ratio_to_floor"] is not None else ""
        verdict = {True: "pass", False: "FAIL", None: ""}[row["pass"]]
        lines.append(
            f"| {row['case']} | {row['roles'] or ''} | {row['wall_s']:.3f} s | {rate} | "
            f"{row['peak_rss_mib']:.0f} MiB | {ratio} | {row['target']} | {verdict} | "
            f"{_agreement(row['findings_vs_planted'])} |"
        )
    growth = results["growth_10k_to_100k"]
    if growth["ratio"] is not None:
        verdict = "pass" if growth["pass"] else "FAIL"
        lines.append(
            f"| growth csv 10k → 100k | | {growth['ratio']:.2f}× | | | | {growth['target']} | {verdict} | |"
        )
    save = results["per_save"]
    if "median_ms" in save:
        verdict = "pass" if save["pass"] else "FAIL"
        lines.append(
            f"| per-save `check_profile` ({save['entries']} entries, median of {save['repetitions']}) | 1 | "
            f"{save['median_ms'] * 1000:.0f} µs | | | | {save['target']} | {verdict} | |"
        )
    else:
        lines.append(f"| per-save `check_profile` | 1 | error: {save.get('error')} | | | | <1 ms | FAIL | |")
    return "\n".join(lines)


def _agreement(comparison: dict[str, Any] | None) -> str:
    if comparison is None:
        return ""
    if "error" in comparison:
        return comparison["error"]
    if not comparison["n_missed"] and not comparison["n_extra"]:
        return f"yes ({comparison['found']})"
    return f"NO: {comparison['n_missed']} missed, {comparison['n_extra']} extra"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="measured runs per case (default 3; medians)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1k roles only")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for generated sets and outputs")
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="write the figures here (default OUT/results.json)"
    )
    parser.add_argument("--per-save-repetitions", type=int, default=5000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    results = run(args)
    target = args.json or args.out / "results.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\nfigures written to {target}")
    failed = [
        r["case"]
        for r in results["cases"]
        if r["kind"] == "check" and any(c not in (0, 1) for c in r["exit_codes"])
    ]
    if failed:
        print(f"error: competency check did not finish cleanly in: {', '.join(failed)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
